"""Matrix entries for every customers page and API operation.

The record is alice's customer (华东销售组) with one contact. Alice owns it; bob (same
group, own scope) and erin (华北) do not see it: 404. carol (head of 销售部, subtree)
and root see and change it. dave (customer service) sees every customer but changes
none: 403 on writes. Only managers deactivate and restore. The duplicate check is
open to everyone who may view customers (what it shows is masked by scope).
"""

from __future__ import annotations

from django.apps import apps

from kehu.testing.matrix import Case

JSON = "application/json"

PAGE_VIEW = {"anonymous": 302, "alice": 200, "carol": 200, "dave": 200, "root": 200}  # bob, erin: 404
PAGE_EDIT = {"anonymous": 302, "alice": 200, "carol": 200, "dave": 403, "root": 200}
PAGE_EDIT_POST = {"anonymous": 302, "alice": 302, "carol": 302, "dave": 403, "root": 302}
PAGE_MANAGE_POST = {"anonymous": 302, "alice": 403, "carol": 302, "dave": 403, "root": 302}
API_VIEW = {"anonymous": 401, "alice": 200, "carol": 200, "dave": 200, "root": 200}
API_EDIT = {"anonymous": 401, "alice": 200, "carol": 200, "dave": 403, "root": 200}
API_MANAGE = {"anonymous": 401, "alice": 403, "carol": 200, "dave": 403, "root": 200}

FORM = {
    "kind": "company", "name": "矩阵测试科技有限公司", "status": "intent", "city": "上海", "version": "0",
}
CONTACT_FORM = {"name": "矩阵联系人", "mobile": "13800001111", "version": "0"}


def _customer(world) -> None:
    from kehu.customers import services

    customer = services.customer_create(actor=world.p.alice, name="华东精密机械有限公司", city="上海")
    world["customer"] = customer
    world["contact"] = services.contact_create(
        actor=world.p.alice, customer=customer, name="王芳", mobile="13812345678"
    )


def _deactivated(world) -> None:
    from kehu.customers import services

    _customer(world)
    services.customer_deactivate(actor=world.p.carol, customer=world["customer"])


def _c(world):
    return [world["customer"].pk]


def _cc(world):
    return [world["customer"].pk, world["contact"].pk]


CASES = [
    # --- pages ---
    Case(route="customers:customer_list", expect={"anonymous": 302}, default=200),
    Case(route="customers:customer_create", expect={"anonymous": 302, "dave": 403}, default=200),
    Case(route="customers:customer_create", method="POST", id="POST customers:customer_create",
         data=lambda w: FORM, expect={"anonymous": 302, "dave": 403}, default=302),
    Case(route="customers:duplicate_check", method="POST", data=lambda w: {"name": "华东精密机械"},
         setup=_customer, expect={"anonymous": 302}, default=200),
    Case(route="customers:customer_detail", setup=_customer, args=_c, expect=PAGE_VIEW, default=404),
    Case(route="customers:customer_edit", setup=_customer, args=_c, expect=PAGE_EDIT, default=404),
    Case(route="customers:customer_edit", method="POST", id="POST customers:customer_edit", setup=_customer,
         args=_c, data=lambda w: {**FORM, "name": "华东精密机械有限公司"}, expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:customer_deactivate", method="POST", setup=_customer, args=_c, data=lambda w: {},
         expect=PAGE_MANAGE_POST, default=404),
    Case(route="customers:customer_restore", method="POST", setup=_deactivated, args=_c, data=lambda w: {},
         expect=PAGE_MANAGE_POST, default=404),
    Case(route="customers:contact_create", setup=_customer, args=_c, expect=PAGE_EDIT, default=404),
    Case(route="customers:contact_create", method="POST", id="POST customers:contact_create",
         setup=_customer, args=_c, data=lambda w: CONTACT_FORM, expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:contact_edit", setup=_customer, args=_cc, expect=PAGE_EDIT, default=404),
    Case(route="customers:contact_edit", method="POST", id="POST customers:contact_edit", setup=_customer,
         args=_cc, data=lambda w: {**CONTACT_FORM, "name": "王芳"}, expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:contact_delete", method="POST", setup=_customer, args=_cc, data=lambda w: {},
         expect=PAGE_EDIT_POST, default=404),
    # --- API ---
    Case(route="api:customers_list", expect={"anonymous": 401}, default=200),
    Case(route="api:customers_create", method="POST", content_type=JSON,
         data=lambda w: {"name": "矩阵测试科技有限公司", "city": "上海"},
         expect={"anonymous": 401, "dave": 403}, default=201),
    Case(route="api:customers_duplicates", method="POST", content_type=JSON, setup=_customer,
         data=lambda w: {"name": "华东精密机械"}, expect={"anonymous": 401}, default=200),
    Case(route="api:customers_get", setup=_customer, args=_c, expect=API_VIEW, default=404),
    Case(route="api:customers_update", method="PATCH", content_type=JSON, setup=_customer, args=_c,
         data=lambda w: {"version": 0, "remarks": "矩阵"}, expect=API_EDIT, default=404),
    Case(route="api:customers_deactivate", method="POST", setup=_customer, args=_c,
         expect=API_MANAGE, default=404),
    Case(route="api:customers_restore", method="POST", setup=_deactivated, args=_c,
         expect=API_MANAGE, default=404),
    Case(route="api:contacts_list", setup=_customer, args=_c, expect=API_VIEW, default=404),
    Case(route="api:contacts_create", method="POST", content_type=JSON, setup=_customer, args=_c,
         data=lambda w: {"name": "矩阵联系人"},
         expect={**API_EDIT, "alice": 201, "carol": 201, "root": 201}, default=404),
    Case(route="api:contacts_get", setup=_customer, args=_cc, expect=API_VIEW, default=404),
    Case(route="api:contacts_update", method="PATCH", content_type=JSON, setup=_customer, args=_cc,
         data=lambda w: {"version": 0, "position": "经理"}, expect=API_EDIT, default=404),
    Case(route="api:contacts_delete", method="DELETE", setup=_customer, args=_cc,
         expect={**API_EDIT, "alice": 204, "carol": 204, "root": 204}, default=404),
]
if not apps.is_installed("kehu.customers"):  # not wired in yet: no routes to cover
    CASES = []
