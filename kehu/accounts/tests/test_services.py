"""Services of organisation and access: login throttle, deactivation, stale edits, tree, roles."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from kehu.accounts import services
from kehu.accounts.models import ApiToken, Department, LoginAttempt, Role, RoleGrant, User
from kehu.accounts.services import GrantInput
from kehu.testing.personas import PASSWORD


def _request(ip: str = "10.0.0.1"):
    return RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)


def _fail(username: str, ip: str = "10.0.0.1") -> type[Exception]:
    try:
        services.login_check(request=_request(ip), username=username, password="wrong-password")
    except (services.LoginRefused, services.LoginThrottled) as exc:
        return type(exc)
    raise AssertionError("a wrong password was accepted")


# --- login throttle --------------------------------------------------------------------------


def test_login_check_accepts_right_password_case_insensitively(personas):
    user = services.login_check(request=_request(), username=" ALICE ", password=PASSWORD)

    assert user == personas.alice
    assert LoginAttempt.objects.get().username == "alice"
    assert LoginAttempt.objects.get().succeeded is True


def test_account_throttled_after_max_failures_even_with_right_password(personas, settings):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT = 3
    settings.KEHU_LOGIN_MAX_FAILURES_PER_IP = 100

    answers = [_fail("alice", ip=f"10.0.0.{i}") for i in range(3)]

    assert answers == [services.LoginRefused] * 3
    with pytest.raises(services.LoginThrottled):
        services.login_check(request=_request("10.9.9.9"), username="alice", password=PASSWORD)
    # Another account is not affected.
    assert services.login_check(request=_request("10.0.0.1"), username="bob", password=PASSWORD) == personas.bob


def test_unknown_account_is_throttled_exactly_like_a_known_one(personas, settings):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT = 2
    settings.KEHU_LOGIN_MAX_FAILURES_PER_IP = 100

    known = [_fail("alice") for _ in range(3)]
    unknown = [_fail("nobody-here") for _ in range(3)]

    expected = [services.LoginRefused, services.LoginRefused, services.LoginThrottled]
    assert known == expected
    assert unknown == expected


def test_address_throttled_after_max_failures_across_accounts(personas, settings):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT = 100
    settings.KEHU_LOGIN_MAX_FAILURES_PER_IP = 3
    for name in ("x1", "x2", "x3"):
        _fail(name, ip="10.0.0.7")

    with pytest.raises(services.LoginThrottled):
        services.login_check(request=_request("10.0.0.7"), username="alice", password=PASSWORD)
    assert services.login_check(request=_request("10.0.0.8"), username="alice", password=PASSWORD) == personas.alice


def test_failures_outside_the_window_do_not_count(personas, settings):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT = 2
    settings.KEHU_LOGIN_WINDOW_SECONDS = 60
    _fail("alice")
    _fail("alice")
    from datetime import timedelta

    from django.utils import timezone

    LoginAttempt.objects.update(at=timezone.now() - timedelta(seconds=61))

    assert services.login_check(request=_request(), username="alice", password=PASSWORD) == personas.alice


def test_success_clears_the_account_failures(personas, settings):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT = 2
    _fail("alice")
    services.login_check(request=_request(), username="alice", password=PASSWORD)

    answers = [_fail("alice") for _ in range(3)]

    assert answers == [services.LoginRefused, services.LoginRefused, services.LoginThrottled]


def test_inactive_user_gets_the_same_refusal_as_a_wrong_password(personas):
    User.objects.filter(pk=personas.bob.pk).update(is_active=False)

    with pytest.raises(services.LoginRefused) as inactive:
        services.login_check(request=_request(), username="bob", password=PASSWORD)
    with pytest.raises(services.LoginRefused) as wrong:
        services.login_check(request=_request(), username="alice", password="nope-nope")
    with pytest.raises(services.LoginRefused) as unknown:
        services.login_check(request=_request(), username="ghost", password=PASSWORD)

    assert str(inactive.value) == str(wrong.value) == str(unknown.value)


# --- deactivation ----------------------------------------------------------------------------


def test_deactivation_ends_sessions_and_tokens_at_the_next_request(personas):
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert browser.get(reverse("accounts:profile")).status_code == 200
    key = services.api_token_create(actor=personas.alice, name="cli").key
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert Client().get("/api/v1/me", **bearer).status_code == 200

    services.user_deactivate(actor=personas.root, user=personas.alice)

    response = browser.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Client().get("/api/v1/me", **bearer).status_code == 401
    assert ApiToken.objects.filter(user=personas.alice, revoked_at__isnull=True).count() == 0
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(personas.alice.pk)]


def test_deactivation_outside_the_service_still_ends_access_at_the_next_request(personas):
    # e.g. an administrator unticks "active" in the back-office: nothing is deleted,
    # but the session and the token are refused all the same.
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    key = services.api_token_create(actor=personas.alice, name="cli").key
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    User.objects.filter(pk=personas.alice.pk).update(is_active=False)

    assert browser.get(reverse("accounts:profile")).status_code == 302
    assert Client().get("/api/v1/me", **bearer).status_code == 401


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.cached_db"]
)
def test_deactivation_ends_cache_sessions_at_the_next_request(personas, settings, engine):
    settings.SESSION_ENGINE = engine
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert browser.get(reverse("accounts:profile")).status_code == 200

    services.user_deactivate(actor=personas.root, user=personas.alice)

    assert browser.get(reverse("accounts:profile")).status_code == 302


def test_password_reset_applies_the_password_rules(personas):
    with pytest.raises(ValidationError) as error:
        services.user_set_password(actor=personas.root, user=personas.bob, password="bob12345", field="new_password")

    assert list(error.value.message_dict) == ["new_password"]
    assert User.objects.get(pk=personas.bob.pk).check_password(PASSWORD)


def test_deactivation_keeps_other_users_sessions(personas):
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": "bob", "password": PASSWORD})

    services.user_deactivate(actor=personas.root, user=personas.alice)

    assert browser.get(reverse("accounts:profile")).status_code == 200


def test_cannot_deactivate_yourself(personas):
    with pytest.raises(ValidationError) as error:
        services.user_deactivate(actor=personas.root, user=personas.root)

    assert "is_active" in error.value.message_dict
    assert User.objects.get(pk=personas.root.pk).is_active is True


def test_activation_lets_the_user_log_in_again(personas):
    services.user_deactivate(actor=personas.root, user=personas.alice)

    services.user_activate(actor=personas.root, user=personas.alice)

    assert services.login_check(request=_request(), username="alice", password=PASSWORD) == personas.alice


# --- users -----------------------------------------------------------------------------------


def test_user_create_refuses_a_weak_password_naming_the_field(personas):
    with pytest.raises(ValidationError) as error:
        services.user_create(actor=personas.root, username="frank", password="123")

    assert set(error.value.message_dict) == {"password"}
    assert not User.objects.filter(username="frank").exists()


def test_user_create_refuses_a_username_that_differs_only_in_case(personas):
    with pytest.raises(ValidationError) as error:
        services.user_create(actor=personas.root, username="Alice", password="Quite-long-pass-42")

    assert set(error.value.message_dict) == {"username"}


def test_user_update_with_an_old_version_is_refused(personas):
    alice = User.objects.get(pk=personas.alice.pk)
    read_version = alice.version
    services.user_update(actor=personas.root, user=alice, version=read_version, display_name="王丽丽")

    with pytest.raises(services.StaleEdit):
        services.user_update(
            actor=personas.root, user=User.objects.get(pk=alice.pk), version=read_version, display_name="覆盖",
        )

    alice.refresh_from_db()
    assert alice.display_name == "王丽丽"
    assert alice.version == read_version + 1


def test_user_update_replaces_roles(personas):
    manager = Role.objects.get(code="business_manager")

    services.user_update(actor=personas.root, user=personas.alice, version=personas.alice.version, roles=[manager])

    assert list(personas.alice.roles.values_list("code", flat=True)) == ["business_manager"]


# --- departments -----------------------------------------------------------------------------


def test_department_cannot_move_under_its_own_descendant(personas):
    sales = Department.objects.get(pk=personas.sales.pk)

    with pytest.raises(ValidationError) as error:
        services.department_update(
            actor=personas.root, department=sales, version=sales.version, parent=personas.east,
        )

    assert set(error.value.message_dict) == {"parent"}
    assert Department.objects.get(pk=sales.pk).parent_id == personas.headquarters.pk


def test_department_move_carries_its_subtree(personas):
    east = Department.objects.get(pk=personas.east.pk)
    pod = services.department_create(actor=personas.root, name="上海小组", code="sh", parent=east)

    services.department_update(
        actor=personas.root, department=east, version=east.version, parent=personas.service,
    )

    pod.refresh_from_db()
    assert pod.path == f"{personas.service.path}{east.pk}/{pod.pk}/"
    assert set(personas.service.subtree_ids()) == {personas.service.pk, east.pk, pod.pk}


def test_department_update_with_old_version_is_refused(personas):
    north = Department.objects.get(pk=personas.north.pk)
    services.department_update(actor=personas.root, department=north, version=north.version, name="华北大区")

    with pytest.raises(services.StaleEdit):
        services.department_update(actor=personas.root, department=north, version=0, name="旧名")

    assert Department.objects.get(pk=north.pk).name == "华北大区"


def test_department_delete_only_when_empty(personas):
    with pytest.raises(ValidationError):
        services.department_delete(actor=personas.root, department=personas.east)  # alice, bob
    with pytest.raises(ValidationError):
        services.department_delete(actor=personas.root, department=personas.sales)  # children
    empty = services.department_create(actor=personas.root, name="空部门", code="empty")

    services.department_delete(actor=personas.root, department=empty)

    assert not Department.objects.filter(code="empty").exists()
    assert Department.objects.filter(pk=personas.east.pk).exists()


# --- roles -----------------------------------------------------------------------------------


def test_role_grants_are_validated_against_record_types_actions_and_scopes(personas):
    with pytest.raises(ValidationError) as error:
        services.role_create(
            actor=personas.root, code="auditor", name="审计",
            grants=[
                GrantInput("nothing.such", ["view"], "all"),
                GrantInput("accounts.user", ["view", "fly"], "all"),
                GrantInput("accounts.role", ["view"], "galaxy"),
            ],
        )

    assert set(error.value.message_dict) == {
        "grants.nothing.such", "grants.accounts.user", "grants.accounts.role",
    }
    assert not Role.objects.filter(code="auditor").exists()


def test_role_create_stores_grants_and_holders_get_them(personas):
    role = services.role_create(
        actor=personas.root, code="auditor", name="审计",
        grants=[GrantInput("accounts.user", ["export", "view"], "subtree")],
    )
    personas.dave.roles.add(role)

    grant = RoleGrant.objects.get(role=role)
    assert (grant.record_type, grant.actions, grant.scope) == ("accounts.user", ["view", "export"], "subtree")
    from kehu.accounts.permissions import scope_of

    assert scope_of(User.objects.get(pk=personas.dave.pk), "accounts.user") == "subtree"


def test_role_update_replaces_all_grants(personas):
    role = services.role_create(
        actor=personas.root, code="auditor", name="审计",
        grants=[GrantInput("accounts.user", ["view"], "all"), GrantInput("accounts.role", ["view"], "all")],
    )

    services.role_update(
        actor=personas.root, role=role, version=role.version,
        grants=[GrantInput("accounts.department", ["view"], "own")],
    )

    assert list(role.grants.values_list("record_type", flat=True)) == ["accounts.department"]


def test_role_update_with_an_old_version_is_refused(personas):
    role = services.role_create(actor=personas.root, code="auditor", name="审计")
    read_at = role.version
    services.role_update(actor=personas.root, role=role, version=read_at, name="审计员")

    with pytest.raises(services.StaleEdit):
        services.role_update(
            actor=personas.root, role=role, version=read_at, grants=[GrantInput("accounts.user", ["view"], "all")]
        )

    assert Role.objects.get(pk=role.pk).name == "审计员"
    assert not RoleGrant.objects.filter(role=role).exists()


def test_role_delete_refuses_shipped_roles_and_roles_in_use(personas):
    with pytest.raises(ValidationError):
        services.role_delete(actor=personas.root, role=Role.objects.get(code="qc"))
    custom = services.role_create(actor=personas.root, code="temp", name="临时")
    personas.dave.roles.add(custom)
    with pytest.raises(ValidationError):
        services.role_delete(actor=personas.root, role=custom)
    personas.dave.roles.remove(custom)

    services.role_delete(actor=personas.root, role=custom)

    assert not Role.objects.filter(code="temp").exists()
    assert Role.objects.filter(code="qc").exists()


# --- tokens ----------------------------------------------------------------------------------


def test_api_token_is_stored_hashed_and_shown_once(personas):
    issued = services.api_token_create(actor=personas.alice, name="手机")

    assert issued.key.startswith("kehu_")
    assert len(issued.key) > 40
    row = ApiToken.objects.get()
    assert row.key_hash != issued.key
    assert issued.key not in (row.key_hash, row.prefix)
    assert issued.key.startswith(row.prefix)
    assert row.expires_at is not None


def test_api_token_revoke_stops_the_token(personas):
    issued = services.api_token_create(actor=personas.alice)

    services.api_token_revoke(actor=personas.alice, token=issued.token)

    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {issued.key}").status_code == 401


# --- default roles ---------------------------------------------------------------------------


def test_default_roles_carry_the_seeds_chinese_names(db):
    from kehu.accounts.defaults import ensure_default_roles

    ensure_default_roles()
    ensure_default_roles()  # idempotent
    names = dict(Role.objects.filter(is_system=True).values_list("code", "name"))

    assert names == {
        "salesperson": "业务员", "account_specialist": "客户专员", "consultant": "顾问", "partner": "合作伙伴",
        "business_manager": "业务经理", "technical_engineer": "技术工程师", "technical_manager": "技术经理",
        "customer_service": "客服", "customer_service_manager": "客服经理", "admin_office": "行政/管理员",
        "qc": "质检", "marketing_vp": "营销副总", "gm": "总经理", "sysadmin": "系统管理员",
    }


def test_default_roles_are_created_in_the_installations_language_and_never_overwrite_edits(db, settings):
    from kehu.accounts.defaults import ensure_default_roles

    ensure_default_roles()
    Role.objects.filter(code="qc").update(name="品质检查")
    Role.objects.filter(code="gm").delete()
    settings.LANGUAGE_CODE = "en"

    ensure_default_roles()

    assert Role.objects.get(code="qc").name == "品质检查"
    assert Role.objects.get(code="gm").name == "General manager"


def test_a_user_administrator_without_role_rights_cannot_hand_out_other_roles(personas):
    manager = services.role_create(
        actor=personas.root, code="hr", name="人事",
        grants=[GrantInput("accounts.user", ["view", "create", "edit"], "all")],
    )
    personas.carol.roles.add(manager)
    carol = User.objects.get(pk=personas.carol.pk)
    sysadmin = Role.objects.get(code="sysadmin")

    with pytest.raises(ValidationError) as error:
        services.user_update(actor=carol, user=carol, version=carol.version, roles=[*carol.roles.all(), sysadmin])
    with pytest.raises(ValidationError):
        services.user_create(actor=carol, username="mole", password="Mole-pass-2026!", roles=[sysadmin])

    assert list(error.value.message_dict) == ["roles"]
    assert not User.objects.get(pk=carol.pk).roles.filter(code="sysadmin").exists()
    salesperson = Role.objects.get(code="salesperson")
    with pytest.raises(PermissionDenied):  # erin holds a role carol does not
        services.user_update(actor=carol, user=personas.erin, version=personas.erin.version, roles=[salesperson])
    carol.roles.add(salesperson)
    carol = User.objects.get(pk=carol.pk)
    services.user_update(actor=carol, user=personas.erin, version=personas.erin.version, roles=[salesperson])
    personas.erin.refresh_from_db()
    services.user_update(actor=personas.root, user=personas.erin, version=personas.erin.version, roles=[sysadmin])
    assert list(User.objects.get(pk=personas.erin.pk).roles.values_list("code", flat=True)) == ["sysadmin"]


# --- who may administer whom -----------------------------------------------------------------


def _user_admin(personas, scope: str = "all", *record_types: str) -> User:
    """carol (business manager, head of sales) given user rights but no right to edit roles."""
    role = services.role_create(
        actor=personas.root, code="hr", name="人事",
        grants=[GrantInput(rt, ["view", "create", "edit"], scope) for rt in ("accounts.user", *record_types)],
    )
    personas.carol.roles.add(role)
    return User.objects.get(pk=personas.carol.pk)


def _sessions_of(user: User) -> list[Session]:
    return [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)]


def test_a_user_administrator_cannot_take_over_a_superuser(personas):
    carol = _user_admin(personas)
    boss = User.objects.create_superuser(username="boss", password=PASSWORD, email="boss@example.com")

    with pytest.raises(PermissionDenied):
        services.user_set_password(actor=carol, user=boss, password="Taken-over-2026!")
    with pytest.raises(PermissionDenied):
        services.user_update(actor=carol, user=boss, version=boss.version, email="carol@example.com")
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=carol, user=boss)

    boss.refresh_from_db()
    assert boss.check_password(PASSWORD)
    assert (boss.email, boss.is_active) == ("boss@example.com", True)


def test_a_user_administrator_cannot_act_on_someone_holding_a_role_they_lack(personas):
    carol = _user_admin(personas)

    with pytest.raises(PermissionDenied):  # root holds sysadmin, carol does not
        services.user_set_password(actor=carol, user=personas.root, password="Taken-over-2026!")
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=carol, user=personas.root)

    assert User.objects.get(pk=personas.root.pk).check_password(PASSWORD)
    assert User.objects.get(pk=personas.root.pk).is_active
    # someone holding only roles carol holds too is hers to administer
    clerk = services.user_create(actor=carol, username="clerk", password="Clerk-pass-2026!",
                                 roles=Role.objects.filter(code="business_manager"))
    services.user_set_password(actor=carol, user=clerk, password="Clerk-new-2026!")
    assert User.objects.get(pk=clerk.pk).check_password("Clerk-new-2026!")


def test_a_user_out_of_the_actors_scope_does_not_exist_for_the_service(personas):
    carol = _user_admin(personas, "subtree")  # sales and below; dave sits in service

    with pytest.raises(Http404):
        services.user_set_password(actor=carol, user=personas.dave, password="Taken-over-2026!")
    with pytest.raises(Http404):
        services.user_update(actor=carol, user=personas.dave, version=personas.dave.version, mobile="1")

    assert User.objects.get(pk=personas.dave.pk).check_password(PASSWORD)


def test_admin_password_reset_revokes_tokens_and_ends_sessions(personas):
    Client().force_login(personas.bob)
    Client().force_login(personas.alice)
    services.api_token_create(actor=personas.bob, name="cli")
    services.api_token_create(actor=personas.alice, name="cli")

    services.user_set_password(actor=personas.root, user=personas.bob, password="Reset-pass-2026!")

    assert not ApiToken.objects.filter(user=personas.bob, revoked_at__isnull=True).exists()
    assert not _sessions_of(personas.bob)
    assert ApiToken.objects.filter(user=personas.alice, revoked_at__isnull=True).exists()
    assert _sessions_of(personas.alice)


def test_changing_my_own_password_keeps_my_tokens(personas):
    services.api_token_create(actor=personas.bob, name="cli")

    services.user_set_password(actor=personas.bob, user=personas.bob, password="My-new-pass-2026!")

    assert ApiToken.objects.filter(user=personas.bob, revoked_at__isnull=True).exists()


def test_user_department_must_be_in_the_actors_scope(personas):
    carol = _user_admin(personas, "subtree", "accounts.department")

    with pytest.raises(ValidationError) as created:
        services.user_create(actor=carol, username="mole", password="Mole-pass-2026!", department=personas.service)
    with pytest.raises(ValidationError) as updated:
        services.user_update(actor=carol, user=personas.carol, version=carol.version, department=personas.service)

    assert created.value.message_dict == {"department": ["部门不存在。"]}
    assert set(updated.value.message_dict) == {"department"}
    assert not User.objects.filter(username="mole").exists()
    assert User.objects.get(pk=carol.pk).department_id == personas.sales.pk
    assert services.user_create(
        actor=carol, username="newbie", password="Newbie-pass-2026!", department=personas.north,
    ).department_id == personas.north.pk


def test_department_parent_and_head_must_be_in_the_actors_scope(personas):
    carol = _user_admin(personas, "subtree", "accounts.department")
    north = Department.objects.get(pk=personas.north.pk)

    with pytest.raises(ValidationError) as parent:
        services.department_create(actor=carol, name="卧底", code="mole", parent=personas.service)
    with pytest.raises(ValidationError) as head:
        services.department_create(actor=carol, name="卧底", code="mole", parent=north, head=personas.dave)
    with pytest.raises(ValidationError) as moved:
        services.department_update(actor=carol, department=north, version=north.version, parent=personas.service)
    with pytest.raises(ValidationError) as headed:
        services.department_update(actor=carol, department=north, version=north.version, head=personas.dave)

    assert set(parent.value.message_dict) == {"parent"}
    assert head.value.message_dict == {"head": ["该用户不存在或已停用。"]}
    assert set(moved.value.message_dict) == {"parent"}
    assert set(headed.value.message_dict) == {"head"}
    assert not Department.objects.filter(code="mole").exists()
    assert Department.objects.get(pk=north.pk).parent_id == personas.sales.pk
    pod = services.department_create(actor=carol, name="华北一组", code="north-1", parent=north, head=personas.erin)
    assert (pod.parent_id, pod.head_id) == (north.pk, personas.erin.pk)
