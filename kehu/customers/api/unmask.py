"""Reveal one masked field of one customer (logged): POST /customers/{id}/unmask."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from kehu.customers import selectors, services
from kehu.customers.api.customer import E_WRITE
from kehu.customers.schemas import UnmaskIn, UnmaskOut

router = Router(tags=["customers"])


@router.post("/{customer_id}/unmask", response={200: UnmaskOut, **E_WRITE}, url_name="unmask_customer_field")
def unmask_customer_field(request: HttpRequest, customer_id: int, payload: UnmaskIn):
    """The full value of one personal-data field of the customer or of one contact, for this answer only; the change
    log records who revealed which field and when. Needs the `unmask` right."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id)
    value = services.customer_unmask(
        actor=request.user, customer=customer, field=payload.field, contact_id=payload.contact_id
    )
    return {"field": payload.field, "contact_id": payload.contact_id, "value": value}
