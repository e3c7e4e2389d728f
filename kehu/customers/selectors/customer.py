"""Reads of the archive: the scoped list with search and filters, the duplicate check, masking.

The public reads check the actor's rights themselves (PermissionDenied, or Http404 out of
scope), like the services, so every door answers alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.accounts.permissions import access, can, is_unrestricted, require, scope_filter, scope_of
from kehu.core.audit.masking import mask_email, mask_id, mask_phone
from kehu.core.customfields import engine as customfields
from kehu.customers import normalize, search_index
from kehu.customers.apps import CONTACT, CUSTOMER
from kehu.customers.models import Contact, Customer, CustomerKind

SEPARATOR = "|"
_PHONE_QUERY = re.compile(r"^[\d\s\-+()（）]+$")


# --- search ----------------------------------------------------------------------------------


def search_term(query: str) -> str:
    """What a search box's text is compared as: digits for a phone, else cleaned characters."""
    query = (query or "").strip()
    if _PHONE_QUERY.match(query):
        return re.sub(r"\D", "", query)
    return normalize.strip_punctuation(normalize.clean_text(query))


def search_text_for(customer: Customer, contacts: Iterable[Contact] = ()) -> str:
    """Name, short name, their pinyin initials, credit code, phones, contact names and phones,
    and the names of customers merged into this one."""
    parts = [
        normalize.strip_punctuation(normalize.clean_text(customer.name)),
        normalize.strip_punctuation(normalize.clean_text(customer.short_name)),
        normalize.pinyin_initials(customer.name),
        normalize.pinyin_initials(customer.short_name),
        customer.credit_code.lower(),
        customer.phone_digits,
    ]
    for contact in contacts:
        parts += [
            normalize.strip_punctuation(normalize.clean_text(contact.name)),
            contact.mobile_digits,
            contact.phone_digits,
        ]
    if customer.pk:  # merged aliases stay findable under the survivor (C7)
        for name, short_name in Customer.objects.filter(merged_into=customer.pk).values_list("name", "short_name"):
            parts += [normalize.strip_punctuation(normalize.clean_text(name)), normalize.pinyin_initials(name)]
            if short_name:
                parts.append(normalize.strip_punctuation(normalize.clean_text(short_name)))
    return SEPARATOR.join(part for part in parts if part)


def search_filter(customers: QuerySet[Customer], term: str) -> QuerySet[Customer]:
    """Customers whose search text holds `term` (ASCII letters in any case), through an index.

    The condition is always `search_text LIKE '%term%'`; an index narrows the rows first:

    * PostgreSQL (migration 0009_merge): pg_trgm's GIN index serves the LIKE of 3+ characters;
      a 2-character term holds no trigram, so `kehu_bigrams(search_text) @> ARRAY[term]` adds
      the GIN index of the text's 2-character windows.
    * SQLite (migration 0011, design in `kehu.customers.search_index`): `id IN (SELECT rowid
      FROM <fts5 table> WHERE … MATCH '"term"')`, the trigram table for 3+ characters, the
      table of 2-character windows for 2. SQLite then reads the matching rows by primary key,
      checks the LIKE and the other filters on them, and sorts them for the page. The LIKE
      stays as the exact test, so the answer is the plain scan's. Measured with
      `kehu bench --suite customers --rows 100000` (the general manager, main query alone,
      before → after): 2 Chinese characters 267 → 0.5 ms, pinyin initials "tsyx" 211 → 1.2 ms,
      4 phone digits 26 → 31 ms (a machine under load; that term matches ~0.3% of the rows,
      all read and sorted for the page, where the old scan stopped at the page's 51st row).
    * A 1-character term: the plain scan.
    """
    if not term:
        return customers
    customers = customers.filter(search_text__contains=term)
    vendor = connections[customers.db].vendor
    if len(term) == 2 and vendor == "postgresql":
        customers = customers.filter(
            RawSQL('kehu_bigrams("customers_customer"."search_text") @> ARRAY[%s]::text[]', [term],
                   output_field=BooleanField())
        )
    elif vendor == "sqlite" and (found := search_index.match(term)):
        table, phrase = found
        customers = customers.filter(pk__in=RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [phrase]))
    return customers


def customer_list(
    *,
    actor: Any,
    q: str = "",
    status: str = "",
    level: str = "",
    owner: int | str | None = None,
    tag: str = "",
    active: bool | None = True,
    custom_filters: Any = None,
    idle_days: int | None = None,
) -> QuerySet[Customer]:
    """Customers the actor may see, searched and filtered; merged aliases never show.

    `owner` is a user id, or "pool" for customers without owner, or "me".
    `custom_filters` maps `cf_<key>` to a custom-field filter value (other keys are
    ignored, so a query string will do); a bad one raises ValidationError naming it.
    `idle_days`: at least that many days since the last effective follow-up (never followed
    up: since assigned or created).
    Raises PermissionDenied without the right to view customers.
    """
    require(actor, CUSTOMER, "view")
    customers = Customer.objects.visible_to(actor).filter(merged_into__isnull=True)
    if active is not None:
        customers = customers.filter(is_active=active)
    customers = search_filter(customers, search_term(q))
    if status:
        customers = customers.filter(status=status)
    if level:
        customers = customers.filter(level=level)
    if owner == "pool":
        customers = customers.filter(owner__isnull=True)
    elif owner == "me":
        customers = customers.filter(owner=actor.pk)
    elif owner not in (None, ""):
        try:
            customers = customers.filter(owner_id=int(owner))
        except (TypeError, ValueError):
            customers = customers.none()
    if tag:
        customers = customers.filter(tags__name=tag)
    if custom_filters:
        customers = customers.filter(customfields.filters_from_query(CUSTOMER, custom_filters))
    if idle_days:
        cutoff = timezone.now() - timedelta(days=idle_days)
        customers = customers.filter(
            Q(last_followup_at__lte=cutoff)
            | Q(last_followup_at__isnull=True)
            & (Q(assigned_at__lte=cutoff) | Q(assigned_at__isnull=True, created_at__lte=cutoff))
        )
    return customers.select_related("owner", "department")


def customer_detail_queryset() -> QuerySet[Customer]:
    return Customer.objects.select_related("owner", "department", "merged_into", "created_by").prefetch_related(
        "tags"
    )


def customer_get(*, actor: Any, pk: Any, action: str = "view") -> Customer:
    """One customer for `action`: Http404 out of the actor's scope, PermissionDenied without the right."""
    return access(actor, customer_detail_queryset(), pk, action)


# --- contacts --------------------------------------------------------------------------------


def contacts_for(user: Any, customer: Customer) -> QuerySet[Contact]:
    """The customer's contacts the user may see, primary first; none without the contact view right."""
    if not can(user, CONTACT, "view"):
        return Contact.objects.none()
    return Contact.objects.visible_to(user).filter(customer=customer).order_by("-is_primary", "name", "pk")


def contact_list(*, actor: Any, customer: Customer) -> QuerySet[Contact]:
    """Like `contacts_for`, but PermissionDenied without the contact view right (the list API)."""
    require(actor, CONTACT, "view")
    return contacts_for(actor, customer)


def contact_get(*, actor: Any, customer_id: Any, contact_id: Any, action: str = "view") -> Contact:
    """One contact of a customer: the customer must allow `action` (edit for changes) and the contact too."""
    customer = access(actor, Customer, customer_id, "view" if action == "view" else "edit")
    return access(actor, Contact.objects.filter(customer=customer).select_related("customer"), contact_id, action)


# --- personal data ----------------------------------------------------------------------------


def may_see_personal_data(user: Any, customer: Customer) -> bool:
    """Phones, ID numbers and e-mail in full: the owner, and those who may edit in a wider scope."""
    if is_unrestricted(user):
        return True
    if customer.owner_id is not None and customer.owner_id == getattr(user, "pk", None):
        return True
    return can(user, CUSTOMER, "edit") and scope_of(user, CUSTOMER) in {"department", "subtree", "all"}


def masked_customer_fields(customer: Customer, unmasked: bool) -> dict[str, str]:
    if unmasked:
        return {"phone": customer.phone, "id_number": customer.id_number}
    return {"phone": mask_phone(customer.phone), "id_number": mask_id(customer.id_number)}


def masked_contact_fields(contact: Contact, unmasked: bool) -> dict[str, str]:
    values = {
        "mobile": contact.mobile, "phone": contact.phone, "fax": contact.fax, "email": contact.email,
        "wechat": contact.wechat, "qq": contact.qq,
    }
    if unmasked:
        return values
    return {
        "mobile": mask_phone(contact.mobile), "phone": mask_phone(contact.phone), "fax": mask_phone(contact.fax),
        "email": mask_email(contact.email), "wechat": "****" if contact.wechat else "",
        "qq": "****" if contact.qq else "",
    }


# --- duplicate check (查重) ----------------------------------------------------------------------

SCORE_CREDIT_CODE = 100
SCORE_NAME_SAME_CITY = 100
SCORE_NAME = 90
SCORE_PHONE = 70
SCORE_SIMILAR_NAME = 60
MAX_MATCHES = 20


class MaskedCustomer:
    """A customer as someone who may not see it is shown it: no id, a masked name, the owner's
    department (the duplicate check and the network share it). Needs `customer` and `visible`."""

    customer: Customer
    visible: bool

    @property
    def id(self) -> int | None:
        return self.customer.pk if self.visible else None

    @property
    def name(self) -> str:
        return self.customer.name if self.visible else normalize.mask_name(self.customer.name)

    @property
    def department_name(self) -> str:
        department = self.customer.department
        return department.name if department else ""


@dataclass
class DuplicateMatch(MaskedCustomer):
    """One possible duplicate, explained. Outside the user's scope only `name` (masked),
    the owner's department and the pool status are filled in."""

    customer: Customer
    visible: bool
    score: int = 0
    exact: bool = False
    reasons: list[str] = field(default_factory=list)

    def add(self, score: int, reason: str, *, exact: bool = False) -> None:
        self.score = max(self.score, score)
        self.exact = self.exact or exact
        if reason not in self.reasons:
            self.reasons.append(reason)


    @property
    def in_pool(self) -> bool:
        return self.customer.owner_id is None

    @property
    def owner_name(self) -> str:
        if not self.visible or self.customer.owner is None:
            return ""
        return self.customer.owner.name

    @property
    def city(self) -> str:
        return self.customer.city if self.visible else ""

    @property
    def is_active(self) -> bool:
        return self.customer.is_active

    def as_dict(self) -> dict:
        return {
            "id": self.id, "name": self.name, "visible": self.visible, "score": self.score,
            "exact": self.exact, "reasons": list(self.reasons), "department": self.department_name,
            "in_pool": self.in_pool, "owner": self.owner_name, "city": self.city,
            "is_active": self.is_active,
        }


def find_duplicates(*, actor: Any, **kwargs: Any) -> list[DuplicateMatch]:
    """The duplicate check (查重) as a door offers it: needs the right to view customers."""
    require(actor, CUSTOMER, "view")
    return find_duplicates_unchecked(actor=actor, **kwargs)


def find_duplicates_unchecked(
    *,
    actor: Any,
    name: str = "",
    credit_code: str = "",
    city: str = "",
    phones: Iterable[str] = (),
    kind: str = CustomerKind.COMPANY,
    exclude_pk: int | None = None,
) -> list[DuplicateMatch]:
    """Possible duplicates among ALL customers (not only the actor's), best first, explained.

    The search is across scopes on purpose: a salesperson must learn that a colleague
    already works the company, but sees only a masked name, the department and
    whether it sits in the pool.
    """
    is_company = kind != CustomerKind.INDIVIDUAL
    key = normalize.name_key(name) if is_company else normalize.person_key(name)
    code = normalize.clean_credit_code(credit_code)
    digits = sorted({d for d in (normalize.phone_digits(p) for p in phones) if len(d) >= 7})
    city = normalize.clean_text(city)

    condition = Q()
    if code:
        condition |= Q(credit_code=code)
    if key:
        condition |= Q(name_key=key)
        if is_company and len(key) >= 4:
            condition |= Q(name_key__contains=key)
    if digits:
        condition |= Q(phone_digits__in=digits) | Q(contacts__mobile_digits__in=digits)
        condition |= Q(contacts__phone_digits__in=digits)
    if not condition:
        return []
    candidates = (
        Customer.objects.filter(condition, merged_into__isnull=True)
        .select_related("owner", "department")
        .prefetch_related("contacts")
        .distinct()
    )
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    candidates = list(candidates.order_by("pk")[: MAX_MATCHES * 3])
    visible_ids = _visible_ids(actor, [c.pk for c in candidates])

    matches = []
    for customer in candidates:
        match = DuplicateMatch(customer, visible=customer.pk in visible_ids)
        if code and customer.credit_code == code:
            match.add(SCORE_CREDIT_CODE, _("Same unified social credit code"), exact=True)
        if key and customer.name_key == key:
            same_city = bool(city) and normalize.clean_text(customer.city) == city
            if same_city and is_company and customer.kind == CustomerKind.COMPANY:
                match.add(SCORE_NAME_SAME_CITY, _("Same name in the same city"), exact=True)
            else:
                match.add(SCORE_NAME, _("Same name once legal form, region and branch are ignored"))
        elif key and is_company and len(key) >= 4 and key in customer.name_key:
            match.add(SCORE_SIMILAR_NAME, _("Similar name"))
        if digits:
            numbers = {customer.phone_digits}
            for contact in customer.contacts.all():
                numbers |= {contact.mobile_digits, contact.phone_digits}
            if numbers & set(digits):
                match.add(SCORE_PHONE, _("Same phone number"))
        if match.reasons:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.customer.pk))
    return matches[:MAX_MATCHES]


def _visible_ids(actor: Any, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    condition = scope_filter(actor, Customer)
    rows = Customer.objects.filter(pk__in=ids)
    if condition is not None:
        rows = rows.filter(condition)
    return set(rows.values_list("pk", flat=True))


def describe_match(match: DuplicateMatch) -> str:
    """One line naming a duplicate as the user may see it (full name, or masked with department)."""
    if match.visible:
        return match.name
    where = _("in the public pool") if match.in_pool else (match.department_name or _("another department"))
    return f"{match.name} ({where})"
