"""/api/v1/notifications: the caller's own inbox only."""

from __future__ import annotations

import datetime
import json

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kehu.core.notifications.models import Notification, NotificationPreference
from kehu.core.notifications.services import notify


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make(user, title: str, *, read: bool = False, minutes_ago: int = 0) -> Notification:
    [notification] = notify(recipients=[user], kind="info", title=title)
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )
    return notification


def test_list_is_newest_first_with_cursor_pages(personas):
    for index in range(5):
        make(personas.alice, f"n{index}", minutes_ago=index)
    make(personas.bob, "bob's")
    client = client_for(personas.alice)

    first = client.get(reverse("api:notifications_list"), {"limit": 3}).json()
    second = client.get(reverse("api:notifications_list"), {"limit": 3, "cursor": first["next_cursor"]}).json()

    assert [row["title"] for row in first["items"]] == ["n0", "n1", "n2"]
    assert [row["title"] for row in second["items"]] == ["n3", "n4"]
    assert second["next_cursor"] is None
    assert set(first["items"][0]) == {"id", "kind", "title", "body", "url", "created_at", "read_at", "is_unread"}


def test_list_filters_unread(personas):
    make(personas.alice, "read", read=True)
    make(personas.alice, "unread")

    body = client_for(personas.alice).get(reverse("api:notifications_list"), {"unread": "true"}).json()

    assert [row["title"] for row in body["items"]] == ["unread"]
    assert body["items"][0]["is_unread"] is True


def test_bad_cursor_names_the_field(personas):
    response = client_for(personas.alice).get(reverse("api:notifications_list"), {"cursor": "???"})

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["cursor"]


def test_unread_count(personas):
    make(personas.alice, "a")
    make(personas.alice, "b", read=True)
    make(personas.bob, "c")

    assert client_for(personas.alice).get(reverse("api:notifications_unread_count")).json() == {"unread": 1}


def test_mark_read(personas):
    notification = make(personas.alice, "a")

    response = client_for(personas.alice).post(reverse("api:notifications_mark_read", args=[notification.pk]))

    assert response.status_code == 200
    assert response.json()["is_unread"] is False
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_someone_elses_read_is_404_and_changes_nothing(personas):
    notification = make(personas.alice, "a")

    response = client_for(personas.bob).post(reverse("api:notifications_mark_read", args=[notification.pk]))

    assert response.status_code == 404
    assert response.json() == {"detail": response.json()["detail"], "errors": []}
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(personas):
    make(personas.alice, "a")
    make(personas.alice, "b")
    make(personas.bob, "c")

    response = client_for(personas.alice).post(reverse("api:notifications_mark_all_read"))

    assert response.json() == {"marked": 2, "unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_preferences_default_then_update(personas):
    client = client_for(personas.alice)
    url = reverse("api:notifications_preferences_get")

    assert client.get(url).json() == {"email_enabled": True, "sms_enabled": True}
    response = client.put(
        reverse("api:notifications_preferences_update"),
        json.dumps({"email_enabled": False, "sms_enabled": True}), content_type="application/json",
    )

    assert response.json() == {"email_enabled": False, "sms_enabled": True}
    assert client.get(url).json() == {"email_enabled": False, "sms_enabled": True}
    assert NotificationPreference.objects.get(user=personas.alice).email_enabled is False


def test_preferences_update_names_the_missing_field(personas):
    response = client_for(personas.alice).put(
        reverse("api:notifications_preferences_update"),
        json.dumps({"email_enabled": False}), content_type="application/json",
    )

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["sms_enabled"]
    assert not NotificationPreference.objects.exists()


def test_anonymous_gets_401(db):
    response = Client().get(reverse("api:notifications_unread_count"))

    assert response.status_code == 401
