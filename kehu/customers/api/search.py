"""Saved filters of the customer list (C11), per user, under /customers/search/saved-filters
(two segments: a single one would be read as a customer id)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from kehu.customers import selectors, services
from kehu.customers.api.customer import E_WRITE, E
from kehu.customers.schemas import SavedFilterIn, SavedFilterOut

router = Router(tags=["customers"])


@router.get("/search/saved-filters", response={200: list[SavedFilterOut], **E}, url_name="search_saved_filters")
def search_saved_filters(request: HttpRequest):
    """Your saved filters; apply one by passing its `query` to GET /customers/."""
    return list(selectors.saved_filters_for(actor=request.user))


@router.post(
    "/search/saved-filters", response={201: SavedFilterOut, **E_WRITE}, url_name="search_saved_filter_save"
)
def search_saved_filter_save(request: HttpRequest, payload: SavedFilterIn):
    """Save a filter under a name (the same name replaces it)."""
    return Status(201, services.saved_filter_save(actor=request.user, name=payload.name, query=payload.query))


@router.delete(
    "/search/saved-filters/{filter_id}", response={204: None, **E_WRITE}, url_name="search_saved_filter_delete"
)
def search_saved_filter_delete(request: HttpRequest, filter_id: int):
    """Delete one of your saved filters (another user's answers 404)."""
    saved = get_object_or_404(selectors.saved_filters_for(actor=request.user), pk=filter_id)
    services.saved_filter_delete(actor=request.user, saved_filter=saved)
    return Status(204, None)
