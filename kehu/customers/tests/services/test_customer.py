"""Customer and contact services: validation, 查重 refusal, stale edits, scope-aware matches, audit."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from kehu.core.audit.models import ChangeLogEntry
from kehu.customers import selectors, services
from kehu.customers.models import Customer, CustomerClassification, CustomerKind
from kehu.customers.tests.factories import credit_code, make_contact, make_customer

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- create ----------------------------------------------------------------------------------


def test_create_sets_owner_department_and_derived_fields(personas):
    customer = make_customer(
        personas.alice, name="华为技术（上海）有限公司", phone="+86 21 5555 1234", credit_code=credit_code(1),
        tags=["重点客户", "经销商", "重点客户"],
    )

    customer.refresh_from_db()
    assert customer.owner == personas.alice
    assert customer.department == personas.east
    assert customer.created_by == personas.alice
    assert customer.name_key == "华为技术"
    assert customer.phone_digits == "02155551234"
    assert "hwjs" in customer.search_text
    assert sorted(customer.tags.values_list("name", flat=True)) == ["经销商", "重点客户"]
    assert customer.version == 0


def test_create_requires_a_name_and_explains_bad_fields_in_chinese(personas):
    with pytest.raises(ValidationError) as excinfo:
        services.customer_create(
            actor=personas.alice, name="  ", credit_code="12345", phone="电话", postcode="12", status="bogus"
        )

    errors = errors_of(excinfo)
    assert errors["name"] == ["请输入客户名称。"]
    assert "18" in errors["credit_code"][0]
    assert "010-12345678" in errors["phone"][0]
    assert errors["postcode"] == ["邮政编码为 6 位数字。"]
    assert "status" in errors
    assert Customer.objects.count() == 0


def test_a_credit_code_with_a_wrong_check_character_is_refused(personas):
    with pytest.raises(ValidationError) as excinfo:
        make_customer(personas.alice, credit_code="914403001922038217")

    assert "统一社会信用代码" in errors_of(excinfo)["credit_code"][0]


def test_only_individuals_have_id_numbers_and_they_are_checked(personas):
    with pytest.raises(ValidationError) as excinfo:
        make_customer(personas.alice, id_number="11010519491231002X")
    assert "id_number" in errors_of(excinfo)
    with pytest.raises(ValidationError):
        make_customer(personas.alice, name="张三", kind=CustomerKind.INDIVIDUAL, id_number="110105194912310021")

    person = make_customer(personas.alice, name="张三", kind=CustomerKind.INDIVIDUAL, id_number="11010519491231002x")
    assert person.id_number == "11010519491231002X"


def test_a_salesperson_may_not_create_for_someone_else_or_into_the_pool(personas):
    with pytest.raises(ValidationError) as excinfo:
        services.customer_create(actor=personas.alice, owner=personas.bob, name="某某科技有限公司")
    assert "owner" in errors_of(excinfo)
    with pytest.raises(ValidationError):
        services.customer_create(actor=personas.alice, owner=None, name="某某科技有限公司")

    pooled = services.customer_create(actor=personas.carol, owner=None, name="某某科技有限公司")
    assert pooled.in_pool and pooled.department == personas.sales


# --- exact duplicates ------------------------------------------------------------------------------


def test_the_same_credit_code_is_refused_naming_the_customer(personas):
    code = credit_code(7)
    make_customer(personas.alice, name="甲科技有限公司", credit_code=code)

    with pytest.raises(ValidationError) as excinfo:
        make_customer(personas.alice, name="乙科技有限公司", credit_code=code)

    assert errors_of(excinfo)["credit_code"] == ["客户 甲科技有限公司 已使用这个统一社会信用代码。"]


def test_the_same_normalised_name_in_the_same_city_is_refused(personas):
    make_customer(personas.alice, name="华为技术（北京）有限公司", city="北京")

    with pytest.raises(ValidationError) as excinfo:
        make_customer(personas.alice, name="北京華為技術有限公司", city="北京")

    assert "华为技术（北京）有限公司" in errors_of(excinfo)["name"][0]
    # Another city is a possible duplicate, not an exact one.
    make_customer(personas.alice, name="北京華為技術有限公司", city="上海")


def test_a_duplicate_outside_scope_is_named_only_masked_with_its_department(personas):
    make_customer(personas.erin, name="华为技术有限公司", city="北京")

    with pytest.raises(ValidationError) as excinfo:
        make_customer(personas.alice, name="华为技术（北京）有限公司", city="北京")

    message = errors_of(excinfo)["name"][0]
    assert "华为技术有限公司" not in message
    assert "华******司" in message and "华北销售组" in message


def test_individuals_with_the_same_name_in_one_city_are_allowed(personas):
    make_customer(personas.alice, name="张伟", kind=CustomerKind.INDIVIDUAL)
    make_customer(personas.alice, name="张伟", kind=CustomerKind.INDIVIDUAL)

    assert Customer.objects.filter(name="张伟").count() == 2


# --- update ----------------------------------------------------------------------------------------


def test_update_changes_fields_bumps_version_and_logs_the_change(personas):
    customer = make_customer(personas.alice, name="甲科技有限公司", phone="13812345678")

    services.customer_update(
        actor=personas.alice, customer=customer, version=0, status="negotiating", phone="13987654321", tags=["新"]
    )

    customer.refresh_from_db()
    assert (customer.status, customer.version, customer.phone_digits) == ("negotiating", 1, "13987654321")
    entries = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Customer), object_id=str(customer.pk), action="update"
    )
    phone_change = next(item for entry in entries for item in entry.changes if item["field"] == "phone")
    assert phone_change["old"] == "138****5678" and phone_change["new"] == "139****4321"


def test_a_stale_update_is_refused_naming_the_record(personas):
    customer = make_customer(personas.alice, name="甲科技有限公司")
    services.customer_update(actor=personas.alice, customer=customer, version=0, remarks="第一次")
    stale = Customer.objects.get(pk=customer.pk)

    with pytest.raises(services.StaleEdit) as excinfo:
        services.customer_update(actor=personas.carol, customer=stale, version=0, remarks="第二次")

    assert "“甲科技有限公司”" in str(excinfo.value) and "其他人" in str(excinfo.value)
    assert Customer.objects.get(pk=customer.pk).remarks == "第一次"


def test_update_refuses_a_new_exact_duplicate(personas):
    make_customer(personas.alice, name="甲科技有限公司", city="上海")
    other = make_customer(personas.alice, name="乙科技有限公司", city="上海")

    with pytest.raises(ValidationError):
        services.customer_update(actor=personas.alice, customer=other, version=0, name="上海甲科技有限公司")

    assert Customer.objects.get(pk=other.pk).version == 0


def test_deactivate_and_restore(personas):
    customer = make_customer(personas.alice)

    services.customer_deactivate(actor=personas.carol, customer=customer)
    assert not Customer.objects.get(pk=customer.pk).is_active
    assert customer not in selectors.customer_list(actor=personas.alice)
    with pytest.raises(ValidationError):
        services.customer_deactivate(actor=personas.carol, customer=customer)

    services.customer_restore(actor=personas.carol, customer=customer)
    assert Customer.objects.get(pk=customer.pk).is_active


# --- contacts --------------------------------------------------------------------------------------


def test_contacts_first_is_primary_one_primary_and_search_follows(personas):
    customer = make_customer(personas.alice, name="甲科技有限公司")
    first = make_contact(customer, name="王芳", mobile="+86 138 1234 5678")
    second = make_contact(customer, name="李强", mobile="13912345678", is_primary=True)

    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    assert first.mobile == "13812345678"
    customer.refresh_from_db()
    assert "王芳" in customer.search_text and "13912345678" in customer.search_text

    services.contact_delete(actor=personas.alice, contact=first)
    customer.refresh_from_db()
    assert "王芳" not in customer.search_text


def test_contact_fields_are_checked(personas):
    customer = make_customer(personas.alice)

    with pytest.raises(ValidationError) as excinfo:
        make_contact(customer, name="", mobile="010-12345678", qq="12", email="not-an-email")

    errors = errors_of(excinfo)
    assert set(errors) >= {"name", "mobile", "qq", "email"}
    assert errors["mobile"] == ["请输入 11 位手机号码，例如 13812345678。"]


def test_contact_stale_update_is_refused(personas):
    contact = make_contact(make_customer(personas.alice, name="甲科技有限公司"), name="王芳")
    services.contact_update(actor=personas.alice, contact=contact, version=0, position="经理")

    with pytest.raises(services.StaleEdit) as excinfo:
        services.contact_update(actor=personas.alice, contact=contact, version=0, position="总监")
    assert "王芳" in str(excinfo.value)


def test_contact_mobile_is_masked_in_the_change_log(personas):
    contact = make_contact(make_customer(personas.alice), name="王芳", mobile="13812345678")

    entry = ChangeLogEntry.objects.get(object_id=str(contact.pk), action="create",
                                       content_type__model="contact")
    mobile = next(item for item in entry.changes if item["field"] == "mobile")
    assert mobile["new"] == "138****5678"


# --- duplicate check -------------------------------------------------------------------------------


def test_duplicate_matches_are_scored_explained_and_masked_outside_scope(personas):
    mine = make_customer(personas.alice, name="华为技术有限公司", city="上海", phone="021-55551234")
    theirs = make_customer(personas.erin, name="华为技术（北京）有限公司", city="北京")
    make_contact(theirs, name="赵六", mobile="13700001111")
    similar = make_customer(personas.alice, name="华为技术服务有限公司", city="上海")
    make_customer(personas.alice, name="无关贸易有限公司", city="上海")

    matches = selectors.find_duplicates(
        actor=personas.alice, name="北京华为技术有限公司", city="上海", phones=["137 0000 1111"]
    )

    by_pk = {m.customer.pk: m for m in matches}
    assert set(by_pk) == {mine.pk, theirs.pk, similar.pk}
    assert by_pk[mine.pk].exact and by_pk[mine.pk].score == 100
    assert by_pk[mine.pk].as_dict()["name"] == "华为技术有限公司"
    outsider = by_pk[theirs.pk].as_dict()
    assert outsider["id"] is None and outsider["name"] == "华********司"
    assert outsider["department"] == "华北销售组" and outsider["owner"] == "" and outsider["city"] == ""
    assert "相同电话号码" in outsider["reasons"]
    assert by_pk[similar.pk].score == 60
    assert matches[0].customer.pk == mine.pk


def test_a_manager_sees_the_subtree_matches_in_full(personas):
    theirs = make_customer(personas.erin, name="华为技术有限公司", city="北京")

    match = selectors.find_duplicates(actor=personas.carol, name="华为技术")[0]

    assert match.customer == theirs and match.visible and match.owner_name == personas.erin.name


# --- list and search -------------------------------------------------------------------------------


def test_list_is_scoped_and_searchable_by_name_pinyin_phone_and_contact(personas):
    huawei = make_customer(personas.alice, name="华为技术有限公司", phone="021-55551234")
    make_contact(huawei, name="欧阳娜娜", mobile="13812345678")
    make_customer(personas.alice, name="中兴通讯股份有限公司")
    make_customer(personas.bob, name="华为终端有限公司")

    def names(**kwargs):
        return sorted(c.name for c in selectors.customer_list(actor=personas.alice, **kwargs))

    assert names() == ["中兴通讯股份有限公司", "华为技术有限公司"]
    assert names(q="为技") == ["华为技术有限公司"]
    assert names(q="HWJS") == ["华为技术有限公司"]
    assert names(q="5678") == ["华为技术有限公司"]
    assert names(q="138-1234") == ["华为技术有限公司"]
    assert names(q="欧阳") == ["华为技术有限公司"]
    assert names(q="華為") == ["华为技术有限公司"]
    assert len(selectors.customer_list(actor=personas.carol, q="华为")) == 2


def test_list_filters(personas):
    a = make_customer(personas.alice, status="signed", level="top", tags=["重点客户"])
    make_customer(personas.alice, status="intent")
    pooled = services.customer_create(actor=personas.carol, owner=None, name="公海客户有限公司")

    assert list(selectors.customer_list(actor=personas.alice, status="signed")) == [a]
    assert list(selectors.customer_list(actor=personas.alice, level="top")) == [a]
    assert list(selectors.customer_list(actor=personas.alice, tag="重点客户")) == [a]
    assert list(selectors.customer_list(actor=personas.carol, owner="pool")) == [pooled]
    assert list(selectors.customer_list(actor=personas.alice, owner="nonsense")) == []


def test_personal_data_is_for_the_owner_and_managers(personas):
    customer = make_customer(personas.alice)

    assert selectors.may_see_personal_data(personas.alice, customer)
    assert selectors.may_see_personal_data(personas.carol, customer)
    assert selectors.may_see_personal_data(personas.root, customer)
    assert not selectors.may_see_personal_data(personas.dave, customer)


def test_a_duplicate_that_slips_past_the_check_hits_the_constraint_and_is_explained(personas, monkeypatch):
    code = credit_code(11)
    make_customer(personas.alice, name="甲科技有限公司", credit_code=code)
    # Two saves racing: both ran the check before either committed.
    monkeypatch.setattr(services.customer, "_refuse_exact_duplicates", lambda actor, customer: None)

    with pytest.raises(ValidationError) as excinfo:
        make_customer(personas.alice, name="乙科技有限公司", credit_code=code)

    assert errors_of(excinfo) == {"name": ["该客户已存在。"]}
    assert Customer.objects.count() == 1


# --- access is checked by the services and selectors themselves --------------------------------


def _no_contact_right(user) -> None:
    """Take the contact grants away from the user's roles (customers stay visible)."""
    from kehu.accounts.models import RoleGrant
    from kehu.accounts.permissions import forget_grants
    from kehu.customers.apps import CONTACT

    RoleGrant.objects.filter(role__users=user, record_type=CONTACT).delete()
    forget_grants(user)


def test_services_refuse_what_the_actor_may_not_do_whatever_the_door(personas):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    customer = make_customer(personas.alice, name="甲科技有限公司")
    contact = make_contact(customer, name="王芳")

    with pytest.raises(PermissionDenied):
        services.customer_create(actor=personas.dave, name="乙科技有限公司", city="上海")
    with pytest.raises(Http404):  # out of bob's scope
        services.customer_update(actor=personas.bob, customer=customer, version=0, remarks="x")
    with pytest.raises(PermissionDenied):  # visible to dave, but not his to change
        services.customer_update(actor=personas.dave, customer=customer, version=0, remarks="x")
    with pytest.raises(PermissionDenied):
        services.customer_deactivate(actor=personas.alice, customer=customer)
    services.customer_deactivate(actor=personas.carol, customer=customer)
    with pytest.raises(PermissionDenied):
        services.customer_restore(actor=personas.alice, customer=customer)
    services.customer_restore(actor=personas.carol, customer=customer)
    with pytest.raises(PermissionDenied):
        services.contact_create(actor=personas.dave, customer=customer, name="李四")
    with pytest.raises(Http404):
        services.contact_update(actor=personas.bob, contact=contact, version=0, position="经理")
    with pytest.raises(PermissionDenied):
        services.contact_delete(actor=personas.dave, contact=contact)

    customer.refresh_from_db()
    assert customer.remarks == "" and customer.is_active and Customer.objects.count() == 1
    assert list(customer.contacts.values_list("name", flat=True)) == ["王芳"]


def test_selectors_refuse_reads_without_the_view_right(personas):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    customer = make_customer(personas.alice, name="甲科技有限公司")
    nobody = AnonymousUser()

    with pytest.raises(PermissionDenied):
        selectors.customer_list(actor=nobody)
    with pytest.raises(PermissionDenied):
        selectors.find_duplicates(actor=nobody, name="甲科技有限公司")
    with pytest.raises(Http404):
        selectors.customer_get(actor=personas.bob, pk=customer.pk)
    with pytest.raises(PermissionDenied):
        selectors.customer_get(actor=personas.dave, pk=customer.pk, action="edit")
    assert selectors.customer_get(actor=personas.dave, pk=customer.pk) == customer


def test_contacts_for_needs_the_contact_view_right(personas):
    from django.core.exceptions import PermissionDenied

    customer = make_customer(personas.alice, name="甲科技有限公司")
    make_contact(customer, name="王芳")
    make_contact(customer, name="李四")
    assert [c.name for c in selectors.contacts_for(personas.dave, customer)] == ["王芳", "李四"]
    assert not selectors.contacts_for(personas.bob, customer).exists()  # out of scope

    _no_contact_right(personas.dave)

    assert not selectors.contacts_for(personas.dave, customer).exists()
    with pytest.raises(PermissionDenied):
        selectors.contact_list(actor=personas.dave, customer=customer)


def test_an_owner_id_is_looked_up_in_the_actors_scope(personas):
    for owner_id in (999999, personas.alice.pk):  # unknown, and invisible to carol: the same answer
        with pytest.raises(ValidationError) as excinfo:
            services.customer_create(actor=personas.carol, owner_id=owner_id, name="乙科技有限公司", city="上海")
        assert errors_of(excinfo) == {"owner_id": ["没有这个用户。"]}

    customer = services.customer_create(actor=personas.root, owner_id=personas.alice.pk, name="乙科技有限公司")
    assert customer.owner == personas.alice
    mine = services.customer_create(actor=personas.alice, owner_id=personas.alice.pk, name="丙科技有限公司")
    assert mine.owner == personas.alice


# --- the level: by the rules, or by hand with a reason (C5) ---------------------------------------


def _rules(actor):
    return services.level_rules_replace(actor=actor, rules=[
        {"name": "普通客户", "level": "middle", "min_status": "negotiating", "explanation": "有明确需求"},
        {"name": "潜在客户", "level": "base", "explanation": "其余客户"},
    ])


def test_a_new_customer_gets_the_rules_level_at_once(personas):
    _rules(personas.carol)

    customer = services.customer_create(actor=personas.alice, name="甲机械有限公司", city="上海", status="negotiating")

    assert Customer.objects.get(pk=customer.pk).level == "middle" and customer.level == "middle"
    record = CustomerClassification.objects.get(customer=customer)
    assert record.level_source == "rule" and record.reason == "有明确需求"


def test_a_level_given_on_create_is_set_by_hand_with_its_reason(personas):
    _rules(personas.carol)

    customer = services.customer_create(
        actor=personas.alice, name="甲机械有限公司", city="上海", level="top", level_reason="总经理的老朋友"
    )

    assert Customer.objects.get(pk=customer.pk).level == "top"
    record = CustomerClassification.objects.get(customer=customer)
    assert (record.level_source, record.manual_level, record.reason, record.set_by) == (
        "manual", "top", "总经理的老朋友", personas.alice)


def test_a_level_without_reason_is_refused_naming_level_reason_and_nothing_is_saved(personas):
    with pytest.raises(ValidationError) as no_reason:
        services.customer_create(actor=personas.alice, name="甲机械有限公司", city="上海", level="top")
    with pytest.raises(ValidationError) as both:
        services.customer_create(actor=personas.alice, name="", level="top", level_reason=" ")
    with pytest.raises(ValidationError) as unknown:
        services.customer_create(actor=personas.alice, name="乙机械有限公司", level="gold", level_reason="x")

    assert no_reason.value.message_dict["level_reason"] == [
        "手工设定层级时请填写理由（level_reason）；不选层级时由层级规则设定。"]
    assert {"name", "level_reason"} <= set(both.value.message_dict)
    assert "level" in unknown.value.message_dict
    assert not Customer.objects.exists() and not CustomerClassification.objects.exists()


def test_the_generic_fields_no_longer_include_the_level():
    assert "level" not in services.CUSTOMER_FIELDS


def test_update_changes_the_level_only_with_a_reason_and_through_the_manual_path(personas):
    _rules(personas.carol)
    customer = make_customer(personas.alice, name="甲机械有限公司")  # base, by the rules
    version = customer.version

    with pytest.raises(ValidationError) as refused:
        services.customer_update(actor=personas.alice, customer=customer, version=version, remarks="改了",
                                 level="top")
    stored = Customer.objects.get(pk=customer.pk)
    assert "level_reason" in refused.value.message_dict
    assert (stored.level, stored.remarks, stored.version) == ("base", "", version)

    same = services.customer_update(actor=personas.alice, customer=stored, version=version, level="base",
                                    remarks="同一层级")
    assert same.version == version + 1
    assert CustomerClassification.objects.get(customer=customer).level_source == "rule"

    changed = services.customer_update(actor=personas.alice, customer=Customer.objects.get(pk=customer.pk),
                                       version=version + 1, level="top", level_reason="空白行业的标杆客户")
    stored = Customer.objects.get(pk=customer.pk)
    assert stored.level == "top" and changed.level == "top" and changed.version == stored.version
    record = CustomerClassification.objects.get(customer=customer)
    assert (record.level_source, record.reason) == ("manual", "空白行业的标杆客户")


def test_update_with_an_empty_level_gives_a_manual_level_back_to_the_rules(personas):
    _rules(personas.carol)
    by_rules = make_customer(personas.alice, name="规则机械有限公司")
    by_hand = make_customer(personas.alice, name="手工机械有限公司", level="top", level_reason="老客户")

    with pytest.raises(ValidationError) as refused:
        services.customer_update(actor=personas.alice, customer=by_rules, version=by_rules.version, level="")
    services.customer_update(actor=personas.alice, customer=by_hand, version=by_hand.version, level="")

    assert "level" in refused.value.message_dict and Customer.objects.get(pk=by_rules.pk).level == "base"
    assert Customer.objects.get(pk=by_hand.pk).level == "base"
    assert CustomerClassification.objects.get(customer=by_hand).level_source == "rule"
