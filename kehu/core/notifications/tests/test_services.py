"""notify(): inbox rows in the caller's transaction, deliveries sent only after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from kehu.core.notifications import sms
from kehu.core.notifications.models import Delivery, DeliveryStatus, Notification
from kehu.core.notifications.selectors import unread_count
from kehu.core.notifications.services import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preference_set,
    notify,
)


def test_notify_creates_one_inbox_row_per_recipient(personas):
    # given two recipients
    # when
    created = notify(recipients=[personas.alice, personas.bob], kind="lead.assigned", title="新线索", url="/leads/1/")
    # then
    assert [n.recipient for n in created] == [personas.alice, personas.bob]
    assert Notification.objects.filter(kind="lead.assigned", title="新线索", url="/leads/1/").count() == 2
    assert Delivery.objects.count() == 0
    assert unread_count(personas.alice) == 1


def test_notify_skips_duplicate_and_inactive_recipients(personas):
    personas.erin.is_active = False
    personas.erin.save()

    created = notify(recipients=[personas.alice, personas.alice, personas.erin], kind="info", title="x")

    assert [n.recipient for n in created] == [personas.alice]


def test_email_is_sent_only_after_commit(personas, django_capture_on_commit_callbacks):
    # given a business transaction that notifies by email
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.alice], kind="info", title="合同待审批", channels=("inbox", "email"))
        # then inside the transaction the delivery waits and nothing was sent
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.PENDING
        assert mail.outbox == []
    # and once it commits the email goes out
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 1
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert "合同待审批" in mail.outbox[0].subject


def test_rolled_back_transaction_notifies_nobody(personas, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[personas.alice], kind="info", title="x", channels=("inbox", "email", "sms"))
        raise RuntimeError("the business change failed")

    assert callbacks == []
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert mail.outbox == []


def test_sms_goes_through_the_logging_backend(personas, django_capture_on_commit_callbacks):
    personas.alice.mobile = "13800138000"
    personas.alice.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.alice], kind="info", title="客户回访提醒", channels=("sms",))

    assert [(m.mobile, m.text) for m in sms.outbox] == [("13800138000", "客户回访提醒")]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_no_delivery_for_recipient_without_address(personas, django_capture_on_commit_callbacks):
    # given bob has no email and no mobile
    personas.bob.email = ""
    personas.bob.save()

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.bob], kind="info", title="x", channels=("email", "sms"))

    assert Notification.objects.filter(recipient=personas.bob).count() == 1
    assert Delivery.objects.count() == 0


def test_dedupe_key_makes_a_repeated_call_create_nothing(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(
            recipients=[personas.alice], kind="reminder", title="明日拜访", channels=("email",),
            dedupe_key="visit:7:2026-03-02",
        )
        second = notify(
            recipients=[personas.alice, personas.bob], kind="reminder", title="明日拜访", channels=("email",),
            dedupe_key="visit:7:2026-03-02",
        )

    assert len(first) == 1
    assert [n.recipient for n in second] == [personas.bob]
    assert Notification.objects.filter(recipient=personas.alice).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "bob@example.com"]


def test_different_dedupe_keys_notify_again(personas):
    notify(recipients=[personas.alice], kind="reminder", title="a", dedupe_key="k1")
    notify(recipients=[personas.alice], kind="reminder", title="b", dedupe_key="k2")
    notify(recipients=[personas.alice], kind="reminder", title="c")
    notify(recipients=[personas.alice], kind="reminder", title="d")

    assert Notification.objects.filter(recipient=personas.alice).count() == 4


def test_preferences_switch_channels_off(personas, django_capture_on_commit_callbacks):
    # given alice wants no email, bob no SMS
    personas.alice.mobile = "13800000001"
    personas.alice.save()
    personas.bob.mobile = "13800000002"
    personas.bob.save()
    notification_preference_set(actor=personas.alice, email_enabled=False, sms_enabled=True)
    notification_preference_set(actor=personas.bob, email_enabled=True, sms_enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.alice, personas.bob], kind="info", title="x", channels=("email", "sms"))

    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    assert [m.mobile for m in sms.outbox] == ["13800000001"]
    assert Notification.objects.count() == 2  # the inbox always gets it


def test_group_robot_gets_one_message_per_call(personas, settings, monkeypatch, django_capture_on_commit_callbacks):
    from kehu.core.notifications import webhooks

    settings.KEHU_WECOM_WEBHOOK_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    posted = []
    monkeypatch.setattr(webhooks, "post_json", lambda url, payload, **kw: posted.append((url, payload)) or {})

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[personas.alice, personas.bob], kind="info", title="新商机", channels=("wecom",))

    assert posted == [
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", {"msgtype": "text", "text": {"content": "新商机"}})
    ]
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_unconfigured_group_robot_is_skipped(personas, no_webhooks):
    notify(recipients=[personas.alice], kind="info", title="x", channels=("dingtalk", "wecom"))

    assert Delivery.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "customers/1/", "/\tx"],
)
def test_notify_refuses_links_that_leave_the_site(personas, url):
    with pytest.raises(ValidationError) as excinfo:
        notify(recipients=[personas.alice], kind="info", title="x", url=url)

    assert list(excinfo.value.message_dict) == ["url"]
    assert Notification.objects.count() == 0


def test_notify_refuses_unknown_channel(personas):
    with pytest.raises(ValidationError) as excinfo:
        notify(recipients=[personas.alice], kind="info", title="x", channels=("fax",))

    assert list(excinfo.value.message_dict) == ["channels"]
    assert Notification.objects.count() == 0


def test_mark_read_keeps_the_first_read_time(personas):
    [notification] = notify(recipients=[personas.alice], kind="info", title="x")

    first = notification_mark_read(actor=personas.alice, notification=notification).read_at
    notification.refresh_from_db()
    again = notification_mark_read(actor=personas.alice, notification=notification).read_at

    assert first is not None
    assert again == first
    assert unread_count(personas.alice) == 0


def test_mark_read_refuses_someone_elses(personas):
    [notification] = notify(recipients=[personas.alice], kind="info", title="x")

    with pytest.raises(ValidationError):
        notification_mark_read(actor=personas.bob, notification=notification)

    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_the_actors(personas):
    notify(recipients=[personas.alice], kind="info", title="a")
    notify(recipients=[personas.alice, personas.bob], kind="info", title="b")

    assert notification_mark_all_read(actor=personas.alice) == 2
    assert unread_count(personas.alice) == 0
    assert unread_count(personas.bob) == 1
