"""The import engine: the check (a job) writes nothing, confirm refuses bad files, the run is all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kehu.core.audit.models import ChangeLogEntry
from kehu.core.transfer import selectors, services
from kehu.core.transfer.models import ColumnMapping, ImportJob, ImportStatus
from kehu.core.transfer.tests.helpers import checked, upload
from kehu.customers.models import Contact, Customer
from kehu.customers.tests.factories import credit_code

pytestmark = pytest.mark.django_db
CUSTOMER = "customers.customer"


def good_rows(count: int = 3) -> list[list]:
    return [
        [f"导入测试{i}号科技有限公司", credit_code(5000 + i), "上海", f"021-6{i:07d}", f"王{i}", f"139{i:08d}"]
        for i in range(count)
    ]


def preview(actor, rows, **kwargs) -> ImportJob:
    return checked(lambda: services.import_upload(actor=actor, record_type=CUSTOMER, uploaded_file=upload(rows, **kwargs)))


def run(actor, job, capture) -> ImportJob:
    with capture(execute=True):
        services.import_confirm(actor=actor, job=job)
    job.refresh_from_db()
    return job


def test_the_preview_checks_every_row_and_writes_nothing(personas):
    rows = good_rows(2) + [["坏行科技有限公司", "123", "上海", "", "", ""]]

    job = preview(personas.carol, rows)

    assert job.status == ImportStatus.PREVIEWED
    assert (job.total_rows, job.new_rows, job.error_rows) == (3, 2, 1)
    assert job.errors == [
        {"row": 4, "column": "统一社会信用代码", "message": "统一社会信用代码应为 18 位，当前为 3 位。"}
    ]
    assert Customer.objects.count() == 0 and Contact.objects.count() == 0
    assert job.path.exists()


def test_a_file_with_errors_cannot_be_confirmed(personas):
    job = preview(personas.carol, [["", "", "上海", "", "", ""]])

    assert job.errors[0]["row"] == 2 and job.errors[0]["column"] == "名称"
    with pytest.raises(ValidationError) as excinfo:
        services.import_confirm(actor=personas.carol, job=job)
    assert "1 行有错误" in excinfo.value.message_dict["file"][0]
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.PREVIEWED


def test_confirm_runs_the_job_and_writes_customers_contacts_and_the_change_log(
    personas, django_capture_on_commit_callbacks
):
    job = run(personas.carol, preview(personas.carol, good_rows(3)), django_capture_on_commit_callbacks)

    assert job.status == ImportStatus.DONE and job.progress == 100 and job.written_rows == 3
    customers = Customer.objects.order_by("pk")
    assert customers.count() == 3 and {c.owner for c in customers} == {personas.carol}
    assert all(c.search_text and c.name_key for c in customers)
    assert Contact.objects.filter(is_primary=True).count() == 3
    created = ChangeLogEntry.objects.filter(action="create", actor=personas.carol, note="导入")
    assert created.count() == 6
    phone_change = next(c for c in created.filter(object_id=str(customers[0].pk), content_type__model="customer")[0].changes if c["field"] == "phone")
    assert phone_change["new"] == "021****0000"  # personal data masked, as the automatic log does


def test_a_failure_half_way_leaves_no_row_behind(personas, django_capture_on_commit_callbacks, monkeypatch):
    from kehu.customers.services import transfer as customer_transfer

    monkeypatch.setattr(customer_transfer, "BATCH", 2)
    original = customer_transfer.bulk_insert
    calls = []

    def failing_insert(model, objs, *args, **kwargs):
        if model is Contact:
            calls.append(len(objs))
            if len(calls) == 2:
                raise RuntimeError("disk full")
        return original(model, objs, *args, **kwargs)

    monkeypatch.setattr(customer_transfer, "bulk_insert", failing_insert)
    job = run(personas.carol, preview(personas.carol, good_rows(5)), django_capture_on_commit_callbacks)

    assert calls == [2, 2]  # the first batch was written before the failure …
    assert job.status == ImportStatus.FAILED and "未导入任何数据" in job.message
    assert Customer.objects.count() == 0 and Contact.objects.count() == 0  # … and rolled back
    assert not ChangeLogEntry.objects.filter(note="导入").exists()


def test_the_run_checks_again_and_a_new_row_may_become_an_update(personas, django_capture_on_commit_callbacks):
    rows = good_rows(1)
    job = preview(personas.carol, rows)
    Customer.objects.create(name="别人", credit_code=rows[0][1], owner=personas.erin, department=personas.north)

    job = run(personas.carol, job, django_capture_on_commit_callbacks)

    # erin's customer is in carol's scope, so the row became an update: no second customer
    assert job.status == ImportStatus.DONE and (job.new_rows, job.update_rows) == (0, 1)
    assert Customer.objects.count() == 1 and Customer.objects.get().name == rows[0][0]


def test_a_second_run_of_the_same_job_does_nothing(personas, django_capture_on_commit_callbacks):
    job = run(personas.carol, preview(personas.carol, good_rows(2)), django_capture_on_commit_callbacks)

    assert services.import_run(job_id=job.pk) is None
    assert Customer.objects.count() == 2
    with pytest.raises(ValidationError):
        services.import_confirm(actor=personas.carol, job=job)


def test_importing_needs_the_import_right(personas):
    with pytest.raises(PermissionDenied):
        preview(personas.alice, good_rows(1))
    with pytest.raises(ValidationError) as excinfo:
        services.import_upload(actor=personas.carol, record_type="nothing.here", uploaded_file=upload([]))
    assert "不支持导入" in excinfo.value.message_dict["record_type"][0]


def test_a_job_is_its_uploaders(personas):
    job = preview(personas.carol, good_rows(1))

    assert selectors.import_job_get(actor=personas.carol, pk=job.pk) == job
    for other in (personas.alice, personas.root):  # root holds the sysadmin role but is no superuser
        with pytest.raises(Http404):
            selectors.import_job_get(actor=other, pk=job.pk)


def test_a_missing_required_column_is_reported_and_the_mapping_fixes_it(personas):
    job = preview(personas.carol, [["甲科技有限公司", "上海"]], headers=["公司", "城市"])

    assert job.errors == [{"row": 1, "column": "名称", "message": "缺少这一列：请在文件中添加，或在列对应关系中选择。"}]

    job = checked(lambda: services.import_preview(actor=personas.carol, job=job, mapping={"0": "name", "1": "city"}))

    assert job.error_rows == 0 and job.new_rows == 1
    remembered = ColumnMapping.objects.get(user=personas.carol, record_type=CUSTOMER).mapping
    assert remembered["公司"] == "name"
    again = preview(personas.carol, [["乙科技有限公司", "上海"]], headers=["公司", "城市"])
    assert again.mapping == {"0": "name", "1": "city"} and again.error_rows == 0


def test_a_mapping_may_not_use_a_field_twice_or_an_unknown_one(personas):
    job = preview(personas.carol, [["甲科技有限公司", "上海"]], headers=["公司", "城市"])

    with pytest.raises(ValidationError) as excinfo:
        services.import_preview(actor=personas.carol, job=job, mapping={"0": "name", "1": "name"})
    assert "被选给了两列" in excinfo.value.message_dict["mapping"][0]
    with pytest.raises(ValidationError):
        services.import_preview(actor=personas.carol, job=job, mapping={"0": "password"})


def test_gbk_and_xlsx_files_import_like_utf8(personas):
    rows = good_rows(1)
    assert preview(personas.carol, rows, encoding="gb18030").new_rows == 1
    assert preview(personas.carol, rows, name="客户.xlsx").new_rows == 1


def test_an_unknown_file_type_is_refused(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as excinfo:
        services.import_upload(actor=personas.carol, record_type=CUSTOMER,
                               uploaded_file=SimpleUploadedFile("a.pdf", b"%PDF"))
    assert excinfo.value.message_dict["file"] == ["请上传 Excel（.xlsx）或 CSV 文件。"]


def test_a_busy_database_fails_the_job_cleanly(personas, django_capture_on_commit_callbacks, monkeypatch):
    from django.db import OperationalError

    from kehu.customers.services.transfer import CustomerImporter

    def locked(self, **kwargs):
        Customer.objects.create(name="写了一半")
        raise OperationalError("database is locked")

    monkeypatch.setattr(CustomerImporter, "apply", locked)
    job = run(personas.carol, preview(personas.carol, good_rows(2)), django_capture_on_commit_callbacks)

    assert job.status == ImportStatus.FAILED
    assert job.message == "数据库繁忙，未导入任何数据，请稍后重试。"
    assert Customer.objects.count() == 0


def test_the_run_reports_what_changed_in_the_uploaders_language(personas, django_capture_on_commit_callbacks):
    from django.utils import translation

    from kehu.customers.tests.factories import make_customer

    theirs = make_customer(personas.alice, name="按编号更新有限公司")
    with translation.override("en"):
        job = checked(lambda: services.import_upload(
            actor=personas.carol, record_type=CUSTOMER,
            uploaded_file=upload([[str(theirs.pk), "按编号更新有限公司", "杭州"]], headers=["客户编号", "名称", "城市"]),
        ))
    assert job.update_rows == 1 and job.language == "en"
    personas.carol.department = personas.service  # alice's customer leaves carol's scope
    personas.carol.save()

    job = run(personas.carol, job, django_capture_on_commit_callbacks)

    assert job.status == ImportStatus.FAILED and job.update_rows == 0 and job.error_rows == 1
    assert job.errors[0]["message"] == "There is no customer with this ID in your scope."
    assert job.message.startswith("The data changed since the check")
    theirs.refresh_from_db()
    assert theirs.city == "上海"


def test_the_upload_answers_at_once_and_the_check_runs_as_a_job(personas, django_capture_on_commit_callbacks):
    rows = good_rows(2) + [["坏行科技有限公司", "123", "上海", "", "", ""]]

    with django_capture_on_commit_callbacks() as callbacks:
        job = services.import_upload(actor=personas.carol, record_type=CUSTOMER, uploaded_file=upload(rows))
        stored = ImportJob.objects.get(pk=job.pk)
        assert (stored.status, stored.total_rows, stored.headers[0]) == (ImportStatus.CHECKING, 0, "客户名称")
        assert stored.mapping["0"] == "name"
    assert len(callbacks) == 1  # the check, enqueued once the job is committed

    callbacks[0]()

    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.progress == 100
    assert (job.total_rows, job.new_rows, job.error_rows) == (3, 2, 1)


def test_a_second_run_of_the_check_does_nothing(personas):
    job = preview(personas.carol, good_rows(2))
    ImportJob.objects.filter(pk=job.pk).update(new_rows=99)

    assert services.import_check(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED and job.new_rows == 99


def test_the_check_reports_its_progress(personas, monkeypatch):
    from kehu.customers.services.transfer import CustomerImporter

    seen = []
    original = CustomerImporter.validate_rows

    def validate_rows(self, *, actor, rows, progress):  # an importer that reports how far it is
        seen.append(ImportJob.objects.get().progress)
        progress(len(rows) // 2, len(rows))
        seen.append(ImportJob.objects.get().progress)
        return original(self, actor=actor, rows=rows)

    monkeypatch.setattr(CustomerImporter, "validate_rows", validate_rows)
    job = preview(personas.carol, good_rows(4))

    assert seen == [services.PROGRESS_READ, (services.PROGRESS_READ + services.PROGRESS_CHECKED_ALL) // 2]
    assert job.status == ImportStatus.PREVIEWED and job.progress == 100 and job.new_rows == 4


def test_a_failed_check_fails_the_job_in_the_uploaders_language(personas, monkeypatch):
    from django.utils import translation

    from kehu.customers.services.transfer import CustomerImporter

    def broken(self, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(CustomerImporter, "validate_rows", broken)
    job = preview(personas.carol, good_rows(1))
    assert job.status == ImportStatus.FAILED
    assert job.message == "检查文件时意外出错，未导入任何数据。请重新上传文件。"

    with translation.override("en"):
        english = preview(personas.carol, good_rows(1))
    assert english.message == "The check failed unexpectedly; nothing was imported. Please upload the file again."
    with pytest.raises(ValidationError):
        services.import_confirm(actor=personas.carol, job=english)


def test_a_file_being_checked_cannot_be_remapped_or_confirmed(personas):
    job = services.import_upload(actor=personas.carol, record_type=CUSTOMER, uploaded_file=upload(good_rows(1)))

    with pytest.raises(ValidationError) as excinfo:
        services.import_preview(actor=personas.carol, job=job, mapping={"0": "name"})
    assert excinfo.value.message_dict["status"] == ["正在检查文件，请等检查完成。"]
    with pytest.raises(ValidationError):
        services.import_confirm(actor=personas.carol, job=job)
    assert ImportJob.objects.get(pk=job.pk).mapping["1"] == "credit_code"


def test_imports_a_stopped_worker_left_behind_are_failed_with_a_message(personas):
    import datetime

    from django.utils import timezone

    from kehu.core.transfer.models import ImportJob
    from kehu.core.transfer.tasks import fail_stale_imports

    now = timezone.now()
    old, recent = now - datetime.timedelta(hours=4), now - datetime.timedelta(minutes=20)

    def job(status, **fields):
        return ImportJob.objects.create(record_type="customers.customer", original_name="a.csv", stored_name="x",
                                        uploaded_by=personas.carol, status=status, language="zh-hans", **fields)

    stuck_check = job(ImportStatus.CHECKING, created_at=old)
    stuck_run = job(ImportStatus.RUNNING, created_at=old, started_at=old)
    busy_run = job(ImportStatus.RUNNING, created_at=old, started_at=recent)  # a long run still going
    done = job(ImportStatus.DONE, created_at=old, started_at=old)

    assert fail_stale_imports.call_local() == 2

    for stale in (stuck_check, stuck_run):
        stale.refresh_from_db()
        assert stale.status == ImportStatus.FAILED and "中断" in stale.message and stale.finished_at
    busy_run.refresh_from_db(), done.refresh_from_db()
    assert (busy_run.status, done.status) == (ImportStatus.RUNNING, ImportStatus.DONE)
    assert services.imports_fail_stale() == 0
