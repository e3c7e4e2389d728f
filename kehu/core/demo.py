"""The demo organisation: a Chinese B2B sales company with departments, people and an inbox.

`seed_demo()` is idempotent (everything is keyed by code or username) and runs
a list of seeders in order. Apps add their own demo data by registering a
seeder in AppConfig.ready():

    from kehu.core.demo import register_demo_seeder
    register_demo_seeder(seed_customers, order=200)

A seeder receives the `DemoOrganisation` (departments by code, users by
username) and must itself be idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

DEMO_PASSWORD = "kehu-demo-2026"
DEMO_EMAIL_DOMAIN = "demo.kehu.example"

# code, name, parent code
DEPARTMENTS: list[tuple[str, str, str | None]] = [
    ("gm-office", "总经理办公室", None),
    ("marketing", "营销中心", None),
    ("marketing-east", "华东大区", "marketing"),
    ("sales-shanghai", "上海销售组", "marketing-east"),
    ("sales-hangzhou", "杭州销售组", "marketing-east"),
    ("marketing-south", "华南大区", "marketing"),
    ("sales-guangzhou", "广州销售组", "marketing-south"),
    ("sales-shenzhen", "深圳销售组", "marketing-south"),
    ("marketing-north", "华北大区", "marketing"),
    ("sales-beijing", "北京销售组", "marketing-north"),
    ("technology", "技术部", None),
    ("customer-service", "客服中心", None),
    ("administration", "行政部", None),
    ("quality", "质检部", None),
]

# username, name, department code, role codes, heads this department
USERS: list[tuple[str, str, str, tuple[str, ...], str | None]] = [
    ("wangjianguo", "王建国", "gm-office", ("gm",), "gm-office"),
    ("lizhiqiang", "李志强", "marketing", ("marketing_vp",), "marketing"),
    ("chenming", "陈明", "marketing-east", ("business_manager",), "marketing-east"),
    ("zhangwei", "张伟", "sales-shanghai", ("salesperson",), "sales-shanghai"),
    ("liuyang", "刘洋", "sales-shanghai", ("salesperson",), None),
    ("zhaomin", "赵敏", "sales-shanghai", ("account_specialist",), None),
    ("sunli", "孙丽", "sales-hangzhou", ("salesperson",), "sales-hangzhou"),
    ("zhoujie", "周杰", "sales-hangzhou", ("partner",), None),
    ("huanglei", "黄磊", "marketing-south", ("business_manager",), "marketing-south"),
    ("wujing", "吴静", "sales-guangzhou", ("salesperson",), "sales-guangzhou"),
    ("zhenghao", "郑浩", "sales-guangzhou", ("salesperson",), None),
    ("hexue", "何雪", "sales-shenzhen", ("salesperson",), "sales-shenzhen"),
    ("linfeng", "林峰", "sales-shenzhen", ("consultant",), None),
    ("machao", "马超", "marketing-north", ("business_manager",), "marketing-north"),
    ("gaoyuan", "高远", "sales-beijing", ("salesperson",), "sales-beijing"),
    ("luona", "罗娜", "sales-beijing", ("account_specialist",), None),
    ("xiedong", "谢东", "sales-beijing", ("partner",), None),
    ("hujun", "胡军", "technology", ("technical_manager",), "technology"),
    ("guopeng", "郭鹏", "technology", ("technical_engineer",), None),
    ("liangchen", "梁晨", "technology", ("technical_engineer", "consultant"), None),
    ("tangfang", "唐芳", "customer-service", ("customer_service_manager",), "customer-service"),
    ("hanmei", "韩梅", "customer-service", ("customer_service",), None),
    ("fengyu", "冯雨", "customer-service", ("customer_service",), None),
    ("caoying", "曹颖", "administration", ("admin_office",), "administration"),
    ("dengchao", "邓超", "administration", ("sysadmin",), None),
    ("pengli", "彭丽", "quality", ("qc",), "quality"),
]

# username, kind, title, body, already read
NOTIFICATIONS: list[tuple[str, str, str, str, bool]] = [
    ("zhangwei", "reminder", "今日待跟进：上海华信精密机械有限公司",
     "约定今天 14:00 电话回访采购部王经理，确认报价单反馈。", False),
    ("zhangwei", "assignment", "新线索已分配给您：苏州恒达电子科技",
     "来源：官网咨询表单。联系人：钱先生，意向产品：工业网关。", False),
    ("zhangwei", "info", "欢迎使用客户管理系统", "可在“个人资料”中修改密码和界面语言。", True),
    ("chenming", "approval", "待审批：杭州云帆物流年度框架合同",
     "孙丽提交的合同金额 ¥ 860,000.00，请在 2 个工作日内审批。", False),
    ("chenming", "info", "华东大区三月业绩简报已生成", "点击查看本月回款与新签合同汇总。", True),
    ("tangfang", "escalation", "工单超时提醒：广州鑫源食品设备故障报修",
     "工单已超过 4 个工作小时未响应，已升级至客服经理。", False),
    ("hanmei", "reminder", "回访提醒：深圳智联科技安装完成回访", "请于今天下班前完成满意度回访。", False),
    ("gaoyuan", "assignment", "新线索已分配给您：北京中科仪表",
     "来源：展会名片。联系人：孙工，意向：实验室自动化改造。", False),
    ("wangjianguo", "info", "本周经营周报", "本周新签合同 6 份，回款 ¥ 1,240,000.00。", False),
    ("dengchao", "info", "系统已完成初始化", "请为新员工创建账号并分配角色。", False),
]


@dataclass
class DemoLogin:
    """One line of the printed demo logins."""

    username: str
    name: str
    role: str
    department: str


@dataclass
class DemoOrganisation:
    """What seeders build on: the demo departments and users."""

    departments: dict = field(default_factory=dict)  # code -> Department
    users: dict = field(default_factory=dict)  # username -> User
    logins: list[DemoLogin] = field(default_factory=list)


DemoSeeder = Callable[[DemoOrganisation], None]
_SEEDERS: dict[str, tuple[int, DemoSeeder]] = {}


def register_demo_seeder(seeder: DemoSeeder, *, order: int = 100, key: str | None = None) -> None:
    """Add an app's demo data to `kehu seed-demo`; runs after the organisation, by `order`."""
    _SEEDERS[key or f"{seeder.__module__}.{seeder.__qualname__}"] = (order, seeder)


def seed_organisation(org: DemoOrganisation) -> None:
    """Departments, department heads and the demo users with their roles."""
    from django.contrib.auth.hashers import make_password

    from kehu.accounts.models import Department, Role, User

    for index, (code, name, parent_code) in enumerate(DEPARTMENTS):
        department, _ = Department.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": org.departments[parent_code] if parent_code else None,
                "sort_order": index,
                "is_active": True,
            },
        )
        org.departments[code] = department
    roles = {role.code: role for role in Role.objects.all()}
    # One hash for the one published demo password: hashing it 26 times takes seconds.
    password_hash = make_password(DEMO_PASSWORD)
    for username, name, department_code, role_codes, heads in USERS:
        department = org.departments[department_code]
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "display_name": name,
                "last_name": name[0],
                "first_name": name[1:],
                "department": department,
                "email": f"{username}@{DEMO_EMAIL_DOMAIN}",
                "is_active": True,
                "is_staff": "sysadmin" in role_codes,
            },
        )
        if created:
            # Only a new user gets the demo password: a changed password stays changed.
            user.password = password_hash
            user.save(update_fields=["password"])
        user.roles.set([roles[code] for code in role_codes])
        org.users[username] = user
        if heads:
            Department.objects.filter(code=heads).update(head=user)
            org.departments[heads].head = user
        org.logins.append(
            DemoLogin(
                username=username,
                name=name,
                role="、".join(roles[code].name for code in role_codes),
                department=department.name,
            )
        )


def seed_notifications(org: DemoOrganisation) -> None:
    """A few inbox messages so the demo users' inboxes are not empty."""
    from django.utils import timezone

    from kehu.core.notifications.models import Notification

    for username, kind, title, body, read in NOTIFICATIONS:
        Notification.objects.get_or_create(
            recipient=org.users[username],
            kind=kind,
            title=title,
            defaults={"body": body, "read_at": timezone.now() if read else None},
        )


register_demo_seeder(seed_notifications, order=50, key="core.notifications")


class DemoRefused(Exception):
    """The database holds real users: the demo would rewrite their departments and roles."""


def real_users() -> list[str]:
    """Usernames of accounts that are neither the demo's nor administrators (at most ten)."""
    from kehu.accounts.models import User

    others = User.objects.filter(is_superuser=False).exclude(email__iendswith=f"@{DEMO_EMAIL_DOMAIN}")
    return list(others.order_by("username").values_list("username", flat=True)[:10])


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create or refresh the demo organisation and every registered app's demo data.

    Only on a new or demo installation: when the database holds users that are not the
    demo's (other than administrators), nothing is written and DemoRefused is raised.
    """
    from kehu.accounts.defaults import ensure_default_roles

    found = real_users()
    if found:
        raise DemoRefused(
            "This database has users who are not demo users ("
            + ", ".join(found)
            + "): seed-demo only runs on a new or demo installation, so it changes nothing here."
        )

    ensure_default_roles()  # the demo users need the shipped roles, whatever state the DB is in
    org = DemoOrganisation()
    seed_organisation(org)
    for _order, seeder in sorted(_SEEDERS.values(), key=lambda item: item[0]):
        seeder(org)
    return org.logins
