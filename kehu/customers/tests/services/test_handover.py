"""Handover: the preview is what happens, the record, the change log, notifications, rights, participants."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kehu.core.audit.models import ChangeLogEntry
from kehu.core.notifications.models import Notification
from kehu.customers import selectors, services
from kehu.customers.models import Customer, Handover, HandoverItem
from kehu.customers.services import handover as handover_module
from kehu.customers.tests.factories import make_customer

pytestmark = pytest.mark.django_db


def alices(personas, count=5):
    return [make_customer(personas.alice, name=f"交接客户{index}科技有限公司") for index in range(count)]


def test_round_robin_preview_is_exactly_what_the_handover_does(personas):
    customers = alices(personas)
    plan = selectors.handover_plan(actor=personas.carol, from_user=personas.alice, to_users=[personas.bob, personas.erin])

    assert [share.count for share in plan.shares] == [3, 2]
    handover = services.handover_create(
        actor=personas.carol, from_user=personas.alice, to_users=[personas.bob, personas.erin], reason="离职交接",
        expected_digest=plan.digest,
    )

    moved = {c.pk: (c.owner_id, c.department_id) for c in Customer.objects.filter(pk__in=[c.pk for c in customers])}
    assert moved == {c.pk: (u.pk, u.department_id) for c, u in plan.assignments}
    assert moved[customers[1].pk] == (personas.erin.pk, personas.north.pk)
    assert handover.customer_count == 5 and handover.created_by == personas.carol
    assert handover.department == personas.east and handover.reason == "离职交接"
    items = HandoverItem.objects.filter(handover=handover)
    assert items.count() == 5
    assert {(i.customer_id, i.to_user_id, i.from_department_id, i.to_department_id) for i in items} == {
        (c.pk, u.pk, personas.east.pk, u.department_id) for c, u in plan.assignments
    }


def test_each_customer_gets_a_change_log_entry_and_recipients_a_notification(personas):
    customer = alices(personas, 1)[0]
    services.handover_create(actor=personas.carol, from_user=personas.alice, to_users=[personas.erin], reason="调岗")

    entry = ChangeLogEntry.objects.for_object(customer).order_by("-pk").first()
    assert "赵燕" in str(entry.changes) and "华北销售组" in str(entry.changes)
    note = Notification.objects.get(recipient=personas.erin)
    assert "1" in note.title and "王丽" in note.title and note.url == "/customers/?owner=me"
    assert not Notification.objects.filter(recipient=personas.bob).exists()


def test_explicit_split_and_a_selection(personas):
    customers = alices(personas, 4)
    plan = selectors.handover_plan(
        actor=personas.carol, from_user=personas.alice, to_users=[personas.bob, personas.erin],
        customer_ids=[customers[0].pk, customers[2].pk, customers[3].pk], mode="split", split=[1, 2],
    )
    assert [(s.user, [c.pk for c in s.customers]) for s in plan.shares] == [
        (personas.bob, [customers[0].pk]), (personas.erin, [customers[2].pk, customers[3].pk]),
    ]
    with pytest.raises(ValidationError) as wrong:
        selectors.handover_plan(
            actor=personas.carol, from_user=personas.alice, to_users=[personas.bob, personas.erin],
            mode="split", split=[1, 1],
        )
    assert wrong.value.message_dict["split"] == ["各人数量合计 2，但共有 4 个客户。"]


def test_a_preview_gone_stale_changes_nothing(personas):
    customers = alices(personas, 2)
    plan = selectors.handover_plan(actor=personas.carol, from_user=personas.alice, to_users=[personas.bob])
    make_customer(personas.alice, name="后来的客户有限公司")

    with pytest.raises(ValidationError) as stale:
        services.handover_create(
            actor=personas.carol, from_user=personas.alice, to_users=[personas.bob], reason="离职",
            expected_digest=plan.digest,
        )
    assert "预览" in stale.value.message_dict["from_user"][0]
    assert not Handover.objects.exists()
    assert set(Customer.objects.filter(pk__in=[c.pk for c in customers]).values_list("owner", flat=True)) == {
        personas.alice.pk
    }


def test_rights_and_recipients(personas):
    alices(personas, 1)
    with pytest.raises(PermissionDenied):
        selectors.handover_plan(actor=personas.alice, from_user=personas.alice, to_users=[personas.bob])
    with pytest.raises(ValidationError) as self_handover:
        selectors.handover_plan(actor=personas.carol, from_user=personas.alice, to_users=[personas.alice])
    assert "to_users" in self_handover.value.message_dict
    personas.bob.is_active = False
    personas.bob.save()
    with pytest.raises(ValidationError) as inactive:
        selectors.handover_plan(actor=personas.carol, from_user=personas.alice, to_users=[personas.bob])
    assert inactive.value.message_dict["to_users"] == ["李博 不是在职用户。"]
    with pytest.raises(ValidationError) as no_reason:
        services.handover_create(actor=personas.carol, from_user=personas.alice, to_users=[personas.erin], reason=" ")
    assert no_reason.value.message_dict["reason"] == ["请说明交接原因。"]
    with pytest.raises(ValidationError) as nothing:
        selectors.handover_plan(actor=personas.carol, from_user=personas.erin, to_users=[personas.alice])
    assert nothing.value.message_dict["from_user"] == ["赵燕 没有可交接的客户。"]


def test_participants_of_later_apps_move_with_the_customers(personas, monkeypatch):
    alices(personas, 3)
    calls = []

    def open_leads(from_user, to_user, customers):
        calls.append((from_user.username, to_user.username, len(customers)))
        return 2 * len(customers)

    monkeypatch.setattr(handover_module, "PARTICIPANTS", {})
    services.register_handover_participant("leads.open", open_leads)
    handover = services.handover_create(
        actor=personas.carol, from_user=personas.alice, to_users=[personas.bob, personas.erin], reason="离职"
    )
    assert sorted(calls) == [("alice", "bob", 2), ("alice", "erin", 1)]
    assert handover.participant_counts == {"leads.open": 6}


def test_a_failing_participant_refuses_the_whole_handover(personas, monkeypatch):
    alices(personas, 2)

    def broken(from_user, to_user, customers):
        raise ValidationError({"leads": ["线索无法移交"]})

    monkeypatch.setattr(handover_module, "PARTICIPANTS", {"leads.open": broken})
    with pytest.raises(ValidationError):
        services.handover_create(actor=personas.carol, from_user=personas.alice, to_users=[personas.bob], reason="x")
    assert not Handover.objects.exists() and not Customer.objects.filter(owner=personas.bob).exists()


def test_the_new_owner_gets_a_fresh_pool_period(personas):
    from datetime import timedelta

    from django.utils import timezone

    customer = alices(personas, 1)[0]
    long_ago = timezone.now() - timedelta(days=200)
    Customer.objects.filter(pk=customer.pk).update(assigned_at=long_ago, created_at=long_ago)

    services.handover_create(actor=personas.carol, from_user=personas.alice, to_users=[personas.erin], reason="调岗")

    customer.refresh_from_db()
    assert customer.assigned_at > timezone.now() - timedelta(minutes=1)
