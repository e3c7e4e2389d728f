"""Customers API: customers, contacts and the duplicate check, under /api/v1/customers."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from kehu.core.api.errors import ErrorOut
from kehu.core.api.pagination import CursorPage, CursorParams, paginate
from kehu.customers import normalize, selectors, services
from kehu.customers.models import Contact, Customer, CustomerKind
from kehu.customers.schemas import (
    ContactCreateIn,
    ContactOut,
    ContactUpdateIn,
    CustomerCreateIn,
    CustomerDetailOut,
    CustomerFilter,
    CustomerOut,
    CustomerUpdateIn,
    DuplicateCheckIn,
    DuplicateCheckOut,
)

router = Router(tags=["customers"])

E = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
E_WRITE = {**E, 409: ErrorOut, 422: ErrorOut}


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": getattr(obj, "name", str(obj))} if obj is not None else None


def customer_out(user, customer: Customer) -> dict:
    unmasked = selectors.may_see_personal_data(user, customer)
    data = {
        name: getattr(customer, name)
        for name in (
            "id", "kind", "name", "short_name", "credit_code", "industry", "business_function", "province",
            "city", "district", "address", "postcode", "website", "economic_nature", "scale",
            "network_coverage", "main_business", "credit_rating", "credit_limit", "source", "status", "level",
            "remarks", "is_active", "merged_into_id", "version", "created_at", "updated_at", "in_pool",
        )
    }
    data.update(selectors.masked_customer_fields(customer, unmasked))
    data["tags"] = [tag.name for tag in customer.tags.all()]
    data["custom"] = customer.custom
    data["owner"] = _ref(customer.owner)
    data["department"] = _ref(customer.department)
    return data


def contact_out(user, contact: Contact, unmasked: bool) -> dict:
    data = {
        name: getattr(contact, name)
        for name in (
            "id", "customer_id", "name", "position", "department_name", "decision_role", "is_primary",
            "remarks", "version", "created_at", "updated_at",
        )
    }
    data.update(selectors.masked_contact_fields(contact, unmasked))
    data["custom"] = contact.custom
    return data


def _detail(user, customer: Customer) -> dict:
    data = customer_out(user, customer)
    unmasked = selectors.may_see_personal_data(user, customer)
    data["contacts"] = [contact_out(user, c, unmasked) for c in selectors.contacts_for(user, customer)]
    return data


def _stale(exc: services.StaleEdit) -> HttpError:
    return HttpError(409, str(exc))


@router.get("/", response={200: CursorPage[CustomerOut], **E}, url_name="customers_list")
def customers_list(request: HttpRequest, page: Query[CursorParams], filters: Query[CustomerFilter]):
    """Customers in your scope (newest change first, or `sort`); search and filters as on the list page.

    Custom fields filter with `cf_<key>=value` (see /api/v1/custom-fields): text contains,
    number and date equal or a range (`10..20`, `2026-01-01..`), choice equal, multiple
    choice has that choice. An unknown field or a bad value answers 422 naming `cf_<key>`.
    """
    customers, ordering = selectors.customer_search(
        actor=request.user, custom_filters=request.GET, **filters.dict()
    )
    result = paginate(customers.prefetch_related("tags"), page, ordering=ordering)
    return {"items": [customer_out(request.user, c) for c in result["items"]], "next_cursor": result["next_cursor"]}


@router.post("/", response={201: CustomerDetailOut, **E_WRITE}, url_name="customers_create")
def customers_create(request: HttpRequest, payload: CustomerCreateIn):
    """Create a customer; exact duplicates (same credit code, same name in the same city) answer 422.

    Without `level` the level rules set it; with one, it is set by hand and needs `level_reason`."""
    data = payload.dict(exclude_unset=True)
    owner_id, pool = data.pop("owner_id", None), data.pop("pool", False)
    tags = data.pop("tags", None) or []
    if pool:
        customer = services.customer_create(actor=request.user, owner=None, tags=tags, **data)
    else:
        customer = services.customer_create(actor=request.user, owner_id=owner_id or None, tags=tags, **data)
    return Status(201, _detail(request.user, selectors.customer_detail_queryset().get(pk=customer.pk)))


@router.post("/duplicates", response={200: DuplicateCheckOut, **E_WRITE}, url_name="customers_duplicates")
def customers_duplicates(request: HttpRequest, payload: DuplicateCheckIn):
    """查重: possible duplicates with a score and the reasons; outside your scope, masked."""
    kind = payload.kind if payload.kind in CustomerKind.values else CustomerKind.COMPANY
    matches = selectors.find_duplicates(
        actor=request.user, name=payload.name, credit_code=payload.credit_code, city=payload.city,
        phones=payload.phones, kind=kind, exclude_pk=payload.exclude_id,
    )
    key = normalize.name_key(payload.name) if kind == CustomerKind.COMPANY else normalize.person_key(payload.name)
    return {"name_key": key, "matches": [m.as_dict() for m in matches]}


@router.get("/{int:customer_id}", response={200: CustomerDetailOut, **E}, url_name="customers_get")
def customers_get(request: HttpRequest, customer_id: int):
    """One customer with its contacts."""
    return _detail(request.user, selectors.customer_get(actor=request.user, pk=customer_id))


@router.patch("/{int:customer_id}", response={200: CustomerDetailOut, **E_WRITE}, url_name="customers_update")
def customers_update(request: HttpRequest, customer_id: int, payload: CustomerUpdateIn):
    """Change a customer; send the `version` you read, an older one answers 409.

    A different `level` is set by hand and needs `level_reason` (422 naming it otherwise)."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    data = payload.dict(exclude_unset=True)
    version, tags = data.pop("version"), data.pop("tags", None)
    if "level" in data and data["level"] is None:
        data["level"] = ""  # null: back to the rules, as ""
    try:
        services.customer_update(actor=request.user, customer=customer, version=version, tags=tags, **data)
    except services.StaleEdit as exc:
        raise _stale(exc) from exc
    return _detail(request.user, selectors.customer_detail_queryset().get(pk=customer.pk))


@router.post("/{customer_id}/deactivate", response={200: CustomerOut, **E_WRITE}, url_name="customers_deactivate")
def customers_deactivate(request: HttpRequest, customer_id: int):
    """Deactivate: out of lists and searches, nothing deleted."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="delete")
    return customer_out(request.user, services.customer_deactivate(actor=request.user, customer=customer))


@router.post("/{customer_id}/restore", response={200: CustomerOut, **E_WRITE}, url_name="customers_restore")
def customers_restore(request: HttpRequest, customer_id: int):
    """Bring a deactivated customer back."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="delete")
    return customer_out(request.user, services.customer_restore(actor=request.user, customer=customer))


# --- contacts --------------------------------------------------------------------------------


@router.get("/{customer_id}/contacts", response={200: list[ContactOut], **E}, url_name="contacts_list")
def contacts_list(request: HttpRequest, customer_id: int):
    """A customer's contacts, primary first."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id)
    contacts = selectors.contact_list(actor=request.user, customer=customer)
    unmasked = selectors.may_see_personal_data(request.user, customer)
    return [contact_out(request.user, c, unmasked) for c in contacts]


@router.post("/{customer_id}/contacts", response={201: ContactOut, **E_WRITE}, url_name="contacts_create")
def contacts_create(request: HttpRequest, customer_id: int, payload: ContactCreateIn):
    """Add a contact to a customer you may edit."""
    customer = selectors.customer_get(actor=request.user, pk=customer_id, action="edit")
    contact = services.contact_create(actor=request.user, customer=customer, **payload.dict(exclude_unset=True))
    return Status(201, contact_out(request.user, contact, selectors.may_see_personal_data(request.user, customer)))


def _contact(request: HttpRequest, customer_id: int, contact_id: int, action: str) -> Contact:
    return selectors.contact_get(actor=request.user, customer_id=customer_id, contact_id=contact_id, action=action)


@router.get("/{customer_id}/contacts/{contact_id}", response={200: ContactOut, **E}, url_name="contacts_get")
def contacts_get(request: HttpRequest, customer_id: int, contact_id: int):
    contact = _contact(request, customer_id, contact_id, "view")
    unmasked = selectors.may_see_personal_data(request.user, contact.customer)
    return contact_out(request.user, contact, unmasked)


@router.patch(
    "/{customer_id}/contacts/{contact_id}", response={200: ContactOut, **E_WRITE}, url_name="contacts_update"
)
def contacts_update(request: HttpRequest, customer_id: int, contact_id: int, payload: ContactUpdateIn):
    """Change a contact; send the `version` you read, an older one answers 409."""
    contact = _contact(request, customer_id, contact_id, "edit")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    try:
        contact = services.contact_update(actor=request.user, contact=contact, version=version, **data)
    except services.StaleEdit as exc:
        raise _stale(exc) from exc
    return contact_out(request.user, contact, selectors.may_see_personal_data(request.user, contact.customer))


@router.delete(
    "/{customer_id}/contacts/{contact_id}", response={204: None, **E_WRITE}, url_name="contacts_delete"
)
def contacts_delete(request: HttpRequest, customer_id: int, contact_id: int):
    """Remove a contact (the change log keeps what it was)."""
    contact = _contact(request, customer_id, contact_id, "edit")
    services.contact_delete(actor=request.user, contact=contact)
    return Status(204, None)
