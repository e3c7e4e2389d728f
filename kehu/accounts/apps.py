from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kehu.accounts"
    label = "accounts"
    verbose_name = _("Organisation and access")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kehu.accounts import permissions
        from kehu.accounts.defaults import ensure_default_roles

        permissions.register_record_type(
            "accounts.user", _("User"), default_grants={"sysadmin": (permissions.ALL_ACTIONS, "all")}
        )
        permissions.register_record_type(
            "accounts.department",
            _("Department"),
            default_grants={"sysadmin": (permissions.ALL_ACTIONS, "all")},
        )
        permissions.register_record_type(
            "accounts.role", _("Role"), default_grants={"sysadmin": (permissions.ALL_ACTIONS, "all")}
        )

        from kehu.core.navigation import NavItem, register_nav

        for key, label, url_name, record_type, order in (
            ("users", _("Users"), "accounts:user_list", "accounts.user", 900),
            ("departments", _("Departments"), "accounts:department_list", "accounts.department", 910),
            ("roles", _("Roles"), "accounts:role_list", "accounts.role", 920),
        ):
            register_nav(
                NavItem(
                    key=key, label=label, url_name=url_name, order=order,
                    allowed=lambda user, rt=record_type: permissions.can(user, rt, "view"),
                )
            )

        def _after_migrate(sender, **kwargs):  # infrastructure hook, not business flow
            if sender.label == "accounts":
                ensure_default_roles()

        post_migrate.connect(_after_migrate, dispatch_uid="kehu.accounts.default_roles")
