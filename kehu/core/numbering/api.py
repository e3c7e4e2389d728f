"""/api/v1/numbering: read patterns with a preview of their next number; administrators edit them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from kehu.core.numbering.models import NumberPattern
from kehu.core.numbering.schemas import PatternOut, PatternUpdateIn, PreviewIn, PreviewOut
from kehu.core.numbering.selectors import pattern_for, patterns_visible_to, preview_number
from kehu.core.numbering.services import number_pattern_update

router = Router(tags=["numbering"])


def _out(pattern: NumberPattern) -> dict:
    return {
        "form_type": pattern.form_type,
        "name": pattern.display_name,
        "prefix": pattern.prefix,
        "date_format": pattern.date_format,
        "infix": pattern.infix,
        "width": pattern.width,
        "suffix": pattern.suffix,
        "reset_period": pattern.reset_period,
        "is_active": pattern.is_active,
        "version": pattern.version,
        "layout": pattern.layout,
        "next_number": preview_number(pattern),
    }


@router.get("", response=list[PatternOut], url_name="numbering_list_patterns")
def list_patterns(request: HttpRequest):
    """Every pattern the user may see, each with the number it would issue next."""
    return [_out(pattern) for pattern in patterns_visible_to(request.user)]


@router.get("/{form_type}", response=PatternOut, url_name="numbering_get_pattern")
def get_pattern(request: HttpRequest, form_type: str):
    return _out(pattern_for(request.user, form_type))


@router.put("/{form_type}", response=PatternOut, url_name="numbering_update_pattern")
def update_pattern(request: HttpRequest, form_type: str, payload: PatternUpdateIn):
    """Change a pattern; send the `version` you read, a stale one is refused."""
    pattern = pattern_for(request.user, form_type, "edit")
    changes = payload.dict()
    version = changes.pop("version")
    pattern = number_pattern_update(actor=request.user, pattern=pattern, version=version, **changes)
    return _out(pattern)


@router.post("/{form_type}/preview", response=PreviewOut, url_name="numbering_preview_pattern")
def preview_pattern(request: HttpRequest, form_type: str, payload: PreviewIn):
    """The next number under the saved settings, or under the settings sent; consumes nothing."""
    pattern = pattern_for(request.user, form_type)
    overrides = payload.dict(exclude_none=True)
    on = overrides.pop("on", None)
    day = None
    if on is not None:
        try:
            day = datetime.date.fromisoformat(on)
        except ValueError:
            raise ValidationError({"on": _("Enter a date as YYYY-MM-DD.")}) from None
    for field, value in overrides.items():
        setattr(pattern, field, value)
    pattern.full_clean()
    return {"form_type": pattern.form_type, "number": preview_number(pattern, on=day)}
