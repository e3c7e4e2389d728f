"""Definition services: rights, checks, immutable key, kind changes refused once values exist."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kehu.core.audit.models import ChangeLogEntry
from kehu.core.customfields import services
from kehu.core.customfields.models import FieldDefinition
from kehu.core.customfields.tests.factories import CUSTOMER
from kehu.customers.models import Customer
from kehu.customers.tests.factories import make_customer


def create(actor, **fields):
    data = {"record_type": CUSTOMER, "key": "grade", "label": "等级", "kind": "choice", "choices": ["A", "B"]}
    data.update(fields)
    return services.definition_create(actor=actor, **data)


def test_the_administrator_adds_a_field_placed_after_the_others(personas):
    first = create(personas.root)
    second = create(personas.root, key="motto", label="口号", kind="text", choices=["ignored"])

    assert (first.order, second.order) == (10, 20)
    assert second.choices == []
    assert ChangeLogEntry.objects.filter(object_id=str(first.pk), action="create").exists()


def test_a_salesperson_may_not_add_fields(personas):
    with pytest.raises(PermissionDenied):
        create(personas.alice)
    assert not FieldDefinition.objects.exists()


def test_keys_are_unique_per_record_type_and_well_formed(personas):
    create(personas.root)

    with pytest.raises(ValidationError) as duplicate:
        create(personas.root)
    with pytest.raises(ValidationError) as malformed:
        create(personas.root, key="Bad Key")

    assert duplicate.value.message_dict == {"key": ["此记录类型已有字段使用键“grade”。"]}
    assert "key" in malformed.value.message_dict
    for reserved in ("contains", "has_key", "a__b"):
        with pytest.raises(ValidationError) as refused:
            create(personas.root, key=reserved)
        assert refused.value.message_dict == {"key": [f"“{reserved}”是保留字，请换一个键。"]}
    create(personas.root, record_type="customers.contact")  # the same key on another type is fine


def test_choice_fields_need_choices_and_unknown_record_types_are_refused(personas):
    with pytest.raises(ValidationError) as no_choices:
        create(personas.root, choices=[" ", ""])
    with pytest.raises(ValidationError) as unknown_type:
        create(personas.root, record_type="sales.nothing")

    assert no_choices.value.message_dict == {"choices": ["选项字段至少需要一个选项。"]}
    assert "record_type" in unknown_type.value.message_dict


def test_update_refuses_a_stale_version(personas):
    definition = create(personas.root)
    services.definition_update(actor=personas.root, definition=definition, version=0, label="客户等级")

    with pytest.raises(ValidationError) as stale:
        services.definition_update(actor=personas.root, definition=definition, version=0, label="旧的")

    assert "version" in stale.value.message_dict
    assert FieldDefinition.objects.get().label == "客户等级"


def test_the_key_cannot_be_changed(personas):
    definition = create(personas.root)

    with pytest.raises(TypeError):
        services.definition_update(actor=personas.root, definition=definition, version=0, key="other")


def test_kind_change_is_refused_once_records_hold_values(personas):
    definition = create(personas.root, key="size", label="规模", kind="text", choices=[])
    free = services.definition_update(actor=personas.root, definition=definition, version=0, kind="number")
    assert free.kind == "number"
    customer = make_customer(personas.alice)
    Customer.objects.filter(pk=customer.pk).update(custom={"size": 12})

    with pytest.raises(ValidationError) as refused:
        services.definition_update(actor=personas.root, definition=definition, version=1, kind="text")

    assert refused.value.message_dict == {"kind": ["“规模”已有数据，不能更改类型。请另建一个字段。"]}
    assert FieldDefinition.objects.get().kind == "number"


def test_switching_a_field_off_keeps_the_values(personas):
    definition = create(personas.root, key="size", label="规模", kind="text", choices=[])
    customer = make_customer(personas.alice, custom={"size": "大"})

    services.definition_update(actor=personas.root, definition=definition, version=0, is_active=False)

    customer.refresh_from_db()
    assert customer.custom == {"size": "大"}
