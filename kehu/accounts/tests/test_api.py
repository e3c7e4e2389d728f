"""The accounts API: tokens, /me, users (cursor pages), departments and roles."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kehu.accounts import services
from kehu.accounts.models import ApiToken, Department, Role, User, hash_token
from kehu.testing.personas import PASSWORD

GENERIC = "用户名或密码不正确。"


def api(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if user is not None:
        client.force_login(user)
    return client


def post(client: Client, url: str, data: dict, method: str = "post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


# --- tokens ----------------------------------------------------------------------------------


def test_token_endpoint_issues_a_working_token_shown_once(personas):
    response = post(api(), "/api/v1/auth/token", {"username": "alice", "password": PASSWORD, "name": "脚本"})

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("kehu_")
    assert body["token"].startswith(body["prefix"])
    assert body["expires_at"] is not None
    assert ApiToken.objects.get().key_hash == hash_token(body["token"])
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.json()["user"]["username"] == "alice"
    listed = Client().get("/api/v1/auth/tokens", HTTP_AUTHORIZATION=f"Bearer {body['token']}").json()
    assert [t["name"] for t in listed] == ["脚本"]
    assert "token" not in listed[0]


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong-password"), ("nobody", PASSWORD), ("bob", PASSWORD)],  # bob is made inactive
)
def test_token_endpoint_gives_one_answer_for_every_failure(personas, username, password):
    User.objects.filter(pk=personas.bob.pk).update(is_active=False)

    response = post(api(), "/api/v1/auth/token", {"username": username, "password": password})

    assert response.status_code == 401
    assert response.json() == {"detail": GENERIC, "errors": []}
    assert ApiToken.objects.count() == 0


def test_token_endpoint_is_throttled_with_429(personas, settings):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT = 2
    for _ in range(2):
        post(api(), "/api/v1/auth/token", {"username": "alice", "password": "bad-password"})

    response = post(api(), "/api/v1/auth/token", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert ApiToken.objects.count() == 0


def test_token_endpoint_throttles_unknown_and_known_accounts_alike(personas, settings):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT = 2
    answers = {}
    for username in ("alice", "ghost"):
        for _ in range(2):
            post(api(), "/api/v1/auth/token", {"username": username, "password": "bad-password"})
        response = post(api(), "/api/v1/auth/token", {"username": username, "password": PASSWORD})
        answers[username] = (response.status_code, response.json())

    assert answers["alice"] == answers["ghost"]
    assert answers["alice"][0] == 429
    assert "登录失败次数过多" in answers["alice"][1]["detail"]


def test_token_endpoint_is_throttled_per_address_across_accounts(personas, settings):
    settings.KEHU_LOGIN_MAX_FAILURES_PER_IP = 3
    for username in ("bob", "carol", "ghost"):
        post(api(), "/api/v1/auth/token", {"username": username, "password": "bad-password"})

    blocked = post(api(), "/api/v1/auth/token", {"username": "alice", "password": PASSWORD})
    elsewhere = Client(REMOTE_ADDR="10.9.9.9").post(
        "/api/v1/auth/token", data=json.dumps({"username": "alice", "password": PASSWORD}),
        content_type="application/json",
    )

    assert blocked.status_code == 429
    assert elsewhere.status_code == 201


def test_revoking_my_token_and_not_someone_elses(personas):
    mine = services.api_token_create(actor=personas.alice).token
    theirs = services.api_token_create(actor=personas.bob).token
    client = api(personas.alice)

    assert client.delete(f"/api/v1/auth/tokens/{theirs.pk}").status_code == 404
    assert client.delete(f"/api/v1/auth/tokens/{mine.pk}").status_code == 204

    assert ApiToken.objects.get(pk=mine.pk).revoked_at is not None
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


# --- me --------------------------------------------------------------------------------------


def test_me_lists_department_roles_and_effective_grants(personas):
    body = api(personas.carol).get("/api/v1/me").json()

    assert body["user"]["username"] == "carol"
    assert body["department"] == {"id": personas.sales.pk, "name": "销售部"}
    assert body["roles"] == [{"code": "business_manager", "name": "业务经理"}]
    scoped = next(g for g in body["grants"] if g["record_type"] == "scoped.scopedrecord")
    assert scoped == {
        "record_type": "scoped.scopedrecord",
        "actions": ["view", "create", "edit", "delete", "export"],
        "scope": "subtree",
    }
    assert not [g for g in body["grants"] if g["record_type"] == "accounts.user"]


def test_me_needs_authentication(db):
    response = Client().get("/api/v1/me")

    assert response.status_code == 401


# --- users -----------------------------------------------------------------------------------


def test_users_list_pages_with_an_opaque_cursor(personas):
    client = api(personas.root)
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/v1/users?limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(url).json()
        seen += [u["username"] for u in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert seen == ["alice", "bob", "carol", "dave", "erin", "root"]
    assert pages == 3


def test_users_list_filters(personas):
    client = api(personas.root)

    def names(query: str) -> list[str]:
        return [u["username"] for u in client.get(f"/api/v1/users?{query}").json()["items"]]

    User.objects.filter(pk=personas.bob.pk).update(is_active=False)
    assert names(f"department={personas.east.pk}") == ["alice", "bob"]
    assert names("role=salesperson") == ["alice", "bob", "erin"]
    assert names("active=false") == ["bob"]
    assert names("q=王丽") == ["alice"]


def test_users_list_refuses_bad_limit_and_bad_cursor(personas):
    client = api(personas.root)

    assert client.get("/api/v1/users?limit=201").status_code == 422
    bad = client.get("/api/v1/users?cursor=!!!")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"


def test_users_list_is_refused_without_the_view_right(personas):
    assert api(personas.alice).get("/api/v1/users").status_code == 403


def test_user_create_reports_password_problems_per_field(personas):
    response = post(api(personas.root), "/api/v1/users", {"username": "frank", "password": "frank"})

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"password"}
    assert not User.objects.filter(username="frank").exists()


def test_user_create_with_department_and_roles(personas):
    response = post(api(personas.root), "/api/v1/users", {
        "username": "frank", "password": "Frank-pass-2026!", "display_name": "冯兰",
        "department_id": personas.north.pk, "roles": ["salesperson"],
    })

    assert response.status_code == 201
    frank = User.objects.get(username="frank")
    assert frank.department == personas.north
    assert list(frank.roles.values_list("code", flat=True)) == ["salesperson"]
    assert frank.check_password("Frank-pass-2026!")


def test_user_update_with_stale_version_answers_409(personas):
    client = api(personas.root)
    version = client.get(f"/api/v1/users/{personas.alice.pk}").json()["version"]
    first = post(client, f"/api/v1/users/{personas.alice.pk}", {"version": version, "mobile": "13800000001"}, "patch")

    second = post(client, f"/api/v1/users/{personas.alice.pk}", {"version": version, "mobile": "13900000002"}, "patch")

    assert first.status_code == 200
    assert first.json()["version"] == version + 1
    assert second.status_code == 409
    assert "reload" in second.json()["detail"].lower() or "重新" in second.json()["detail"]
    assert User.objects.get(pk=personas.alice.pk).mobile == "13800000001"


def test_user_detail_out_of_scope_is_404(personas):
    assert api(personas.alice).get(f"/api/v1/users/{personas.bob.pk}").status_code == 404


def test_deactivate_and_activate_through_the_api(personas):
    client = api(personas.root)

    assert client.post(f"/api/v1/users/{personas.bob.pk}/deactivate").json()["is_active"] is False
    assert client.post(f"/api/v1/users/{personas.bob.pk}/activate").json()["is_active"] is True


def test_deactivated_users_bearer_token_and_session_fail_on_the_next_call(personas):
    key = services.api_token_create(actor=personas.bob, name="cli").key
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    session = api(personas.bob)
    assert Client().get("/api/v1/me", **bearer).status_code == 200
    assert session.get("/api/v1/me").status_code == 200

    assert api(personas.root).post(f"/api/v1/users/{personas.bob.pk}/deactivate").status_code == 200

    assert Client().get("/api/v1/me", **bearer).status_code == 401
    assert session.get("/api/v1/me").status_code == 401


def test_admin_resets_a_password_through_the_api_with_the_rules(personas):
    client = api(personas.root)
    url = f"/api/v1/users/{personas.bob.pk}/password"

    weak = post(client, url, {"password": "12345678"})
    assert weak.status_code == 422
    assert {e["field"] for e in weak.json()["errors"]} == {"password"}
    assert User.objects.get(pk=personas.bob.pk).check_password(PASSWORD)

    assert post(client, url, {"password": "Reset-pass-2026!"}).status_code == 204
    assert User.objects.get(pk=personas.bob.pk).check_password("Reset-pass-2026!")
    assert post(api(personas.alice), url, {"password": "Reset-pass-2026!"}).status_code == 404


# --- departments -----------------------------------------------------------------------------


def test_departments_list_is_a_tree_with_heads_and_counts(personas):
    tree = api(personas.root).get("/api/v1/departments").json()

    assert [d["code"] for d in tree] == ["hq"]
    sales = next(d for d in tree[0]["children"] if d["code"] == "sales")
    assert sales["head"] == {"id": personas.carol.pk, "name": "陈卡"}
    assert sales["member_count"] == 1
    assert [(c["code"], c["member_count"], c["depth"]) for c in sales["children"]] == [
        ("sales-east", 2, 2), ("sales-north", 1, 2),
    ]


def test_department_move_under_own_descendant_is_refused_with_a_field_message(personas):
    response = post(api(personas.root), f"/api/v1/departments/{personas.sales.pk}", {
        "version": personas.sales.version, "parent_id": personas.north.pk,
    }, "patch")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["parent"]


def test_department_create_update_delete(personas):
    client = api(personas.root)
    created = post(client, "/api/v1/departments", {"name": "华南销售组", "code": "sales-south", "parent_id": personas.sales.pk})
    assert created.status_code == 201
    pk = created.json()["id"]

    updated = post(client, f"/api/v1/departments/{pk}", {"version": 0, "head_id": personas.erin.pk}, "patch")
    assert updated.status_code == 200
    assert updated.json()["head_id"] == personas.erin.pk

    assert client.delete(f"/api/v1/departments/{personas.east.pk}").status_code == 422
    assert client.delete(f"/api/v1/departments/{pk}").status_code == 204
    assert not Department.objects.filter(pk=pk).exists()


# --- roles -----------------------------------------------------------------------------------


def test_roles_list_shows_grants(personas):
    roles = api(personas.root).get("/api/v1/roles").json()

    sysadmin = next(r for r in roles if r["code"] == "sysadmin")
    assert sysadmin["is_system"] is True
    assert sysadmin["user_count"] == 1
    assert {"record_type": "accounts.user", "actions": list(sysadmin["grants"][0]["actions"]), "scope": "all"} in sysadmin["grants"]


def test_role_create_with_invalid_grants_names_the_grant(personas):
    response = post(api(personas.root), "/api/v1/roles", {
        "code": "viewer", "name": "查看员",
        "grants": [{"record_type": "accounts.user", "actions": ["fly"], "scope": "all"}],
    })

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["grants.accounts.user"]
    assert not Role.objects.filter(code="viewer").exists()


def test_role_create_update_delete(personas):
    client = api(personas.root)
    created = post(client, "/api/v1/roles", {
        "code": "viewer", "name": "查看员",
        "grants": [{"record_type": "accounts.user", "actions": ["view"], "scope": "department"}],
    })
    assert created.status_code == 201
    pk = created.json()["id"]

    updated = post(client, f"/api/v1/roles/{pk}", {"version": created.json()["version"], "grants": []}, "patch")
    assert updated.json()["grants"] == []
    stale = post(client, f"/api/v1/roles/{pk}", {"version": created.json()["version"], "name": "旧"}, "patch")
    assert stale.status_code == 409
    assert Role.objects.get(pk=pk).name == "查看员"

    assert client.delete(f"/api/v1/roles/{Role.objects.get(code='gm').pk}").status_code == 422
    assert client.delete(f"/api/v1/roles/{pk}").status_code == 204


# --- who may administer whom, and in which departments --------------------------------------


def _user_admin(personas, scope: str = "all") -> User:
    role = services.role_create(
        actor=personas.root, code="hr", name="人事",
        grants=[
            services.GrantInput(rt, ["view", "create", "edit"], scope)
            for rt in ("accounts.user", "accounts.department")
        ],
    )
    personas.carol.roles.add(role)
    return User.objects.get(pk=personas.carol.pk)


def test_a_user_administrator_cannot_reset_a_superusers_password(personas):
    boss = User.objects.create_superuser(username="boss", password=PASSWORD, email="boss@example.com")

    response = post(api(_user_admin(personas)), f"/api/v1/users/{boss.pk}/password", {"password": "Taken-over-2026!"})

    assert response.status_code == 403
    assert User.objects.get(pk=boss.pk).check_password(PASSWORD)


def test_admin_password_reset_through_the_api_revokes_the_users_tokens(personas):
    key = services.api_token_create(actor=personas.bob, name="cli").key

    assert post(api(personas.root), f"/api/v1/users/{personas.bob.pk}/password", {"password": "Reset-pass-2026!"}).status_code == 204

    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_department_ids_out_of_scope_answer_like_unknown_ones(personas):
    client = api(_user_admin(personas, "subtree"))
    unknown = 999_999

    answers = [
        post(client, "/api/v1/departments", {"name": "卧底", "code": "mole", "parent_id": parent})
        for parent in (personas.service.pk, unknown)
    ] + [
        post(client, "/api/v1/departments", {"name": "卧底", "code": "mole", "parent_id": personas.north.pk, "head_id": head})
        for head in (personas.dave.pk, unknown)
    ] + [
        post(client, "/api/v1/users", {"username": "mole", "password": "Mole-pass-2026!", "department_id": department})
        for department in (personas.service.pk, unknown)
    ]

    assert [a.status_code for a in answers] == [422] * 6
    errors = [a.json()["errors"] for a in answers]
    assert errors[0] == errors[1] and [e["field"] for e in errors[0]] == ["parent"]
    assert errors[2] == errors[3] and [e["field"] for e in errors[2]] == ["head"]
    assert errors[4] == errors[5] and [e["field"] for e in errors[4]] == ["department"]
    assert not Department.objects.filter(code="mole").exists()
    assert not User.objects.filter(username="mole").exists()
