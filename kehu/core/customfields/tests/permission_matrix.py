"""Matrix entries for the custom-field pages and API operations.

Every role reads the definitions (forms and pages show the fields); only the
system administrator (root) and the general manager add and change them.
"""

from __future__ import annotations

from kehu.testing.matrix import Case

JSON = "application/json"


def _definition(world) -> None:
    from kehu.core.customfields.tests.factories import make_definition

    world["definition"] = make_definition("matrix_grade", "choice", label="矩阵等级", choices=["A", "B"])


def _d(world):
    return [world["definition"].pk]


def _create(world) -> dict:
    return {"record_type": "customers.customer", "key": "matrix_new", "label": "矩阵字段", "kind": "text"}


def _edit_form(world) -> dict:
    return {"label": "矩阵等级二", "kind": "choice", "choices": "A\nB\nC", "order": "10",
            "is_active": "on", "version": world["definition"].version}


CASES = [
    # --- pages ---
    Case(route="customfields:definition_list", setup=_definition, expect={"anonymous": 302}, default=200),
    Case(route="customfields:definition_create", expect={"anonymous": 302, "root": 200}, default=403),
    Case(route="customfields:definition_create", method="POST", id="POST customfields:definition_create",
         data=lambda w: {**_create(w), "is_active": "on"}, expect={"anonymous": 302, "root": 302}, default=403),
    Case(route="customfields:definition_edit", setup=_definition, args=_d,
         expect={"anonymous": 302, "root": 200}, default=403),
    Case(route="customfields:definition_edit", method="POST", id="POST customfields:definition_edit",
         setup=_definition, args=_d, data=_edit_form, expect={"anonymous": 302, "root": 302}, default=403),
    Case(route="customfields:definition_edit", id="GET customfields:definition_edit (unknown)",
         args=lambda w: [999999], expect={"anonymous": 302}, default=404),
    # --- API ---
    Case(route="api:customfields_list", setup=_definition, expect={"anonymous": 401}, default=200),
    Case(route="api:customfields_create", method="POST", content_type=JSON, data=_create,
         expect={"anonymous": 401, "root": 201}, default=403),
    Case(route="api:customfields_get", setup=_definition, args=_d, expect={"anonymous": 401}, default=200),
    Case(route="api:customfields_get", id="GET api:customfields_get (unknown)", args=lambda w: [999999],
         expect={"anonymous": 401}, default=404),
    Case(route="api:customfields_update", method="PATCH", content_type=JSON, setup=_definition, args=_d,
         data=lambda w: {"label": "矩阵等级二", "version": w["definition"].version},
         expect={"anonymous": 401, "root": 200}, default=403),
]
