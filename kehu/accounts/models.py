"""Users, departments (a tree of any depth), roles and their grants, API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kehu.accounts.permissions import ScopedManager, ScopedQuerySet


class Scope(models.TextChoices):
    """How far a role sees: own records, own department, department tree, everything."""

    OWN = "own", _("Own records")
    DEPARTMENT = "department", _("Own department")
    SUBTREE = "subtree", _("Department and sub-departments")
    ALL = "all", _("All")


SCOPE_ORDER = [Scope.OWN, Scope.DEPARTMENT, Scope.SUBTREE, Scope.ALL]


class Department(models.Model):
    """A department; `path` holds the ids from the root ("/1/4/9/") for cheap subtree queries."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    head = models.ForeignKey(
        "accounts.User", verbose_name=_("department head"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="headed_departments",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Data scope: a department is "in" a user's scope when it is their department
    # (or under it, for the subtree scope).
    scope_department_field = "id"
    objects = ScopedManager()

    class Meta:
        ordering = ["path", "sort_order", "name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        is_new = self.pk is None
        if is_new:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        old_path = self.path
        self.path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        super().save(*args, **{k: v for k, v in kwargs.items() if k != "force_insert"})
        if old_path and old_path != self.path:
            # Moving a department moves its whole subtree.
            for child in Department.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.path = self.path + child.path[len(old_path):]
                Department.objects.filter(pk=child.pk).update(path=child.path)

    def clean(self) -> None:
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A department cannot sit under itself.")})
                ancestor = ancestor.parent

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    def subtree_ids(self) -> list[int]:
        return list(Department.objects.filter(path__startswith=self.path).values_list("pk", flat=True))

    def ancestors(self) -> list[Department]:
        ids = [int(part) for part in self.path.strip("/").split("/") if part][:-1]
        by_id = Department.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]


class Role(models.Model):
    """A configurable role; grants say what it may do per record type and how far it sees."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_system = models.BooleanField(
        _("shipped with Kehu"), default=False,
        help_text=_("Default roles can be edited but not deleted."),
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # No owner or department: only the "all" scope sees roles.
    objects = ScopedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class RoleGrant(models.Model):
    """One role's rights on one record type: the actions and the data scope."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="grants")
    record_type = models.CharField(_("record type"), max_length=100)
    actions = models.JSONField(_("actions"), default=list)
    scope = models.CharField(_("data scope"), max_length=20, choices=Scope.choices, default=Scope.OWN)

    class Meta:
        ordering = ["role", "record_type"]
        constraints = [
            models.UniqueConstraint(fields=["role", "record_type"], name="uniq_role_grant"),
        ]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")

    def __str__(self) -> str:
        return f"{self.role.code}:{self.record_type}"


class KehuUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Users: case-insensitive login names, and `.visible_to(user)` like every record."""

    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A person who signs in: belongs to one department, holds one or more roles."""

    display_name = models.CharField(_("name"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    language = models.CharField(
        _("language"), max_length=10, blank=True,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    # Data scope: a user "owns" their own account; department scopes see colleagues.
    scope_owner_field = "id"
    scope_department_field = "department"
    objects = KehuUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


def hash_token(raw: str) -> str:
    """The stored form of an API token key (SHA-256, hex)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, default="api")
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.user.is_active
        )


class LoginAttempt(models.Model):
    """One login try (page or API token); the throttle counts these, so it holds across processes."""

    username = models.CharField(_("username"), max_length=150)  # normalised to lower case
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["username", "at"], name="login_attempt_user_at"),
            models.Index(fields=["ip", "at"], name="login_attempt_ip_at"),
        ]
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")

    def __str__(self) -> str:
        return f"{self.username} @ {self.ip} ({'ok' if self.succeeded else 'failed'})"
