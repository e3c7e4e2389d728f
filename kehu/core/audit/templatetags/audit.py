"""`{% load audit %}{% change_log_section record %}`: a record page's change-log section."""

from __future__ import annotations

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("audit/change_log_section.html")
def change_log_section(record: models.Model) -> dict:
    """Loads the record's change log with HTMX (a plain link without JavaScript)."""
    content_type = ContentType.objects.get_for_model(record)
    return {"url": reverse("audit:change_record_list", args=[content_type.pk, str(record.pk)])}
