"""Personal data: reveal one masked field of one customer or contact, once, and log the reveal.

Who may see personal data in full (owner, managers) sees it everywhere; anyone else who may
view the customer and holds the `unmask` right may reveal one field for one request. The
reveal is an "unmask" entry in that record's change log: who, which field, when (not the value).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kehu.accounts.permissions import access, require
from kehu.core.audit.models import Action
from kehu.core.audit.services import change_record_event
from kehu.customers.apps import CUSTOMER
from kehu.customers.models import Contact, Customer
from kehu.customers.selectors.customer import contacts_for, may_see_personal_data

UNMASKABLE = ("phone", "id_number")
CONTACT_UNMASKABLE = ("mobile", "phone", "fax", "email", "wechat", "qq")


@transaction.atomic
def customer_unmask(*, actor: Any, customer: Customer, field: str, contact_id: Any = None) -> str:
    """The full value of `field` of the customer (phone, ID number) or of one of its contacts
    (mobile, phone, fax, e-mail, WeChat, QQ); logged unless the actor sees it anyway."""
    customer = access(actor, Customer, customer.pk, "view")
    record: Customer | Contact = customer
    allowed = UNMASKABLE
    if contact_id not in (None, ""):
        record = access(actor, contacts_for(actor, customer), contact_id, "view")
        allowed = CONTACT_UNMASKABLE
    if field not in allowed:
        message = (_("Only the phone or the ID number can be revealed.") if record is customer
                   else _("Only a contact's phone numbers, e-mail, WeChat or QQ can be revealed."))
        raise ValidationError({"field": [message]})
    if may_see_personal_data(actor, customer):
        return getattr(record, field)
    require(actor, CUSTOMER, "unmask")
    label = type(record)._meta.get_field(field).verbose_name
    change_record_event(
        actor=actor, target=record, action=Action.UNMASK, changes=[(field, "", "")],
        note=_("%(user)s revealed the %(field)s.") % {"user": getattr(actor, "name", actor), "field": label},
    )
    return getattr(record, field)
