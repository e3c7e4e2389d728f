"""The customer-archive benchmarks (issue 3): `kehu bench --suite customers --rows N`.

Generated data: N customers (realistic Chinese company names in 150 cities, credit codes
with their check character, landlines), 3 contacts each (names, mobiles), owned by 200
salespeople in a four-level organisation, with the search text the services derive.

Measured through `django.test.Client` in-process (the full middleware stack: session,
user, grants, the page's queries and its template), logged in as three users:

* own      — a salesperson (`salesperson` role, own scope);
* subtree  — a regional manager (`business_manager`, subtree scope: a third of the rows);
* all      — the general manager (`gm`, everything).

Figures: the customer list (first page of 50), searches by two Chinese characters, by four
phone digits and by pinyin initials, and the 360° page of one customer. Beside each, in the
same interleaved loop, the raw SQL floor: every statement the request sent, replayed through
`connection.cursor()` with the same parameters (so floor = the database's share; the rest is
Python, the policy and the template). The main data query's own floor and its plan are in the
JSON too. Nothing here asserts a time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

PAGE_SIZE = 50
PROVINCE_CITIES = {
    "北京": ["北京"], "上海": ["上海"], "天津": ["天津"], "重庆": ["重庆"],
    "广东": ["广州", "深圳", "东莞", "佛山", "珠海", "中山", "惠州", "汕头", "江门", "湛江"],
    "江苏": ["南京", "苏州", "无锡", "常州", "南通", "扬州", "徐州", "盐城", "镇江", "泰州"],
    "浙江": ["杭州", "宁波", "温州", "嘉兴", "绍兴", "金华", "台州", "湖州", "义乌", "舟山"],
    "山东": ["济南", "青岛", "烟台", "潍坊", "临沂", "淄博", "济宁", "威海", "德州", "日照"],
    "河南": ["郑州", "洛阳", "新乡", "南阳", "许昌", "安阳", "开封", "商丘"],
    "湖北": ["武汉", "宜昌", "襄阳", "荆州", "黄石", "十堰", "孝感"],
    "湖南": ["长沙", "株洲", "湘潭", "衡阳", "岳阳", "常德"],
    "四川": ["成都", "绵阳", "德阳", "宜宾", "南充", "泸州", "乐山"],
    "福建": ["福州", "厦门", "泉州", "漳州", "莆田", "龙岩"],
    "河北": ["石家庄", "唐山", "保定", "廊坊", "邯郸", "沧州"],
    "安徽": ["合肥", "芜湖", "蚌埠", "安庆", "马鞍山"],
    "辽宁": ["沈阳", "大连", "鞍山", "营口", "锦州"],
    "陕西": ["西安", "宝鸡", "咸阳", "榆林"],
    "江西": ["南昌", "赣州", "九江", "上饶"],
    "广西": ["南宁", "柳州", "桂林", "北海"],
    "云南": ["昆明", "曲靖", "玉溪", "大理"],
    "山西": ["太原", "大同", "长治", "临汾"],
    "黑龙江": ["哈尔滨", "大庆", "齐齐哈尔"],
    "吉林": ["长春", "吉林", "四平"],
    "贵州": ["贵阳", "遵义"],
    "甘肃": ["兰州", "天水"],
    "新疆": ["乌鲁木齐", "克拉玛依"],
    "海南": ["海口", "三亚"],
}
AREA_CODES = {"北京": "010", "上海": "021", "天津": "022", "重庆": "023", "广州": "020", "深圳": "0755",
              "南京": "025", "杭州": "0571", "成都": "028", "武汉": "027", "西安": "029"}
BRAND_CHARS = (
    "华宏鑫源恒通盛世博远泰安瑞丰永信达金银天地海星辰光明新德志诚康健美佳乐华夏中东西南北"
    "嘉豪弘益利隆昌旺兴隆荣祥和顺宝龙凤锦绣腾飞卓越精创联合亿万千百科讯云智慧汇聚合众力行"
    "正大方圆长江黄河泰山昆仑珠江长城蓝海绿洲阳光雨露松柏青峰晨曦启航远航凯旋雅致优品尚"
)
INDUSTRIES = [
    ("科技", "软件和信息技术"), ("电子", "电子制造"), ("机械", "机械设备"), ("贸易", "批发零售"),
    ("食品", "食品饮料"), ("建材", "建筑材料"), ("物流", "交通物流"), ("化工", "化工"),
    ("医疗器械", "医疗"), ("环保", "环保"), ("汽车配件", "汽车"), ("纺织", "纺织服装"),
    ("家具", "家居"), ("农业", "农林牧渔"), ("传媒", "文化传媒"), ("通信", "通信"),
    ("能源", "能源"), ("教育咨询", "教育"), ("餐饮管理", "餐饮"), ("印务", "印刷"),
]
SUFFIXES = ["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强志明晓东晓明海燕红梅玉兰春梅文博子涵浩然宇轩欣怡梓萱一鸣思远佳琪"  # noqa: E501
POSITIONS = ["总经理", "采购经理", "技术总监", "财务经理", "办公室主任", "副总经理", "采购专员", "IT主管"]


def _credit_code(serial: int) -> str:
    from kehu.customers.normalize import credit_code_check_char

    first17 = f"91{310000 + serial % 90000:06d}{serial:09d}"[:17]
    return first17 + credit_code_check_char(first17)


def build_organisation() -> dict[str, Any]:
    """总部 → 3 regions → 4 groups → 2 teams; 200 salespeople; a regional manager; the GM."""
    from django.contrib.auth.hashers import make_password

    from kehu.accounts.defaults import ensure_default_roles
    from kehu.accounts.models import Department, Role, User

    ensure_default_roles()
    hq = Department.objects.create(name="总部", code="hq")
    regions, teams = [], []
    for r, region_name in enumerate(("华东大区", "华北大区", "华南大区")):
        region = Department.objects.create(name=region_name, code=f"region-{r}", parent=hq)
        regions.append(region)
        for g in range(4):
            group = Department.objects.create(name=f"{region_name}{g + 1}组", code=f"group-{r}-{g}", parent=region)
            for t in range(2):
                teams.append(
                    Department.objects.create(name=f"{group.name}{t + 1}队", code=f"team-{r}-{g}-{t}", parent=group)
                )
    password = make_password("Kehu-bench-pass-2026")
    reps = [
        User(username=f"rep{i:03d}", display_name=f"业务员{i:03d}", password=password,
             department=teams[i % len(teams)])
        for i in range(200)
    ]
    manager = User(username="bench_manager", display_name="华东大区经理", password=password, department=regions[0])
    gm = User(username="bench_gm", display_name="总经理", password=password, department=hq)
    User.objects.bulk_create([*reps, manager, gm])
    roles = {role.code: role for role in Role.objects.all()}
    reps = list(User.objects.filter(username__startswith="rep").order_by("username"))
    manager = User.objects.get(username="bench_manager")
    gm = User.objects.get(username="bench_gm")
    through = User.roles.through
    through.objects.bulk_create(
        [through(user_id=u.pk, role_id=roles["salesperson"].pk) for u in reps]
        + [through(user_id=manager.pk, role_id=roles["business_manager"].pk),
           through(user_id=gm.pk, role_id=roles["gm"].pk)]
    )
    return {"reps": reps, "measured": {"own": reps[0], "subtree": manager, "all": gm}}


def fill_customers(rows: int, reps: list, rng: random.Random, contacts_each: int = 3) -> dict[str, Any]:
    """`rows` customers with `contacts_each` contacts, derived fields as the services derive them."""
    from django.db import connection

    from kehu.customers import normalize
    from kehu.customers.models import Contact, Customer
    from kehu.customers.selectors import search_text_for

    cities = [(province, city) for province, cities in PROVINCE_CITIES.items() for city in cities]
    weights = [rng.lognormvariate(0, 0.6) for _ in reps]
    owners = rng.choices(reps, weights=weights, k=rows)
    seen: set[tuple[str, str]] = set()
    batch = 5000
    sample: dict[str, Any] = {}
    serial = 0
    for start in range(0, rows, batch):
        customers, contact_sets = [], []
        for owner in owners[start : start + batch]:
            while True:  # the archive refuses a second company of the same name key in a city
                province, city = rng.choice(cities)
                brand = "".join(rng.choices(BRAND_CHARS, k=2))
                industry, industry_label = rng.choice(INDUSTRIES)
                name = f"{city}{brand}{industry}{rng.choice(SUFFIXES)}"
                key = normalize.name_key(name)[:200]
                if (key, city) not in seen:
                    seen.add((key, city))
                    break
            serial += 1
            area = AREA_CODES.get(city, "0" + str(rng.randint(310, 999)))
            phone = f"{area}-{rng.randint(20000000, 89999999)}"
            customer = Customer(
                name=name, short_name=brand + industry, credit_code=_credit_code(serial) if serial % 3 else "",
                industry=industry_label, province=province, city=city, phone=phone,
                owner_id=owner.pk, department_id=owner.department_id, status=rng.choice(
                    ["intent", "negotiating", "signed", "cooperating", "nurture", "lost"]),
                level=rng.choice(["", "base", "middle", "top"]), source="telemarketing",
                credit_limit=Decimal(rng.randrange(0, 500)) * 1000,
                name_key=key, phone_digits=normalize.phone_digits(phone)[:20],
            )
            contacts = []
            for c in range(contacts_each):
                mobile = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
                contacts.append(Contact(
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + ("" if rng.random() < 0.5 else rng.choice(GIVEN)),
                    position=rng.choice(POSITIONS), mobile=f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}",
                    mobile_digits=mobile, is_primary=c == 0,
                ))
            customer.search_text = search_text_for(customer, contacts)
            customers.append(customer)
            contact_sets.append(contacts)
        Customer.objects.bulk_create(customers, batch_size=batch)
        if not customers[0].pk:  # a backend that does not return ids
            raise RuntimeError("bulk_create did not set primary keys")
        flat = []
        for customer, contacts in zip(customers, contact_sets, strict=True):
            for contact in contacts:
                contact.customer_id = customer.pk
                flat.append(contact)
        Contact.objects.bulk_create(flat, batch_size=batch)
        if not sample:
            sample = {"customer": customers[0], "contact": contact_sets[0][0]}
    with connection.cursor() as cursor:
        for table in (Customer._meta.db_table, Contact._meta.db_table):
            cursor.execute(f"ANALYZE {table}")
    return sample


def capture(run: Callable[[], Any]) -> tuple[list[tuple[str, Any]], Any]:
    from django.db import connection

    seen: list[tuple[str, Any]] = []

    def wrapper(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        result = run()
    return seen, result


def _replay(statements: list[tuple[str, Any]]) -> Callable[[], None]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description:
                    cursor.fetchall()

    return run


def _plan(sql: str, params: Any) -> list[str]:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [" ".join(str(part) for part in row) for row in cursor.fetchall()]


def measure_page(client, url: str, repeat: int, warmup: int, time_interleaved) -> dict[str, Any]:
    """One page: server time, its statements replayed raw (the floor), the main query's own floor."""
    statements, response = capture(lambda: client.get(url))
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    # The main data query: the slowest customer/contact statement when replayed once.
    import time

    data = [(sql, p) for sql, p in statements if "customers_" in sql]
    slowest, slowest_time = None, -1.0
    for sql, params in data:
        t0 = time.perf_counter()
        _replay([(sql, params)])()
        elapsed = time.perf_counter() - t0
        if elapsed > slowest_time:
            slowest, slowest_time = (sql, params), elapsed
    fns = {"page": lambda: client.get(url), "floor": _replay(statements)}
    if slowest:
        fns["main_query"] = _replay([slowest])
    timings = time_interleaved(fns, repeat, warmup)
    floor = timings["floor"]["median_ms"]
    return {
        "url": url,
        "queries": len(statements),
        **timings,
        "ratio": round(timings["page"]["median_ms"] / floor, 2) if floor else None,
        "main_sql": slowest[0] if slowest else "",
        "main_plan": _plan(*slowest) if slowest else [],
        "rows_on_page": response.content.count(b'data-testid="customer-row"'),
    }


def run_suite(args, report: dict[str, Any], time_interleaved) -> None:
    import time

    from django.test import Client

    from kehu.customers.models import Customer

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    org = build_organisation()
    sample = fill_customers(args.rows, org["reps"], rng)
    report["setup_seconds"]["fill_customers"] = round(time.perf_counter() - t0, 2)
    report["contacts_per_customer"] = 3

    customer = sample["customer"]
    mobile = sample["contact"].mobile_digits
    two_chars = customer.short_name[:2]
    initials = customer.search_text.split("|")[2][:4] if customer.search_text.count("|") >= 2 else ""
    searches = {"2 Chinese characters": two_chars, "4 phone digits": mobile[-4:], "pinyin initials": initials}
    report["search_terms"] = searches
    results: dict[str, Any] = {}
    for scope, user in org["measured"].items():
        client = Client()
        client.force_login(user)
        visible = Customer.objects.visible_to(user).count()
        entry: dict[str, Any] = {"user": user.username, "visible_customers": visible}
        entry["list"] = measure_page(client, "/customers/", args.repeat, args.warmup, time_interleaved)
        for label, term in searches.items():
            entry[f"search: {label}"] = measure_page(
                client, f"/customers/?q={term}", args.repeat, args.warmup, time_interleaved
            )
        results[scope] = entry
    # The 360° page of a customer the salesperson owns (so everything on it is visible).
    own_customer = Customer.objects.filter(owner=org["measured"]["own"]).order_by("pk").first()
    client = Client()
    client.force_login(org["measured"]["own"])
    results["own"]["360 page"] = measure_page(
        client, f"/customers/{own_customer.pk}/", args.repeat, args.warmup, time_interleaved
    )
    report["customers"] = results


def format_table(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"Kehu customer benchmarks — {m['db_version']}, {report['rows']:,} customers × 3 contacts, "
        f"median/p90 of {report['repeat']} runs after {report['warmup']} warm-up",
        f"{m['cpu_count']} CPUs ({m.get('cpu_model') or 'unknown'}), Python {m['python']}, load {m['load_average']}",
        f"search terms: {report['search_terms']}",
        "",
        f"  {'user':<8}{'figure':<28}{'page ms':>16}{'raw floor ms':>16}{'ratio':>7}{'main q ms':>11}{'queries':>8}{'rows':>6}",
    ]
    for scope, entry in report["customers"].items():
        first = True
        for key, figure in entry.items():
            if not isinstance(figure, dict):
                continue
            pair = lambda t: f"{t['median_ms']:.2f} / {t['p90_ms']:.2f}"  # noqa: E731
            main = figure.get("main_query", {}).get("median_ms", 0.0)
            label = f"{scope} ({entry['visible_customers']:,})" if first else ""
            lines.append(
                f"  {label:<8}{key:<28}{pair(figure['page']):>16}{pair(figure['floor']):>16}"
                f"{figure['ratio'] or 0:>7.2f}{main:>11.2f}{figure['queries']:>8}{figure['rows_on_page']:>6}"
            )
            first = False
    lines += [
        "",
        "page: the whole request in-process (session, user, grants, queries, template);",
        "raw floor: every statement the request sent, replayed through cursor.execute();",
        "main q: the page's slowest customer/contact statement alone (its plan is in the JSON).",
    ]
    return "\n".join(lines)
