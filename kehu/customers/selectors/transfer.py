"""Exporting customers: the import's columns, in the actor's scope, masked as on the pages.

The rows come from `customer_list` (so `.visible_to(user)` and the list filters apply)
and personal data is masked per customer by `may_see_personal_data` — the same rule as
the detail page and the API. The primary contact fills the contact columns when the
user may see contacts. The engine guards every cell against formulas.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils import timezone

from kehu.accounts.permissions import can, require
from kehu.core.customfields import engine as customfields
from kehu.core.transfer.registry import Column, Exporter
from kehu.customers.apps import CONTACT, CUSTOMER
from kehu.customers.models import Contact, Customer, LevelSource
from kehu.customers.selectors.customer import (
    masked_contact_fields,
    masked_customer_fields,
    may_see_personal_data,
)
from kehu.customers.services.transfer import CONTACT_COLUMNS, IMPORT_CUSTOMER_FIELDS, _columns

CHUNK = 2000


class CustomerExporter(Exporter):
    record_type = CUSTOMER
    name = "customers"

    @property
    def columns(self) -> tuple[Column, ...]:
        return _columns()

    def rows(self, *, actor: Any, **filters: Any) -> Iterator[list[Any]]:
        """The rows, lazily; the export right is checked at once (PermissionDenied)."""
        require(actor, CUSTOMER, "export")
        from kehu.customers.selectors.search import customer_search

        filters.pop("sort", None)
        customers = customer_search(actor=actor, **filters)[0].select_related("classification").order_by("pk")
        with_contacts = can(actor, CONTACT, "view")
        if with_contacts:
            primary = Contact.objects.visible_to(actor).filter(is_primary=True)
            customers = customers.prefetch_related(Prefetch("contacts", queryset=primary, to_attr="primary"))
        custom = (customfields.definitions(CUSTOMER), customfields.definitions(CONTACT))
        return self._rows(actor, customers, with_contacts, custom)

    def _rows(self, actor: Any, customers, with_contacts: bool, custom) -> Iterator[list[Any]]:
        customer_fields, contact_fields = custom
        for customer in customers.iterator(chunk_size=CHUNK):
            unmasked = may_see_personal_data(actor, customer)
            masked = masked_customer_fields(customer, unmasked)
            row: list[Any] = [customer.pk]
            for name in IMPORT_CUSTOMER_FIELDS:
                if name in masked:
                    row.append(masked[name])
                elif name == "birthday":
                    row.append(customer.birthday if unmasked else ("****" if customer.birthday else ""))
                elif customer._meta.get_field(name).choices:
                    row.append(getattr(customer, f"get_{name}_display")() if getattr(customer, name) else "")
                else:
                    row.append(getattr(customer, name))
            row.append(_manual_reason(customer))  # the level's reason, when it was set by hand
            row.append(customer.owner.username if customer.owner else "公海")
            contact = (getattr(customer, "primary", None) or [None])[0] if with_contacts else None
            if contact is None:
                row += [""] * len(CONTACT_COLUMNS)
            else:
                personal = masked_contact_fields(contact, unmasked)
                for field in CONTACT_COLUMNS.values():
                    row.append(personal.get(field, getattr(contact, field)))
            # Custom fields, as the import reads them back (multiple choices joined with 、).
            values = customer.custom or {}
            row += [customfields.format_value(d, values.get(d.key)) for d in customer_fields]
            values = (contact.custom or {}) if contact is not None else {}
            row += [customfields.format_value(d, values.get(d.key)) for d in contact_fields]
            yield row


def _manual_reason(customer: Customer) -> str:
    try:
        record = customer.classification
    except ObjectDoesNotExist:
        return ""
    return record.reason if record.level_source == LevelSource.MANUAL else ""


def export_filename() -> str:
    return f"客户-{timezone.localtime():%Y%m%d-%H%M}"
