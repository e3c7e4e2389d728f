from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    """Excel/CSV import and export (P9): upload, map, preview, confirm, progress; exports."""

    name = "kehu.core.transfer"
    label = "transfer"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from kehu.core.navigation import NavItem, register_nav
        from kehu.core.transfer.registry import importers_for

        register_nav(
            NavItem(
                key="imports", label=_("Import"), url_name="transfer:import_start", order=900,
                allowed=lambda user: bool(importers_for(user)),
            )
        )
