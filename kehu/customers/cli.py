"""The archive's commands; each calls the same selectors and services as the pages and the API.

- `kehu handover --from USER --to USER[,USER] [--dry-run]`: the handover (C9), acting as `--by`;
- `kehu pool sweep [--date YYYY-MM-DD]`: what the nightly 公海 job runs (C8);
- `kehu merge SURVIVOR_ID LOSER_ID [--as USER] [--take field=loser …] [--dry-run]`: a merge (C7).

A command acting as a user (default: the first active system administrator) is held to that
user's rights. Exit codes: 0 done, 1 refused by the rules (the reasons on stderr), 2 bad usage.
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


def _actor(name: str):
    """The named active user, or the first active system administrator; None when there is none."""
    from kehu.accounts.models import User

    actors = User.objects.filter(is_active=True)
    return (actors.filter(username__iexact=name) if name else actors.filter(is_superuser=True)).order_by("pk").first()


def _explain(command: str, exc) -> None:
    for field, messages in exc.message_dict.items() if hasattr(exc, "error_dict") else (("", exc.messages),):
        for message in messages:
            print(f"kehu {command}: {field + ': ' if field else ''}{message}", file=sys.stderr)


# --- kehu pool sweep -------------------------------------------------------------------------


def add_pool_parser(sub, date_type) -> None:
    p = sub.add_parser("pool", help="the 公海 pool: `kehu pool sweep` runs the nightly job now")
    actions = p.add_subparsers(dest="pool_command", required=True, metavar="ACTION")
    sweep = actions.add_parser("sweep", help="return the customers that are due to the pool, then warn owners")
    sweep.add_argument("--date", type=date_type, help="sweep as on this day (YYYY-MM-DD; default today)")


def pool(args: argparse.Namespace) -> int:
    import datetime

    from django.utils import timezone

    from kehu.core.audit.context import audit_actor
    from kehu.customers.services.pool import pool_sweep

    now = timezone.localtime()
    if args.date is not None:  # the same time of day on that day, so `--date` today is a plain run
        now = timezone.make_aware(datetime.datetime.combine(args.date, now.time().replace(tzinfo=None)))
    with audit_actor(None):
        counts = pool_sweep(now=now)
    print(f"returned\t{counts['returned']}")
    print(f"warned\t{counts['warned']}")
    return 0


# --- kehu merge ------------------------------------------------------------------------------


def add_merge_parser(sub) -> None:
    p = sub.add_parser("merge", help="merge one customer into another (the loser becomes an alias)")
    p.add_argument("survivor_id", type=int, help="id of the customer that stays")
    p.add_argument("loser_id", type=int, help="id of the customer merged into it")
    p.add_argument("--as", dest="as_user", default="", help="login name of the user doing it "
                                                            "(default: first system administrator)")
    p.add_argument("--take", action="append", default=[], metavar="FIELD=SIDE",
                   help="keep this field's value from `loser` (or `survivor`, the default); repeatable")
    p.add_argument("--dry-run", action="store_true", help="show the differences and what would move; change nothing")


def merge(args: argparse.Namespace) -> int:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.http import Http404

    from kehu.core.audit.context import audit_actor
    from kehu.customers import selectors, services

    actor = _actor(args.as_user)
    if actor is None:
        print("kehu merge: no such active user for --as", file=sys.stderr)
        return 2
    choices = {}
    for item in args.take:
        name, equals, side = item.partition("=")
        if not equals or not name.strip():
            print(f"kehu merge: --take takes FIELD=loser, e.g. phone=loser (not {item!r})", file=sys.stderr)
            return 2
        choices[name.strip()] = side.strip()
    try:
        with audit_actor(actor):
            survivor, loser = selectors.merge_pair(actor=actor, survivor_id=args.survivor_id, loser_id=args.loser_id)
            preview = selectors.merge_preview(actor=actor, survivor=survivor, loser=loser)
            print(f"survivor #{survivor.pk} {survivor.name}\tloser #{loser.pk} {loser.name}")
            for row in preview["fields"]:
                if row["differs"]:
                    taken = "loser" if choices.get(row["name"]) == "loser" else "survivor"
                    print(f"{row['name']}\t{row['survivor']}\t{row['loser']}\t→ {taken}")
            for move in preview["moves"]:
                print(f"moves\t{move['label']}\t{move['count']}")
            if args.dry_run:
                for problem in preview["problems"]:
                    print(f"kehu merge: {problem}", file=sys.stderr)
                print(f"dry run: nothing merged{' (refused)' if preview['problems'] else ''}")
                return 1 if preview["problems"] else 0
            result = services.customer_merge(
                actor=actor, survivor=survivor, loser=loser, survivor_version=survivor.version,
                loser_version=loser.version, choices=choices,
            )
    except Http404:
        print(f"kehu merge: {actor.username} sees no customer #{args.survivor_id} or #{args.loser_id}", file=sys.stderr)
        return 1
    except PermissionDenied:
        print(f"kehu merge: {actor.username} may not edit #{args.survivor_id} and delete #{args.loser_id}",
              file=sys.stderr)
        return 1
    except services.StaleEdit as exc:
        print(f"kehu merge: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:
        _explain("merge", exc)
        return 1
    moved = sum(result.moved.values())
    print(f"merged #{result.loser.pk} into #{result.survivor.pk}: {moved} records moved")
    return 0
