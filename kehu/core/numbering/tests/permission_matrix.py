"""Matrix entries for every form-numbering page and API operation.

Every role reads the patterns (numbers are printed on every form); only the
roles the app's record-type registration grants "edit" — the system
administrator (root) and the administration office — change them. Nobody may
see anything anonymously.
"""

from __future__ import annotations

from kehu.core.numbering.tests.factories import NumberPatternFactory
from kehu.testing.matrix import Case

JSON = "application/json"
FORM_TYPE = "tests.matrix"


def _pattern(world) -> None:
    world["pattern"] = NumberPatternFactory(form_type=FORM_TYPE, prefix="MX", date_format="YYYYMMDD",
                                            infix="", width=4, reset_period="daily")


def _form_type(world):
    return [FORM_TYPE]


def _update(world) -> dict:
    return {
        "name": "矩阵单", "prefix": "MZ", "date_format": "YYYYMM", "infix": "", "width": 5,
        "suffix": "", "reset_period": "monthly", "is_active": True, "version": world["pattern"].version,
    }


def _edit_form(world) -> dict:
    return {**_update(world), "is_active": "on"}


CASES = [
    # --- pages ---
    Case(route="numbering:pattern_list", setup=_pattern, expect={"anonymous": 302}, default=200),
    Case(route="numbering:pattern_edit", setup=_pattern, args=_form_type,
         expect={"anonymous": 302, "root": 200}, default=403),
    Case(route="numbering:pattern_edit", method="POST", id="POST numbering:pattern_edit",
         setup=_pattern, args=_form_type, data=_edit_form,
         expect={"anonymous": 302, "root": 302}, default=403),
    Case(route="numbering:pattern_edit", id="GET numbering:pattern_edit (unknown form)",
         args=lambda w: ["tests.no_such_form"], expect={"anonymous": 302}, default=404),
    Case(route="numbering:pattern_preview", setup=_pattern, args=_form_type,
         expect={"anonymous": 302}, default=200),
    # --- API ---
    Case(route="api:numbering_list_patterns", setup=_pattern, expect={"anonymous": 401}, default=200),
    Case(route="api:numbering_get_pattern", setup=_pattern, args=_form_type,
         expect={"anonymous": 401}, default=200),
    Case(route="api:numbering_get_pattern", id="GET api:numbering_get_pattern (unknown form)",
         args=lambda w: ["tests.no_such_form"], expect={"anonymous": 401}, default=404),
    Case(route="api:numbering_update_pattern", method="PUT", setup=_pattern, args=_form_type,
         content_type=JSON, data=_update, expect={"anonymous": 401, "root": 200}, default=403),
    Case(route="api:numbering_preview_pattern", method="POST", setup=_pattern, args=_form_type,
         content_type=JSON, data=lambda w: {"prefix": "YL", "on": "2026-11-22"},
         expect={"anonymous": 401}, default=200),
]
