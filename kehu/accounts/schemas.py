"""In/Out schemas of the accounts API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class TokenIn(Schema):
    username: str
    password: str
    name: str = Field("", max_length=100)


class TokenIssuedOut(Schema):
    token: str = Field(description="the key: shown once, keep it safe")
    id: int
    name: str
    prefix: str
    expires_at: datetime | None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class DepartmentRef(Schema):
    id: int
    name: str


class RoleRef(Schema):
    code: str
    name: str


class GrantOut(Schema):
    record_type: str
    actions: list[str]
    scope: str | None


class MeUser(Schema):
    id: int
    username: str
    name: str
    email: str
    language: str
    is_superuser: bool


class MeOut(Schema):
    user: MeUser
    department: DepartmentRef | None
    roles: list[RoleRef]
    grants: list[GrantOut]


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    name: str
    email: str
    mobile: str
    department: DepartmentRef | None
    roles: list[RoleRef]
    language: str
    is_active: bool
    last_login: datetime | None
    version: int


class UserFilter(Schema):
    department: int | None = None
    role: str | None = None
    active: bool | None = None
    q: str | None = None


class UserCreateIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str
    display_name: str = Field("", max_length=100)
    email: str = ""
    mobile: str = Field("", max_length=30)
    department_id: int | None = None
    roles: list[str] = Field(default_factory=list, description="role codes")
    language: str = ""


class UserUpdateIn(Schema):
    version: int = Field(description="the version the client read; an older one is refused with 409")
    display_name: str | None = Field(None, max_length=100)
    email: str | None = None
    mobile: str | None = Field(None, max_length=30)
    department_id: int | None = None
    roles: list[str] | None = Field(None, description="role codes; replaces all roles")
    language: str | None = None


class DepartmentNodeOut(Schema):
    id: int
    name: str
    code: str
    parent_id: int | None
    head: DepartmentRef | None = Field(description="the head user (id, name)")
    sort_order: int
    is_active: bool
    depth: int
    member_count: int
    version: int
    children: list[DepartmentNodeOut]


class DepartmentOut(Schema):
    id: int
    name: str
    code: str
    parent_id: int | None
    head_id: int | None
    sort_order: int
    is_active: bool
    version: int


class DepartmentCreateIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    code: str = Field(min_length=1, max_length=50)
    parent_id: int | None = None
    head_id: int | None = None
    sort_order: int = Field(0, ge=0)


class DepartmentUpdateIn(Schema):
    version: int
    name: str | None = Field(None, min_length=1, max_length=100)
    code: str | None = Field(None, min_length=1, max_length=50)
    parent_id: int | None = Field(None, description="new parent; 0 makes it a top-level department")
    head_id: int | None = Field(None, description="new head; 0 clears the head")
    sort_order: int | None = Field(None, ge=0)
    is_active: bool | None = None


class GrantIn(Schema):
    record_type: str
    actions: list[str]
    scope: str


class RoleOut(Schema):
    id: int
    code: str
    name: str
    description: str
    is_system: bool
    user_count: int
    grants: list[GrantOut]
    version: int


class RoleCreateIn(Schema):
    code: str = Field(min_length=1, max_length=50)
    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    grants: list[GrantIn] = Field(default_factory=list)


class RoleUpdateIn(Schema):
    version: int = Field(description="the version the client read; an older one is refused with 409")
    name: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = None
    grants: list[GrantIn] | None = Field(None, description="replaces all grants when given")


class PasswordResetIn(Schema):
    password: str = Field(description="the new password; the password rules apply")
