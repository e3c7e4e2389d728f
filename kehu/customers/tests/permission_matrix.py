"""Matrix entries for every customers page and API operation.

The record is alice's customer (华东销售组) with one contact. Alice owns it; bob (same
group, own scope) and erin (华北) do not see it: 404. carol (head of 销售部, subtree)
and root see and change it. dave (customer service) sees every customer but changes
none: 403 on writes. Only managers deactivate and restore. The duplicate check is
open to everyone who may view customers (what it shows is masked by scope).
"""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone

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


CARD_FORM = {"card_date": "2026-01-05", "title": "", "summary": "", "objective": "扩大份额", "measures": ""}
SALE_FORM = {"occurred_on": "2026-01-05", "product": "网关", "quantity": "1", "amount": "100", "remarks": ""}


def _cards(world) -> None:
    from kehu.customers import services

    _customer(world)
    world["card"] = services.card_create(
        actor=world.p.alice, customer=world["customer"], kind="strategy", fields={"objective": "扩大份额"}
    )
    world["sale"] = services.sales_record_create(
        actor=world.p.alice, customer=world["customer"], occurred_on="2026-01-04", product="网关", amount="50"
    )


def _ck(world):
    return [world["customer"].pk, "strategy"]


def _card(world):
    return [world["customer"].pk, world["card"].pk]


def _sale(world):
    return [world["customer"].pk, world["sale"].pk]


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
    # --- cards: archive cards, the sales record book, the 360° timeline (views/card.py, api/card.py) ---
    Case(route="customers:card_section", setup=_cards, args=_c, expect=PAGE_VIEW, default=404),
    Case(route="customers:card_create", setup=_cards, args=_ck, expect=PAGE_EDIT, default=404),
    Case(route="customers:card_create", method="POST", id="POST customers:card_create", setup=_cards,
         args=_ck, data=lambda w: CARD_FORM, expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:card_edit", setup=_cards, args=_card, expect=PAGE_EDIT, default=404),
    Case(route="customers:card_edit", method="POST", id="POST customers:card_edit", setup=_cards, args=_card,
         data=lambda w: {**CARD_FORM, "version": "0"}, expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:card_delete", method="POST", setup=_cards, args=_card, data=lambda w: {},
         expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:sales_section", setup=_cards, args=_c, expect=PAGE_VIEW, default=404),
    Case(route="customers:sales_record_create", setup=_cards, args=_c, expect=PAGE_EDIT, default=404),
    Case(route="customers:sales_record_create", method="POST", id="POST customers:sales_record_create",
         setup=_cards, args=_c, data=lambda w: SALE_FORM, expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:sales_record_edit", setup=_cards, args=_sale, expect=PAGE_EDIT, default=404),
    Case(route="customers:sales_record_edit", method="POST", id="POST customers:sales_record_edit",
         setup=_cards, args=_sale, data=lambda w: {**SALE_FORM, "version": "0"}, expect=PAGE_EDIT_POST,
         default=404),
    Case(route="customers:sales_record_delete", method="POST", setup=_cards, args=_sale, data=lambda w: {},
         expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:customer_timeline", setup=_cards, args=_c, expect=PAGE_VIEW, default=404),
    Case(route="api:cards_list", setup=_cards, args=_c, expect=API_VIEW, default=404),
    Case(route="api:cards_create", method="POST", content_type=JSON, setup=_cards, args=_c,
         data=lambda w: {"kind": "strategy", "fields": {"objective": "扩大份额"}},
         expect={**API_EDIT, "alice": 201, "carol": 201, "root": 201}, default=404),
    Case(route="api:cards_get", setup=_cards, args=_card, expect=API_VIEW, default=404),
    Case(route="api:cards_update", method="PATCH", content_type=JSON, setup=_cards, args=_card,
         data=lambda w: {"version": 0, "summary": "矩阵"}, expect=API_EDIT, default=404),
    Case(route="api:cards_delete", method="DELETE", setup=_cards, args=_card,
         expect={**API_EDIT, "alice": 204, "carol": 204, "root": 204}, default=404),
    Case(route="api:sales_records_list", setup=_cards, args=_c, expect=API_VIEW, default=404),
    Case(route="api:sales_records_totals", setup=_cards, args=_c, expect=API_VIEW, default=404),
    Case(route="api:sales_records_create", method="POST", content_type=JSON, setup=_cards, args=_c,
         data=lambda w: {"occurred_on": "2026-01-05", "product": "网关", "amount": "100"},
         expect={**API_EDIT, "alice": 201, "carol": 201, "root": 201}, default=404),
    Case(route="api:sales_records_get", setup=_cards, args=_sale, expect=API_VIEW, default=404),
    Case(route="api:sales_records_update", method="PATCH", content_type=JSON, setup=_cards, args=_sale,
         data=lambda w: {"version": 0, "amount": "120"}, expect=API_EDIT, default=404),
    Case(route="api:sales_records_delete", method="DELETE", setup=_cards, args=_sale,
         expect={**API_EDIT, "alice": 204, "carol": 204, "root": 204}, default=404),
]

# --- distribution network (C4) and handover (C9) ---
# alice's customer and a second one of hers to link it below; managers and root change the
# network too, dave only reads it. Handovers need the transfer right: carol and root only.
HANDOVER_PAGE = {"anonymous": 302, "carol": 200, "root": 200}
HANDOVER_API = {"anonymous": 401, "carol": 200, "root": 200}


def _network(world) -> None:
    from kehu.customers import services

    _customer(world)
    world["distributor"] = services.customer_create(actor=world.p.alice, name="华东总经销有限公司", city="上海")


def _linked(world) -> None:
    from kehu.customers import services

    _network(world)
    services.customer_set_parent(actor=world.p.alice, customer=world["customer"], parent=world["distributor"])


def _handover(world) -> None:
    from kehu.customers import services

    _customer(world)
    world["handover"] = services.handover_create(
        actor=world.p.carol, from_user=world.p.alice, to_users=[world.p.bob], reason="矩阵交接"
    )


def _handover_form(world) -> dict:
    return {"from_user": world.p.alice.pk, "to_users": [world.p.bob.pk], "mode": "round_robin", "reason": "离职"}


CASES += [
    Case(route="customers:network_tree", setup=_customer, args=_c, expect=PAGE_VIEW, default=404),
    Case(route="customers:network_parent", setup=_network, args=_c, expect=PAGE_EDIT, default=404),
    Case(route="customers:network_parent", method="POST", id="POST customers:network_parent", setup=_network,
         args=_c, data=lambda w: {"parent_id": w["distributor"].pk, "channel_role": "retail", "version": "0"},
         expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:network_parent_search", setup=_network, args=_c, data=lambda w: {"q": "总经销"},
         expect=PAGE_EDIT, default=404),
    Case(route="customers:network_parent_clear", method="POST", setup=_linked, args=_c, data=lambda w: {},
         expect=PAGE_EDIT_POST, default=404),
    Case(route="api:network_get", setup=_linked, args=_c, expect=API_VIEW, default=404),
    Case(route="api:network_parent_set", method="PUT", content_type=JSON, setup=_network, args=_c,
         data=lambda w: {"parent_id": w["distributor"].pk}, expect=API_EDIT, default=404),
    Case(route="api:network_parent_clear", method="DELETE", setup=_linked, args=_c, expect=API_EDIT, default=404),
    Case(route="api:network_channel_role_set", method="PUT", content_type=JSON, setup=_customer, args=_c,
         data=lambda w: {"channel_role": "general"}, expect=API_EDIT, default=404),
    Case(route="customers:handover_list", setup=_handover, expect=HANDOVER_PAGE, default=403),
    Case(route="customers:handover_create", expect=HANDOVER_PAGE, default=403),
    Case(route="customers:handover_create", method="POST", id="POST customers:handover_create preview",
         setup=_customer, data=lambda w: {**_handover_form(w), "action": "preview"}, expect=HANDOVER_PAGE,
         default=403),
    Case(route="customers:handover_create", method="POST", id="POST customers:handover_create confirm",
         setup=_customer, data=lambda w: {**_handover_form(w), "action": "confirm"},
         expect={"anonymous": 302, "carol": 302, "root": 302}, default=403),
    Case(route="customers:handover_detail", setup=_handover, args=lambda w: [w["handover"].pk],
         expect=HANDOVER_PAGE, default=403),
    Case(route="api:handover_preview", method="POST", content_type=JSON, setup=_customer,
         data=lambda w: {"from_user_id": w.p.alice.pk, "to_user_ids": [w.p.bob.pk]}, expect=HANDOVER_API,
         default=403),
    Case(route="api:handover_create", method="POST", content_type=JSON, setup=_customer,
         data=lambda w: {"from_user_id": w.p.alice.pk, "to_user_ids": [w.p.bob.pk], "reason": "离职"},
         expect={"anonymous": 401, "carol": 201, "root": 201}, default=403),
    Case(route="api:handover_list", setup=_handover, expect=HANDOVER_API, default=403),
    Case(route="api:handover_get", setup=_handover, args=lambda w: [w["handover"].pk], expect=HANDOVER_API,
         default=403),
]

# --- 公海 pool: a pooled customer of 华东销售组 (alice's and bob's pool, not erin's); dave sees every
# pool but may not claim; only administrators (root) change the rules; release is the owner's or a manager's.
RULES_FORM = {
    "return_days_base": 30, "return_days_middle": 60, "return_days_top": 90, "return_days_unset": 30,
    "warn_days": 3, "lockout_days": 7, "daily_claim_limit": 10, "total_claim_limit": 0, "version": 0,
}


def _pooled(world) -> None:
    from kehu.customers import services
    from kehu.customers.models import Customer

    customer = services.customer_create(actor=world.p.root, owner=None, name="公海矩阵客户有限公司", city="上海")
    Customer.objects.filter(pk=customer.pk).update(department=world.p.east)
    world["customer"] = customer


POOL_CLAIM = {"anonymous": 302, "alice": 302, "bob": 302, "carol": 302, "dave": 403, "root": 302}  # erin: 404
API_POOL_CLAIM = {"anonymous": 401, "alice": 200, "bob": 200, "carol": 200, "dave": 403, "root": 200}
RELEASE = {"anonymous": 302, "alice": 302, "carol": 302, "dave": 403, "root": 302}  # bob, erin: 404
API_RELEASE = {"anonymous": 401, "alice": 200, "carol": 200, "dave": 403, "root": 200}

CASES += [
    Case(route="customers:pool_list", expect={"anonymous": 302}, default=200),
    Case(route="customers:pool_claim", method="POST", setup=_pooled, args=_c, data=lambda w: {},
         expect=POOL_CLAIM, default=404),
    Case(route="customers:pool_release", method="POST", setup=_customer, args=_c,
         data=lambda w: {"reason": "矩阵"}, expect=RELEASE, default=404),
    Case(route="customers:pool_rules", expect={"anonymous": 302}, default=200),
    Case(route="customers:pool_rules", method="POST", id="POST customers:pool_rules", data=lambda w: RULES_FORM,
         expect={"anonymous": 302, "root": 302}, default=403),
    Case(route="api:pool_list", expect={"anonymous": 401}, default=200),
    Case(route="api:pool_claim", method="POST", setup=_pooled, args=_c, expect=API_POOL_CLAIM, default=404),
    Case(route="api:pool_release", method="POST", content_type=JSON, setup=_customer, args=_c,
         data=lambda w: {"reason": "矩阵"}, expect=API_RELEASE, default=404),
    Case(route="api:pool_rules_get", expect={"anonymous": 401}, default=200),
    Case(route="api:pool_rules_update", method="PUT", content_type=JSON, data=lambda w: RULES_FORM,
         expect={"anonymous": 401, "root": 200}, default=403),
]

# --- classification (C5): computing and rules need the transfer right (carol, root); a manual
# level, the estimated spend and an assessment need edit on the customer; reading is viewing.
MANAGERS_POST = {"anonymous": 302, "carol": 302, "root": 302}  # others: 403
MANAGERS_API = {"anonymous": 401, "carol": 200, "root": 200}  # others: 403
RULE_FORM = {"name": "矩阵规则", "level": "top", "min_status": "", "min_amount": "", "amount_months": "12",
             "industries": "", "regions": "西藏", "explanation": "空白地域客户", "is_active": "on", "version": "0"}
RULE_JSON = {"name": "矩阵规则", "level": "middle", "min_status": "negotiating", "explanation": "有明确需求"}


def _rule(world) -> None:
    from kehu.customers import services

    world["rule"] = services.level_rule_save(actor=world.p.root, **{**RULE_JSON, "name": "已有规则"})


def _abc(world) -> None:
    import datetime

    from kehu.customers import services
    from kehu.customers.models import SalesRecord

    _customer(world)
    SalesRecord.objects.create(customer=world["customer"], occurred_on=timezone.localdate(), product="机床",
                               amount=2430)
    services.abc_recompute(actor=world.p.root, start=datetime.date(2000, 1, 1), end=datetime.date(2100, 1, 1))


def _r(world):
    return [world["rule"].pk]


CASES += [
    # --- classification pages ---
    Case(route="customers:abc_table", setup=_abc, expect={"anonymous": 302}, default=200),
    Case(route="customers:abc_recompute", method="POST", data=lambda w: {}, expect=MANAGERS_POST, default=403),
    Case(route="customers:level_rules", setup=_rule, expect={"anonymous": 302}, default=200),
    Case(route="customers:level_rules", method="POST", id="POST customers:level_rules",
         data=lambda w: RULE_FORM, expect=MANAGERS_POST, default=403),
    Case(route="customers:level_rule_edit", setup=_rule, args=_r,
         expect={"anonymous": 302, "carol": 200, "root": 200}, default=403),
    Case(route="customers:level_rule_edit", method="POST", id="POST customers:level_rule_edit", setup=_rule,
         args=_r, data=lambda w: RULE_FORM, expect=MANAGERS_POST, default=403),
    Case(route="customers:level_rule_delete", method="POST", setup=_rule, args=_r, data=lambda w: {},
         expect=MANAGERS_POST, default=403),
    Case(route="customers:assessments_due", setup=_customer, expect={"anonymous": 302}, default=200),
    Case(route="customers:classification_level", method="POST", setup=_customer, args=_c,
         data=lambda w: {"level": "top", "reason": "名利双收"}, expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:classification_estimate", method="POST", setup=_customer, args=_c,
         data=lambda w: {"annual_spend_estimate": "3200"}, expect=PAGE_EDIT_POST, default=404),
    Case(route="customers:assessment_create", method="POST", setup=_customer, args=_c,
         data=lambda w: {"verdict": "must_train", "reason": "队伍需要培训"}, expect=PAGE_EDIT_POST, default=404),
    # --- classification API ---
    Case(route="api:classification_abc_list", setup=_abc, expect={"anonymous": 401}, default=200),
    Case(route="api:classification_abc_recompute", method="POST", content_type=JSON, data=lambda w: {},
         expect=MANAGERS_API, default=403),
    Case(route="api:classification_rules_get", setup=_rule, expect={"anonymous": 401}, default=200),
    Case(route="api:classification_rules_put", method="PUT", content_type=JSON,
         data=lambda w: {"rules": [RULE_JSON]}, expect=MANAGERS_API, default=403),
    Case(route="api:classification_get", setup=_abc, args=_c, expect=API_VIEW, default=404),
    Case(route="api:classification_level_put", method="PUT", content_type=JSON, setup=_customer, args=_c,
         data=lambda w: {"level": "top", "reason": "名利双收"}, expect=API_EDIT, default=404),
    Case(route="api:classification_spend_estimate_put", method="PUT", content_type=JSON, setup=_customer,
         args=_c, data=lambda w: {"annual_spend_estimate": "3200"}, expect=API_EDIT, default=404),
    Case(route="api:classification_assessments_list", setup=_customer, expect={"anonymous": 401}, default=200),
    Case(route="api:classification_assessments_due", setup=_customer, expect={"anonymous": 401}, default=200),
    Case(route="api:classification_assessments_create", method="POST", content_type=JSON, setup=_customer,
         args=_c, data=lambda w: {"verdict": "usable", "reason": "态度和能力都好"},
         expect={**API_EDIT, "alice": 201, "carol": 201, "root": 201}, default=404),
]

# --- merge, search, unmask ---
# A merge needs `edit` on the kept customer and `delete` on the merged one: only managers (carol,
# root); alice may edit but not delete (403), dave only views (403). Saved filters are per user:
# another user's is 404. Unmask: who sees personal data gets it unlogged, dave by his grant.


def _merge_pair(world) -> None:
    from kehu.customers import services

    _customer(world)
    world["other"] = services.customer_create(actor=world.p.alice, name="华东精密仪器有限公司", city="上海")


def _saved_filter(world) -> None:
    from kehu.customers.models import SavedFilter

    world["saved"] = SavedFilter.objects.create(user=world.p.alice, name="矩阵筛选", query="q=hwjs")


def _merge_data(world) -> dict:
    return {"other": world["other"].pk, "version": "0", "loser_version": "0", "choice_name": "loser"}


PAGE_MERGE = {"anonymous": 302, "alice": 403, "carol": 200, "dave": 403, "root": 200}
API_MERGE = {"anonymous": 401, "alice": 403, "carol": 200, "dave": 403, "root": 200}

CASES += [
    Case(route="customers:merge_customer", setup=_merge_pair, args=_c, expect=PAGE_MERGE, default=404),
    Case(route="customers:merge_customer", method="POST", id="POST customers:merge_customer", setup=_merge_pair,
         args=_c, data=_merge_data, expect={**PAGE_MERGE, "carol": 302, "root": 302}, default=404),
    Case(route="customers:unmask_field", method="POST", setup=_customer, args=lambda w: [w["customer"].pk, "phone"],
         data=lambda w: {}, expect={"anonymous": 302, "alice": 200, "carol": 200, "dave": 200, "root": 200},
         default=404),
    Case(route="customers:search_saved_filter_save", method="POST", data=lambda w: {"name": "矩阵", "q": "hwjs"},
         expect={"anonymous": 302}, default=302),
    Case(route="customers:search_saved_filter_delete", method="POST", setup=_saved_filter,
         args=lambda w: [w["saved"].pk], data=lambda w: {}, expect={"anonymous": 302, "alice": 302}, default=404),
    Case(route="api:merge_preview", method="POST", content_type=JSON, setup=_merge_pair, args=_c,
         data=lambda w: {"loser_id": w["other"].pk}, expect=API_MERGE, default=404),
    Case(route="api:merge_customers", method="POST", content_type=JSON, setup=_merge_pair, args=_c,
         data=lambda w: {"loser_id": w["other"].pk, "version": 0, "loser_version": 0}, expect=API_MERGE,
         default=404),
    Case(route="api:search_saved_filters", expect={"anonymous": 401}, default=200),
    Case(route="api:search_saved_filter_save", method="POST", content_type=JSON,
         data=lambda w: {"name": "矩阵", "query": "q=hwjs"}, expect={"anonymous": 401}, default=201),
    Case(route="api:search_saved_filter_delete", method="DELETE", setup=_saved_filter,
         args=lambda w: [w["saved"].pk], expect={"anonymous": 401, "alice": 204}, default=404),
    Case(route="api:unmask_customer_field", method="POST", content_type=JSON, setup=_customer, args=_c,
         data=lambda w: {"field": "phone"},
         expect={"anonymous": 401, "alice": 200, "carol": 200, "dave": 200, "root": 200}, default=404),
]
CASES += [
    # --- import and export (P9): exporting needs the export right (carol, root) ---
    Case(route="customers:customer_export", setup=_customer, expect={"anonymous": 302, "carol": 200, "root": 200},
         default=403),
    Case(route="api:customers_export", setup=_customer, expect={"anonymous": 401, "carol": 200, "root": 200},
         default=403),
]
if not apps.is_installed("kehu.customers"):  # not wired in yet: no routes to cover
    CASES = []
