"""The two shipped service calendars, created idempotently (migration and first use)."""

from __future__ import annotations

from django.conf import settings

from kehu.core.calendar import engine

BUSINESS_HOURS_CODE = "5x8"
ROUND_THE_CLOCK_CODE = "7x24"
DEFAULT_CODE = BUSINESS_HOURS_CODE

# code -> (name, kind); names are stored in Chinese, the default UI language.
DEFAULT_CALENDARS: dict[str, tuple[str, str]] = {
    BUSINESS_HOURS_CODE: ("5×8 工作日", engine.BUSINESS_HOURS),
    ROUND_THE_CLOCK_CODE: ("7×24 全天候", engine.ROUND_THE_CLOCK),
}


def default_business_hours() -> list[list[int]]:
    """Periods from settings.KEHU_BUSINESS_HOURS ("09:00-12:00,13:30-18:00")."""
    return [list(period) for period in engine.parse_business_hours(settings.KEHU_BUSINESS_HOURS)]


def ensure_default_calendars(model=None) -> None:
    """Create the 5×8 and 7×24 calendars when missing; never touch an edited one."""
    if model is None:
        from kehu.core.calendar.models import ServiceCalendar as model
    for code, (name, kind) in DEFAULT_CALENDARS.items():
        hours = default_business_hours() if kind == engine.BUSINESS_HOURS else []
        model.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "business_hours": hours}
        )


def default_calendar():
    """The 5×8 calendar, created from the settings' business hours if missing."""
    from kehu.core.calendar.models import ServiceCalendar

    ensure_default_calendars()
    return ServiceCalendar.objects.get(code=DEFAULT_CODE)
