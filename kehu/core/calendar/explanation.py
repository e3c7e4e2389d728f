"""Words for the calendar: holiday names and a due date's explanation, in the user's language."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kehu.core.calendar.engine import WorkingCalendar, WorkingTimeResult

MAX_LISTED = 12
TOO_FAR = gettext_lazy("The due time is too far away to count; use a smaller amount.")

# chinese_calendar's names (its Holiday enum values) in the user's language.
HOLIDAY_LABELS = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Anti-Fascist 70th Day"),
}


def amount_field(days: int, half_days: int, hours) -> str:
    """The amount a too-far due time is blamed on (the finest one given)."""
    if hours:
        return "hours"
    return "half_days" if half_days else "days"


def holiday_label(name: str | None) -> str | None:
    if name is None:
        return None
    return str(HOLIDAY_LABELS.get(name, name))


def format_moment(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def format_duration(duration: dt.timedelta) -> str:
    minutes = round(duration.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


def explanation_lines(
    result: WorkingTimeResult, calendar: WorkingCalendar, *, days: int, half_days: int
) -> list[str]:
    """How the due time was reached, one step a line."""
    lines = []
    if result.effective_start != result.start:
        lines.append(
            _("%(start)s is outside business hours; counting starts at %(effective)s.")
            % {
                "start": format_moment(result.start),
                "effective": format_moment(result.effective_start),
            }
        )
    else:
        lines.append(_("Counting starts at %(start)s.") % {"start": format_moment(result.start)})
    if days:
        lines.append(
            ngettext(
                "%(count)d working day later at the same time: %(moment)s.",
                "%(count)d working days later at the same time: %(moment)s.",
                days,
            )
            % {"count": days, "moment": format_moment(result.after_days)}
        )
    if half_days:
        lines.append(
            ngettext(
                "%(count)d half working day is %(duration)s of working time (half of %(daily)s a day).",
                "%(count)d half working days are %(duration)s of working time (half of %(daily)s a day).",
                half_days,
            )
            % {
                "count": half_days,
                "duration": format_duration(result.half_day * half_days),
                "daily": format_duration(calendar.daily_working_time),
            }
        )
    if result.duration:
        lines.append(
            _("Adding %(duration)s of working time gives %(due)s.")
            % {"duration": format_duration(result.duration), "due": format_moment(result.due)}
        )
    if result.skipped_dates:
        shown = ", ".join(d.strftime("%Y-%m-%d") for d in result.skipped_dates[:MAX_LISTED])
        if len(result.skipped_dates) > MAX_LISTED:
            shown += " …"
        lines.append(
            ngettext(
                "%(count)d non-working day passed over: %(dates)s.",
                "%(count)d non-working days passed over: %(dates)s.",
                len(result.skipped_dates),
            )
            % {"count": len(result.skipped_dates), "dates": shown}
        )
    lines.append(_("Due: %(due)s.") % {"due": format_moment(result.due)})
    return lines
