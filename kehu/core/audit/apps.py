from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The change log (P5): who changed which record, when, field by field."""

    name = "kehu.core.audit"
    label = "audit"
    verbose_name = _("Change log")

    def ready(self) -> None:
        from kehu.accounts.models import Department, Role, RoleGrant, User
        from kehu.accounts.permissions import can, register_record_type
        from kehu.core.audit.masking import mask_phone
        from kehu.core.audit.registry import register_audited
        from kehu.core.navigation import NavItem, register_nav

        register_record_type(
            "audit.changelogentry",
            _("Change log"),
            actions=("view", "export"),
            default_grants={"sysadmin": (("view", "export"), "all")},
        )
        register_nav(
            NavItem(
                key="changes", label=_("Change log"), url_name="audit:change_list", order=900,
                allowed=lambda user: can(user, "audit.changelogentry", "view"),
            )
        )
        register_audited(
            User, exclude=("password", "last_login", "version"), masked={"mobile": mask_phone}
        )
        register_audited(Department, exclude=("path", "version"))
        register_audited(Role)
        register_audited(RoleGrant)
