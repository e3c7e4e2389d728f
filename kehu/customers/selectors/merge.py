"""Merge (C7), the read side: which records hang on a customer, and the side-by-side preview.

What moves is found generically, so a model added later by any app moves too:

- every reverse relation to Customer (`_meta.get_fields(include_hidden=True)`: foreign keys,
  one-to-ones and many-to-manys declared anywhere, also those with `related_name="+"`);
- Customer's own many-to-manys (tags);
- every model with a GenericForeignKey (attachments) whose link names the customer.

The change log is not a GenericForeignKey: its entries stay with the record they describe.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kehu.accounts.permissions import access
from kehu.customers.models import Customer
from kehu.customers.selectors.customer import customer_detail_queryset, may_see_personal_data

# Fields the user chooses between, in form order (the derived ones follow from them).
MERGE_FIELDS = (
    "kind", "name", "short_name", "credit_code", "industry", "business_function", "province", "city",
    "district", "address", "postcode", "phone", "website", "economic_nature", "scale",
    "network_coverage", "main_business", "credit_rating", "credit_limit", "source", "status", "level",
    "id_number", "birthday", "remarks",
)
# Generic links that describe a record rather than belong to it: never moved.
KEEP_WITH_RECORD = {"audit.changelogentry"}


@dataclass(frozen=True)
class Link:
    """One way records hang on a customer: `kind` is fk, o2o, m2m (a through table) or generic."""

    kind: str
    model: type[models.Model]  # the model whose rows move (the through model for m2m)
    field: str  # the column naming the customer (object id for generic)
    other: str = ""  # m2m: the through table's other column; generic: the content-type column
    label: str = ""

    def rows(self, customer: Customer) -> QuerySet:
        manager = self.model._base_manager
        if self.kind == "generic":
            content_type = ContentType.objects.get_for_model(Customer)
            return manager.filter(**{self.other: content_type, self.field: str(customer.pk)})
        return manager.filter(**{self.field: customer.pk})


def customer_links() -> Iterator[Link]:
    """Every link to a customer, from any installed app."""
    meta = Customer._meta
    for rel in meta.get_fields(include_hidden=True):
        if not (rel.auto_created and rel.is_relation and not rel.concrete):
            continue  # forward fields
        related = rel.related_model
        if related._meta.auto_created:
            continue  # the through table of one of Customer's own many-to-manys: handled below
        label = str(related._meta.verbose_name_plural)
        if rel.many_to_many:
            field = rel.field
            through = field.remote_field.through
            yield Link("m2m", through, field.m2m_reverse_field_name(), field.m2m_field_name(), label)
        elif rel.one_to_one:
            yield Link("o2o", related, rel.field.name, label=label)
        else:
            yield Link("fk", related, rel.field.name, label=label)
    for field in meta.many_to_many:
        through = field.remote_field.through
        yield Link("m2m", through, field.m2m_field_name(), field.m2m_reverse_field_name(), str(field.verbose_name))
    for model in apps.get_models():
        if model._meta.label_lower in KEEP_WITH_RECORD:
            continue
        for private in model._meta.private_fields:
            if isinstance(private, GenericForeignKey):
                yield Link(
                    "generic", model, private.fk_field, private.ct_field, str(model._meta.verbose_name_plural)
                )


def merge_pair(*, actor: Any, survivor_id: Any, loser_id: Any) -> tuple[Customer, Customer]:
    """The two customers of a merge: the actor must edit the survivor and delete (retire) the loser.

    Http404 when either is out of scope, PermissionDenied without the rights.
    """
    survivor = access(actor, customer_detail_queryset(), survivor_id, "edit")
    loser = access(actor, customer_detail_queryset(), loser_id, "delete")
    return survivor, loser


def _display(customer: Customer, name: str, unmasked: bool) -> str:
    from kehu.core.audit.registry import format_value, masked_fields_of

    field = Customer._meta.get_field(name)
    text = format_value(field, getattr(customer, name))
    masker = masked_fields_of(Customer).get(name)
    return masker(text) if masker and not unmasked else text


def merge_preview(*, actor: Any, survivor: Customer, loser: Customer) -> dict[str, Any]:
    """Side by side: each field of both (personal data masked unless the actor may see both),
    which differ, and how many records of each kind will move to the survivor."""
    merge_pair(actor=actor, survivor_id=survivor.pk, loser_id=loser.pk)
    unmasked = may_see_personal_data(actor, survivor) and may_see_personal_data(actor, loser)
    fields = []
    for name in MERGE_FIELDS:
        ours, theirs = getattr(survivor, name), getattr(loser, name)
        fields.append({
            "name": name,
            "label": str(Customer._meta.get_field(name).verbose_name),
            "survivor": _display(survivor, name, unmasked),
            "loser": _display(loser, name, unmasked),
            "differs": ours != theirs and theirs not in ("", None),
        })
    moves: dict[str, int] = {}
    for link in customer_links():
        count = link.rows(loser).count()
        if count:
            moves[link.label] = moves.get(link.label, 0) + count
    return {
        "survivor": survivor,
        "loser": loser,
        "fields": fields,
        "moves": [{"label": label, "count": count} for label, count in moves.items()],
        "problems": merge_problems(survivor, loser),
    }


def merge_problems(survivor: Customer, loser: Customer) -> list[str]:
    """Why these two cannot be merged (empty when they can)."""
    problems = []
    if survivor.pk == loser.pk:
        problems.append(_("A customer cannot be merged with itself."))
    if survivor.merged_into_id or loser.merged_into_id:
        problems.append(_("One of these customers is already merged into another."))
    elif not survivor.is_active:
        problems.append(_("The customer that is kept is deactivated; restore it first."))
    return problems


def merge_candidates(*, actor: Any, customer: Customer, q: str = "", limit: int = 20) -> list[Customer]:
    """Customers the actor could merge into `customer`: in scope, not merged, found by the search text."""
    from kehu.customers.selectors.customer import customer_list

    if not q.strip():
        return []
    rows = customer_list(actor=actor, q=q, active=None).exclude(pk=customer.pk)
    return list(rows.order_by("-updated_at", "-pk")[:limit])
