"""The automatic change log: create, update, delete, M2M, masking, actor, append-only."""

import pytest
from django.contrib.contenttypes.models import ContentType

from kehu.accounts.models import Role, User
from kehu.core.audit.context import audit_actor
from kehu.core.audit.models import Action, AppendOnlyError, ChangeLogEntry
from kehu.core.audit.selectors import changes_for
from kehu.core.audit.tests.helpers import make_record


def fields_of(entry) -> dict[str, tuple[str, str]]:
    return {change["field"]: (change["old"], change["new"]) for change in entry.changes}


def test_create_is_logged_with_actor_and_new_values(personas):
    with audit_actor(personas.alice):
        record = make_record(personas.alice, "上海华信")

    entry = changes_for(record).get()
    assert entry.action == Action.CREATE
    assert entry.actor == personas.alice
    assert entry.actor_repr == "王丽"
    assert entry.object_repr == "上海华信"
    assert fields_of(entry) == {
        "title": ("", "上海华信"), "owner": ("", "王丽"), "department": ("", "华东销售组"),
    }


def test_update_logs_only_changed_fields_old_to_new(personas):
    record = make_record(personas.alice, "上海华信")
    with audit_actor(personas.carol):
        record.title = "上海华信科技"
        record.save()

    entry = changes_for(record).first()
    assert entry.action == Action.UPDATE
    assert entry.actor == personas.carol
    assert fields_of(entry) == {"title": ("上海华信", "上海华信科技")}


def test_save_without_change_writes_nothing(personas):
    record = make_record(personas.alice)
    before = ChangeLogEntry.objects.count()

    record.save()

    assert ChangeLogEntry.objects.count() == before


def test_delete_is_logged_with_old_values_and_repr_kept(personas):
    record = make_record(personas.alice, "待删除档案")
    pk = record.pk
    with audit_actor(personas.root):
        record.delete()

    entry = ChangeLogEntry.objects.filter(object_id=str(pk), action=Action.DELETE).get()
    assert entry.object_repr == "待删除档案"
    assert entry.actor == personas.root
    assert fields_of(entry)["title"] == ("待删除档案", "")


def test_without_actor_the_system_is_recorded(personas):
    record = make_record(personas.alice)

    assert changes_for(record).get().actor is None


def test_user_mobile_is_stored_masked_and_password_never(personas):
    user = personas.bob
    with audit_actor(personas.root):
        user.mobile = "13812345678"
        user.set_password("Another-pass-2026")
        user.save()

    entry = changes_for(user).first()
    assert fields_of(entry) == {"mobile": ("", "138****5678")}
    assert "13812345678" not in str(ChangeLogEntry.objects.filter(object_id=str(user.pk)).values_list("changes"))


def test_user_creation_log_has_no_password(personas):
    user = User.objects.create_user("frank", password="Kehu-test-pass-2026", mobile="13900001111")

    entry = changes_for(user).get(action=Action.CREATE)
    assert "password" not in fields_of(entry)
    assert fields_of(entry)["mobile"] == ("", "139****1111")


def test_login_touching_last_login_only_writes_nothing(personas):
    from django.contrib.auth.models import update_last_login

    before = ChangeLogEntry.objects.count()

    update_last_login(None, personas.alice)

    personas.alice.refresh_from_db()
    assert personas.alice.last_login is not None
    assert ChangeLogEntry.objects.count() == before


def test_roles_added_to_a_user_are_logged_as_a_field_change(personas):
    manager = Role.objects.get(code="business_manager")
    with audit_actor(personas.root):
        personas.alice.roles.add(manager)

    entry = changes_for(personas.alice).first()
    assert entry.actor == personas.root
    assert fields_of(entry) == {"roles": ("业务员", "业务员, 业务经理")}


def test_users_removed_from_a_role_are_logged_on_each_user(personas):
    salesperson = Role.objects.get(code="salesperson")
    with audit_actor(personas.root):
        salesperson.users.remove(personas.alice, personas.bob)

    for user in (personas.alice, personas.bob):
        assert fields_of(changes_for(user).first()) == {"roles": ("业务员", "")}


def test_department_rename_is_logged(personas):
    personas.east.name = "华东大区"
    personas.east.save()

    entry = changes_for(personas.east).first()
    assert fields_of(entry) == {"name": ("华东销售组", "华东大区")}


def test_entry_cannot_be_changed_or_deleted(personas):
    entry = changes_for(make_record(personas.alice)).get()

    entry.note = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ChangeLogEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        ChangeLogEntry.objects.all().delete()
    assert ChangeLogEntry.objects.get(pk=entry.pk).note == ""


def test_change_in_a_rolled_back_transaction_leaves_no_entry(personas):
    from django.db import transaction

    before = ChangeLogEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_record(personas.alice)
        raise RuntimeError

    assert ChangeLogEntry.objects.count() == before


def test_request_user_is_the_actor_through_the_middleware(personas, client, settings):
    settings.ROOT_URLCONF = "kehu.core.audit.tests.urls_for_tests"
    client.force_login(personas.carol)

    client.post("/rename/", {"department": personas.north.pk, "name": "华北大区"})

    entry = changes_for(personas.north).first()
    assert entry.actor == personas.carol
    assert ContentType.objects.get_for_id(entry.content_type_id).model == "department"
