"""Demo customers: about 2,000 realistic Chinese companies with contacts for the demo sales team.

Deterministic (a fixed random seed) and idempotent: customers are keyed by their
credit code, so running the demo again changes nothing.
"""

from __future__ import annotations

import random
from typing import Any

from kehu.customers import normalize

# (province, city, districts, landline area code)
REGIONS = {
    "sales-shanghai": [("上海", "上海", ("浦东新区", "闵行区", "徐汇区", "嘉定区"), "021"),
                       ("江苏", "苏州", ("工业园区", "吴中区", "相城区"), "0512")],
    "sales-hangzhou": [("浙江", "杭州", ("西湖区", "滨江区", "余杭区", "萧山区"), "0571"),
                       ("浙江", "宁波", ("鄞州区", "北仑区"), "0574")],
    "sales-guangzhou": [("广东", "广州", ("天河区", "番禺区", "黄埔区", "白云区"), "020"),
                        ("广东", "佛山", ("顺德区", "南海区"), "0757")],
    "sales-shenzhen": [("广东", "深圳", ("南山区", "福田区", "宝安区", "龙岗区"), "0755"),
                       ("广东", "东莞", ("松山湖", "长安镇"), "0769")],
    "sales-beijing": [("北京", "北京", ("海淀区", "朝阳区", "丰台区", "大兴区"), "010"),
                      ("天津", "天津", ("滨海新区", "西青区"), "022")],
}
BRAND_FIRST = "华恒鑫宏泰瑞博远盛达创新联中金德信安康嘉宇腾飞宝天凯辰启明睿智海汇通"
BRAND_SECOND = "信达兴源通业科昌隆丰盛利邦诚越航图晟正和润成鼎拓"
TRADES = [
    ("电子科技", "电子制造"), ("精密机械", "机械制造"), ("食品设备", "食品加工"), ("物流", "物流运输"),
    ("医疗器械", "医疗器械"), ("建材", "建筑材料"), ("化工", "化工"), ("纺织", "纺织服装"),
    ("智能装备", "自动化设备"), ("信息技术", "软件和信息技术"), ("环保科技", "环保"),
    ("汽车零部件", "汽车配件"), ("商贸", "批发零售"), ("包装材料", "包装印刷"), ("新能源", "新能源"),
]
LEGAL_FORMS = ["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "华", "建华", "志强", "海燕", "晓东", "丽华", "国庆"]
POSITIONS = [("总经理", "decision_maker"), ("采购经理", "key_person"), ("采购专员", "liaison"),
             ("技术总监", "influencer"), ("设备主管", "user"), ("总经理助理", "gatekeeper"),
             ("财务经理", "influencer"), ("董事长", "decision_maker")]
STATUSES = ["intent"] * 4 + ["negotiating"] * 3 + ["signed"] * 2 + ["cooperating"] * 3 + ["nurture", "lost"]
SOURCES = ["telemarketing", "website", "exhibition", "referral", "advertising", "cold_visit", "partner", "hotline"]
LEVELS = ["base"] * 6 + ["middle"] * 3 + ["top"]
# The demo has no level rules: its levels are set by hand, and a hand-set level needs a reason.
DEMO_LEVEL_REASON = "演示数据：销售人员按经验设定"
TAGS = ["重点客户", "经销商", "终端用户", "政府采购", "老客户转介绍", "展会客户"]


def demo_credit_code(rng: random.Random) -> str:
    body = "91" + "".join(rng.choice("0123456789") for _ in range(6))
    body += "".join(rng.choice(normalize.CREDIT_CODE_CHARS) for _ in range(9))
    return body + normalize.credit_code_check_char(body)


def seed_customers(org: Any) -> None:
    """`KEHU_DEMO_CUSTOMERS` customers (2,000 by default) shared among the demo salespeople,
    with one to three contacts each."""
    from django.conf import settings
    from django.core.exceptions import ValidationError

    from kehu.core.audit.context import audit_actor
    from kehu.customers import services

    rng = random.Random(20260401)
    salespeople = [
        user for _username, user in sorted(org.users.items())
        if REGIONS.get(getattr(user.department, "code", "")) and user.roles.filter(code="salesperson").exists()
    ]
    per_salesperson = -(-settings.KEHU_DEMO_CUSTOMERS // max(len(salespeople), 1))
    for user in salespeople:
        regions = REGIONS[user.department.code]
        with audit_actor(user):
            for _index in range(per_salesperson):
                province, city, districts, area = rng.choice(regions)
                trade, industry = rng.choice(TRADES)
                brand = rng.choice(BRAND_FIRST) + rng.choice(BRAND_SECOND)
                name = f"{city}{brand}{trade}{rng.choice(LEGAL_FORMS)}"
                code = demo_credit_code(rng)
                contacts = [
                    (rng.choice(SURNAMES) + rng.choice(GIVEN), *rng.choice(POSITIONS),
                     f"1{rng.choice('35789')}{rng.randrange(10**8, 10**9)}")
                    for _ in range(rng.randint(1, 3))
                ]
                phone = f"{area}-{rng.randrange(2 * 10**7, 9 * 10**7)}"
                status, source, level = rng.choice(STATUSES), rng.choice(SOURCES), rng.choice(LEVELS)
                tags = rng.sample(TAGS, rng.randint(0, 2))
                district = rng.choice(districts)
                road = f"{rng.choice(['科技路', '工业大道', '创业路', '人民路'])}{rng.randint(1, 999)}号"
                scale = rng.choice(["small", "medium", "medium", "large"])
                nature = rng.choice(["private", "private", "state", "joint", "foreign"])
                # Every random draw happens above this line, so a second run draws the same.
                try:
                    customer = services.customer_create(
                        actor=user, name=name, short_name=brand + trade[:2], credit_code=code,
                        industry=industry, province=province, city=city, district=district,
                        address=f"{city}{district}{road}", phone=phone, status=status, source=source,
                        level=level, level_reason=DEMO_LEVEL_REASON, scale=scale, economic_nature=nature,
                        tags=tags,
                    )
                except ValidationError as exc:
                    if set(exc.message_dict) - {"name", "credit_code"}:
                        raise
                    continue  # an exact duplicate: made by an earlier run (or an earlier draw)
                for contact_name, position, role, mobile in contacts:
                    services.contact_create(
                        actor=user, customer=customer, name=contact_name, position=position,
                        decision_role=role, mobile=mobile,
                    )
