"""Matrix entries for the shell's own routes and the API's system routes."""

from kehu.testing.matrix import Case

EVERYONE_LOGGED_IN = {"anonymous": 302}

CASES = [
    Case(route="home", expect={"anonymous": 302}, default=200),
    Case(route="set_language", method="POST", data=lambda w: {"language": "en", "next": "/"},
         expect={}, default=302),
    Case(route="api:health", expect={}, default=200),
    Case(route="api:openapi-json", expect={}, default=200),
    # django-ninja's reverse-only root (used to build links); it answers 404 to all.
    Case(route="api:api-root", expect={}, default=404),
    Case(route="api:openapi-view", expect={"anonymous": 302}, default=200),
]
