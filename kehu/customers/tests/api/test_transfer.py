"""Import and export through the API: upload (202, the check is a job) → poll the preview, confirm, progress;
export scoped and masked."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client, TestCase

from kehu.core.transfer.tests.helpers import upload
from kehu.customers.models import Customer
from kehu.customers.tests.factories import credit_code, make_contact, make_customer
from kehu.testing.personas import make_user

pytestmark = pytest.mark.django_db


def api(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def post_file(client: Client, rows, **kwargs):
    """Upload and run the check the upload enqueues on commit (huey runs it at once in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/api/v1/imports", {"record_type": "customers.customer", "file": upload(rows, **kwargs)})


def test_upload_answers_202_at_once_and_the_job_then_holds_the_preview(personas, django_capture_on_commit_callbacks):
    rows = [["接口导入科技有限公司", credit_code(), "上海", "", "", ""], ["", "", "", "", "王芳", ""]]
    client = api(personas.carol)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post("/api/v1/imports", {"record_type": "customers.customer", "file": upload(rows)})

    assert response.status_code == 202
    assert response.json()["status"] == "checking" and response.json()["total_rows"] == 0
    callbacks[0]()  # the check job
    body = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert body["status"] == "previewed" and body["total_rows"] == 2
    assert body["new_rows"] == 1 and body["error_rows"] == 1
    assert body["errors"] == [{"row": 3, "column": "名称", "message": "请输入客户名称。"}]
    assert body["mapping"]["0"] == "name"
    assert Customer.objects.count() == 0


def test_confirm_refuses_a_bad_file_with_422(personas):
    job = post_file(api(personas.carol), [["", "", "", "", "", ""], ["x公司", "1", "", "", "", ""]]).json()

    response = api(personas.carol).post(f"/api/v1/imports/{job['id']}/confirm")

    assert response.status_code == 422
    assert "有错误" in response.json()["detail"] or "有错误" in str(response.json())


def test_confirm_runs_the_import_and_get_reports_progress(personas, django_capture_on_commit_callbacks):
    client = api(personas.carol)
    job = post_file(client, [["接口导入科技有限公司", credit_code(), "上海", "", "王芳", "13812345678"]]).json()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/imports/{job['id']}/confirm")
    assert response.status_code == 202 and response.json()["status"] == "running"

    progress = client.get(f"/api/v1/imports/{job['id']}").json()
    assert progress["status"] == "done" and progress["progress"] == 100 and progress["written_rows"] == 1
    assert Customer.objects.get().contacts.get().name == "王芳"


def test_others_cannot_see_or_confirm_a_job(personas):
    job = post_file(api(personas.carol), [["接口导入科技有限公司", "", "上海", "", "", ""]]).json()

    assert api(personas.alice).get(f"/api/v1/imports/{job['id']}").status_code == 404
    assert api(personas.alice).post(f"/api/v1/imports/{job['id']}/confirm").status_code == 404
    assert post_file(api(personas.alice), [["x", "", "", "", "", ""]]).status_code == 403


def _csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


def test_export_is_scoped_filtered_and_neutralises_formulas(personas):
    make_customer(personas.alice, name="=HYPERLINK(\"http://evil\",\"点我\")", city="上海")
    make_customer(personas.alice, name="华东精密机械有限公司", status="signed")
    personas.carol.department = personas.east
    personas.carol.save()
    make_customer(personas.erin, name="北方贸易有限公司")  # north: outside carol's department now

    response = api(personas.carol).get("/api/v1/customers/export", {"format": "csv"})

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:3] == ["客户编号", "类型", "名称"]
    names = sorted(row[2] for row in rows[1:])
    assert names == sorted(["'=HYPERLINK(\"http://evil\",\"点我\")", "华东精密机械有限公司"])
    filtered = _csv(api(personas.carol).get("/api/v1/customers/export", {"format": "csv", "status": "signed"}))
    assert [row[2] for row in filtered[1:]] == ["华东精密机械有限公司"]


def test_export_masks_personal_data_like_the_pages(personas):
    customer = make_customer(personas.alice, name="华东精密机械有限公司", phone="021-12345678")
    make_contact(customer, name="王芳", mobile="13812345678")
    viewer = make_user("mia", "米娅", personas.service, "customer_service_manager")  # sees all, may export

    masked = _csv(api(viewer).get("/api/v1/customers/export", {"format": "csv"}))
    full = _csv(api(personas.carol).get("/api/v1/customers/export", {"format": "csv"}))

    header = masked[0]
    phone, mobile = header.index("电话"), header.index("联系人手机")
    assert (masked[1][phone], masked[1][mobile]) == ("021****5678", "138****5678")
    assert (full[1][phone], full[1][mobile]) == ("021-12345678", "13812345678")


def test_export_as_xlsx_and_refusals(personas):
    from openpyxl import load_workbook

    make_customer(personas.alice, name="华东精密机械有限公司")

    response = api(personas.root).get("/api/v1/customers/export", {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    assert [row[2] for row in sheet.iter_rows(values_only=True)] == ["名称", "华东精密机械有限公司"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]

    assert api(personas.alice).get("/api/v1/customers/export").status_code == 403
    assert api(personas.root).get("/api/v1/customers/export", {"format": "pdf"}).status_code == 422


def test_an_export_imports_back_as_updates_without_errors(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    customer = make_customer(personas.alice, name="往返测试有限公司", phone="021-12345678", status="signed",
                             credit_code=credit_code(), credit_limit=Decimal("5000.50"), industry="=危险公式")
    make_contact(customer, name="王芳", mobile="13812345678")
    make_customer(personas.alice, name="公海客户有限公司", city="杭州")
    client = api(personas.root)
    exported = b"".join(client.get("/api/v1/customers/export", {"format": "csv"}).streaming_content)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/api/v1/imports", {
            "record_type": "customers.customer", "file": SimpleUploadedFile("导出.csv", exported),
        })

    body = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert body["errors"] == [] and body["update_rows"] == 2 and body["new_rows"] == 0


def test_custom_fields_are_exported_and_import_back(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kehu.core.customfields.tests.factories import CONTACT, make_definition

    make_definition("sectors", "multi_choice", label="行业方向", choices=["电力", "化工", "冶金"])
    make_definition("founded", "date", label="成立日期")
    make_definition("hobby", "text", record_type=CONTACT, label="爱好")
    customer = make_customer(personas.alice, name="自定义字段有限公司", credit_code=credit_code(),
                             custom={"sectors": ["化工", "电力"], "founded": "2008-05-12"})
    make_contact(customer, name="王芳", custom={"hobby": "围棋"})
    client = api(personas.root)

    exported = _csv(client.get("/api/v1/customers/export", {"format": "csv"}))
    header, values = exported[0], dict(zip(exported[0], exported[1], strict=True))
    assert header[-3:] == ["行业方向", "成立日期", "联系人爱好"]
    assert (values["行业方向"], values["成立日期"], values["联系人爱好"]) == ("电力、化工", "2008-05-12", "围棋")

    content = "\ufeff" + "\n".join(",".join(row) for row in exported)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/api/v1/imports", {
            "record_type": "customers.customer", "file": SimpleUploadedFile("导出.csv", content.encode()),
        })
    body = client.get(f"/api/v1/imports/{response.json()['id']}").json()
    assert body["errors"] == [] and body["update_rows"] == 1
    customer.refresh_from_db()
    assert customer.custom == {"sectors": ["电力", "化工"], "founded": "2008-05-12"}
