"""Accounts pages: login, profile, user/department/role administration, navigation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from kehu.accounts.models import ApiToken, Department, Role, RoleGrant, User
from kehu.testing.personas import PASSWORD

GENERIC = "用户名或密码不正确"
LOGIN = reverse("accounts:login")


def browser(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


# --- login -----------------------------------------------------------------------------------


def test_login_rotates_the_session_key(personas):
    client = browser()
    session = client.session
    session["before_login"] = True
    session.save()
    key_before = session.session_key

    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    key_after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key_after != key_before
    assert not Session.objects.filter(session_key=key_before).exists()
    assert Session.objects.get(session_key=key_after).get_decoded()["_auth_user_id"] == str(personas.alice.pk)


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong-password"), ("ghost", PASSWORD), ("bob", PASSWORD)],  # bob made inactive
)
def test_login_failures_share_one_message_and_status(personas, username, password):
    User.objects.filter(pk=personas.bob.pk).update(is_active=False)

    response = browser().post(LOGIN, {"username": username, "password": password})

    assert response.status_code == 200
    assert GENERIC in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


@pytest.mark.parametrize("username", ["alice", "ghost"])
def test_login_throttled_answers_429_for_known_and_unknown_accounts(personas, settings, username):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT = 2
    client = browser()
    for _ in range(2):
        client.post(LOGIN, {"username": username, "password": "bad-password"})

    response = client.post(LOGIN, {"username": username, "password": PASSWORD})

    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert GENERIC not in response.content.decode()


def test_login_throttled_per_address_across_accounts(personas, settings):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_IP = 3
    for username in ("bob", "carol", "ghost"):
        browser().post(LOGIN, {"username": username, "password": "bad-password"})

    blocked = browser().post(LOGIN, {"username": "alice", "password": PASSWORD})
    elsewhere = Client(REMOTE_ADDR="10.9.9.9").post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert blocked.status_code == 429
    assert "_auth_user_id" not in blocked.wsgi_request.session
    assert elsewhere.status_code == 302


def test_login_failure_pages_are_identical_for_unknown_and_known_accounts(personas):
    def error_of(username):
        response = browser().post(LOGIN, {"username": username, "password": "bad-password"})
        return response.status_code, response.context["form"].non_field_errors()

    assert error_of("alice") == error_of("ghost")


def test_login_page_answers_in_english_when_asked(personas):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(LOGIN, {"username": "ghost", "password": "x"})

    assert "Incorrect username or password." in response.content.decode()


def test_login_redirects_to_a_same_site_next_only(personas):
    inside = browser().post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "/inbox/"})
    outside = browser().post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "https://evil.example/x"})
    scheme_relative = browser().post(LOGIN, {"username": "alice", "password": PASSWORD, "next": "//evil.example/"})

    assert inside["Location"] == "/inbox/"
    assert outside["Location"] == reverse("home")
    assert scheme_relative["Location"] == reverse("home")


def test_login_applies_the_users_language(personas):
    User.objects.filter(pk=personas.alice.pk).update(language="en")

    response = browser().post(LOGIN, {"username": "alice", "password": PASSWORD})

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_login_page_has_the_fields_the_browser_test_drives(db):
    html = browser().get(LOGIN).content.decode()

    assert 'name="username"' in html
    assert 'name="password"' in html
    assert 'data-testid="login-submit"' in html


def test_logout_needs_post_and_ends_the_session(personas):
    client = browser(personas.alice)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


# --- profile ---------------------------------------------------------------------------------


def test_profile_shows_department_and_roles(personas):
    html = browser(personas.alice).get(reverse("accounts:profile")).content.decode()

    assert "华东销售组" in html
    assert "业务员" in html


def test_profile_saves_language_and_sets_the_cookie(personas):
    response = browser(personas.alice).post(
        reverse("accounts:profile"), {"language": "en", "version": personas.alice.version}
    )

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert User.objects.get(pk=personas.alice.pk).language == "en"


def test_password_change_applies_the_rules_and_keeps_me_logged_in(personas):
    client = browser(personas.alice)
    weak = client.post(reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password": "123"})
    assert weak.status_code == 400
    assert User.objects.get(pk=personas.alice.pk).check_password(PASSWORD)

    good = client.post(
        reverse("accounts:password_change"), {"old_password": PASSWORD, "new_password": "Brand-new-pass-2026"}
    )

    assert good.status_code == 302
    assert User.objects.get(pk=personas.alice.pk).check_password("Brand-new-pass-2026")
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_token_is_shown_once_on_the_profile(personas):
    client = browser(personas.alice)

    created = client.post(reverse("accounts:token_create"), {"name": "笔记本"})
    later = client.get(reverse("accounts:profile"))

    token = ApiToken.objects.get(user=personas.alice)
    html = created.content.decode()
    assert created.status_code == 201
    assert 'data-testid="token-key"' in html
    assert token.prefix in html
    assert 'data-testid="token-key"' not in later.content.decode()


def test_token_revoke_only_my_own(personas):
    client = browser(personas.alice)
    client.post(reverse("accounts:token_create"), {"name": "a"})
    theirs = ApiToken.objects.create(user=personas.bob, prefix="kehu_x", key_hash="x" * 64)
    mine = ApiToken.objects.get(user=personas.alice)

    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("accounts:token_revoke", args=[mine.pk])).status_code == 302
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is not None


# --- user administration ---------------------------------------------------------------------


def test_user_list_search_and_htmx_partial(personas):
    client = browser(personas.root)

    full = client.get(reverse("accounts:user_list"), {"q": "赵"})
    partial = client.get(reverse("accounts:user_list"), {"q": "赵"}, HTTP_HX_REQUEST="true")

    assert 'data-testid="users-table"' in full.content.decode()
    assert 'data-testid="user-create"' in full.content.decode()
    assert full.context["users"] == [personas.erin]
    assert "<html" not in partial.content.decode()
    assert 'data-username="erin"' in partial.content.decode()
    assert 'data-username="alice"' not in partial.content.decode()


def test_user_pages_keep_the_testids_the_browser_test_drives(personas):
    client = browser(personas.root)
    listing = client.get(reverse("accounts:user_list")).content.decode()
    form = client.get(reverse("accounts:user_create")).content.decode()

    for testid in ("users-table", "user-row", "user-create", "user-edit", "user-deactivate"):
        assert f'data-testid="{testid}"' in listing
    assert 'data-testid="user-form"' in form
    assert 'name="username"' in form and 'name="password"' in form


def test_user_create_page(personas):
    client = browser(personas.root)
    page = client.get(reverse("accounts:user_create"))
    assert 'data-testid="user-save"' in page.content.decode()

    response = client.post(reverse("accounts:user_create"), {
        "username": "frank", "password": "Frank-pass-2026!", "display_name": "冯兰",
        "department": personas.north.pk, "roles": ["salesperson"], "language": "",
    })

    assert response.status_code == 302
    frank = User.objects.get(username="frank")
    assert (frank.display_name, frank.department) == ("冯兰", personas.north)


def test_user_create_page_shows_password_rules(personas):
    response = browser(personas.root).post(reverse("accounts:user_create"), {"username": "frank", "password": "123"})

    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="frank").exists()


def test_user_edit_page_refuses_a_stale_form(personas):
    client = browser(personas.root)
    url = reverse("accounts:user_edit", args=[personas.erin.pk])
    data = {"display_name": "赵燕燕", "department": personas.north.pk, "roles": ["salesperson"], "version": 0}
    assert client.post(url, data).status_code == 302

    stale = client.post(url, {**data, "display_name": "旧的"})

    assert stale.status_code == 409
    assert User.objects.get(pk=personas.erin.pk).display_name == "赵燕燕"


def test_deactivate_asks_first_then_logs_the_user_out(personas):
    alice = browser(personas.alice)
    admin = browser(personas.root)
    url = reverse("accounts:user_deactivate", args=[personas.alice.pk])

    confirm = admin.get(url)
    assert confirm.status_code == 200
    assert User.objects.get(pk=personas.alice.pk).is_active is True

    assert admin.post(url).status_code == 302
    assert User.objects.get(pk=personas.alice.pk).is_active is False
    assert alice.get(reverse("accounts:profile")).status_code == 302


def test_admin_password_reset_applies_the_rules(personas):
    response = browser(personas.root).post(
        reverse("accounts:user_password_reset", args=[personas.bob.pk]), {"new_password": "password"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["new_password"]
    assert User.objects.get(pk=personas.bob.pk).check_password(PASSWORD)


def test_admin_resets_a_password(personas):
    response = browser(personas.root).post(
        reverse("accounts:user_password_reset", args=[personas.bob.pk]), {"new_password": "Reset-pass-2026"}
    )

    assert response.status_code == 302
    assert User.objects.get(pk=personas.bob.pk).check_password("Reset-pass-2026")


# --- departments and roles -------------------------------------------------------------------


def test_department_tree_page_is_indented(personas):
    html = browser(personas.root).get(reverse("accounts:department_list")).content.decode()

    assert html.index("总部") < html.index("销售部") < html.index("华东销售组")
    assert 'class="depth-2"' in html
    assert "陈卡" in html


def test_department_pages_build_a_deep_tree_with_heads(personas):
    client = browser(personas.root)
    parent = personas.east
    for level in range(4):
        response = client.post(reverse("accounts:department_create"), {
            "name": f"第{level}组", "code": f"deep-{level}", "parent": parent.pk,
            "head": personas.alice.pk if level == 3 else "", "sort_order": 0,
        })
        assert response.status_code == 302
        parent = Department.objects.get(code=f"deep-{level}")

    assert parent.depth == 6
    assert parent.head == personas.alice
    html = client.get(reverse("accounts:department_list")).content.decode()
    assert 'class="depth-6"' in html
    rows = [f'data-code="{code}"' for code in (personas.east.code, "deep-0", "deep-3")]
    assert html.index(rows[0]) < html.index(rows[1]) < html.index(rows[2])


def test_department_edit_page_moves_a_department_with_its_subtree(personas):
    client = browser(personas.root)
    child = Department.objects.create(name="华东一组", code="east-1", parent=personas.east)
    url = reverse("accounts:department_edit", args=[personas.east.pk])
    data = {"name": "华东销售组", "code": personas.east.code, "parent": personas.headquarters.pk,
            "head": "", "sort_order": 0, "version": personas.east.version}

    assert client.post(url, data).status_code == 302

    east = Department.objects.get(pk=personas.east.pk)
    assert east.parent == personas.headquarters
    assert Department.objects.get(pk=child.pk).path == f"{east.path}{child.pk}/"
    stale = client.post(url, {**data, "name": "旧名"})
    assert stale.status_code == 409
    assert Department.objects.get(pk=personas.east.pk).name == "华东销售组"


def test_department_edit_page_moves_and_refuses_cycles(personas):
    client = browser(personas.root)
    url = reverse("accounts:department_edit", args=[personas.sales.pk])
    data = {"name": "销售部", "code": "sales", "parent": personas.east.pk, "head": personas.carol.pk,
            "sort_order": 0, "version": personas.sales.version}

    refused = client.post(url, data)

    assert refused.status_code == 400
    assert refused.context["form"].errors["parent"]
    assert Department.objects.get(pk=personas.sales.pk).parent == personas.headquarters


def test_role_edit_matrix_saves_grants(personas):
    role = Role.objects.get(code="qc")
    client = browser(personas.root)
    page = client.get(reverse("accounts:role_edit", args=[role.pk]))
    assert 'name="grant:accounts.user"' in page.content.decode()

    response = client.post(reverse("accounts:role_edit", args=[role.pk]), {
        "name": "质检", "description": "", "version": role.version,
        "grant:scoped.scopedrecord": ["view", "export"], "scope:scoped.scopedrecord": "department",
    })

    assert response.status_code == 302
    grant = RoleGrant.objects.get(role=role)
    assert (grant.record_type, grant.actions, grant.scope) == ("scoped.scopedrecord", ["view", "export"], "department")


def test_role_edit_page_refuses_a_stale_form(personas):
    role = Role.objects.get(code="qc")
    client = browser(personas.root)
    url = reverse("accounts:role_edit", args=[role.pk])
    data = {"name": "质检员", "description": "", "version": role.version}
    assert client.post(url, data).status_code == 302

    stale = client.post(url, {**data, "name": "旧名", "grant:accounts.user": ["view"], "scope:accounts.user": "all"})

    assert stale.status_code == 409
    assert "其他人修改" in stale.content.decode()
    assert Role.objects.get(pk=role.pk).name == "质检员"
    assert not RoleGrant.objects.filter(role=role, record_type="accounts.user").exists()


def test_role_create_page_with_grants_per_record_type(personas):
    response = browser(personas.root).post(reverse("accounts:role_create"), {
        "code": "auditor", "name": "审计", "description": "",
        "grant:accounts.user": ["view", "export"], "scope:accounts.user": "subtree",
        "grant:accounts.department": ["view"], "scope:accounts.department": "all",
    })

    assert response.status_code == 302
    grants = {g.record_type: (g.actions, g.scope) for g in RoleGrant.objects.filter(role__code="auditor")}
    assert grants == {"accounts.user": (["view", "export"], "subtree"), "accounts.department": (["view"], "all")}


def test_role_create_page_refuses_an_action_the_record_type_lacks(personas):
    response = browser(personas.root).post(reverse("accounts:role_create"), {
        "code": "auditor", "name": "审计", "grant:accounts.user": ["fly"], "scope:accounts.user": "all",
    })

    assert response.status_code == 400
    assert "fly" in response.content.decode()
    assert not Role.objects.filter(code="auditor").exists()


def test_navigation_shows_admin_entries_only_to_those_who_may_view(personas):
    admin_html = browser(personas.root).get(reverse("home")).content.decode()
    rep_html = browser(personas.alice).get(reverse("home")).content.decode()

    for key in ("users", "departments", "roles"):
        assert f'data-nav="{key}"' in admin_html
        assert f'data-nav="{key}"' not in rep_html


def test_a_back_office_save_makes_an_open_edit_form_stale(personas):
    from django.contrib.admin.sites import site

    role = Role.objects.get(code="qc")
    read_at = role.version
    changed = Role.objects.get(pk=role.pk)
    changed.name = "质检（后台）"
    site._registry[Role].save_model(None, changed, None, True)

    stale = browser(personas.root).post(
        reverse("accounts:role_edit", args=[role.pk]), {"name": "质检", "description": "", "version": read_at}
    )

    assert stale.status_code == 409
    assert Role.objects.get(pk=role.pk).name == "质检（后台）"


# --- who may administer whom -----------------------------------------------------------------


def _user_admin(personas, scope: str = "all") -> User:
    from kehu.accounts.services import GrantInput, role_create

    role = role_create(
        actor=personas.root, code="hr", name="人事",
        grants=[GrantInput(rt, ["view", "create", "edit"], scope) for rt in ("accounts.user", "accounts.department")],
    )
    personas.carol.roles.add(role)
    return User.objects.get(pk=personas.carol.pk)


def test_a_user_administrator_cannot_reset_a_superusers_password_on_the_page(personas):
    boss = User.objects.create_superuser(username="boss", password=PASSWORD, email="boss@example.com")

    response = browser(_user_admin(personas)).post(
        reverse("accounts:user_password_reset", args=[boss.pk]), {"new_password": "Taken-over-2026!"}
    )

    assert response.status_code == 403
    assert User.objects.get(pk=boss.pk).check_password(PASSWORD)


def test_department_head_choices_are_the_users_in_my_scope(personas):
    client = browser(_user_admin(personas, "subtree"))

    for url in (reverse("accounts:department_create"), reverse("accounts:department_edit", args=[personas.north.pk])):
        heads = dict(client.get(url).context["form"].fields["head"].choices)
        assert str(personas.erin.pk) in heads
        assert str(personas.dave.pk) not in heads  # customer service, outside sales
        assert str(personas.root.pk) not in heads
