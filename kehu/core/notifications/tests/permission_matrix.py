"""Every inbox page and API operation, for every persona: each sees only their own notifications."""

from __future__ import annotations

from kehu.testing.matrix import Case, World

PAGE_ANONYMOUS = 302
API_ANONYMOUS = 401
SIGNED_IN = ("alice", "bob", "carol", "erin", "dave", "root")


def _alice_notification(world: World) -> None:
    from kehu.core.notifications.services import notify

    [world["note"]] = notify(
        recipients=[world.p.alice], kind="info", title="给王丽的通知", url="/customers/1/"
    )


def _note(world: World) -> list:
    return [world["note"].pk]


def everyone(page_status: int, *, anonymous: int) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, page_status)}


def only_alice(alice_status: int, *, anonymous: int) -> dict[str, int]:
    return {"anonymous": anonymous, "alice": alice_status, **dict.fromkeys(SIGNED_IN[1:], 404)}


CASES = [
    # Pages
    Case(route="notifications:inbox", setup=_alice_notification, expect=everyone(200, anonymous=PAGE_ANONYMOUS)),
    Case(
        route="notifications:open", args=_note, setup=_alice_notification,
        expect=only_alice(302, anonymous=PAGE_ANONYMOUS),
    ),
    Case(
        route="notifications:notification_read", method="POST", args=_note, setup=_alice_notification,
        data=lambda world: {}, expect=only_alice(302, anonymous=PAGE_ANONYMOUS),
    ),
    Case(
        route="notifications:notification_read_all", method="POST", setup=_alice_notification,
        data=lambda world: {}, expect=everyone(302, anonymous=PAGE_ANONYMOUS),
    ),
    Case(route="notifications:preference_edit", expect=everyone(200, anonymous=PAGE_ANONYMOUS)),
    Case(
        route="notifications:preference_edit", method="POST", id="POST notifications:preference_edit",
        data=lambda world: {"email_enabled": "on"}, expect=everyone(302, anonymous=PAGE_ANONYMOUS),
    ),
    # API
    Case(route="api:notifications_list", setup=_alice_notification, expect=everyone(200, anonymous=API_ANONYMOUS)),
    Case(route="api:notifications_unread_count", expect=everyone(200, anonymous=API_ANONYMOUS)),
    Case(
        route="api:notifications_mark_read", method="POST", args=_note, setup=_alice_notification,
        expect=only_alice(200, anonymous=API_ANONYMOUS),
    ),
    Case(
        route="api:notifications_mark_all_read", method="POST", setup=_alice_notification,
        expect=everyone(200, anonymous=API_ANONYMOUS),
    ),
    Case(route="api:notifications_preferences_get", expect=everyone(200, anonymous=API_ANONYMOUS)),
    Case(
        route="api:notifications_preferences_update", method="PUT", content_type="application/json",
        data=lambda world: {"email_enabled": False, "sms_enabled": True},
        expect=everyone(200, anonymous=API_ANONYMOUS),
    ),
]
