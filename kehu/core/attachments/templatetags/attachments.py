"""`{% load attachments %}{% attachment_section record %}`: a record page's attachments section."""

from __future__ import annotations

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("attachments/attachment_section.html")
def attachment_section(record: models.Model) -> dict:
    """Loads the record's attachment list and upload form with HTMX (a link without JavaScript)."""
    content_type = ContentType.objects.get_for_model(record)
    return {"url": reverse("attachments:attachment_list", args=[content_type.pk, str(record.pk)])}
