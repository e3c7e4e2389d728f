"""Reveal one masked value on the 360° page (an HTMX swap of the masked text); logged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from kehu.customers import selectors, services


@login_required
@require_POST
def unmask_field(request: HttpRequest, pk: int, field: str) -> HttpResponse:
    customer = selectors.customer_get(actor=request.user, pk=pk)
    try:
        value = services.customer_unmask(
            actor=request.user, customer=customer, field=field, contact_id=request.GET.get("contact") or None
        )
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400)
    return render(request, "customers/_unmasked.html", {"field": field, "value": value})
