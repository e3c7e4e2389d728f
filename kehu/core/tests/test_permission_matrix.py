"""Runs every app's permission matrix, and fails when a route has no entry in it."""

from __future__ import annotations

import importlib
import importlib.util
import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kehu.testing.matrix import EXEMPT_NAMESPACES, Case, World
from kehu.testing.personas import NAMES


def _matrix_modules():
    """`<app>.tests.permission_matrix` of every installed Kehu app."""
    for config in apps.get_app_configs():
        if not config.name.startswith("kehu."):
            continue
        name = f"{config.name}.tests.permission_matrix"
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if found:
            yield importlib.import_module(name)


def all_cases() -> list[Case]:
    return [case for module in _matrix_modules() for case in module.CASES]


def all_route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}{entry.namespace}:"
                if entry.namespace in EXEMPT_NAMESPACES:
                    continue
                walk(entry.url_patterns, ns)
            elif isinstance(entry, URLPattern):
                if entry.name:
                    names.add(namespace + entry.name)
                else:
                    names.add(f"{namespace}<unnamed {entry.pattern}>")

    walk(get_resolver().url_patterns, "")
    return names


# Schema and docs pages of ninja are routes too; they are covered in core's own matrix.
def test_every_route_has_a_matrix_entry():
    covered = {case.route for case in all_cases()}
    missing = sorted(all_route_names() - covered)
    assert not missing, f"routes without a permission-matrix entry: {missing}"


def test_matrix_names_only_real_routes():
    stale = sorted({case.route for case in all_cases()} - all_route_names())
    assert not stale, f"matrix entries for routes that do not exist: {stale}"


def _fingerprint() -> dict[str, int]:
    """Row counts of every Kehu table: a refused request must leave them as they were."""
    counts = {}
    for model in apps.get_models():
        if model.__module__.startswith("kehu.") and not model._meta.proxy:
            counts[model._meta.label] = model._default_manager.count()
    return counts


CASES = all_cases()
PARAMS = [pytest.param(case, persona, id=f"{case.key} as {persona}") for case in CASES for persona in NAMES]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "persona"), PARAMS)
def test_matrix_case(case: Case, persona: str, personas):
    world = World(personas)
    if case.setup:
        case.setup(world)
    client = Client()
    user = personas.by_name(persona)
    if user is not None:
        client.force_login(user)
    url = reverse(case.route, args=case.args(world))
    kwargs = {}
    if case.data is not None:
        data = case.data(world)
        if case.content_type == "application/json":
            kwargs = {"data": json.dumps(data), "content_type": "application/json"}
        else:
            kwargs = {"data": data}
    before = _fingerprint()
    response = getattr(client, case.method.lower())(url, **kwargs)
    expected = case.expected_for(persona)
    assert response.status_code == expected, (
        f"{case.key} as {persona}: got {response.status_code}, expected {expected}"
    )
    refused = response.status_code >= 400 or (user is None and response.status_code == 302)
    if refused:
        after = _fingerprint()
        for label in case.may_write:
            before.pop(label, None)
            after.pop(label, None)
        assert after == before, f"{case.key} as {persona}: refused but data changed"
