"""Customers and contacts for tests, made through the services (so derived fields are right)."""

from __future__ import annotations

import itertools

from kehu.customers import normalize, services

_counter = itertools.count(1)


def credit_code(seed: int | None = None) -> str:
    """A valid 统一社会信用代码, different for each call (or each seed)."""
    number = next(_counter) if seed is None else seed
    body = f"91310000{number:09d}"
    return body + normalize.credit_code_check_char(body)


def make_customer(owner, name: str | None = None, **fields):
    number = next(_counter)
    fields.setdefault("city", "上海")
    fields.setdefault("province", "上海")
    if fields.get("level"):  # a level is set by hand, with a reason (or by the level rules)
        fields.setdefault("level_reason", "测试：手工设定")
    return services.customer_create(
        actor=owner, name=name or f"测试客户{number:04d}科技有限公司", **fields
    )


def make_contact(customer, name: str = "王经理", **fields):
    owner = customer.owner
    return services.contact_create(actor=owner, customer=customer, name=name, **fields)
