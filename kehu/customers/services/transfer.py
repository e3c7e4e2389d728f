"""Importing customers from Excel/CSV (P9): the C1 fields and a primary contact per row.

Every row passes the SAME checks as the customer form (`_check_customer`, `_check_contact`
of services/customer.py: normalisation, credit-code check character, phones, choices,
lengths). 查重 runs against the database AND within the file with the keys the archive
stores (normalize.py name keys, credit codes, phone digits), in batched lookups — no
query per row:

- a row naming a customer ID, or the credit code of a customer the actor may edit,
  updates that customer (cells left empty keep the stored value);
- the credit code, or the name in the same city, of a customer the actor may not edit,
  or of an earlier row of the file: a duplicate, skipped and reported;
- the same phone as an existing customer: imported, with a note.

`apply` writes with bulk_create/bulk_update in batches inside the engine's one
transaction, and writes the change log in bulk (`record_changes_bulk`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kehu.accounts.models import User
from kehu.accounts.permissions import can, scope_filter
from kehu.core.audit.models import Action
from kehu.core.audit.registry import creation_changes, update_changes
from kehu.core.audit.services import record_changes_bulk
from kehu.core.bulk import Blank, bulk_insert
from kehu.core.customfields import engine as customfields
from kehu.core.transfer.registry import (
    DUPLICATE,
    NEW,
    UPDATE,
    Column,
    Importer,
    RowVerdict,
    Validation,
)
from kehu.customers import normalize, selectors
from kehu.customers.apps import CONTACT, CUSTOMER
from kehu.customers.models import Contact, Customer, CustomerKind
from kehu.customers.services.classification import levels_apply, levels_set_by_import
from kehu.customers.services.customer import _check_contact, _check_customer, _derive

BATCH = 1000
PROGRESS_EVERY = 2000  # rows checked between progress reports
CUSTOM = "custom."  # column keys of custom fields: custom.<key> (customer), contact_custom.<key>
CONTACT_CUSTOM = "contact_custom."
LOOKUP_CHUNK = 900  # SQLite's parameter limit stays far away
POOL_WORDS = {"公海", "pool", "public pool"}

IMPORT_CUSTOMER_FIELDS = (
    "kind", "name", "short_name", "credit_code", "industry", "business_function", "province", "city",
    "district", "address", "postcode", "phone", "website", "economic_nature", "scale", "network_coverage",
    "main_business", "credit_rating", "credit_limit", "source", "status", "level", "id_number", "birthday",
    "remarks",
)
# Import column key → Contact field.
CONTACT_COLUMNS = {
    "contact_name": "name", "contact_position": "position", "contact_mobile": "mobile",
    "contact_phone": "phone", "contact_email": "email", "contact_wechat": "wechat",
}
ALIASES = {
    "id": ("客户ID", "编号", "客户编号", "customer id", "customer no"),
    "name": ("客户名称", "公司名称", "单位名称", "企业名称", "客户", "company", "customer name"),
    "credit_code": ("信用代码", "统一社会信用代码", "税号", "社会信用代码", "credit code"),
    "phone": ("电话", "公司电话", "座机", "固定电话", "telephone"),
    "owner": ("负责人", "业务员", "销售", "客户经理", "所属人", "salesperson"),
    "level": ("层级", "客户层级", "级别", "金字塔层级", "level"),
    "level_reason": ("层级理由", "层级原因", "级别理由", "level reason"),
    "contact_name": ("联系人", "联系人姓名"),
    "contact_mobile": ("手机", "手机号", "联系人手机", "mobile"),
    "contact_phone": ("联系人电话",),
    "contact_email": ("邮箱", "电子邮箱", "email"),
    "contact_wechat": ("微信", "wechat"),
    "contact_position": ("职务", "职位", "position"),
}
EXAMPLE = {
    "kind": "企业", "name": "杭州示例科技有限公司", "credit_code": "91330106MA2AXK8Q1C", "industry": "制造业",
    "province": "浙江", "city": "杭州", "address": "西湖区文三路 1 号", "phone": "0571-88886666",
    "status": "意向", "source": "展会", "contact_name": "王芳", "contact_position": "采购经理",
    "contact_mobile": "13812345678", "contact_email": "wangfang@example.com",
}


def _field(name: str) -> models.Field:
    return Customer._meta.get_field(name)


def _columns() -> tuple[Column, ...]:
    columns = [Column("id", gettext_lazy("Customer ID"), aliases=ALIASES["id"])]
    for name in IMPORT_CUSTOMER_FIELDS:
        columns.append(
            Column(name, _field(name).verbose_name, required=name == "name", aliases=ALIASES.get(name, ()),
                   example=EXAMPLE.get(name, ""))
        )
    columns.append(Column("level_reason", gettext_lazy("Reason for the level"), aliases=ALIASES["level_reason"]))
    columns.append(Column("owner", _field("owner").verbose_name, aliases=ALIASES["owner"]))
    labels = {
        "contact_name": gettext_lazy("Contact name"), "contact_position": gettext_lazy("Contact position"),
        "contact_mobile": gettext_lazy("Contact mobile"), "contact_phone": gettext_lazy("Contact phone"),
        "contact_email": gettext_lazy("Contact email"), "contact_wechat": gettext_lazy("Contact WeChat"),
    }
    for key in CONTACT_COLUMNS:
        columns.append(Column(key, labels[key], aliases=ALIASES.get(key, ()), example=EXAMPLE.get(key, "")))
    # Custom fields (P13): the customer's, then the contact's, each named by its label. Never a
    # required column: a required field needs a value on every NEW row, checked per row.
    for definition in customfields.definitions(CUSTOMER):
        columns.append(Column(f"{CUSTOM}{definition.key}", definition.display_label))
    for definition in customfields.definitions(CONTACT):
        label = _("Contact %(label)s") % {"label": definition.display_label}
        columns.append(Column(f"{CONTACT_CUSTOM}{definition.key}", label))
    return tuple(columns)


def _choice_map(field: models.Field) -> dict[str, str]:
    """Every way a choice is written (code, Chinese and English label) → the stored code."""
    result: dict[str, str] = {}
    for code, label in field.flatchoices:
        result[str(code).lower()] = code
        for language in ("zh-hans", "en"):
            with translation.override(language):
                result[str(label).lower()] = code
    return result


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _parse_date(text: str) -> date:
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


def _chunks(values: Iterable[Any], size: int = LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


class _Row:
    """One valid row on its way to the database."""

    __slots__ = ("number", "customer", "contact", "target", "before", "changed", "verdict", "note", "level")

    def __init__(self, number: int) -> None:
        self.number = number
        self.customer: Customer | None = None
        self.contact: Contact | None = None
        self.target: Customer | None = None  # the stored customer an update changes
        self.before: Customer | None = None
        self.changed: list[str] = []
        self.verdict = NEW
        self.note = ""
        self.level: tuple[str, str] | None = None  # (level, reason) set by hand through the file


class CustomerImporter(Importer):
    record_type = CUSTOMER
    name = "customers"
    verbose_name = gettext_lazy("Customers")

    @property
    def columns(self) -> tuple[Column, ...]:  # built lazily: labels follow the active language
        return _columns()

    # --- validation ---------------------------------------------------------------------------

    def validate_rows(self, *, actor: Any, rows: list[tuple[int, dict[str, str]]],
                      progress: Callable[[int, int], None] | None = None) -> Validation:
        # The registered importer is shared by every thread; this check's own state (object makers,
        # the custom fields read once) lives on a copy, so two checks at once cannot mix theirs.
        self = copy.copy(self)  # noqa: PLW0642
        validation = Validation()
        self._blank_customer, self._blank_contact = Blank(Customer), Blank(Contact)
        self._definitions = {
            CUSTOMER: customfields.definitions(CUSTOMER, include_inactive=True),
            CONTACT: customfields.definitions(CONTACT, include_inactive=True),
        }
        labels = {column.key: str(column.label) for column in self.columns}
        choices = {name: _choice_map(_field(name)) for name in IMPORT_CUSTOMER_FIELDS if _field(name).choices}
        owners = _OwnerLookup(actor)
        ids = {int(values["id"]) for _n, values in rows if values.get("id", "").strip().isdigit()}
        codes = {normalize.clean_credit_code(values.get("credit_code", "")) for _n, values in rows} - {""}
        stored = _StoredCustomers(actor, ids=ids, codes=codes)

        prepared: list[_Row] = []
        for done, (number, values) in enumerate(rows):
            if progress is not None and done and done % PROGRESS_EVERY == 0:
                progress(done, len(rows))
            errors: list[tuple[str, str]] = []
            row = self._build(actor, number, values, choices, owners, stored, errors)
            for key, message in errors:
                validation.error(number, labels.get(key, key), message)
            if row is not None and not errors:
                prepared.append(row)
        self._find_duplicates(actor, prepared, stored, validation, labels)
        validation.prepared = [row for row in prepared if row.verdict != DUPLICATE]
        bad = {issue.row for issue in validation.errors}
        for row in prepared:
            if row.number not in bad and row.verdict != DUPLICATE:
                detail = ""
                if row.verdict == UPDATE:
                    detail = _("Updates customer %(customer)s") % {"customer": row.target.name}
                validation.verdicts.append(
                    RowVerdict(row.number, row.verdict, row.note or detail,
                               row.target.pk if row.target else None)
                )
        validation.verdicts.sort(key=lambda v: v.row)
        return validation

    def _build(self, actor, number, values, choices, owners, stored, errors) -> _Row | None:
        row = _Row(number)
        given = {key: (value or "").strip() for key, value in values.items()}
        # An ID names the customer to update; so may the credit code of one the actor may edit.
        target = None
        raw_id = given.get("id", "")
        if raw_id:
            if not raw_id.isdigit() or int(raw_id) not in stored.by_id:
                errors.append(("id", _("There is no customer with this ID in your scope.")))
                return None
            target = stored.by_id[int(raw_id)]
            if not stored.editable(target):
                errors.append(("id", _("You may not change this customer.")))
                return None
        code = normalize.clean_credit_code(given.get("credit_code", ""))
        if target is None and code and code in stored.by_code and stored.editable(stored.by_code[code]):
            target = stored.by_code[code]
        if target is not None:
            row.target, row.verdict = target, UPDATE
            row.before = target
            customer = copy.copy(target)
            customer._state = copy.copy(target._state)
        else:
            customer = self._blank_customer(kind=CustomerKind.COMPANY, created_by=actor)
        fields: dict[str, Any] = {}
        for name in IMPORT_CUSTOMER_FIELDS:
            text = given.get(name, "")
            if not text:
                continue
            if name in choices:
                code_value = choices[name].get(text.lower())
                if code_value is None:
                    errors.append((name, _("“%(value)s” is not one of the choices: %(choices)s.") % {
                        "value": text, "choices": "、".join(str(label) for _c, label in _field(name).flatchoices)}))
                    continue
                fields[name] = code_value
            elif name == "credit_limit":
                try:
                    fields[name] = Decimal(text.replace(",", "").replace("，", ""))
                except InvalidOperation:
                    errors.append((name, _("Enter the amount as a number.")))
            elif name == "birthday":
                try:
                    fields[name] = _parse_date(text)
                except ValueError:
                    errors.append((name, _("Enter a date such as 2024-03-15.")))
            else:
                fields[name] = text
        if "level" in fields:
            if row.verdict == UPDATE and fields["level"] == customer.level:
                del fields["level"]  # unchanged: the way it was set stays
            else:
                row.level = (fields["level"], given.get("level_reason", "") or _("Set by an import"))
        for name, value in fields.items():
            setattr(customer, name, value)
        if row.verdict == UPDATE:
            row.changed = list(fields)
        try:
            _check_customer(customer, fields)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.extend((name, message) for message in messages)
        custom = self._custom(CUSTOMER, customer, given, CUSTOM, partial=row.verdict == UPDATE, errors=errors)
        if custom and row.verdict == UPDATE:
            row.changed.append("custom")
        self._owner(actor, row, customer, given.get("owner", ""), owners, errors)
        contact_values = {CONTACT_COLUMNS[key]: given[key] for key in CONTACT_COLUMNS if given.get(key)}
        if contact_values:
            if not owners.may_add_contacts:
                errors.append(("contact_name", _("You may not add contacts.")))
            elif "name" not in contact_values:
                errors.append(("contact_name", _("Enter the contact's name.")))
            else:
                contact = self._blank_contact(is_primary=row.verdict == NEW, **contact_values)
                try:
                    _check_contact(contact, contact_values)
                except ValidationError as exc:
                    reverse = {field: key for key, field in CONTACT_COLUMNS.items()}
                    for name, messages in exc.message_dict.items():
                        errors.extend((reverse.get(name, name), message) for message in messages)
                self._custom(CONTACT, contact, given, CONTACT_CUSTOM, partial=False, errors=errors)
                row.contact = contact
        if errors:
            return None
        _derive(customer)
        row.customer = customer
        return row

    def _custom(self, record_type: str, record: Any, given: dict[str, str], prefix: str, *, partial: bool,
                errors: list) -> dict[str, Any]:
        """Check the row's custom-field cells as the form does and set `record.custom`; a new
        record needs every required field (`partial=False`), an update only changes the cells
        given. Errors are reported under the column (custom.<key> / contact_custom.<key>)."""
        raw = {key[len(prefix):]: value for key, value in given.items() if key.startswith(prefix) and value}
        if partial and not raw:
            return {}
        try:
            cleaned = customfields.clean_values(record_type, raw, partial=partial,
                                                given=self._definitions[record_type])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = prefix + name[len(CUSTOM):] if name.startswith(CUSTOM) else name
                errors.extend((column, message) for message in messages)
            return {}
        merged = customfields.merge_values(record.custom, cleaned)
        changed = merged != (record.custom or {})
        record.custom = merged
        return cleaned if changed else {}

    def _owner(self, actor, row: _Row, customer: Customer, text: str, owners: _OwnerLookup, errors) -> None:
        if row.verdict == UPDATE:
            if text and owners.find(text) != customer.owner:
                errors.append(("owner", _("The owner of an existing customer is changed by a transfer, not by an import.")))
            return
        if not text:
            owner = actor
        elif text.lower() in POOL_WORDS:
            owner = None
        else:
            owner = owners.find(text)
            if owner is owners.AMBIGUOUS:
                errors.append(("owner", _("Several users have this name; use the user name instead.")))
                return
            if owner is None:
                errors.append(("owner", _("No such user.")))
                return
        if owner is not None and not owner.is_active:
            errors.append(("owner", _("The owner must be an active user.")))
            return
        if owner != actor and not owners.may_transfer:
            if owner is None:
                errors.append(("owner", _("You may not put customers into the public pool.")))
            else:
                errors.append(("owner", _("You may only create customers you own yourself.")))
            return
        customer.owner = owner
        customer.department = owner.department if owner else actor.department

    # --- 查重 -----------------------------------------------------------------------------------

    def _find_duplicates(self, actor, rows: list[_Row], stored: _StoredCustomers, validation: Validation,
                         labels: dict[str, str]) -> None:
        keys = {row.customer.name_key for row in rows if row.customer.name_key and row.customer.kind == CustomerKind.COMPANY}
        stored.load_names(keys)
        codes = {row.customer.credit_code for row in rows if row.customer.credit_code} - set(stored.by_code)
        stored.load_codes(codes)
        phones: set[str] = set()
        for row in rows:
            phones |= _row_phones(row)
        stored.load_phones(phones)
        seen_codes: dict[str, int] = {}
        seen_names: dict[tuple[str, str], int] = {}
        seen_targets: dict[int, int] = {}
        for row in rows:
            customer, own_pk = row.customer, row.target.pk if row.target else None
            duplicate = ""
            code = customer.credit_code
            name_city = (customer.name_key, normalize.clean_text(customer.city))
            is_company = customer.kind == CustomerKind.COMPANY and bool(customer.name_key)
            if own_pk and own_pk in seen_targets:
                duplicate = _("Duplicate of row %(row)d (the same customer)") % {"row": seen_targets[own_pk]}
            elif code and code in seen_codes:
                duplicate = _("Duplicate of row %(row)d (same unified social credit code)") % {"row": seen_codes[code]}
            elif is_company and name_city in seen_names:
                duplicate = _("Duplicate of row %(row)d (same name in the same city)") % {"row": seen_names[name_city]}
            else:
                other = stored.by_code.get(code) if code else None
                if other is not None and other.pk != own_pk:
                    if own_pk:
                        validation.error(row.number, labels["credit_code"],
                                         _("Customer %(customer)s already has this unified social credit code.")
                                         % {"customer": stored.describe(other)})
                        continue
                    duplicate = _("Duplicate of customer %(customer)s (same unified social credit code)") % {
                        "customer": stored.describe(other)}
                elif is_company:
                    other = next((c for c in stored.by_name.get(name_city, []) if c.pk != own_pk), None)
                    if other is not None:
                        if own_pk:
                            validation.error(row.number, labels["name"],
                                             _("Customer %(customer)s already has this name in %(city)s.")
                                             % {"customer": stored.describe(other), "city": customer.city})
                            continue
                        duplicate = _("Duplicate of customer %(customer)s (same name in the same city)") % {
                            "customer": stored.describe(other)}
            if duplicate:
                row.verdict = DUPLICATE
                validation.verdicts.append(RowVerdict(row.number, DUPLICATE, duplicate, None))
                continue
            if own_pk:
                seen_targets[own_pk] = row.number
            if code:
                seen_codes[code] = row.number
            if is_company:
                seen_names[name_city] = row.number
            same_phone = [c for d in _row_phones(row) for c in stored.by_phone.get(d, []) if c.pk != own_pk]
            if same_phone:
                row.note = _("Possible duplicate: customer %(customer)s has the same phone number") % {
                    "customer": stored.describe(same_phone[0])}

    # --- writing --------------------------------------------------------------------------------

    def apply(self, *, actor: Any, validation: Validation, progress: Callable[[int, int], None]) -> int:
        rows: list[_Row] = validation.prepared or []
        total = len(rows)
        new_rows = [row for row in rows if row.verdict == NEW]
        updates = [row for row in rows if row.verdict == UPDATE]
        entries: list[tuple[models.Model, str, list]] = []
        for row in new_rows:
            row.customer.search_text = selectors.search_text_for(row.customer, [row.contact] if row.contact else [])
        for start in range(0, len(new_rows), BATCH):
            batch = new_rows[start:start + BATCH]
            bulk_insert(Customer, [row.customer for row in batch])
            contacts = []
            for row in batch:
                entries.append((row.customer, Action.CREATE, creation_changes(row.customer)))
                if row.contact is not None:
                    row.contact.customer = row.customer
                    contacts.append(row.contact)
            bulk_insert(Contact, contacts)
            entries += [(c, Action.CREATE, creation_changes(c)) for c in contacts]
            progress(start + len(batch), total)
        if updates:
            self._apply_updates(actor, updates, entries)
        record_changes_bulk(actor=actor, entries=entries, note=_("Imported"))
        # The level column is a level set by hand (with the file's reason, or "set by an
        # import"); new customers without one get the rules' level, as on the form.
        levels_set_by_import(actor=actor, levels={row.customer.pk: row.level for row in rows if row.level})
        levels_apply(actor=actor, customer_ids=[row.customer.pk for row in new_rows if not row.level])
        return total

    def _apply_updates(self, actor, updates: list[_Row], entries: list) -> None:
        versions = {}
        for chunk in _chunks([row.target.pk for row in updates]):
            versions.update(Customer.objects.select_for_update().filter(pk__in=chunk).values_list("pk", "version"))
        stale = [row for row in updates if versions.get(row.target.pk) != row.target.version]
        if stale:
            raise ValidationError(
                {"file": _("Customer %(customer)s was changed by someone else after the check.")
                 % {"customer": stale[0].target.name}}
            )
        existing = _existing_contacts([row.target.pk for row in updates if row.contact])
        contacts = []
        for row in updates:
            customer = row.customer
            customer.version = row.target.version + 1
            if row.contact is not None and (row.contact.name, row.contact.mobile_digits) not in existing.get(customer.pk, set()):
                row.contact.customer = customer
                row.contact.is_primary = not existing.get(customer.pk)
                contacts.append(row.contact)
        Contact.objects.bulk_create(contacts)
        entries += [(c, Action.CREATE, creation_changes(c)) for c in contacts]
        by_customer = {}
        for contact in Contact.objects.filter(customer_id__in=[row.target.pk for row in updates]):
            by_customer.setdefault(contact.customer_id, []).append(contact)
        fields = sorted({name for row in updates for name in row.changed} | {"name_key", "phone_digits", "search_text",
                                                                            "version"})
        now = timezone.now()
        for row in updates:
            row.customer.updated_at = now
            row.customer.search_text = selectors.search_text_for(row.customer, by_customer.get(row.customer.pk, []))
            changes = update_changes(row.before, row.customer, row.changed)
            if changes:
                entries.append((row.customer, Action.UPDATE, changes))
        Customer.objects.bulk_update([row.customer for row in updates], [*fields, "updated_at"], batch_size=BATCH)


def _row_phones(row: _Row) -> set[str]:
    digits = {row.customer.phone_digits}
    if row.contact is not None:
        digits |= {row.contact.mobile_digits, row.contact.phone_digits}
    return {d for d in digits if d and len(d) >= 7}


def _existing_contacts(customer_ids: list[int]) -> dict[int, set[tuple[str, str]]]:
    result: dict[int, set[tuple[str, str]]] = {}
    for chunk in _chunks(customer_ids):
        for customer_id, name, mobile in Contact.objects.filter(customer_id__in=chunk).values_list(
            "customer_id", "name", "mobile_digits"
        ):
            result.setdefault(customer_id, set()).add((name, mobile))
    return result


class _OwnerLookup:
    """Users the actor may name as owner (in their scope), by user name or display name; one query."""

    AMBIGUOUS = object()

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.may_transfer = can(actor, CUSTOMER, "transfer")
        self.may_add_contacts = can(actor, CONTACT, "create")
        self._by_username: dict[str, User] = {}
        self._by_name: dict[str, Any] = {}
        self._loaded = False

    def _load(self) -> None:
        users = list(User.objects.visible_to(self.actor).select_related("department"))
        if self.actor.pk not in {u.pk for u in users}:
            users.append(self.actor)
        for user in users:
            self._by_username[user.username.lower()] = user
            name = user.name
            self._by_name[name] = self.AMBIGUOUS if name in self._by_name else user
        self._loaded = True

    def find(self, text: str) -> Any:
        if not self._loaded:
            self._load()
        return self._by_username.get(text.lower()) or self._by_name.get(text)


class _StoredCustomers:
    """The customers the file may collide with, loaded in a few batched queries."""

    def __init__(self, actor: Any, *, ids: set[int], codes: set[str]) -> None:
        self.actor = actor
        self.may_edit = can(actor, CUSTOMER, "edit")
        self.by_id: dict[int, Customer] = {}
        self.by_code: dict[str, Customer] = {}
        self.by_name: dict[tuple[str, str], list[Customer]] = {}
        self.by_phone: dict[str, list[Customer]] = {}
        self.visible: set[int] = set()
        self._fetch(("pk__in", ids))
        self.by_id = {pk: c for pk, c in self._all.items() if pk in ids and pk in self.visible}
        self.load_codes(codes)

    _all: dict[int, Customer]

    def _fetch(self, *lookups: tuple[str, Iterable[Any]]) -> list[Customer]:
        if not hasattr(self, "_all"):
            self._all = {}
        found: list[Customer] = []
        condition = scope_filter(self.actor, Customer)
        for lookup, values in lookups:
            for chunk in _chunks(values):
                found_rows = Customer.objects.filter(**{lookup: chunk}, merged_into__isnull=True)
                if lookup == "credit_code__in":
                    # the words of the partial unique index, so SQLite uses it instead of a scan
                    found_rows = found_rows.exclude(credit_code="")
                rows = list(found_rows.select_related("owner", "department", "created_by").order_by())
                new_pks = [c.pk for c in rows if c.pk not in self._all]
                if new_pks:
                    visible = Customer.objects.filter(pk__in=new_pks).order_by()
                    if condition is not None:
                        visible = visible.filter(condition)
                    self.visible |= set(visible.values_list("pk", flat=True))
                for customer in rows:
                    found.append(self._all.setdefault(customer.pk, customer))
        return found

    def load_codes(self, codes: Iterable[str]) -> None:
        for customer in self._fetch(("credit_code__in", codes)):
            if customer.credit_code:
                self.by_code.setdefault(customer.credit_code, customer)

    def load_names(self, keys: Iterable[str]) -> None:
        for customer in self._fetch(("name_key__in", keys)):
            if customer.kind == CustomerKind.COMPANY:
                key = (customer.name_key, normalize.clean_text(customer.city))
                bucket = self.by_name.setdefault(key, [])
                if customer not in bucket:
                    bucket.append(customer)

    def load_phones(self, digits: set[str]) -> None:
        ids: set[int] = set()
        for chunk in _chunks(digits):
            ids |= set(Customer.objects.filter(phone_digits__in=chunk).order_by().values_list("pk", flat=True))
            for field in ("mobile_digits", "phone_digits"):  # one index each (an OR may scan)
                ids |= set(
                    Contact.objects.filter(**{f"{field}__in": chunk}).order_by().values_list("customer_id", flat=True)
                )
        for customer in self._fetch(("pk__in", ids)):
            numbers = {customer.phone_digits}
            for number in numbers & digits:
                self.by_phone.setdefault(number, []).append(customer)
        if ids:
            for chunk in _chunks(ids):
                for customer_id, mobile, phone in Contact.objects.filter(customer_id__in=chunk).order_by().values_list(
                    "customer_id", "mobile_digits", "phone_digits"
                ):
                    customer = self._all.get(customer_id)
                    for number in {mobile, phone} & digits:
                        if customer is not None:
                            self.by_phone.setdefault(number, []).append(customer)

    def editable(self, customer: Customer) -> bool:
        return customer.pk in self.visible and self.may_edit

    def describe(self, customer: Customer) -> str:
        """The customer as the actor may see it: the name in scope, else masked with its department."""
        match = selectors.DuplicateMatch(customer, visible=customer.pk in self.visible)
        return selectors.describe_match(match)
