"""The roles Kehu ships with (from the seeds' process manuals), created idempotently."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import pgettext_lazy

# code, name, description: English sources, stored in the installation's language
# (settings.LANGUAGE_CODE, Simplified Chinese by default) when the role is created;
# afterwards they are data that administrators may edit.
DEFAULT_ROLES: list[tuple[str, Any, Any]] = [
    (
        "salesperson",
        pgettext_lazy("default role", "Salesperson"),
        pgettext_lazy("default role", "Field salesperson"),
    ),
    (
        "account_specialist",
        pgettext_lazy("default role", "Account specialist"),
        pgettext_lazy("default role", "Account specialist: takes minutes, keeps the archive"),
    ),
    (
        "consultant",
        pgettext_lazy("default role", "Consultant"),
        pgettext_lazy("default role", "Consultant: answers technical questions in meetings"),
    ),
    (
        "partner",
        pgettext_lazy("default role", "Partner"),
        pgettext_lazy("default role", "Partner: leads customer meetings and wins projects"),
    ),
    (
        "business_manager",
        pgettext_lazy("default role", "Business manager"),
        pgettext_lazy("default role", "Business manager: reviews and approves for the team"),
    ),
    (
        "technical_engineer",
        pgettext_lazy("default role", "Technical engineer"),
        pgettext_lazy("default role", "Technical engineer: assessments and installation"),
    ),
    (
        "technical_manager",
        pgettext_lazy("default role", "Technical manager"),
        pgettext_lazy("default role", "Technical manager: leads the engineers"),
    ),
    (
        "customer_service",
        pgettext_lazy("default role", "Customer service"),
        pgettext_lazy("default role", "Customer service: hotline and complaints"),
    ),
    (
        "customer_service_manager",
        pgettext_lazy("default role", "Customer service manager"),
        pgettext_lazy("default role", "Customer service manager: leads the service team"),
    ),
    (
        "admin_office",
        pgettext_lazy("default role", "Administration"),
        pgettext_lazy("default role", "Administration office: numbering and filing"),
    ),
    (
        "qc",
        pgettext_lazy("default role", "Quality control"),
        pgettext_lazy("default role", "Quality control: checks follow-ups and service quality"),
    ),
    (
        "marketing_vp",
        pgettext_lazy("default role", "Marketing VP"),
        pgettext_lazy("default role", "Marketing vice-president: leads sales and marketing"),
    ),
    (
        "gm",
        pgettext_lazy("default role", "General manager"),
        pgettext_lazy("default role", "General manager: runs the company"),
    ),
    (
        "sysadmin",
        pgettext_lazy("default role", "System administrator"),
        pgettext_lazy(
            "default role", "System administrator: users, departments, roles and settings"
        ),
    ),
]


@transaction.atomic
def ensure_default_roles() -> None:
    """Create the shipped roles and any missing default grants; never overwrite an edit."""
    from kehu.accounts.models import Role, RoleGrant
    from kehu.accounts.permissions import RECORD_TYPES

    roles = {}
    with translation.override(settings.LANGUAGE_CODE):
        for code, name, description in DEFAULT_ROLES:
            role, _ = Role.objects.get_or_create(
                code=code,
                defaults={"name": str(name), "description": str(description), "is_system": True},
            )
            roles[code] = role
    existing = set(RoleGrant.objects.values_list("role__code", "record_type"))
    new = []
    for record_type in RECORD_TYPES.values():
        for role_code, (actions, scope) in record_type.default_grants.items():
            if role_code in roles and (role_code, record_type.label) not in existing:
                new.append(
                    RoleGrant(
                        role=roles[role_code],
                        record_type=record_type.label,
                        actions=sorted(set(actions)),
                        scope=scope,
                    )
                )
    RoleGrant.objects.bulk_create(new)
