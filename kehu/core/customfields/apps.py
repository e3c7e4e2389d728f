from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomFieldsConfig(AppConfig):
    name = "kehu.core.customfields"
    label = "customfields"
    verbose_name = _("Custom fields")

    def ready(self) -> None:
        from kehu.accounts import permissions
        from kehu.accounts.defaults import DEFAULT_ROLES
        from kehu.core.audit.registry import register_audited
        from kehu.core.customfields import engine  # noqa: F401  (registers the JSON array lookup)
        from kehu.core.customfields.models import RECORD_TYPE, FieldDefinition
        from kehu.core.navigation import NavItem, register_nav

        # Every role reads the definitions (forms and pages show them); the system
        # administrator and the general manager add and change them.
        grants: dict = {code: (("view",), "all") for code, _name, _description in DEFAULT_ROLES}
        grants["sysadmin"] = (("view", "create", "edit"), "all")
        grants["gm"] = (("view", "create", "edit"), "all")
        permissions.register_record_type(
            RECORD_TYPE, _("Custom field"), actions=("view", "create", "edit"), default_grants=grants
        )
        register_audited(FieldDefinition, exclude=("version",))
        register_nav(
            NavItem(
                key="customfields", label=_("Custom fields"), url_name="customfields:definition_list",
                order=910, allowed=lambda user: permissions.can(user, RECORD_TYPE, "edit"),
            )
        )
