from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    """Files on any record (P4), guarded by the parent record's scope."""

    name = "kehu.core.attachments"
    label = "attachments"
    verbose_name = _("Attachments")

    def ready(self) -> None:
        from kehu.core.attachments.models import Attachment
        from kehu.core.audit.registry import register_audited

        register_audited(Attachment, exclude=("stored_name",))
