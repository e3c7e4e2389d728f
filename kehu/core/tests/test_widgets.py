"""The fast widgets draw the same HTML as Django's template widgets."""

from __future__ import annotations

from django import forms
from django.test.html import parse_html

from kehu.core.widgets import FastNumberInput, FastSelect, FastTextInput

CHOICES = [("", "全部"), ("a", "甲 <b>&"), ("b", "乙\"引号\""), ("组", [("c", "丙"), ("d", "丁")])]


def same_html(fast, django_widget, name, value, attrs=None):
    return parse_html(fast.render(name, value, attrs)) == parse_html(django_widget.render(name, value, attrs))


def test_select_with_groups_escaping_selection_and_attributes():
    for value in ("", "a", "d", "未知", None):
        assert same_html(FastSelect(choices=CHOICES), forms.Select(choices=CHOICES), "status", value,
                         {"id": "id_status", "required": True, "data-x": "<y>"})


def test_inputs_with_and_without_values():
    for value in ("", "华为 <技术>", None):
        assert same_html(FastTextInput(attrs={"type": "search", "placeholder": "名称"}),
                         forms.TextInput(attrs={"type": "search", "placeholder": "名称"}), "q", value, {"id": "id_q"})
    for value in (None, 30, "30"):
        assert same_html(FastNumberInput(attrs={"min": 1}), forms.NumberInput(attrs={"min": 1}), "idle_days", value)


def test_bound_fields_of_a_form_use_them():
    class Filters(forms.Form):
        status = forms.ChoiceField(choices=CHOICES[:3], required=False, widget=FastSelect)
        q = forms.CharField(required=False, widget=FastTextInput)

    form = Filters({"status": "b", "q": "华为"})
    assert parse_html(str(form["status"])) == parse_html(
        '<select name="status" id="id_status"><option value="">全部</option>'
        '<option value="a">甲 &lt;b&gt;&amp;</option><option value="b" selected>乙&quot;引号&quot;</option></select>'
    )
    assert parse_html(str(form["q"])) == parse_html('<input type="text" name="q" value="华为" id="id_q">')
