"""Matrix entries for every working-calendar page and API operation.

Everyone logged in views the calendar and uses the calculator (every default role
holds `view` on calendar.servicecalendar); only system administrators (root) change
business hours and company days. Anonymous: 302 to the login page, 401 from the API.
"""

from __future__ import annotations

import datetime as dt

from kehu.core.calendar.models import CalendarOverride
from kehu.testing.matrix import Case

JSON = "application/json"
EVERYONE_PAGE = {"anonymous": 302}  # others: default 200
EVERYONE_API = {"anonymous": 401}
ADMIN_DAY = dt.date(2026, 3, 6)


def _override(world) -> None:
    world["override"] = CalendarOverride.objects.create(
        date=ADMIN_DAY, is_working=False, note="年会"
    )


def _day(world) -> list[str]:
    return [world["override"].date.isoformat()]


CASES = [
    # --- API: reads and arithmetic, for everyone logged in ---
    Case(
        route="api:calendar_add_working_time",
        expect=EVERYONE_API,
        default=200,
        data=lambda w: {"start": "2026-02-13T10:00:00+08:00", "half_days": 1},
    ),
    Case(
        route="api:calendar_working_time_between",
        expect=EVERYONE_API,
        default=200,
        data=lambda w: {"start": "2026-02-13T09:00:00+08:00", "end": "2026-02-24T18:00:00+08:00"},
    ),
    Case(route="api:calendar_month", args=lambda w: [2026, 2], expect=EVERYONE_API, default=200),
    Case(route="api:calendar_list", expect=EVERYONE_API, default=200),
    Case(route="api:calendar_override_list", setup=_override, expect=EVERYONE_API, default=200),
    # --- API: administration, root only ---
    Case(
        route="api:calendar_business_hours_update",
        method="PUT",
        args=lambda w: ["5x8"],
        content_type=JSON,
        data=lambda w: {
            "business_hours": [
                {"start": "08:30", "end": "12:00"},
                {"start": "13:00", "end": "17:30"},
            ]
        },
        expect={"anonymous": 401, "root": 200},
        default=403,
    ),
    Case(
        route="api:calendar_override_create",
        method="POST",
        content_type=JSON,
        data=lambda w: {"date": "2026-03-06", "is_working": False, "note": "年会"},
        expect={"anonymous": 401, "root": 201},
        default=403,
    ),
    Case(
        route="api:calendar_override_delete",
        method="DELETE",
        setup=_override,
        args=_day,
        expect={"anonymous": 401, "root": 204},
        default=403,
    ),
    # --- pages: reading and the calculator, for everyone logged in ---
    Case(route="calendar:calendar_month", expect=EVERYONE_PAGE, default=200),
    Case(
        route="calendar:calendar_calculator",
        expect=EVERYONE_PAGE,
        default=200,
        data=lambda w: {"start": "2026-02-13T10:00", "calendar": "5x8", "half_days": "1"},
    ),
    Case(route="calendar:override_list", setup=_override, expect=EVERYONE_PAGE, default=200),
    # --- pages: administration, root only ---
    Case(
        route="calendar:business_hours_edit",
        args=lambda w: ["5x8"],
        expect={"anonymous": 302, "root": 200},
        default=403,
    ),
    Case(
        route="calendar:business_hours_edit",
        method="POST",
        id="POST calendar:business_hours_edit",
        args=lambda w: ["5x8"],
        data=lambda w: {"business_hours": "08:30-12:00,13:00-17:30", "version": 1},
        expect={"anonymous": 302, "root": 302},
        default=403,
    ),
    Case(
        route="calendar:override_list",
        method="POST",
        id="POST calendar:override_list",
        data=lambda w: {"date": "2026-03-06", "is_working": "0", "note": "年会"},
        expect={"anonymous": 302, "root": 302},
        default=403,
    ),
    Case(
        route="calendar:override_delete",
        method="POST",
        setup=_override,
        args=_day,
        data=lambda w: {},
        expect={"anonymous": 302, "root": 302},
        default=403,
    ),
]
