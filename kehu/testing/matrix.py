"""The permission test matrix: every URL pattern and API operation has an entry here.

Each app registers `Case`s in its `tests/permission_matrix.py` (a module-level list
named `CASES`). `kehu/core/tests/test_permission_matrix.py` runs every case for every
persona, checks the status code, checks that a refused request changed nothing, and
fails when a route exists with no case (so a new route cannot ship untested).

    Case(
        route="attachments:download",           # URL name, namespaced ("api:..." for the API)
        method="GET",
        args=lambda world: [world["alice_file"].pk],
        setup=lambda world: world.update(alice_file=make_attachment(world.p.alice)),
        expect={"anonymous": 302, "alice": 200, "bob": 404, "carol": 200, "root": 200},
        default=404,                              # for personas not named in expect
    )
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class World(dict):
    """Objects a case needs, built once per test; `p` holds the personas."""

    def __init__(self, personas) -> None:
        super().__init__()
        self.p = personas


@dataclass
class Case:
    route: str
    expect: dict[str, int]
    method: str = "GET"
    args: Callable[[World], list[Any]] = lambda world: []
    data: Callable[[World], dict] | None = None
    setup: Callable[[World], None] | None = None
    default: int | None = None
    content_type: str | None = None  # "application/json" for API bodies
    note: str = ""
    id: str = field(default="")
    # Models a refused request may still write to, e.g. the login-attempt log that
    # throttling depends on; every other table must keep its row count.
    may_write: tuple[str, ...] = ()

    def expected_for(self, persona: str) -> int:
        if persona in self.expect:
            return self.expect[persona]
        if self.default is None:
            raise KeyError(f"{self.route}: no expectation for {persona}")
        return self.default

    @property
    def key(self) -> str:
        return self.id or f"{self.method} {self.route}"


# Routes that answer the same for everyone and are documented here, not in an app.
EXEMPT_NAMESPACES = ("admin",)  # Django's admin: staff-only, its own permission system.
