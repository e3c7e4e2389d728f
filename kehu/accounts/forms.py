"""HTML forms of the accounts pages; they only parse input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kehu.accounts.models import Department, Role, Scope, User
from kehu.accounts.permissions import ACTION_LABELS, RECORD_TYPES
from kehu.accounts.selectors import flatten
from kehu.accounts.services import GrantInput


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class ProfileForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), required=False,
        choices=[("", _("Browser default")), ("zh-hans", "简体中文"), ("en", "English")],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)


class PasswordResetForm(forms.Form):
    new_password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, required=False)


def department_choices(nodes) -> list[tuple[str, str]]:
    return [("", "—")] + [
        (str(node.department.pk), "\u3000" * node.depth + node.department.name) for node in flatten(nodes)
    ]


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    role = forms.ChoiceField(label=_("Role"), required=False)
    active = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All")), ("1", _("Active")), ("0", _("Deactivated"))],
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices(departments)
        self.fields["role"].choices = [("", "—")] + [(r.code, r.name) for r in Role.objects.all()]


class UserForm(forms.Form):
    """Create and edit a user; the password only when creating."""

    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    display_name = forms.CharField(label=_("Name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=30, required=False)
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(
        label=_("Language"), required=False,
        choices=[("", _("Browser default")), ("zh-hans", "简体中文"), ("en", "English")],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, departments=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices(departments)
        self.fields["roles"].choices = [(r.code, r.name) for r in Role.objects.all()]
        if editing:
            del self.fields["username"]
            del self.fields["password"]
            self.fields["version"].required = True

    def department_obj(self) -> Department | None:
        pk = self.cleaned_data.get("department")
        return Department.objects.filter(pk=pk).first() if pk else None

    def role_objs(self) -> list[Role]:
        return list(Role.objects.filter(code__in=self.cleaned_data.get("roles") or []))


class DepartmentForm(forms.Form):
    """Create and edit a department: name, code, where it sits, who heads it."""

    name = forms.CharField(label=_("Department name"), max_length=100)
    code = forms.SlugField(label=_("Code"), max_length=50)
    parent = forms.TypedChoiceField(label=_("Parent department"), required=False, coerce=int, empty_value=None)
    head = forms.TypedChoiceField(label=_("Department head"), required=False, coerce=int, empty_value=None)
    sort_order = forms.IntegerField(label=_("Sort order"), min_value=0, initial=0)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, actor: User, departments=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = department_choices(departments)
        heads = User.objects.visible_to(actor).filter(is_active=True).order_by("username")
        self.fields["head"].choices = [("", "—")] + [(str(u.pk), f"{u.name} ({u.username})") for u in heads]
        if editing:
            self.fields["version"].required = True


class RoleForm(forms.Form):
    """A role's name and its grants matrix: one row per record type."""

    code = forms.SlugField(label=_("Code"), max_length=50)
    name = forms.CharField(label=_("Role name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]
            self.fields["version"].required = True
        else:
            del self.fields["version"]


def grants_matrix(grants: dict[str, tuple[list[str], str]]) -> list[dict]:
    """Rows for the grants table: every record type, its possible actions, what is ticked."""
    rows = []
    for label in sorted(RECORD_TYPES):
        record_type = RECORD_TYPES[label]
        actions, scope = grants.get(label, ([], Scope.OWN))
        rows.append({
            "label": label,
            "verbose_name": record_type.verbose_name,
            "actions": [
                {"code": a, "label": ACTION_LABELS.get(a, a), "checked": a in actions}
                for a in record_type.actions
            ],
            "scope": scope,
        })
    return rows


def grants_from_post(data) -> list[GrantInput]:
    """Read the matrix back: `grant:<record type>` holds the ticked actions, `scope:<…>` the scope."""
    grants = []
    for label in RECORD_TYPES:
        actions = data.getlist(f"grant:{label}")
        if actions:
            grants.append(GrantInput(label, actions, data.get(f"scope:{label}", Scope.OWN)))
    return grants


SCOPE_CHOICES = Scope.choices
