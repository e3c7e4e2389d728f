from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NumberingConfig(AppConfig):
    name = "kehu.core.numbering"
    label = "numbering"
    verbose_name = _("Form numbers")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kehu.accounts import permissions
        from kehu.accounts.defaults import DEFAULT_ROLES
        from kehu.core.audit.registry import register_audited
        from kehu.core.navigation import NavItem, register_nav
        from kehu.core.numbering.models import RECORD_TYPE, NumberPattern
        from kehu.core.numbering.registry import register_number_pattern

        # Everyone may read the patterns (numbers are printed on every form);
        # the system administrator and the administration office edit them.
        grants: dict = {code: (("view",), "all") for code, _name, _description in DEFAULT_ROLES}
        grants["sysadmin"] = (("view", "edit"), "all")
        grants["admin_office"] = (("view", "edit"), "all")
        permissions.register_record_type(
            RECORD_TYPE, _("Form number pattern"), actions=("view", "edit"), default_grants=grants
        )
        register_nav(
            NavItem(
                key="numbering", label=_("Form numbers"), url_name="numbering:pattern_list", order=900,
                allowed=lambda user: permissions.can(user, RECORD_TYPE, "edit"),
            )
        )
        # Pattern edits are configuration changes administrators answer for: log them.
        register_audited(NumberPattern, exclude=("version",))
        # The only pattern shipped here is a demonstration; each app registers its own forms.
        register_number_pattern(
            "numbering.demo", name=_("Demonstration form"), prefix="PI", date_format="YYYYMMDD",
            infix="A", width=4, reset="daily",
        )

        # Infrastructure hook, not business flow. A module-level receiver: signals hold
        # weak references, and a function defined in here would be collected at once.
        post_migrate.connect(
            _create_registered_patterns, sender=self, dispatch_uid="kehu.numbering.ensure_patterns"
        )


def _create_registered_patterns(sender, using="default", **kwargs) -> None:
    """After `migrate` (and a test flush): give each registered form type its pattern row."""
    from kehu.core.numbering.registry import ensure_number_patterns

    ensure_number_patterns(using=using)
