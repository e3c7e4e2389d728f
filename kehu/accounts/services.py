"""Writes for organisation and access: login checks, users, tokens, departments, roles.

Every function is keyword-only and takes the acting user first; views, the API and
the `kehu` command all call these, so each rule lives here once.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.accounts.models import (
    ApiToken,
    Department,
    LoginAttempt,
    Role,
    RoleGrant,
    Scope,
    User,
    hash_token,
)
from kehu.accounts.permissions import RECORD_TYPES, can, forget_grants, is_unrestricted

TOKEN_PREFIX = "kehu_"


# --- errors the doors translate into answers -------------------------------------------------


class LoginRefused(Exception):
    """Wrong password, unknown or inactive user: deliberately one and the same answer."""

    def __init__(self) -> None:
        super().__init__(_("Incorrect username or password."))


class LoginThrottled(Exception):
    """Too many failed logins for this account or from this address."""

    def __init__(self) -> None:
        super().__init__(_("Too many failed login attempts. Please wait a while and try again."))


class StaleEdit(Exception):
    """The record changed since the form or client read it; the edit is refused (409)."""

    def __init__(self) -> None:
        super().__init__(
            _("Someone else changed this record after you opened it. Reload it and make your change again.")
        )


# --- login -----------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    """The address the throttle counts against (REMOTE_ADDR; the proxy must set it right)."""
    return request.META.get("REMOTE_ADDR") or None


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _is_throttled(username: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.KEHU_LOGIN_WINDOW_SECONDS)
    failures = LoginAttempt.objects.filter(at__gte=since, succeeded=False)
    last_success = (
        LoginAttempt.objects.filter(username=username, succeeded=True, at__gte=since)
        .order_by("-at").values_list("at", flat=True).first()
    )
    # A successful login wipes the slate for the account (not for the address).
    account_failures = failures.filter(username=username)
    if last_success is not None:
        account_failures = account_failures.filter(at__gt=last_success)
    if account_failures.count() >= settings.KEHU_LOGIN_MAX_FAILURES_PER_ACCOUNT:
        return True
    return bool(ip) and failures.filter(ip=ip).count() >= settings.KEHU_LOGIN_MAX_FAILURES_PER_IP


def login_check(*, request: HttpRequest, username: str, password: str) -> User:
    """Check a username and password under the throttle; record the attempt.

    Raises LoginThrottled before looking at the password when the account or the
    address has failed too often in the window (whether or not the account exists),
    and LoginRefused for every other failure, so the answers never tell which
    accounts exist. The attempt rows live in the database, so every process counts
    the same failures.
    """
    name = normalise_username(username)
    ip = client_ip(request)
    if _is_throttled(name, ip):
        raise LoginThrottled
    # ModelBackend hashes a dummy password for unknown users and refuses inactive ones,
    # so the three failures also take the same time.
    user = authenticate(request, username=name, password=password or "")
    LoginAttempt.objects.create(username=name, ip=ip, succeeded=user is not None)
    if user is None:
        raise LoginRefused
    return user


def login_attempts_prune(*, older_than: timedelta = timedelta(days=30)) -> int:
    """Delete login attempts older than `older_than`; returns how many went."""
    deleted, _details = LoginAttempt.objects.filter(at__lt=timezone.now() - older_than).delete()
    return deleted


# --- users -----------------------------------------------------------------------------------

USER_FIELDS = ("display_name", "email", "mobile", "department", "language")


def _check_password(password: str, user: User, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _check_roles_given(actor: User, roles: list[Role], current: Iterable[Role] = ()) -> None:
    """Only someone who may edit roles hands out roles they do not hold themselves.

    Otherwise a user administrator could give anyone (themselves included) the
    system administrator's role and so every right.
    """
    if is_unrestricted(actor) or can(actor, "accounts.role", "edit"):
        return
    allowed = {r.pk for r in actor.roles.all()} | {r.pk for r in current}
    extra = sorted(r.name for r in roles if r.pk not in allowed)
    if extra:
        raise ValidationError(
            {"roles": _("You may only give roles you hold yourself: %(roles)s.") % {"roles": "、".join(extra)}}
        )


def _check_target(actor: User, user: User) -> None:
    """May `actor` administer `user`'s account (details, password, active flag)?

    Acting on yourself is the profile's business and always passes here. Otherwise
    a user outside the actor's data scope does not exist for them (Http404, like
    `access()`), and only an unrestricted actor (a superuser) may act on a
    superuser or, unless the actor may edit roles, on someone holding a role the
    actor does not hold: else a user administrator could take over a stronger
    account by resetting its password.
    """
    if actor.pk == user.pk or is_unrestricted(actor):
        return
    if not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise Http404
    if user.is_superuser:
        raise PermissionDenied
    if can(actor, "accounts.role", "edit"):
        return
    held = {r.pk for r in actor.roles.all()}
    if any(r.pk not in held for r in user.roles.all()):
        raise PermissionDenied


def _check_department_visible(actor: User, department: Department | None, field: str) -> None:
    """Only departments in the actor's data scope may be assigned (as a member's or a parent)."""
    if department is not None and not Department.objects.visible_to(actor).filter(pk=department.pk).exists():
        raise ValidationError({field: _("No such department.")})


def _check_head_visible(actor: User, head: User | None) -> None:
    if head is not None and not User.objects.visible_to(actor).filter(pk=head.pk, is_active=True).exists():
        raise ValidationError({"head": _("No such active user.")})


def _check_user_fields(user: User) -> None:
    try:
        user.full_clean(exclude=["password", "roles"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    mobile: str = "",
    department: Department | None = None,
    roles: Iterable[Role] = (),
    language: str = "",
) -> User:
    """Create an active user with a validated password and the given roles."""
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with this username already exists.")})
    user = User(
        username=username, display_name=display_name, email=email, mobile=mobile,
        department=department, language=language,
    )
    roles = list(roles)
    _check_department_visible(actor, department, "department")
    _check_roles_given(actor, roles)
    _check_user_fields(user)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    user.roles.set(roles)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, version: int, roles: Iterable[Role] | None = None, **fields: Any) -> User:
    """Change a user's details and roles; refused with StaleEdit when `version` is old.

    The version bump is a conditional UPDATE, so of two edits read at the same
    version exactly one wins, whichever process they run in.
    """
    unknown = set(fields) - set(USER_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    _check_target(actor, user)
    if "department" in fields and getattr(fields["department"], "pk", None) != user.department_id:
        _check_department_visible(actor, fields["department"], "department")
    if roles is not None:
        roles = list(roles)
        _check_roles_given(actor, roles, current=user.roles.all())
    for name, value in fields.items():
        setattr(user, name, value)
    _check_user_fields(user)
    bumped = User.objects.filter(pk=user.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit
    if fields:
        user.save(update_fields=list(fields))
    if roles is not None:
        user.roles.set(roles)
        forget_grants(user)
    user.refresh_from_db()
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str, field: str = "password") -> User:
    """Set a new password (validated).

    When an administrator resets someone else's password, that user's API tokens
    are revoked and their database sessions ended, as on deactivation: whoever
    held the old password loses access at once.
    """
    _check_target(actor, user)
    _check_password(password, user, field)
    user.set_password(password)
    user.save(update_fields=["password"])
    User.objects.filter(pk=user.pk).update(version=F("version") + 1)
    if actor.pk != user.pk:
        _revoke_access(user)
    return user


def _user_session_keys(user: User) -> list[str]:
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            keys.append(session.session_key)
    return keys


def _end_sessions(user: User) -> None:
    """Delete the user's sessions where they can be listed (database-backed engines).

    `cached_db` keeps a cached copy too, so each key goes through its SessionStore.
    """
    engine = settings.SESSION_ENGINE
    if engine == "django.contrib.sessions.backends.db":
        Session.objects.filter(session_key__in=_user_session_keys(user)).delete()
    elif engine == "django.contrib.sessions.backends.cached_db":
        store = import_module(engine).SessionStore
        for key in _user_session_keys(user):
            store(session_key=key).delete()


def _revoke_access(user: User) -> None:
    """Revoke every API token of the user and end their database sessions."""
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _end_sessions(user)


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> User:
    """Deactivate a user: no login, every API token revoked, every database session ended.

    With cache sessions (REDIS_URL) the rows cannot be listed; there the
    authentication backend refuses inactive users on their next request instead
    (and the API's bearer check refuses tokens of inactive users in any case).
    """
    if actor.pk == user.pk:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    _check_target(actor, user)
    User.objects.filter(pk=user.pk).update(is_active=False, version=F("version") + 1)
    _revoke_access(user)
    user.refresh_from_db()
    return user


@transaction.atomic
def user_activate(*, actor: User, user: User) -> User:
    """Let a deactivated user log in again (their old tokens stay revoked)."""
    _check_target(actor, user)
    User.objects.filter(pk=user.pk).update(is_active=True, version=F("version") + 1)
    user.refresh_from_db()
    return user


# --- API tokens ------------------------------------------------------------------------------


@dataclass
class IssuedToken:
    """A new token and its key; the key exists only here, never in the database."""

    token: ApiToken
    key: str


def api_token_create(*, actor: User, name: str = "", days: int | None = None) -> IssuedToken:
    """Issue a personal API token for the actor; the key is returned once and stored hashed."""
    name = (name or "").strip() or "api"
    if len(name) > 100:
        raise ValidationError({"name": _("Use at most 100 characters.")})
    days = days if days is not None else getattr(settings, "KEHU_API_TOKEN_DAYS", 365)
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=key[:12], key_hash=hash_token(key),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    return IssuedToken(token=token, key=key)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once; revoking twice keeps the first time."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


# --- departments -----------------------------------------------------------------------------


def _check_department(department: Department) -> None:
    parent = department.parent
    if department.pk and parent is not None and parent.path.startswith(department.path):
        raise ValidationError(
            {"parent": _("A department cannot be moved under itself or one of its sub-departments.")}
        )
    if department.head is not None and not department.head.is_active:
        raise ValidationError({"head": _("The department head must be an active user.")})
    try:
        department.full_clean(exclude=["head", "parent"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def department_create(
    *, actor: User, name: str, code: str, parent: Department | None = None,
    head: User | None = None, sort_order: int = 0,
) -> Department:
    """Create a department under a parent in the actor's scope, headed by a user they see."""
    _check_department_visible(actor, parent, "parent")
    _check_head_visible(actor, head)
    department = Department(name=name, code=code, parent=parent, head=head, sort_order=sort_order)
    _check_department(department)
    department.save()
    return department


@transaction.atomic
def department_update(*, actor: User, department: Department, version: int, **fields: Any) -> Department:
    """Rename, move (its whole subtree moves along), set the head; refused when stale or cyclic."""
    allowed = {"name", "code", "parent", "head", "sort_order", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    department = Department.objects.select_for_update().get(pk=department.pk)
    if "parent" in fields and getattr(fields["parent"], "pk", None) != department.parent_id:
        _check_department_visible(actor, fields["parent"], "parent")
    if "head" in fields and getattr(fields["head"], "pk", None) != department.head_id:
        _check_head_visible(actor, fields["head"])
    for name, value in fields.items():
        setattr(department, name, value)
    _check_department(department)
    bumped = Department.objects.filter(pk=department.pk, version=version).update(version=F("version") + 1)
    if not bumped:
        raise StaleEdit
    department.version = version + 1
    department.save()
    return department


@transaction.atomic
def department_delete(*, actor: User, department: Department) -> None:
    """Delete a department that has no members and no sub-departments."""
    if department.children.exists():
        raise ValidationError({"parent": _("Move or delete its sub-departments first.")})
    if User.objects.filter(department=department).exists():
        raise ValidationError({"members": _("Move its members to another department first.")})
    try:
        department.delete()
    except ProtectedError as exc:
        raise ValidationError(
            {"department": _("Records still belong to this department; move them first.")}
        ) from exc


# --- roles -----------------------------------------------------------------------------------


@dataclass
class GrantInput:
    """One row of a role's grants as a door received it."""

    record_type: str
    actions: list[str]
    scope: str


def _clean_grants(grants: Iterable[GrantInput]) -> list[GrantInput]:
    cleaned: dict[str, GrantInput] = {}
    errors: dict[str, list[str]] = {}
    for grant in grants:
        field = f"grants.{grant.record_type}"
        record_type = RECORD_TYPES.get(grant.record_type)
        if record_type is None:
            errors.setdefault(field, []).append(
                _("Unknown record type “%(name)s”.") % {"name": grant.record_type}
            )
            continue
        wrong = sorted(set(grant.actions) - set(record_type.actions))
        if wrong:
            errors.setdefault(field, []).append(
                _("Actions not available for this record type: %(actions)s.") % {"actions": ", ".join(wrong)}
            )
        if grant.scope not in Scope.values:
            errors.setdefault(field, []).append(
                _("Unknown data scope “%(scope)s”.") % {"scope": grant.scope}
            )
        if grant.record_type in cleaned:
            errors.setdefault(field, []).append(_("This record type is listed twice."))
        actions = [a for a in record_type.actions if a in set(grant.actions)]
        cleaned[grant.record_type] = GrantInput(grant.record_type, actions, grant.scope)
    if errors:
        raise ValidationError(errors)
    return [g for g in cleaned.values() if g.actions]


def _replace_grants(role: Role, grants: list[GrantInput]) -> None:
    RoleGrant.objects.filter(role=role).delete()
    RoleGrant.objects.bulk_create(
        RoleGrant(role=role, record_type=g.record_type, actions=g.actions, scope=g.scope) for g in grants
    )


@transaction.atomic
def role_create(
    *, actor: User, code: str, name: str, description: str = "", grants: Iterable[GrantInput] = (),
) -> Role:
    """Create a configurable role with its grants (record types and actions are checked)."""
    cleaned = _clean_grants(grants)
    role = Role(code=code, name=name, description=description, is_system=False)
    try:
        role.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    role.save()
    _replace_grants(role, cleaned)
    return role


@transaction.atomic
def role_update(
    *, actor: User, role: Role, version: int, name: str | None = None, description: str | None = None,
    grants: Iterable[GrantInput] | None = None,
) -> Role:
    """Rename a role and/or replace all its grants; holders get the new rights on their next request.

    Refused with StaleEdit when `version` is not the role's current one, so two
    administrators editing the same grants never silently overwrite each other.
    """
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.version != version:
        raise StaleEdit
    if name is not None:
        role.name = name
    if description is not None:
        role.description = description
    try:
        role.full_clean(exclude=["code"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
    cleaned = _clean_grants(grants) if grants is not None else None
    role.version = F("version") + 1
    role.save()
    role.refresh_from_db()
    if cleaned is not None:
        _replace_grants(role, cleaned)
    return role


@transaction.atomic
def role_delete(*, actor: User, role: Role) -> None:
    """Delete a role Kehu did not ship and nobody holds."""
    if role.is_system:
        raise ValidationError({"role": _("Roles shipped with Kehu cannot be deleted.")})
    if role.users.exists():
        raise ValidationError({"role": _("Take this role away from its users first.")})
    role.delete()

