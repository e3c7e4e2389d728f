"""Matrix entries for every accounts page and API operation.

Only root (系统管理员) holds rights on users, departments and roles; everyone else
gets 403 on the lists and create forms, 404 on a single record (it is outside
their scope). The scoped test model has no routes.
"""

from __future__ import annotations

from kehu.accounts.models import ApiToken, Department, Role
from kehu.testing.matrix import Case
from kehu.testing.personas import PASSWORD

JSON = "application/json"
PAGE_ADMIN = {"anonymous": 302, "root": 200}  # others: default 403
API_ADMIN = {"anonymous": 401, "root": 200}


def _alice_token(world) -> None:
    world["token"] = ApiToken.objects.create(
        user=world.p.alice, name="matrix", prefix="kehu_matrix", key_hash="m" * 64
    )


def _empty_department(world) -> None:
    world["empty"] = Department.objects.create(name="空部门", code="matrix-empty", parent=world.p.headquarters)


def _custom_role(world) -> None:
    world["role"] = Role.objects.create(code="matrix-role", name="测试角色")


def _pk(key):
    return lambda world: [world[key].pk]


def _persona(name):
    return lambda world: [getattr(world.p, name).pk]


def _qc(world):
    return [Role.objects.get(code="qc").pk]


NEW_USER = {
    "username": "matrix-user", "password": "Matrix-pass-2026!", "display_name": "矩阵",
    "department": "", "roles": ["salesperson"], "language": "",
}

CASES = [
    # --- pages: login and the profile ---
    Case(route="accounts:login", expect={"anonymous": 200}, default=302),
    Case(route="accounts:login", method="POST", id="POST accounts:login (wrong password)",
         data=lambda w: {"username": "alice", "password": "not-the-password"},
         expect={"anonymous": 200}, default=200, may_write=("accounts.LoginAttempt",)),
    Case(route="accounts:logout", method="POST", data=lambda w: {}, expect={}, default=302),
    Case(route="accounts:profile", expect={"anonymous": 302}, default=200),
    Case(route="accounts:password_change", method="POST",
         data=lambda w: {"old_password": "wrong-password", "new_password": "Another-pass-2026"},
         expect={"anonymous": 302}, default=400),
    Case(route="accounts:token_create", method="POST", data=lambda w: {"name": "matrix"},
         expect={"anonymous": 302}, default=201),
    Case(route="accounts:token_revoke", method="POST", setup=_alice_token, args=_pk("token"),
         data=lambda w: {}, expect={"anonymous": 302, "alice": 302}, default=404),
    # --- pages: users ---
    Case(route="accounts:user_list", expect=PAGE_ADMIN, default=403),
    Case(route="accounts:user_create", expect=PAGE_ADMIN, default=403),
    Case(route="accounts:user_create", method="POST", id="POST accounts:user_create",
         data=lambda w: NEW_USER, expect={"anonymous": 302, "root": 302}, default=403),
    Case(route="accounts:user_edit", args=_persona("alice"), expect=PAGE_ADMIN, default=404),
    Case(route="accounts:user_deactivate", args=_persona("bob"), expect=PAGE_ADMIN, default=404),
    Case(route="accounts:user_deactivate", method="POST", id="POST accounts:user_deactivate",
         args=_persona("bob"), data=lambda w: {}, expect={"anonymous": 302, "root": 302}, default=404),
    Case(route="accounts:user_activate", args=_persona("bob"), expect=PAGE_ADMIN, default=404),
    Case(route="accounts:user_password_reset", args=_persona("bob"), expect=PAGE_ADMIN, default=404),
    # --- pages: departments ---
    Case(route="accounts:department_list", expect=PAGE_ADMIN, default=403),
    Case(route="accounts:department_create", expect=PAGE_ADMIN, default=403),
    Case(route="accounts:department_edit", args=lambda w: [w.p.east.pk], expect=PAGE_ADMIN, default=404),
    Case(route="accounts:department_delete", method="POST", setup=_empty_department, args=_pk("empty"),
         data=lambda w: {}, expect={"anonymous": 302, "root": 302}, default=404),
    # --- pages: roles ---
    Case(route="accounts:role_list", expect=PAGE_ADMIN, default=403),
    Case(route="accounts:role_create", expect=PAGE_ADMIN, default=403),
    Case(route="accounts:role_edit", args=_qc, expect=PAGE_ADMIN, default=404),
    Case(route="accounts:role_delete", method="POST", setup=_custom_role, args=_pk("role"),
         data=lambda w: {}, expect={"anonymous": 302, "root": 302}, default=404),
    # --- API: tokens and me ---
    Case(route="api:auth_token_create", method="POST", content_type=JSON,
         data=lambda w: {"username": "alice", "password": PASSWORD}, expect={}, default=201),
    Case(route="api:auth_token_create", method="POST", content_type=JSON, id="POST api:auth_token_create (wrong)",
         data=lambda w: {"username": "alice", "password": "wrong-password"}, expect={}, default=401,
         may_write=("accounts.LoginAttempt",)),
    Case(route="api:auth_token_list", expect={"anonymous": 401}, default=200),
    Case(route="api:auth_token_revoke", method="DELETE", setup=_alice_token, args=_pk("token"),
         expect={"anonymous": 401, "alice": 204}, default=404),
    Case(route="api:me", expect={"anonymous": 401}, default=200),
    # --- API: users ---
    Case(route="api:users_list", expect=API_ADMIN, default=403),
    Case(route="api:users_create", method="POST", content_type=JSON,
         data=lambda w: {"username": "matrix-user", "password": "Matrix-pass-2026!"},
         expect={"anonymous": 401, "root": 201}, default=403),
    Case(route="api:users_get", args=_persona("alice"), expect=API_ADMIN, default=404),
    Case(route="api:users_update", method="PATCH", args=_persona("bob"), content_type=JSON,
         data=lambda w: {"version": w.p.bob.version, "mobile": "13800000000"}, expect=API_ADMIN, default=404),
    Case(route="api:users_deactivate", method="POST", args=_persona("bob"), expect=API_ADMIN, default=404),
    Case(route="api:users_activate", method="POST", args=_persona("bob"), expect=API_ADMIN, default=404),
    Case(route="api:users_password_reset", method="POST", args=_persona("bob"), content_type=JSON,
         data=lambda w: {"password": "Matrix-reset-2026!"}, expect={"anonymous": 401, "root": 204}, default=404),
    # --- API: departments ---
    Case(route="api:departments_list", expect=API_ADMIN, default=403),
    Case(route="api:departments_create", method="POST", content_type=JSON,
         data=lambda w: {"name": "矩阵部", "code": "matrix-new"}, expect={"anonymous": 401, "root": 201}, default=403),
    Case(route="api:departments_update", method="PATCH", args=lambda w: [w.p.north.pk], content_type=JSON,
         data=lambda w: {"version": w.p.north.version, "name": "华北大区"}, expect=API_ADMIN, default=404),
    Case(route="api:departments_delete", method="DELETE", setup=_empty_department, args=_pk("empty"),
         expect={"anonymous": 401, "root": 204}, default=404),
    # --- API: roles ---
    Case(route="api:roles_list", expect=API_ADMIN, default=403),
    Case(route="api:roles_create", method="POST", content_type=JSON,
         data=lambda w: {"code": "matrix-new", "name": "新角色"}, expect={"anonymous": 401, "root": 201}, default=403),
    Case(route="api:roles_update", method="PATCH", setup=_custom_role, args=_pk("role"), content_type=JSON,
         data=lambda w: {"version": w["role"].version, "name": "改名"}, expect=API_ADMIN, default=404),
    Case(route="api:roles_delete", method="DELETE", setup=_custom_role, args=_pk("role"),
         expect={"anonymous": 401, "root": 204}, default=404),
]
