"""Search (C11): a user's saved filters for the customer list.

A saved filter is the list page's query string (`q=hwjs&level=top&sort=name`), named by
its user; pages and the API apply it by reading it back through the same filter form.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SavedFilter(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("saved filter", "user"), on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("query string"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="savedfilter_unique_name")]

    def __str__(self) -> str:
        return self.name
