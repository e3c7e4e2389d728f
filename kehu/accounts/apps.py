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

        def _after_migrate(sender, **kwargs):  # infrastructure hook, not business flow
            if sender.label == "accounts":
                ensure_default_roles()

        post_migrate.connect(_after_migrate, dispatch_uid="kehu.accounts.default_roles")
