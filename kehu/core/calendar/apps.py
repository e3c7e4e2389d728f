from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

RECORD_TYPE = "calendar.servicecalendar"


class CalendarConfig(AppConfig):
    name = "kehu.core.calendar"
    label = "calendar"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from kehu.accounts.defaults import DEFAULT_ROLES
        from kehu.accounts.permissions import ALL_ACTIONS, can, register_record_type
        from kehu.core.audit.registry import register_audited
        from kehu.core.calendar.models import CalendarOverride, ServiceCalendar
        from kehu.core.navigation import NavItem, register_nav

        # System administrators change hours and overrides; every other role reads.
        grants = {code: (("view",), "all") for code, _name, _description in DEFAULT_ROLES}
        grants["sysadmin"] = (ALL_ACTIONS, "all")
        register_record_type(RECORD_TYPE, _("Working calendar"), default_grants=grants)
        # Business hours and company days are in the change log (P5).
        register_audited(ServiceCalendar, exclude=("version", "updated_by"))
        register_audited(CalendarOverride, exclude=("created_by",))
        register_nav(
            NavItem(
                key="calendar",
                label=_("Working calendar"),
                url_name="calendar:calendar_month",
                order=900,
                allowed=lambda user: can(user, RECORD_TYPE, "view"),
            )
        )
