"""/api/v1/custom-fields: read the definitions; administrators add and change them."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from kehu.core.api.errors import ErrorOut
from kehu.core.api.pagination import CursorPage, CursorParams, paginate
from kehu.core.customfields import selectors, services
from kehu.core.customfields.schemas import (
    DefinitionCreateIn,
    DefinitionFilter,
    DefinitionOut,
    DefinitionUpdateIn,
)

router = Router(tags=["custom fields"])

E = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
E_WRITE = {**E, 422: ErrorOut}


@router.get("", response={200: CursorPage[DefinitionOut], **E}, url_name="customfields_list")
def customfields_list(request: HttpRequest, page: Query[CursorParams], filters: Query[DefinitionFilter]):
    """Custom fields, by record type and display order; everyone who works with records reads them."""
    rows = selectors.definition_list(actor=request.user, **filters.dict())
    return paginate(rows, page)


@router.post("", response={201: DefinitionOut, **E_WRITE}, url_name="customfields_create")
def customfields_create(request: HttpRequest, payload: DefinitionCreateIn):
    """Add a custom field (system administrator, general manager)."""
    data = payload.dict()
    definition = services.definition_create(
        actor=request.user, record_type=data.pop("record_type"), key=data.pop("key"), **data
    )
    return Status(201, definition)


@router.get("/{definition_id}", response={200: DefinitionOut, **E}, url_name="customfields_get")
def customfields_get(request: HttpRequest, definition_id: int):
    return selectors.definition_get(actor=request.user, pk=definition_id)


@router.patch("/{definition_id}", response={200: DefinitionOut, **E_WRITE}, url_name="customfields_update")
def customfields_update(request: HttpRequest, definition_id: int, payload: DefinitionUpdateIn):
    """Change a custom field; send the `version` you read. The key never changes, the kind
    only while no record holds a value; switching a field off keeps its values."""
    definition = selectors.definition_get(actor=request.user, pk=definition_id, action="edit")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = {name: value for name, value in data.items() if value is not None}
    return services.definition_update(actor=request.user, definition=definition, version=version, **data)
