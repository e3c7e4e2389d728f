"""Writes of the archive: customers and contacts, with 查重 and stale-edit refusal.

The pyramid level (`Customer.level`) is not one of the plain fields: the ordered level rules
set it, or a person by hand WITH A REASON (`customer_level_set`, which records how it was
set). So `customer_create` and `customer_update` take `level` and `level_reason` apart and
route them there; a new customer without a level gets the rules' level at once.

Every door (pages, API, later import and the command line) calls these, and these
check access themselves (`require()` for the right, `access()` for the record's scope
and action), so no door can bypass it: PermissionDenied (403) or Http404 when refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kehu.accounts.models import User
from kehu.accounts.permissions import access, can, require
from kehu.accounts.services import StaleEdit as _BaseStaleEdit
from kehu.customers import normalize, selectors
from kehu.customers.apps import CONTACT, CUSTOMER
from kehu.customers.models import (
    Contact,
    Customer,
    CustomerClassification,
    CustomerKind,
    Level,
    LevelSource,
    PoolReason,
    Tag,
)
from kehu.customers.services.customfields import check_with_custom

CUSTOMER_FIELDS = (
    "kind", "name", "short_name", "credit_code", "industry", "business_function", "province", "city",
    "district", "address", "postcode", "phone", "website", "economic_nature", "scale",
    "network_coverage", "main_business", "credit_rating", "credit_limit", "source", "status",
    "id_number", "birthday", "remarks",
)
CONTACT_FIELDS = (
    "name", "position", "department_name", "decision_role", "mobile", "phone", "fax", "email", "wechat",
    "qq", "birthday", "family_notes", "is_primary", "remarks",
)
DERIVED = ["name_key", "phone_digits", "search_text", "created_by", "version", "merged_into", "owner",
           "department", "is_active"]


class StaleEdit(_BaseStaleEdit):
    """The record changed since it was read; the message names the record (409 in the API)."""

    def __init__(self, record: Any) -> None:
        Exception.__init__(
            self,
            _("“%(record)s” was changed by someone else after you opened it. "
              "Reload it and make your change again.") % {"record": record},
        )


# --- customers -------------------------------------------------------------------------------


def _text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _apply(instance: Any, fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        if value is None and name not in {"credit_limit", "birthday"}:
            value = ""
        setattr(instance, name, _text(value))


def _check_customer(customer: Customer, fields: Iterable[str] | None = None) -> None:
    """Field rules beyond the model's own (choices, lengths): normalise, then explain what is wrong.

    `fields`: only these were set (an import row); the model's own checks skip the others,
    which hold their defaults or stored values."""
    errors: dict[str, list[str]] = {}
    customer.name = normalize.display_name(customer.name)
    if not customer.name:
        errors.setdefault("name", []).append(_("Enter the customer's name."))
    customer.credit_code = normalize.clean_credit_code(customer.credit_code)
    if customer.credit_code:
        reason = normalize.credit_code_error(customer.credit_code)
        if reason == "length":
            errors.setdefault("credit_code", []).append(
                _("The unified social credit code has 18 characters; this one has %(count)d.")
                % {"count": len(customer.credit_code)}
            )
        elif reason:
            errors.setdefault("credit_code", []).append(
                _("This is not a valid unified social credit code (check its characters and the last one).")
            )
    if customer.phone and normalize.phone_error(customer.phone):
        errors.setdefault("phone", []).append(
            _("Enter a phone number such as 010-12345678, 0571-88886666 or 13812345678.")
        )
    if customer.postcode and not (customer.postcode.isdigit() and len(customer.postcode) == 6):
        errors.setdefault("postcode", []).append(_("A postcode has 6 digits."))
    customer.id_number = normalize.clean_id_number(customer.id_number)
    if customer.id_number:
        if customer.kind != CustomerKind.INDIVIDUAL:
            errors.setdefault("id_number", []).append(_("Only an individual customer has an ID number."))
        elif not normalize.is_valid_id_number(customer.id_number):
            errors.setdefault("id_number", []).append(_("This is not a valid 18-character ID number."))
    if customer.credit_limit is not None and customer.credit_limit < 0:
        errors.setdefault("credit_limit", []).append(_("The credit limit cannot be negative."))
    try:
        customer.full_clean(exclude=_unchecked(Customer, DERIVED, fields), validate_unique=False,
                            validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in errors:
                errors[name] = messages
    if errors:
        raise ValidationError(errors)


def _unchecked(model: type, always: Iterable[str], fields: Iterable[str] | None) -> list[str]:
    if fields is None:
        return list(always)
    given = set(fields)
    return [*always, *(f.name for f in model._meta.concrete_fields if f.name not in given)]


def _derive(customer: Customer) -> None:
    is_company = customer.kind != CustomerKind.INDIVIDUAL
    key = normalize.name_key(customer.name) if is_company else normalize.person_key(customer.name)
    customer.name_key = key[:200]
    customer.phone_digits = normalize.phone_digits(customer.phone)[:20]
    customer.name_pinyin = selectors.pinyin_sort_key(customer.name)


def _refuse_exact_duplicates(actor: Any, customer: Customer) -> None:
    """Same credit code, or same normalised company name in the same city: refused, explained."""
    matches = selectors.find_duplicates_unchecked(
        actor=actor, name=customer.name, credit_code=customer.credit_code, city=customer.city,
        kind=customer.kind, exclude_pk=customer.pk,
    )
    errors: dict[str, str] = {}
    for match in matches:
        if not match.exact:
            continue
        who = selectors.describe_match(match)
        if customer.credit_code and match.customer.credit_code == customer.credit_code:
            errors.setdefault(
                "credit_code",
                _("Customer %(customer)s already has this unified social credit code.") % {"customer": who},
            )
        else:
            errors.setdefault(
                "name",
                _("Customer %(customer)s already has this name in %(city)s.")
                % {"customer": who, "city": customer.city},
            )
    if errors:
        raise ValidationError(errors)


def _save_guarded(actor: Any, customer: Customer, **kwargs: Any) -> None:
    """Save; a concurrent duplicate that slipped past the check hits the unique constraint."""
    try:
        with transaction.atomic():
            customer.save(**kwargs)
    except IntegrityError as exc:
        _refuse_exact_duplicates(actor, customer)  # names the duplicate when it can
        raise ValidationError({"name": _("This customer already exists.")}) from exc


def refresh_search_text(customer: Customer) -> None:
    """Rebuild the search text from the customer and its contacts (not logged: derived)."""
    customer.search_text = selectors.search_text_for(customer, Contact.objects.filter(customer=customer))
    Customer.objects.filter(pk=customer.pk).update(search_text=customer.search_text)


def _tags(names: Iterable[str]) -> list[Tag]:
    cleaned = []
    for name in names:
        name = normalize.display_name(name)[:30]
        if name and name not in cleaned:
            cleaned.append(name)
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


# A level asked for through the customer form, API or import: (what to do, level, reason).
SET, CLEAR = "set", "clear"


def _level_change(customer: Customer | None, level: str | None, reason: str | None) -> tuple[Any, dict]:
    """What a `level` (+ `level_reason`) sent with a customer's details means, and its errors.

    New customer (`customer` None): a level is set by hand and needs a reason; none, the
    rules decide. Existing one: the same level (or None) changes nothing; another level is
    set by hand and needs a reason; "" gives a hand-set level back to the rules (a level the
    rules set cannot be emptied by hand)."""
    level, reason = (level or "").strip() if level is not None else None, (reason or "").strip()
    current = customer.level if customer is not None else ""
    if level is None or level == current:
        return None, {}
    if level and level not in Level.values:
        return None, {"level": [_("Choose the level: base, middle or top of the pyramid.")]}
    if level and not reason:
        return None, {"level_reason": [
            _("Give the reason for setting the level by hand (level_reason); without a level, the rules set it.")
        ]}
    if level:
        return (SET, level, reason), {}
    manual = CustomerClassification.objects.filter(
        customer=customer, level_source=LevelSource.MANUAL
    ).exists()
    if not manual:
        return None, {"level": [
            _("The level rules set this level; to change it, choose another level and give a reason.")
        ]}
    return (CLEAR, "", ""), {}


def _check_with_level(customer: Customer, custom: dict | None, level_errors: dict, *, partial: bool) -> None:
    """The customer's checks and the level's, all errors at once."""
    try:
        check_with_custom(_check_customer, customer, CUSTOMER, custom, partial=partial)
    except ValidationError as exc:
        raise ValidationError({**level_errors, **exc.message_dict}) from exc
    if level_errors:
        raise ValidationError(level_errors)


# What the level rules read (classification.rule_matches): a change re-runs them at once.
RULE_INPUTS = ("status", "industry", "province", "city")


def _write_level(actor: Any, customer: Customer, change: Any, *, creating: bool) -> None:
    # Imported here: the classification services import this module (StaleEdit).
    from kehu.customers.services import classification

    if change is None:
        if creating:
            classification.levels_apply(actor=actor, customer_ids=[customer.pk])
    elif change[0] == SET:
        classification.customer_level_set(actor=actor, customer=customer, level=change[1], reason=change[2])
    else:
        classification.customer_level_clear(actor=actor, customer=customer)
    customer.refresh_from_db(fields=["level", "version", "updated_at"])


def _check_owner(actor: Any, owner: Any, *, field: str = "owner") -> Any:
    """The owner to give a new customer, checked; a user or a user id (looked up in the
    actor's scope: an unknown or invisible user is the same "no such user")."""
    if owner is not None and not isinstance(owner, User):
        user = None
        try:
            pk = int(owner)
        except (TypeError, ValueError):
            pk = None
        if pk is not None:
            user = actor if pk == actor.pk else User.objects.visible_to(actor).filter(pk=pk).first()
        if user is None:
            raise ValidationError({field: _("No such user.")})
        owner = user
    if owner is not None and not owner.is_active:
        raise ValidationError({field: _("The owner must be an active user.")})
    if owner is not None and owner.pk != actor.pk and not can(actor, CUSTOMER, "transfer"):
        raise ValidationError({field: _("You may only create customers you own yourself.")})
    if owner is None and not can(actor, CUSTOMER, "transfer"):
        raise ValidationError({field: _("You may not put customers into the public pool.")})
    return owner


@transaction.atomic
def customer_create(
    *, actor: Any, owner: Any = "actor", owner_id: int | None = None, tags: Iterable[str] = (),
    custom: dict | None = None, level: str | None = None, level_reason: str | None = None, **fields: Any
) -> Customer:
    """Create a customer owned by `owner` (the actor by default; None puts it in the pool).

    `owner_id` names the owner by id instead (errors then name the `owner_id` field).
    `custom` holds custom-field values by key (errors name `custom.<key>`).
    `level` with `level_reason`: the level set by hand (`customer_level_set`); without a
    level, the level rules set it at once (as the nightly job would).
    """
    require(actor, CUSTOMER, "create")
    if owner_id is not None:
        owner = _check_owner(actor, owner_id, field="owner_id")
    else:
        owner = _check_owner(actor, actor if owner == "actor" else owner)
    # A pooled customer stays in the creator's department, so their managers keep seeing it.
    department = owner.department if owner else getattr(actor, "department", None)
    customer = Customer(owner=owner, department=department, created_by=actor)
    customer.pool_reason = "" if owner else PoolReason.NEVER_OWNED
    _apply(customer, fields, CUSTOMER_FIELDS)
    level_change, level_errors = _level_change(None, level, level_reason)
    _check_with_level(customer, custom, level_errors, partial=False)
    _derive(customer)
    _refuse_exact_duplicates(actor, customer)
    customer.search_text = selectors.search_text_for(customer)
    _save_guarded(actor, customer)
    if tags:
        customer.tags.set(_tags(tags))
    _write_level(actor, customer, level_change, creating=True)
    return customer


@transaction.atomic
def customer_update(
    *, actor: Any, customer: Customer, version: int, tags: Iterable[str] | None = None,
    custom: dict | None = None, level: str | None = None, level_reason: str | None = None, **fields: Any
) -> Customer:
    """Change a customer's details; refused with StaleEdit when `version` is not the stored one.

    `custom` changes only the custom fields it names (None: none). `level` (None or the
    current one: unchanged) goes through `customer_level_set` with `level_reason`, which it
    then needs; "" gives a hand-set level back to the rules (`customer_level_clear`)."""
    access(actor, Customer, customer.pk, "edit")
    if customer.merged_into_id:
        raise ValidationError({"name": [_("This customer was merged into another; edit that one.")]})
    level_change, level_errors = _level_change(customer, level, level_reason)
    rule_inputs = [getattr(customer, name) for name in RULE_INPUTS]
    _apply(customer, fields, CUSTOMER_FIELDS)
    _check_with_level(customer, custom, level_errors, partial=True)
    _derive(customer)
    _refuse_exact_duplicates(actor, customer)
    bumped = Customer.objects.filter(pk=customer.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit(customer.name)
    customer.version = version + 1
    customer.search_text = selectors.search_text_for(customer, Contact.objects.filter(customer=customer))
    _save_guarded(actor, customer)
    if tags is not None:
        customer.tags.set(_tags(tags))
    if level_change is not None:
        _write_level(actor, customer, level_change, creating=False)
    elif rule_inputs != [getattr(customer, name) for name in RULE_INPUTS]:
        _write_level(actor, customer, None, creating=True)  # the rules may decide otherwise now
    return customer


@transaction.atomic
def customer_deactivate(*, actor: Any, customer: Customer) -> Customer:
    """Take a customer out of lists and searches; nothing is deleted, restore brings it back."""
    access(actor, Customer, customer.pk, "delete")
    if not customer.is_active:
        raise ValidationError({"is_active": _("This customer is already deactivated.")})
    customer.is_active = False
    customer.version += 1
    customer.save(update_fields=["is_active", "version", "updated_at"])
    return customer


@transaction.atomic
def customer_restore(*, actor: Any, customer: Customer) -> Customer:
    """Bring a deactivated customer back (not a merged one)."""
    access(actor, Customer, customer.pk, "delete")
    if customer.is_active:
        raise ValidationError({"is_active": _("This customer is active.")})
    if customer.merged_into_id:
        raise ValidationError({"is_active": _("A merged customer cannot be restored.")})
    customer.is_active = True
    customer.version += 1
    customer.save(update_fields=["is_active", "version", "updated_at"])
    return customer


# --- contacts --------------------------------------------------------------------------------


def _check_contact(contact: Contact, fields: Iterable[str] | None = None) -> None:
    errors: dict[str, list[str]] = {}
    contact.name = normalize.display_name(contact.name)
    if not contact.name:
        errors.setdefault("name", []).append(_("Enter the contact's name."))
    if contact.mobile and normalize.phone_error(contact.mobile, mobile=True):
        errors.setdefault("mobile", []).append(_("Enter an 11-digit mobile number such as 13812345678."))
    for name in ("phone", "fax"):
        value = getattr(contact, name)
        if value and normalize.phone_error(value):
            errors.setdefault(name, []).append(
                _("Enter a phone number such as 010-12345678, 0571-88886666 or 13812345678.")
            )
    if contact.qq and not (contact.qq.isdigit() and 5 <= len(contact.qq) <= 12):
        errors.setdefault("qq", []).append(_("A QQ number has 5 to 12 digits."))
    try:
        contact.full_clean(
            exclude=_unchecked(Contact, ["customer", "mobile_digits", "phone_digits", "version"], fields),
            validate_unique=False,
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    mobile = normalize.parse_phone(contact.mobile)
    contact.mobile = mobile.display if mobile else ""
    contact.mobile_digits = mobile.digits if mobile else ""
    contact.phone_digits = normalize.phone_digits(contact.phone)


def _single_primary(contact: Contact) -> None:
    if contact.is_primary:
        for other in Contact.objects.filter(customer_id=contact.customer_id, is_primary=True).exclude(pk=contact.pk):
            other.is_primary = False
            other.save(update_fields=["is_primary", "updated_at"])


@transaction.atomic
def contact_create(*, actor: Any, customer: Customer, custom: dict | None = None, **fields: Any) -> Contact:
    """Add a contact; the first contact of a customer becomes its primary contact."""
    access(actor, Customer, customer.pk, "edit")
    require(actor, CONTACT, "create")
    contact = Contact(customer=customer)
    _apply(contact, fields, CONTACT_FIELDS)
    if not Contact.objects.filter(customer=customer).exists():
        contact.is_primary = True
    check_with_custom(_check_contact, contact, CONTACT, custom, partial=False)
    contact.save()
    _single_primary(contact)
    refresh_search_text(customer)
    return contact


def _check_contact_access(actor: Any, contact: Contact, action: str) -> None:
    access(actor, Customer, contact.customer_id, "edit")
    access(actor, Contact.objects.filter(customer_id=contact.customer_id), contact.pk, action)


@transaction.atomic
def contact_update(
    *, actor: Any, contact: Contact, version: int, custom: dict | None = None, **fields: Any
) -> Contact:
    _check_contact_access(actor, contact, "edit")
    _apply(contact, fields, CONTACT_FIELDS)
    check_with_custom(_check_contact, contact, CONTACT, custom, partial=True)
    bumped = Contact.objects.filter(pk=contact.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit(f"{contact.customer.name} · {contact.name}")
    contact.version = version + 1
    contact.save()
    _single_primary(contact)
    refresh_search_text(contact.customer)
    return contact


@transaction.atomic
def contact_delete(*, actor: Any, contact: Contact) -> None:
    _check_contact_access(actor, contact, "edit")
    customer = contact.customer
    contact.delete()
    refresh_search_text(customer)
