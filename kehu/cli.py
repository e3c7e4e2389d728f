"""The `kehu` command: init, seed-demo, serve, demo, classify, handover, pool, merge, import, export, worker, manage,
bench.

A stable interface: tests, CI and deployment scripts drive it. Every
subcommand reads its configuration from the environment (see kehu/settings.py),
exactly like the web process does.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
from collections.abc import Sequence


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehu.settings")
    import django
    from django.conf import settings

    # The job queue opens its SQLite file in KEHU_HOME while the apps load, so the
    # folder must exist first (also when KEHU_SECRET_KEY comes from the environment).
    settings.KEHU_HOME.mkdir(parents=True, exist_ok=True)
    django.setup()


# ---------------------------------------------------------------- init


def init(*, quiet: bool = False) -> str | None:
    """Prepare KEHU_HOME: secret key, database schema, static files, roles, first admin.

    Idempotent. Returns the administrator's password when this run generated it
    (it is printed once and never stored in clear), else None.
    """
    from django.conf import settings
    from django.core.management import call_command

    say = (lambda *a: None) if quiet else print
    home = settings.KEHU_HOME
    home.mkdir(parents=True, exist_ok=True)
    say(f"KEHU_HOME: {home}")
    call_command("migrate", interactive=False, verbosity=0)
    say("Database is up to date.")
    call_command("collectstatic", interactive=False, verbosity=0)
    from kehu.accounts.defaults import ensure_default_roles

    ensure_default_roles()
    return _ensure_admin(say)


def _ensure_admin(say) -> str | None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from kehu.accounts.models import Role

    User = get_user_model()
    username = os.environ.get("KEHU_ADMIN_USERNAME") or "admin"
    if User.objects.filter(username__iexact=username).exists():
        say(f"The administrator '{username}' already exists; nothing changed.")
        return None
    password = os.environ.get("KEHU_ADMIN_PASSWORD")
    generated = not password
    if generated:
        password = secrets.token_urlsafe(12)
    else:
        try:
            validate_password(password, User(username=username))
        except ValidationError as exc:
            raise SystemExit("KEHU_ADMIN_PASSWORD is not acceptable: " + " ".join(exc.messages)) from exc
    with transaction.atomic():
        admin = User.objects.create_superuser(
            username=username, password=password, email="", display_name="系统管理员"
        )
        admin.roles.add(Role.objects.get(code="sysadmin"))
    say(f"Created the administrator '{username}'.")
    if generated:
        say(f"  password: {password}   (shown once; change it after logging in)")
        return password
    say("  password: from KEHU_ADMIN_PASSWORD")
    return None


# ---------------------------------------------------------------- seed-demo


def seed_demo(*, quiet: bool = False) -> list:
    from django.core.management import call_command

    from kehu.accounts.defaults import ensure_default_roles
    from kehu.core.demo import seed_demo as run_seeders

    call_command("migrate", interactive=False, verbosity=0)
    ensure_default_roles()
    logins = run_seeders()
    if not quiet:
        print_logins(logins)
    return logins


def _seed_demo_or_explain(command: str, *, quiet: bool = False) -> list | None:
    """seed_demo(), or None after telling why it refused (a database with real users)."""
    from kehu.core.demo import DemoRefused

    try:
        return seed_demo(quiet=quiet)
    except DemoRefused as refused:
        print(f"kehu {command}: {refused}", file=sys.stderr)
        return None


def print_logins(logins) -> None:
    from kehu.core.demo import DEMO_PASSWORD

    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    width = max((len(login.username) for login in logins), default=8)
    for login in logins:
        print(f"  {login.username:<{width}}  {login.name}  {login.role}  {login.department}")


# ---------------------------------------------------------------- serve / worker


def start_embedded_consumer():
    """Run huey's scheduler and workers as threads of this process (the embedded setup).

    Signal handlers stay with the web server: we start the consumer's threads
    ourselves instead of calling Consumer.start(), which would take SIGINT.
    """
    from django.conf import settings
    from django.utils.module_loading import autodiscover_modules
    from huey.consumer import Consumer
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:  # KEHU_JOBS_IMMEDIATE: jobs run inside the request; nothing to consume
        return None
    autodiscover_modules("tasks")
    options = dict(settings.HUEY.get("consumer", {}))
    options["worker_type"] = "thread"  # processes cannot live inside the web server
    consumer = Consumer(HUEY, **options)
    consumer.scheduler.start()
    for _worker, thread in consumer.worker_threads:
        thread.start()
    return consumer


def _warn_unapplied_migrations() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("Warning: the database has unapplied migrations; run `kehu init` first.", file=sys.stderr)


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(*, host: str, port: int, threads: int, worker: bool) -> None:
    """Serve with waitress (static files through whitenoise), jobs in-process unless --no-worker."""
    from waitress import serve as waitress_serve

    from kehu.wsgi import application

    _warn_unapplied_migrations()
    # SIGTERM (systemd, docker stop) shuts down like Ctrl+C: jobs finish, then exit.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    consumer = start_embedded_consumer() if worker else None
    jobs = "jobs run in this process" if worker else "jobs need `kehu worker`"
    print(f"Kehu is serving on http://{host}:{port}/ ({threads} threads; {jobs}). Ctrl+C stops.")
    sys.stdout.flush()
    try:
        waitress_serve(application, host=host, port=port, threads=threads, ident="kehu", **_proxy_options())
    except KeyboardInterrupt:
        pass
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


def _proxy_options() -> dict:
    """Behind a reverse proxy (KEHU_TRUSTED_PROXY=127.0.0.1), take the client address and
    scheme from its X-Forwarded-For/-Proto headers, so per-IP login throttling sees real clients."""
    proxy = os.environ.get("KEHU_TRUSTED_PROXY", "").strip()
    if not proxy:
        return {}
    return {
        "trusted_proxy": proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto",
        "clear_untrusted_proxy_headers": True,
    }


def _bench(argv: Sequence[str]) -> int:
    """Run the benchmarks (the `benchmarks` package of the source checkout)."""
    try:
        from benchmarks.runner import main as bench_main
    except ModuleNotFoundError as exc:
        if exc.name != "benchmarks":
            raise
        print("kehu bench: the benchmarks live in the source checkout; run it from the "
              "repository root after `pip install -e .`, or use `python -m benchmarks`.",
              file=sys.stderr)
        return 2
    return bench_main(argv)


def _manage(argv: Sequence[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kehu manage", *argv])


# ---------------------------------------------------------------- entry point


def _date(value: str):
    import datetime

    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from exc


def classify(*, start, end, a_limit=None, b_limit=None) -> int:
    """Levels by the rules and the ABC snapshot of the period, as the nightly job does; the
    A/B limits given are kept for the next runs, else those last chosen are used."""
    from django.core.exceptions import ValidationError

    from kehu.customers.services import classification_run

    try:
        snapshot, changed = classification_run(actor=None, start=start, end=end, a_limit=a_limit, b_limit=b_limit)
    except ValidationError as exc:
        print("kehu classify: " + " ".join(exc.messages), file=sys.stderr)
        return 1
    print(f"ABC {snapshot.period_start} – {snapshot.period_end}: {snapshot.customer_count} customers, "
          f"total {snapshot.total_amount} CNY, class A up to {snapshot.a_limit} %, B up to {snapshot.b_limit} %. "
          f"Levels changed: {changed}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehu", description="Kehu (客户) CRM. Configuration comes from the environment."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("init", help="create KEHU_HOME, migrate, collect static files, create the admin")
    sub.add_parser("seed-demo", help="load the demo organisation (idempotent)")

    def serve_options(p: argparse.ArgumentParser, *, full: bool) -> None:
        if full:
            p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
        p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        p.add_argument("--threads", type=int, default=int(os.environ.get("KEHU_THREADS", "8")),
                       help="request threads (default 8 or KEHU_THREADS)")
        if full:
            p.add_argument("--no-worker", action="store_true",
                           help="do not run jobs in this process; run `kehu worker` separately")

    serve_options(sub.add_parser("serve", help="run the production web server (waitress)"), full=True)
    demo = sub.add_parser("demo", help="init + seed-demo + serve on 127.0.0.1")
    serve_options(demo, full=False)
    classify = sub.add_parser("classify", help="set customer levels by the rules and compute the ABC analysis")
    classify.add_argument("--period-start", type=_date, help="first day (YYYY-MM-DD; default 12 months ago)")
    classify.add_argument("--period-end", type=_date, help="last day (YYYY-MM-DD; default today)")
    classify.add_argument("--a-limit", help="class A up to this cumulative %% (default: the limit last chosen, "
                                            "else 80); kept for the nightly job")
    classify.add_argument("--b-limit", help="class B up to this cumulative %% (default: the limit last chosen, "
                                            "else 95); kept for the nightly job")
    sub.add_parser("worker", help="run the job consumer (huey)", add_help=False)
    sub.add_parser("manage", help="run any Django management command", add_help=False)
    sub.add_parser("bench", help="run the benchmarks (see `kehu bench --help`)", add_help=False)
    from kehu.customers.cli import add_handover_parser, add_merge_parser, add_pool_parser

    add_handover_parser(sub)
    add_pool_parser(sub, _date)
    add_merge_parser(sub)
    importing = sub.add_parser("import", help="import a .xlsx or .csv file (checked first; all or nothing)")
    importing.add_argument("kind", help="what to import, e.g. customers")
    importing.add_argument("file")
    importing.add_argument("--as", dest="as_user", help="the user whose rights apply (default: admin)")
    importing.add_argument("--dry-run", action="store_true", help="only check the file and print the report")
    exporting = sub.add_parser("export", help="export records as CSV or .xlsx (scoped and masked)")
    exporting.add_argument("kind", help="what to export, e.g. customers")
    exporting.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    exporting.add_argument("--output", help="the file to write (CSV goes to standard output without it)")
    exporting.add_argument("--as", dest="as_user", help="the user whose rights apply (default: admin)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    passthrough = {"manage", "worker", "bench"}
    if argv and argv[0] in passthrough:
        command, rest = argv[0], argv[1:]
        if command == "bench":
            return _bench(rest)
        _setup_django()
        _manage(["run_huey", *rest] if command == "worker" else rest)
        return 0

    args = build_parser().parse_args(argv)
    _setup_django()
    if args.command == "init":
        init()
    elif args.command == "classify":
        return classify(start=args.period_start, end=args.period_end, a_limit=args.a_limit, b_limit=args.b_limit)
    elif args.command == "seed-demo":
        return 0 if _seed_demo_or_explain("seed-demo") is not None else 1
    elif args.command == "serve":
        serve(host=args.host, port=args.port, threads=args.threads, worker=not args.no_worker)
    elif args.command == "import":
        from kehu.core.transfer.commands import run_import

        return run_import(args.kind, args.file, as_user=args.as_user, dry_run=args.dry_run)
    elif args.command == "export":
        from kehu.core.transfer.commands import run_export

        return run_export(args.kind, fmt=args.format, output=args.output, as_user=args.as_user)
    elif args.command == "demo":
        password = init()
        logins = _seed_demo_or_explain("demo", quiet=True)
        if logins is None:
            return 1
        print()
        print(f"Kehu demo: open http://127.0.0.1:{args.port}/ in a browser.")
        print_logins(logins)
        if password:
            print(f"Administrator: admin / {password}")
        print()
        serve(host="127.0.0.1", port=args.port, threads=args.threads, worker=True)
    elif args.command == "handover":
        from kehu.customers.cli import handover

        return handover(args)
    elif args.command == "pool":
        from kehu.customers.cli import pool

        return pool(args)
    elif args.command == "merge":
        from kehu.customers.cli import merge

        return merge(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
