"""The roles Kehu ships with (from the seeds' process manuals), created idempotently."""

from __future__ import annotations

from django.db import transaction

# code, Chinese name, English description
DEFAULT_ROLES: list[tuple[str, str, str]] = [
    ("salesperson", "业务员", "Field salesperson"),
    ("account_specialist", "客户专员", "Account specialist: takes minutes, keeps the archive"),
    ("consultant", "专业顾问", "Consultant: answers technical questions in meetings"),
    ("partner", "合伙人", "Partner: leads customer meetings and wins projects"),
    ("business_manager", "业务经理", "Business manager: reviews and approves for the team"),
    ("technical_engineer", "技术工程师", "Technical engineer: assessments and installation"),
    ("technical_manager", "技术经理", "Technical manager"),
    ("customer_service", "客服", "Customer service: hotline and complaints"),
    ("customer_service_manager", "客服经理", "Customer service manager"),
    ("admin_office", "行政部", "Administration office: numbering and filing"),
    ("qc", "质检", "Quality control"),
    ("marketing_vp", "营销副总", "Marketing vice-president"),
    ("gm", "总经理", "General manager"),
    ("sysadmin", "系统管理员", "System administrator"),
]


@transaction.atomic
def ensure_default_roles() -> None:
    """Create the shipped roles and any missing default grants; never overwrite an edit."""
    from kehu.accounts.models import Role, RoleGrant
    from kehu.accounts.permissions import RECORD_TYPES

    roles = {}
    for code, name, description in DEFAULT_ROLES:
        role, _ = Role.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "is_system": True}
        )
        roles[code] = role
    existing = set(RoleGrant.objects.values_list("role__code", "record_type"))
    new = []
    for record_type in RECORD_TYPES.values():
        for role_code, (actions, scope) in record_type.default_grants.items():
            if role_code in roles and (role_code, record_type.label) not in existing:
                new.append(
                    RoleGrant(
                        role=roles[role_code], record_type=record_type.label,
                        actions=sorted(set(actions)), scope=scope,
                    )
                )
    RoleGrant.objects.bulk_create(new)
