"""Import pages (upload → check → preview → confirm → progress), the template, the list's export buttons."""

from __future__ import annotations

import io

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from kehu.core.transfer.models import ImportJob
from kehu.core.transfer.tests.helpers import upload
from kehu.customers.models import Customer
from kehu.customers.tests.factories import credit_code, make_customer

pytestmark = pytest.mark.django_db


def page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def send(client, rows, **kwargs):
    """Upload, and run the check the upload enqueues on commit (as huey does, immediately, in tests)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("transfer:import_start"), {"record_type": "customers.customer", "file": upload(rows, **kwargs)}
        )


def test_the_upload_page_offers_what_i_may_import(personas):
    response = page(personas.carol).get(reverse("transfer:import_start"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "从 Excel 或 CSV 导入" in html and "下载客户导入模板" in html
    assert page(personas.alice).get(reverse("transfer:import_start")).status_code == 403


def test_a_bad_row_is_shown_with_its_column_and_reason_and_nothing_is_written(personas):
    client = page(personas.carol)
    response = send(client, [["好的科技有限公司", credit_code(), "上海", "", "", ""],
                             ["坏的科技有限公司", "", "上海", "12", "", ""]])

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("transfer:import_detail", args=[job.pk])
    html = client.get(response["Location"]).content.decode()
    assert "<td>3</td><td>电话</td>" in html.replace("\n", "")
    assert "请输入有效的电话号码" in html
    assert 'data-testid="import-blocked"' in html and 'data-testid="import-confirm"' not in html
    assert Customer.objects.count() == 0


def test_confirm_imports_and_the_progress_partial_shows_the_result(personas, django_capture_on_commit_callbacks):
    client = page(personas.carol)
    send(client, [["好的科技有限公司", credit_code(), "上海", "", "王芳", "13812345678"]])
    job = ImportJob.objects.get()
    detail = client.get(reverse("transfer:import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-confirm"' in detail and "导入 1 行" in detail

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transfer:import_confirm", args=[job.pk]))
    assert response.status_code == 302

    progress = client.get(reverse("transfer:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = progress.content.decode()
    assert "完成：已导入 1 行。" in html and "hx-trigger" not in html
    assert Customer.objects.get().name == "好的科技有限公司"


def test_a_running_import_polls_its_progress(personas):
    client = page(personas.carol)
    send(client, [["好的科技有限公司", "", "上海", "", "", ""]])
    job = ImportJob.objects.get()
    client.post(reverse("transfer:import_confirm", args=[job.pk]))  # the job waits for the commit

    html = client.get(reverse("transfer:import_progress", args=[job.pk])).content.decode()

    assert 'hx-trigger="every 1s"' in html and "<progress" in html


def test_the_mapping_form_rechecks_with_the_chosen_columns(personas, django_capture_on_commit_callbacks):
    client = page(personas.carol)
    send(client, [["甲科技有限公司", "上海"]], headers=["公司", "城市"])
    job = ImportJob.objects.get()
    assert job.error_rows == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transfer:import_detail", args=[job.pk]), {"column_0": "name", "column_1": "city"})

    job.refresh_from_db()
    assert response.status_code == 302 and job.error_rows == 0 and job.new_rows == 1


def test_the_template_has_the_titles_and_an_example_row(personas):
    from openpyxl import load_workbook

    response = page(personas.carol).get(reverse("transfer:import_template", args=["customers.customer"]))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    headers, example = (list(row) for row in sheet.iter_rows(values_only=True))
    assert headers[:3] == ["客户编号", "类型", "名称*"]
    assert example[2] == "杭州示例科技有限公司"
    assert page(personas.alice).get(reverse("transfer:import_template", args=["customers.customer"])).status_code == 403
    assert page(personas.carol).get(reverse("transfer:import_template", args=["nothing"])).status_code == 404


def test_the_list_offers_export_and_import_to_those_allowed_and_export_keeps_the_filters(personas):
    make_customer(personas.alice, name="华东精密机械有限公司", status="signed")
    make_customer(personas.alice, name="意向客户有限公司")
    client = page(personas.carol)

    html = client.get(reverse("customers:customer_list"), {"status": "signed"}).content.decode()
    assert 'data-testid="customer-export-xlsx"' in html and 'data-testid="customer-import"' in html
    assert "status=signed&amp;format=csv" in html
    alice_html = page(personas.alice).get(reverse("customers:customer_list")).content.decode()
    assert "customer-export" not in alice_html and "customer-import" not in alice_html

    response = client.get(reverse("customers:customer_export"), {"status": "signed", "format": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "华东精密机械有限公司" in content and "意向客户有限公司" not in content


def test_the_template_uploaded_unchanged_imports_its_example(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = page(personas.carol)
    template = client.get(reverse("transfer:import_template", args=["customers.customer"]))
    data = b"".join(template.streaming_content)

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("transfer:import_start"), {
            "record_type": "customers.customer", "file": SimpleUploadedFile("模板.xlsx", data),
        })

    job = ImportJob.objects.get()
    assert job.errors == [] and job.new_rows == 1


def test_the_upload_page_lists_recent_jobs_in_a_fixed_number_of_queries(personas, django_assert_max_num_queries):
    client = page(personas.carol)
    for index in range(3):
        send(client, [[f"列表{index}科技有限公司", "", "上海", "", "", ""]])
    client.get(reverse("transfer:import_start"))  # warm the session

    with django_assert_max_num_queries(8):
        html = client.get(reverse("transfer:import_start")).content.decode()
    assert html.count("客户.csv") == 3


def test_the_upload_answers_at_once_and_the_page_shows_the_check_until_it_is_done(personas):
    client = page(personas.carol)
    with TestCase.captureOnCommitCallbacks() as callbacks:
        response = client.post(reverse("transfer:import_start"), {
            "record_type": "customers.customer", "file": upload([["好的科技有限公司", "", "上海", "", "", ""]]),
        })
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == "checking" and len(callbacks) == 1

    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-checking"' in html and "正在检查文件" in html
    assert 'hx-trigger="every 1s"' in html and "?checking=1" in html
    assert 'data-testid="count-new"' not in html and 'data-testid="import-confirm"' not in html
    progress_url = reverse("transfer:import_progress", args=[job.pk]) + "?checking=1"
    still = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in still and "正在检查文件" in still.content.decode()

    callbacks[0]()  # the check job runs

    done = client.get(progress_url, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and done["HX-Refresh"] == "true"  # the page reloads to show the report
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-confirm"' in html and "hx-trigger" not in html


def test_a_failed_check_is_shown_on_the_page(personas, monkeypatch):
    from kehu.customers.services.transfer import CustomerImporter

    def broken(self, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(CustomerImporter, "validate_rows", broken)
    client = page(personas.carol)
    send(client, [["好的科技有限公司", "", "上海", "", "", ""]])
    job = ImportJob.objects.get()

    html = client.get(reverse("transfer:import_detail", args=[job.pk])).content.decode()

    assert job.status == "failed" and 'data-testid="import-failed"' in html
    assert "检查文件时意外出错" in html and 'data-testid="import-confirm"' not in html


def test_a_manager_reads_the_teams_imports_but_only_the_uploader_acts_on_them(personas):
    from kehu.accounts.models import Scope
    from kehu.core.transfer.tests.helpers import checked
    from kehu.core.transfer.tests.test_selectors import job_of, may_import, sees_users

    may_import(personas.alice)
    sees_users(personas.carol, Scope.SUBTREE)
    job = checked(lambda: job_of(personas.alice))
    manager = page(personas.carol)

    listed = manager.get(reverse("transfer:import_start")).content.decode()
    assert job.original_name in listed and 'data-testid="import-uploader"' in listed
    detail = manager.get(reverse("transfer:import_detail", args=[job.pk]))
    assert detail.status_code == 200 and 'data-testid="import-summary"' in detail.content.decode()
    assert 'data-testid="import-confirm"' not in detail.content.decode()
    assert manager.post(reverse("transfer:import_confirm", args=[job.pk])).status_code == 404
    assert manager.post(reverse("transfer:import_detail", args=[job.pk]), {"column_0": "name"}).status_code == 404
    assert api_get(personas.carol, job.pk) == 200

    uploader = page(personas.alice).get(reverse("transfer:import_detail", args=[job.pk])).content.decode()
    assert 'data-testid="import-confirm"' in uploader


def api_get(user, pk) -> int:
    return page(user).get(f"/api/v1/imports/{pk}").status_code
