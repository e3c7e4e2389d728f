"""`kehu handover --from USER --to USER[,USER] [--dry-run]`: the handover (C9) from the command line.

It calls the same plan and service as the pages and the API, acting as `--by` (default:
the first active system administrator), so the same rights and rules apply.
"""

from __future__ import annotations

import argparse
import sys


def add_handover_parser(sub) -> None:
    p = sub.add_parser("handover", help="hand one user's customers over to others (round robin)")
    p.add_argument("--from", dest="from_user", required=True, help="login name of the current owner")
    p.add_argument("--to", dest="to_users", required=True, help="login names of the recipients, comma-separated")
    p.add_argument("--split", default="", help="explicit counts per recipient, comma-separated (default: round robin)")
    p.add_argument("--reason", default="", help="why (recorded on the handover; required unless --dry-run)")
    p.add_argument("--by", default="", help="login name of the user doing it (default: first system administrator)")
    p.add_argument("--dry-run", action="store_true", help="show who would get what; change nothing")


def handover(args: argparse.Namespace) -> int:
    from django.core.exceptions import PermissionDenied, ValidationError

    from kehu.accounts.models import User
    from kehu.core.audit.context import audit_actor
    from kehu.customers.models import HandoverMode
    from kehu.customers.selectors.handover import handover_plan
    from kehu.customers.services.handover import handover_create

    actors = User.objects.filter(is_active=True)
    actor = (actors.filter(username__iexact=args.by) if args.by else actors.filter(is_superuser=True)).order_by(
        "pk"
    ).first()
    if actor is None:
        print("kehu handover: no such active user for --by", file=sys.stderr)
        return 2
    to_users = [name.strip() for name in args.to_users.split(",") if name.strip()]
    options = {"actor": actor, "from_user": args.from_user, "to_users": to_users}
    if args.split:
        try:
            options.update(mode=HandoverMode.SPLIT, split=[int(n) for n in args.split.split(",")])
        except ValueError:
            print("kehu handover: --split takes whole numbers, e.g. 10,5", file=sys.stderr)
            return 2
    try:
        with audit_actor(actor):
            plan = handover_plan(**options)
            for share in plan.shares:
                print(f"{share.user.username}\t{share.count}")
            if args.dry_run:
                print(f"dry run: {plan.total} customers would be handed over from {plan.from_user.username}")
                return 0
            done = handover_create(reason=args.reason, expected_digest=plan.digest, **options)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                print(f"kehu handover: {field}: {message}", file=sys.stderr)
        return 1
    except PermissionDenied:
        print(f"kehu handover: {actor.username} may not transfer customers", file=sys.stderr)
        return 1
    print(f"handover #{done.pk}: {done.customer_count} customers handed over from {plan.from_user.username}")
    return 0
