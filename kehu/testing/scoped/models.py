from django.conf import settings
from django.db import models

from kehu.accounts.permissions import ScopedManager


class ScopedRecord(models.Model):
    """Shaped like every business record: an owner and the owner's department."""

    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_owner_field = "owner"
    scope_department_field = "department"
    objects = ScopedManager()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title
