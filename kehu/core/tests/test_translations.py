"""Translations: every catalogue complete, every committed .mo matching its .po, Chinese by default."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.urls import reverse

import kehu

KEHU_DIR = Path(kehu.__file__).resolve().parent
PO_FILES = sorted(KEHU_DIR.rglob("django.po"))


def catalogue(entries) -> dict:
    """(context, msgid, plural) -> translation(s), for a .po or a .mo read with polib."""
    found = {}
    for entry in entries:
        if getattr(entry, "obsolete", False) or getattr(entry, "fuzzy", False):
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        if entry.msgid_plural:
            found[key] = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
        else:
            found[key] = entry.msgstr
    return found


def relative(path: Path) -> str:
    return str(path.relative_to(KEHU_DIR))


def test_the_shell_and_the_core_apps_have_chinese_catalogues():
    found = {relative(path) for path in PO_FILES}

    assert "locale/zh_Hans/LC_MESSAGES/django.po" in found
    assert all("/zh_Hans/" in path for path in found), found


@pytest.mark.parametrize("po_path", PO_FILES, ids=relative)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(po_path):
    po = polib.pofile(str(po_path))

    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]

    assert untranslated == [], f"{relative(po_path)}: untranslated {untranslated}"
    assert fuzzy == [], f"{relative(po_path)}: fuzzy {fuzzy}"


@pytest.mark.parametrize("po_path", PO_FILES, ids=relative)
def test_committed_mo_matches_its_po(po_path, tmp_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{relative(mo_path)} is missing: run msgfmt -o django.mo django.po"
    po = polib.pofile(str(po_path))
    compiled = tmp_path / "django.mo"
    po.save_as_mofile(str(compiled))

    expected = catalogue(polib.mofile(str(compiled)))
    committed = catalogue(polib.mofile(str(mo_path)))

    stale = sorted(str(key[1]) for key in expected.keys() ^ committed.keys())
    changed = sorted(str(key[1]) for key in expected.keys() & committed.keys() if expected[key] != committed[key])
    assert (stale, changed) == ([], []), f"{relative(mo_path)} is out of date: run msgfmt"


def test_catalogue_comparison_notices_a_changed_translation(tmp_path):
    """The check above can fail: a .mo built from an edited .po differs."""
    po = polib.pofile(str(KEHU_DIR / "locale/zh_Hans/LC_MESSAGES/django.po"))
    before = tmp_path / "before.mo"
    po.save_as_mofile(str(before))
    po.find("Home").msgstr = "主页面"
    after = tmp_path / "after.mo"
    po.save_as_mofile(str(after))

    assert catalogue(polib.mofile(str(before))) != catalogue(polib.mofile(str(after)))


@pytest.mark.django_db
def test_home_page_is_chinese_by_default_and_english_after_switching(client, personas):
    client.force_login(personas.alice)

    chinese = client.get(reverse("home")).content.decode()
    switched = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True
    )
    english = switched.content.decode()

    assert '<html lang="zh-hans">' in chinese
    assert "最新通知" in chinese and "收件箱" in chinese and "退出登录" in chinese
    assert "Latest notifications" not in chinese
    assert switched.redirect_chain == [(reverse("home"), 302)]
    assert '<html lang="en">' in english
    assert "Latest notifications" in english and "Log out" in english
    assert "最新通知" not in english
    # The choice sticks for the next request.
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()
