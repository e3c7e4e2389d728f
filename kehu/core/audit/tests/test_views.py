from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from kehu.core.audit.context import audit_actor
from kehu.core.audit.tests.helpers import make_record
from kehu.testing.scoped.models import ScopedRecord


def record_url(record) -> str:
    return reverse("audit:change_record_list", args=[ContentType.objects.get_for_model(ScopedRecord).pk, record.pk])


def test_record_owner_sees_field_changes_on_the_record_page(personas, client):
    record = make_record(personas.alice, "旧名称")
    with audit_actor(personas.alice):
        record.title = "新名称"
        record.save()
    client.force_login(personas.alice)

    response = client.get(record_url(record))

    assert response.status_code == 200
    body = response.content.decode()
    assert "<del>旧名称</del> → <ins>新名称</ins>" in body
    assert "<html" in body


def test_htmx_request_gets_only_the_partial(personas, client):
    record = make_record(personas.alice)
    client.force_login(personas.alice)

    response = client.get(record_url(record), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert 'data-testid="change-log"' in body
    assert "<html" not in body


def test_colleague_outside_scope_gets_404(personas, client):
    record = make_record(personas.alice)
    client.force_login(personas.bob)

    assert client.get(record_url(record)).status_code == 404


def test_global_log_filters_by_user(personas, client):
    with audit_actor(personas.alice):
        make_record(personas.alice, "王丽的档案")
    with audit_actor(personas.erin):
        make_record(personas.erin, "赵燕的档案")
    client.force_login(personas.root)

    response = client.get(reverse("audit:change_list"), {"actor": personas.erin.pk})

    body = response.content.decode()
    assert "赵燕的档案" in body
    assert "王丽的档案" not in body


def test_global_log_rejects_reversed_dates_with_a_field_message(personas, client):
    client.force_login(personas.root)

    response = client.get(
        reverse("audit:change_list"), {"date_from": "2026-02-10", "date_to": "2026-02-01"},
        headers={"Accept-Language": "en"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"date_to": ["The end date must not be before the start date."]}


def test_global_log_is_refused_to_a_salesperson(personas, client):
    client.force_login(personas.alice)

    assert client.get(reverse("audit:change_list")).status_code == 403


def test_export_is_csv_with_one_row_per_field(personas, client):
    with audit_actor(personas.alice):
        make_record(personas.alice, "导出档案")
    client.force_login(personas.root)

    response = client.get(reverse("audit:change_export"), {"record_type": ContentType.objects.get_for_model(ScopedRecord).pk})

    content = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content.startswith("\ufeff")
    rows = [line.split(",") for line in content.lstrip("\ufeff").splitlines()[1:]]
    assert [(row[5], row[6], row[8]) for row in rows] == [
        ("导出档案", "title", "导出档案"), ("导出档案", "owner", "王丽"), ("导出档案", "department", "华东销售组"),
    ]


def grant_role(user, record_type, actions, code="custom"):
    from kehu.accounts.models import Role, RoleGrant
    from kehu.accounts.permissions import forget_grants

    role = Role.objects.create(code=code, name=code)
    RoleGrant.objects.create(role=role, record_type=record_type, actions=list(actions), scope="all")
    user.roles.add(role)
    forget_grants(user)


def test_export_right_alone_does_not_open_the_global_log(personas, client):
    with audit_actor(personas.alice):
        make_record(personas.alice, "机密档案")
    grant_role(personas.dave, "audit.changelogentry", ["export"])
    client.force_login(personas.dave)

    response = client.get(reverse("audit:change_export"))

    assert response.status_code == 403


def test_all_changes_refuses_a_reader_without_the_view_right(personas):
    import pytest
    from django.core.exceptions import PermissionDenied

    from kehu.core.audit.selectors import all_changes

    assert all_changes(personas.root).model is not None
    with pytest.raises(PermissionDenied):
        all_changes(personas.alice)


def test_export_labels_fields_in_the_readers_language(personas, client):
    import datetime as dt

    from kehu.core.calendar.models import CalendarOverride
    from kehu.core.calendar.services import calendar_override_set

    with audit_actor(personas.root):
        calendar_override_set(actor=personas.root, date=dt.date(2026, 3, 6), is_working=True, note="年会")
    client.force_login(personas.root)
    params = {"record_type": ContentType.objects.get_for_model(CalendarOverride).pk}

    def labels(**headers) -> list[str]:
        response = client.get(reverse("audit:change_export"), params, headers=headers)
        content = b"".join(response.streaming_content).decode("utf-8")
        return [line.split(",")[6] for line in content.lstrip("\ufeff").splitlines()[1:]]

    assert "working day" in labels(**{"Accept-Language": "en"})
    assert "working day" not in labels()
