"""Accounts API: tokens, who am I, and users/departments/roles for administrators."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from kehu.accounts import selectors, services
from kehu.accounts.models import ApiToken, Department, Role, User
from kehu.accounts.permissions import access, require
from kehu.accounts.schemas import (
    DepartmentCreateIn,
    DepartmentNodeOut,
    DepartmentOut,
    DepartmentUpdateIn,
    MeOut,
    PasswordResetIn,
    RoleCreateIn,
    RoleOut,
    RoleUpdateIn,
    TokenIn,
    TokenIssuedOut,
    TokenOut,
    UserCreateIn,
    UserFilter,
    UserOut,
    UserUpdateIn,
)
from kehu.core.api.pagination import CursorPage, CursorParams, paginate

router = Router(tags=["accounts"])


# --- tokens and me ---------------------------------------------------------------------------


@router.post("/auth/token", response={201: TokenIssuedOut}, auth=None, url_name="auth_token_create")
def auth_token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a personal token (shown once; send it as Bearer)."""
    try:
        user = services.login_check(request=request, username=payload.username, password=payload.password)
    except services.LoginThrottled as exc:
        raise HttpError(429, str(exc)) from exc
    except services.LoginRefused as exc:
        raise HttpError(401, str(exc)) from exc
    issued = services.api_token_create(actor=user, name=payload.name)
    token = issued.token
    return Status(201, {
        "token": issued.key, "id": token.pk, "name": token.name,
        "prefix": token.prefix, "expires_at": token.expires_at,
    })


@router.get("/auth/tokens", response=list[TokenOut], url_name="auth_token_list")
def auth_token_list(request: HttpRequest):
    """My API tokens (never their keys)."""
    return list(ApiToken.objects.filter(user=request.user))


@router.delete("/auth/tokens/{token_id}", response={204: None}, url_name="auth_token_revoke")
def auth_token_revoke(request: HttpRequest, token_id: int):
    """Revoke one of my tokens; it stops working at once."""
    token = ApiToken.objects.filter(user=request.user, pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(actor=request.user, token=token)
    return Status(204, None)


def _department_ref(department: Department | None) -> dict | None:
    return {"id": department.pk, "name": department.name} if department else None


@router.get("/me", response=MeOut, url_name="me")
def me(request: HttpRequest):
    """Who am I: my account, department, roles and effective rights per record type."""
    user = request.user
    return {
        "user": {
            "id": user.pk, "username": user.username, "name": user.name, "email": user.email,
            "language": user.language, "is_superuser": user.is_superuser,
        },
        "department": _department_ref(user.department),
        "roles": [{"code": r.code, "name": r.name} for r in user.roles.order_by("code")],
        "grants": selectors.effective_grants(user),
    }


# --- users -----------------------------------------------------------------------------------


def _user_out(user: User) -> dict:
    return {
        "id": user.pk, "username": user.username, "display_name": user.display_name,
        "name": user.name, "email": user.email, "mobile": user.mobile,
        "department": _department_ref(user.department),
        "roles": [{"code": r.code, "name": r.name} for r in user.roles.all()],
        "language": user.language, "is_active": user.is_active,
        "last_login": user.last_login, "version": user.version,
    }


def _department_or_error(department_id: int | None, field: str = "department"):
    """The department an id names; whether the actor may use it is the service's rule.

    The message and field are the service's, so an unknown id and one outside the
    actor's scope answer alike.
    """
    if not department_id:
        return None
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise ValidationError({field: _("No such department.")})
    return department


def _roles_or_error(codes: list[str]) -> list[Role]:
    roles = list(Role.objects.filter(code__in=codes))
    missing = sorted(set(codes) - {r.code for r in roles})
    if missing:
        raise ValidationError({"roles": _("Unknown roles: %(codes)s.") % {"codes": ", ".join(missing)}})
    return roles


@router.get("/users", response=CursorPage[UserOut], url_name="users_list")
def users_list(request: HttpRequest, page: Query[CursorParams], filters: Query[UserFilter]):
    """Users I may see, by username; filter by department id, role code, active, search text."""
    users = selectors.user_list(actor=request.user, **filters.dict())
    result = paginate(users, page, ordering="username")
    return {"items": [_user_out(u) for u in result["items"]], "next_cursor": result["next_cursor"]}


@router.post("/users", response={201: UserOut}, url_name="users_create")
def users_create(request: HttpRequest, payload: UserCreateIn):
    """Create a user (the password must pass the password rules)."""
    require(request.user, "accounts.user", "create")
    user = services.user_create(
        actor=request.user, username=payload.username, password=payload.password,
        display_name=payload.display_name, email=payload.email, mobile=payload.mobile,
        department=_department_or_error(payload.department_id),
        roles=_roles_or_error(payload.roles), language=payload.language,
    )
    return Status(201, _user_out(user))


@router.get("/users/{user_id}", response=UserOut, url_name="users_get")
def users_get(request: HttpRequest, user_id: int):
    """One user."""
    return _user_out(access(request.user, User, user_id, "view"))


@router.patch("/users/{user_id}", response=UserOut, url_name="users_update")
def users_update(request: HttpRequest, user_id: int, payload: UserUpdateIn):
    """Change a user; send the `version` you read, an older one answers 409."""
    user = access(request.user, User, user_id, "edit")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    roles = _roles_or_error(data.pop("roles")) if data.get("roles") is not None else None
    data.pop("roles", None)
    if "department_id" in data:
        data["department"] = _department_or_error(data.pop("department_id"))
    fields = {k: v for k, v in data.items() if v is not None or k == "department"}
    try:
        user = services.user_update(actor=request.user, user=user, version=version, roles=roles, **fields)
    except services.StaleEdit as exc:
        raise HttpError(409, str(exc)) from exc
    return _user_out(user)


@router.post("/users/{user_id}/deactivate", response=UserOut, url_name="users_deactivate")
def users_deactivate(request: HttpRequest, user_id: int):
    """Deactivate a user: their sessions and tokens stop working at once."""
    user = access(request.user, User, user_id, "edit")
    return _user_out(services.user_deactivate(actor=request.user, user=user))


@router.post("/users/{user_id}/activate", response=UserOut, url_name="users_activate")
def users_activate(request: HttpRequest, user_id: int):
    """Let a deactivated user log in again."""
    user = access(request.user, User, user_id, "edit")
    return _user_out(services.user_activate(actor=request.user, user=user))


@router.post("/users/{user_id}/password", response={204: None}, url_name="users_password_reset")
def users_password_reset(request: HttpRequest, user_id: int, payload: PasswordResetIn):
    """Set a new password for a user (the password rules apply; errors name `password`)."""
    user = access(request.user, User, user_id, "edit")
    services.user_set_password(actor=request.user, user=user, password=payload.password)
    return Status(204, None)


# --- departments -----------------------------------------------------------------------------


def _node_out(node: selectors.DepartmentNode) -> dict:
    d = node.department
    return {
        "id": d.pk, "name": d.name, "code": d.code, "parent_id": d.parent_id,
        "head": {"id": d.head.pk, "name": d.head.name} if d.head else None,
        "sort_order": d.sort_order, "is_active": d.is_active, "depth": node.depth,
        "member_count": node.member_count, "version": d.version,
        "children": [_node_out(child) for child in node.children],
    }


def _head_or_error(head_id: int | None):
    """The user an id names; the service checks they are active and in the actor's scope."""
    if not head_id:
        return None
    head = User.objects.filter(pk=head_id).first()
    if head is None:
        raise ValidationError({"head": _("No such active user.")})
    return head


@router.get("/departments", response=list[DepartmentNodeOut], url_name="departments_list")
def departments_list(request: HttpRequest):
    """The department tree I may see, with heads and active member counts."""
    return [_node_out(node) for node in selectors.department_tree(actor=request.user)]


@router.post("/departments", response={201: DepartmentOut}, url_name="departments_create")
def departments_create(request: HttpRequest, payload: DepartmentCreateIn):
    """Create a department (under `parent_id`, or at the top)."""
    require(request.user, "accounts.department", "create")
    department = services.department_create(
        actor=request.user, name=payload.name, code=payload.code,
        parent=_department_or_error(payload.parent_id, "parent"),
        head=_head_or_error(payload.head_id), sort_order=payload.sort_order,
    )
    return Status(201, department)


@router.patch("/departments/{department_id}", response=DepartmentOut, url_name="departments_update")
def departments_update(request: HttpRequest, department_id: int, payload: DepartmentUpdateIn):
    """Rename, move, set the head; send the `version` you read (409 when stale)."""
    department = access(request.user, Department, department_id, "edit")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "parent_id" in data:
        data["parent"] = _department_or_error(data.pop("parent_id"), "parent")
    if "head_id" in data:
        data["head"] = _head_or_error(data.pop("head_id"))
    fields = {k: v for k, v in data.items() if v is not None or k in ("parent", "head")}
    try:
        department = services.department_update(
            actor=request.user, department=department, version=version, **fields
        )
    except services.StaleEdit as exc:
        raise HttpError(409, str(exc)) from exc
    return department


@router.delete("/departments/{department_id}", response={204: None}, url_name="departments_delete")
def departments_delete(request: HttpRequest, department_id: int):
    """Delete an empty department (no members, no sub-departments)."""
    department = access(request.user, Department, department_id, "delete")
    services.department_delete(actor=request.user, department=department)
    return Status(204, None)


# --- roles -----------------------------------------------------------------------------------


def _role_out(role: Role) -> dict:
    return {
        "id": role.pk, "code": role.code, "name": role.name, "description": role.description,
        "is_system": role.is_system, "user_count": role.user_count if hasattr(role, "user_count") else role.users.count(),
        "grants": [
            {"record_type": g.record_type, "actions": g.actions, "scope": g.scope}
            for g in role.grants.all()
        ],
        "version": role.version,
    }


def _grant_inputs(grants) -> list[services.GrantInput]:
    return [services.GrantInput(g.record_type, list(g.actions), g.scope) for g in grants]


@router.get("/roles", response=list[RoleOut], url_name="roles_list")
def roles_list(request: HttpRequest):
    """Every role with its grants and how many users hold it."""
    return [_role_out(role) for role in selectors.role_list(actor=request.user)]


@router.post("/roles", response={201: RoleOut}, url_name="roles_create")
def roles_create(request: HttpRequest, payload: RoleCreateIn):
    """Create a role; grants name registered record types, their actions and a scope."""
    require(request.user, "accounts.role", "create")
    role = services.role_create(
        actor=request.user, code=payload.code, name=payload.name,
        description=payload.description, grants=_grant_inputs(payload.grants),
    )
    return Status(201, _role_out(role))


@router.patch("/roles/{role_id}", response=RoleOut, url_name="roles_update")
def roles_update(request: HttpRequest, role_id: int, payload: RoleUpdateIn):
    """Rename a role or replace its grants; send the `version` you read (409 when stale)."""
    role = access(request.user, Role, role_id, "edit")
    try:
        role = services.role_update(
            actor=request.user, role=role, version=payload.version, name=payload.name,
            description=payload.description,
            grants=_grant_inputs(payload.grants) if payload.grants is not None else None,
        )
    except services.StaleEdit as exc:
        raise HttpError(409, str(exc)) from exc
    return _role_out(role)


@router.delete("/roles/{role_id}", response={204: None}, url_name="roles_delete")
def roles_delete(request: HttpRequest, role_id: int):
    """Delete a role that Kehu did not ship and that nobody holds."""
    role = access(request.user, Role, role_id, "delete")
    services.role_delete(actor=request.user, role=role)
    return Status(204, None)
