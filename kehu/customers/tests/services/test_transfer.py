"""The customers importer: the archive's own rules per row, 查重 in the file and the database,
updates by credit code or ID, the owner column in the importer's scope."""

from __future__ import annotations

import pytest

from kehu.core.audit.models import ChangeLogEntry
from kehu.core.transfer import services
from kehu.core.transfer.tests.helpers import checked, upload
from kehu.customers import normalize
from kehu.customers.models import Contact, Customer
from kehu.customers.tests.factories import credit_code, make_contact, make_customer

pytestmark = pytest.mark.django_db
CUSTOMER = "customers.customer"
HEADERS = ["客户编号", "客户名称", "统一社会信用代码", "城市", "电话", "客户状态", "信用额度（元）", "负责人",
           "联系人", "联系人手机"]


def row(name="", code="", city="上海", phone="", status="", limit="", owner="", contact="", mobile="", id=""):
    return [id, name, code, city, phone, status, limit, owner, contact, mobile]


def check(actor, rows):
    return checked(lambda: services.import_upload(actor=actor, record_type=CUSTOMER,
                                                  uploaded_file=upload(rows, headers=HEADERS)))


def run(actor, rows, capture):
    job = check(actor, rows)
    assert job.error_rows == 0, job.errors
    with capture(execute=True):
        services.import_confirm(actor=actor, job=job)
    job.refresh_from_db()
    assert job.status == "done", job.message
    return job


def errors_by_row(job) -> dict[int, list[tuple[str, str]]]:
    result: dict[int, list[tuple[str, str]]] = {}
    for error in job.errors:
        result.setdefault(error["row"], []).append((error["column"], error["message"]))
    return result


def test_every_bad_row_is_named_with_its_column_and_reason(personas):
    valid = credit_code(1)
    wrong_check = valid[:17] + ("X" if valid[17] != "X" else "Y")
    rows = [
        row(name="好客户科技有限公司", code=credit_code()),
        row(name="", code=credit_code()),
        row(name="甲科技有限公司", code=wrong_check),
        row(name="乙科技有限公司", phone="12345"),
        row(name="丙科技有限公司", status="很好"),
        row(name="丁科技有限公司", limit="十万"),
        row(name="戊科技有限公司", contact="王芳", mobile="0571-88886666"),
        row(name="己科技有限公司", mobile="13812345678"),
    ]

    job = check(personas.carol, rows)

    assert job.total_rows == 8 and job.new_rows == 1 and job.error_rows == 7
    errors = errors_by_row(job)
    assert 2 not in errors
    assert errors[3] == [("名称", "请输入客户名称。")]
    assert errors[4] == [("统一社会信用代码", "统一社会信用代码无效（请检查字符和最后一位校验码）。")]
    assert errors[5] == [("电话", "请输入有效的电话号码，例如 010-12345678、0571-88886666 或 13812345678。")]
    assert errors[6][0][0] == "客户状态" and "“很好”不是可选值" in errors[6][0][1] and "意向" in errors[6][0][1]
    assert errors[7] == [("信用额度（元）", "请填写数字金额。")]
    assert errors[8] == [("联系人手机", "请输入 11 位手机号码，例如 13812345678。")]
    assert errors[9] == [("联系人姓名", "请输入联系人姓名。")]
    assert Customer.objects.count() == 0


def test_choices_read_in_chinese_or_english_or_as_codes(personas, django_capture_on_commit_callbacks):
    rows = [row(name=f"选项{i}科技有限公司", status=s) for i, s in enumerate(["在谈", "Signed", "lost"])]

    run(personas.carol, rows, django_capture_on_commit_callbacks)

    assert sorted(Customer.objects.values_list("status", flat=True)) == ["lost", "negotiating", "signed"]


def test_duplicates_within_the_file_are_skipped_and_reported(personas, django_capture_on_commit_callbacks):
    code = credit_code()
    rows = [
        row(name="华东精密机械有限公司", code=code),
        row(name="另一家公司", code=code),
        row(name="上海华东精密机械有限公司", city="上海"),
        row(name="华东精密机械有限公司", city="杭州"),
    ]

    job = check(personas.carol, rows)

    assert (job.new_rows, job.duplicate_rows, job.error_rows) == (2, 2, 0)
    verdicts = {v["row"]: v for v in job.verdicts}
    assert verdicts[3]["verdict"] == "duplicate" and verdicts[3]["detail"] == "与第 2 行重复（统一社会信用代码相同）"
    assert verdicts[4]["detail"] == "与第 2 行重复（同一城市内名称相同）"
    run(personas.carol, rows, django_capture_on_commit_callbacks)
    assert Customer.objects.count() == 2


def test_duplicates_of_customers_outside_scope_are_masked_and_skipped(personas):
    # erin's customer is outside bob's and alice's scope; carol sees the north group
    theirs = make_customer(personas.erin, name="北方重工机械有限公司", city="北京", credit_code=credit_code())
    personas.carol.roles.clear()
    from kehu.accounts.models import Role

    personas.bob.roles.add(Role.objects.get(code="business_manager"))
    personas.bob.department = personas.service
    personas.bob.save()
    rows = [row(name="北京北方重工机械有限公司", city="北京"), row(name="别的名字", code=theirs.credit_code)]

    job = check(personas.bob, rows)

    assert job.duplicate_rows == 2 and job.new_rows == 0
    details = [v["detail"] for v in job.verdicts]
    masked = normalize.mask_name(theirs.name)
    assert masked.startswith("北*") and masked.endswith("司")
    assert details[0] == f"与客户 {masked} (华北销售组) 重复（同一城市内名称相同）"
    assert details[1] == f"与客户 {masked} (华北销售组) 重复（统一社会信用代码相同）"


def test_same_phone_is_imported_with_a_note(personas):
    existing = make_customer(personas.alice, name="电话重复测试有限公司")
    make_contact(existing, name="李四", mobile="13900001111")

    job = check(personas.carol, [row(name="完全不同的公司", contact="张三", mobile="13900001111")])

    assert job.new_rows == 1
    assert job.verdicts == [{"row": 2, "verdict": "new", "target_id": None,
                             "detail": "可能重复：客户 电话重复测试有限公司 的电话号码相同"}]


def test_update_by_credit_code_changes_only_filled_cells_and_logs_it(personas, django_capture_on_commit_callbacks):
    code = credit_code()
    customer = make_customer(personas.alice, name="华东精密机械有限公司", credit_code=code, phone="021-12345678",
                             status="intent")
    make_contact(customer, name="王芳", mobile="13812345678")

    job = run(personas.carol, [row(name="华东精密机械有限公司", code=code, status="在谈", contact="赵六",
                                   mobile="13700001111")], django_capture_on_commit_callbacks)

    assert job.update_rows == 1 and job.new_rows == 0
    customer.refresh_from_db()
    assert customer.status == "negotiating" and customer.phone == "021-12345678"
    assert customer.version == 1 and customer.owner == personas.alice
    assert "赵六" in customer.search_text
    assert list(Contact.objects.filter(customer=customer).values_list("name", "is_primary").order_by("name")) == [
        ("王芳", True), ("赵六", False)
    ]
    entry = ChangeLogEntry.objects.get(action="update", object_id=str(customer.pk), content_type__model="customer")
    assert entry.changes == [{"field": "status", "label": "客户状态", "old": "意向", "new": "在谈"}]
    assert entry.actor == personas.carol


def test_update_by_id_and_refusal_outside_scope(personas, django_capture_on_commit_callbacks):
    mine = make_customer(personas.alice, name="按编号更新有限公司")

    job = run(personas.carol, [row(id=str(mine.pk), name="按编号更新有限公司", city="杭州")],
              django_capture_on_commit_callbacks)
    assert job.update_rows == 1
    mine.refresh_from_db()
    assert mine.city == "杭州"

    personas.carol.department = personas.service  # carol no longer sees alice's customers
    personas.carol.save()
    refused = check(personas.carol, [row(id="999999", name="不存在"), row(id=str(mine.pk), name="按编号更新有限公司")])
    message = "您的权限范围内没有这个编号的客户。"
    assert refused.errors == [{"row": 2, "column": "客户编号", "message": message},
                              {"row": 3, "column": "客户编号", "message": message}]


def test_the_same_customer_twice_in_a_file_is_a_duplicate(personas):
    code = credit_code()
    make_customer(personas.alice, name="两次更新有限公司", credit_code=code)

    job = check(personas.carol, [row(name="两次更新有限公司", code=code), row(name="两次更新有限公司", code=code)])

    assert (job.update_rows, job.duplicate_rows) == (1, 1)
    assert job.verdicts[1]["detail"] == "与第 2 行重复（同一客户）"


def test_the_owner_column_is_resolved_in_the_importers_scope(personas, django_capture_on_commit_callbacks):
    rows = [
        row(name="归属王丽有限公司", owner="alice"),
        row(name="归属赵燕有限公司", owner="赵燕"),
        row(name="放入公海有限公司", owner="公海"),
    ]
    run(personas.root, rows, django_capture_on_commit_callbacks)  # root may see every user
    owners = dict(Customer.objects.values_list("name", "owner__username"))
    assert owners == {"归属王丽有限公司": "alice", "归属赵燕有限公司": "erin", "放入公海有限公司": None}
    assert Customer.objects.get(name="归属王丽有限公司").department == personas.east

    # Like the customer form: carol may name only the users in her scope (herself) as owner.
    outside = check(personas.carol, [row(name="客服的客户有限公司", owner="alice"), row(name="无名", owner="nobody")])
    assert [e["message"] for e in outside.errors] == ["没有这个用户。", "没有这个用户。"]
    assert {e["column"] for e in outside.errors} == {"负责人"}


def test_the_owner_of_an_existing_customer_is_not_changed_by_import(personas):
    code = credit_code()
    make_customer(personas.alice, name="负责人不变有限公司", credit_code=code)

    job = check(personas.carol, [row(name="负责人不变有限公司", code=code, owner="erin")])

    assert job.errors[0]["column"] == "负责人" and "转移" in job.errors[0]["message"]


LEVEL_HEADERS = ["客户名称", "统一社会信用代码", "城市", "客户状态", "层级", "层级理由"]


def test_the_level_column_is_a_level_set_by_hand_and_the_rules_level_the_rest(
    personas, django_capture_on_commit_callbacks
):
    from kehu.customers import services as customer_services
    from kehu.customers.models import CustomerClassification

    customer_services.level_rules_replace(actor=personas.carol, rules=[
        {"name": "普通客户", "level": "middle", "min_status": "negotiating", "explanation": "有明确需求"},
    ])
    stored = make_customer(personas.carol, name="老客户科技有限公司", credit_code=credit_code(), status="negotiating")
    assert stored.level == "middle"  # by the rule
    rows = [
        ["塔尖科技有限公司", credit_code(), "上海", "在谈", "塔尖", "战略客户，董事长亲自跟进"],
        ["无理由科技有限公司", credit_code(), "上海", "在谈", "塔基", ""],
        ["规则科技有限公司", credit_code(), "上海", "在谈", "", ""],
        ["老客户科技有限公司", stored.credit_code, "上海", "", "塔中", ""],  # the same level: untouched
    ]
    job = checked(lambda: services.import_upload(actor=personas.carol, record_type=CUSTOMER,
                                                 uploaded_file=upload(rows, headers=LEVEL_HEADERS)))
    assert job.error_rows == 0, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(actor=personas.carol, job=job)
    job.refresh_from_db()
    assert job.status == "done", job.message

    def how(name):
        customer = Customer.objects.get(name=name)
        record = CustomerClassification.objects.get(customer=customer)
        return customer.level, record.level_source, record.reason

    assert how("塔尖科技有限公司") == ("top", "manual", "战略客户，董事长亲自跟进")
    assert how("无理由科技有限公司") == ("base", "manual", "由导入设定")
    assert how("规则科技有限公司") == ("middle", "rule", "有明确需求")
    assert how("老客户科技有限公司") == ("middle", "rule", "有明确需求")
    assert CustomerClassification.objects.get(customer__name="塔尖科技有限公司").set_by == personas.carol


def test_custom_fields_are_columns_checked_per_row_and_logged(personas, django_capture_on_commit_callbacks):
    from kehu.core.customfields.tests.factories import CONTACT as CONTACT_TYPE
    from kehu.core.customfields.tests.factories import make_definition

    make_definition("grade", "choice", label="等级", choices=["A", "B", "C"], required=True)
    make_definition("sectors", "multi_choice", label="行业方向", choices=["电力", "化工", "冶金"])
    make_definition("hobby", "text", record_type=CONTACT_TYPE, label="爱好")
    headers = ["客户名称", "统一社会信用代码", "城市", "等级", "行业方向", "联系人", "联系人爱好"]
    stored = make_customer(personas.carol, name="老客户科技有限公司", credit_code=credit_code(),
                           custom={"grade": "C"})

    bad = checked(lambda: services.import_upload(actor=personas.carol, record_type=CUSTOMER, uploaded_file=upload([
        ["甲科技有限公司", credit_code(), "上海", "", "电力", "", ""],  # a new row needs the required 等级
        ["乙科技有限公司", credit_code(), "上海", "D", "", "", ""],
        ["丙科技有限公司", credit_code(), "上海", "A", "电力，石油", "", ""],
    ], headers=headers)))
    assert errors_by_row(bad) == {
        2: [("等级", "“等级”为必填项。")],
        3: [("等级", "“等级”没有选项“D”，请从以下选项中选择：A、B、C。")],
        4: [("行业方向", "“行业方向”没有选项“石油”，请从以下选项中选择：电力、化工、冶金。")],
    }

    job = checked(lambda: services.import_upload(actor=personas.carol, record_type=CUSTOMER, uploaded_file=upload([
        ["甲科技有限公司", credit_code(), "上海", "A", "化工、电力", "王芳", "钓鱼"],
        ["老客户科技有限公司", stored.credit_code, "上海", "B", "", "", ""],  # an update: only 等级 changes
    ], headers=headers)))
    assert job.error_rows == 0, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        services.import_confirm(actor=personas.carol, job=job)

    new = Customer.objects.get(name="甲科技有限公司")
    assert new.custom == {"grade": "A", "sectors": ["电力", "化工"]}
    assert Contact.objects.get(customer=new).custom == {"hobby": "钓鱼"}
    stored.refresh_from_db()
    assert stored.custom == {"grade": "B"}
    created = ChangeLogEntry.objects.for_object(new).get(action="create")
    assert {"label": "行业方向", "new": "电力、化工"}.items() <= next(
        c for c in created.changes if c["field"] == "custom.sectors").items()
    updated = ChangeLogEntry.objects.for_object(stored).get(action="update", note="导入")
    assert [(c["label"], c["old"], c["new"]) for c in updated.changes] == [("等级", "C", "B")]
