"""The people every test talks about (after healthchecks' alice/bob/charlie).

    headquarters (总部)
    ├── sales (销售部)            head: carol (业务经理)
    │   ├── east (华东销售组)     alice, bob (业务员)
    │   └── north (华北销售组)    erin (业务员)
    └── service (客服部)          dave (客服)
    admin: root (系统管理员), not in any sales department
"""

from __future__ import annotations

from dataclasses import dataclass

from kehu.accounts.defaults import ensure_default_roles
from kehu.accounts.models import Department, Role, User

PASSWORD = "Kehu-test-pass-2026"


@dataclass
class Personas:
    headquarters: Department
    sales: Department
    east: Department
    north: Department
    service: Department
    alice: User  # rep in east
    bob: User  # colleague in east
    carol: User  # manager, head of sales (sees east and north)
    erin: User  # rep in north
    dave: User  # outsider: customer service
    root: User  # system administrator

    def by_name(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


NAMES = ("anonymous", "alice", "bob", "carol", "erin", "dave", "root")


def make_user(username: str, display_name: str, department: Department | None, *roles: str, **extra) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, display_name=display_name,
        department=department, email=f"{username}@example.com", **extra,
    )
    if roles:
        user.roles.set(Role.objects.filter(code__in=roles))
    return user


def create_personas() -> Personas:
    ensure_default_roles()
    hq = Department.objects.create(name="总部", code="hq")
    sales = Department.objects.create(name="销售部", code="sales", parent=hq)
    east = Department.objects.create(name="华东销售组", code="sales-east", parent=sales)
    north = Department.objects.create(name="华北销售组", code="sales-north", parent=sales)
    service = Department.objects.create(name="客服部", code="service", parent=hq)
    alice = make_user("alice", "王丽", east, "salesperson")
    bob = make_user("bob", "李博", east, "salesperson")
    carol = make_user("carol", "陈卡", sales, "business_manager")
    erin = make_user("erin", "赵燕", north, "salesperson")
    dave = make_user("dave", "刘大伟", service, "customer_service")
    root = make_user("root", "系统管理员", hq, "sysadmin", is_staff=True)
    sales.head = carol
    sales.save()
    return Personas(hq, sales, east, north, service, alice, bob, carol, erin, dave, root)
