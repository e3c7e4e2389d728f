"""Handover (C9): move one user's customers to one or several others in one step, recorded.

The plan comes from `selectors.handover.handover_plan` (the preview shows the same), the
customers change owner and department (the recipient's) with a change-log entry each,
one `Handover` with its `HandoverItem`s records the step, and each recipient gets a
notification.

Later apps join with a handover participant, so their open work (leads, opportunities
…) moves with the customers in the same transaction::

    from kehu.customers.services.handover import register_handover_participant

    def move_open_leads(from_user, to_user, customers) -> int:
        return Lead.objects.filter(owner=from_user, customer__in=customers, open=True).update(owner=to_user)

    register_handover_participant("leads.open_leads", move_open_leads)  # in AppConfig.ready()

A participant is called once per recipient with the customers that recipient receives and
returns how many records it moved; the counts are kept on the Handover. It runs inside the
handover's transaction: raising refuses the whole handover.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kehu.accounts.models import User
from kehu.core.notifications.services import notify
from kehu.customers.models import Customer, Handover, HandoverItem, HandoverMode
from kehu.customers.selectors.handover import HandoverPlan, handover_plan

HandoverParticipant = Callable[[User, User, Sequence[Customer]], int]
PARTICIPANTS: dict[str, HandoverParticipant] = {}


def register_handover_participant(key: str, participant: HandoverParticipant) -> None:
    """Let a later app move its open work with the customers (see the module docstring)."""
    PARTICIPANTS[key] = participant


@transaction.atomic
def handover_create(
    *,
    actor: Any,
    from_user: Any,
    to_users: list[Any],
    reason: str,
    customer_ids: list[int] | None = None,
    mode: str = HandoverMode.ROUND_ROBIN,
    split: list[int] | None = None,
    expected_digest: str | None = None,
) -> Handover:
    """Hand `from_user`'s customers (or the selection) over as `handover_plan` deals them.

    `expected_digest` is the preview's digest: when the customers changed since the
    preview, the handover is refused and nothing moves.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the customers are handed over.")]})
    if len(reason) > 200:
        raise ValidationError({"reason": [_("Keep the reason under 200 characters.")]})
    plan: HandoverPlan = handover_plan(
        actor=actor, from_user=from_user, to_users=to_users, customer_ids=customer_ids, mode=mode, split=split
    )
    # Lock the rows and check nobody moved them since the plan was read.
    ids = [customer.pk for customer, _owner in plan.assignments]
    locked = {
        row.pk: row
        for row in Customer.objects.select_for_update().filter(pk__in=ids, owner=plan.from_user)
    }
    if len(locked) != len(ids) or (expected_digest and expected_digest != plan.digest):
        raise ValidationError(
            {"from_user": [_("The customers changed since the preview. Preview the handover again.")]}
        )
    handover = Handover.objects.create(
        from_user=plan.from_user, department=plan.from_user.department, mode=plan.mode, reason=reason,
        customer_count=plan.total, created_by=actor,
    )
    items = []
    now = timezone.now()
    for planned, owner in plan.assignments:
        customer = locked[planned.pk]
        items.append(
            HandoverItem(
                handover=handover, customer=customer, from_user=plan.from_user, to_user=owner,
                from_department_id=customer.department_id, to_department_id=owner.department_id,
            )
        )
        customer.owner = owner
        customer.department = owner.department
        customer.assigned_at = now  # the new owner's pool clock starts now (C8)
        customer.version += 1
        customer.save(update_fields=["owner", "department", "assigned_at", "version", "updated_at"])  # logged
    HandoverItem.objects.bulk_create(items)

    counts: dict[str, int] = {}
    for share in plan.shares:
        received = [locked[c.pk] for c in share.customers]
        if not received:
            continue
        for key, participant in PARTICIPANTS.items():
            counts[key] = counts.get(key, 0) + int(participant(plan.from_user, share.user, received) or 0)
        notify(
            recipients=[share.user], kind="customers.handover", actor=actor,
            title=_("%(count)d customers were handed over to you from %(user)s")
            % {"count": len(received), "user": plan.from_user.name},
            body=reason, url=reverse("customers:customer_list") + "?owner=me",
            dedupe_key=f"customers.handover.{handover.pk}",
        )
    if counts:
        handover.participant_counts = counts
        handover.save(update_fields=["participant_counts"])
    return handover
