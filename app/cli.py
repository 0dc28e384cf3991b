"""The `haumai` command: serve, demo, db upgrade, doctor, nlu, templates, staff, orders import.

Every failure a user can cause (bad configuration, a missing file, an unknown template)
ends with one readable line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Callable, Sequence, TextIO

from pydantic import ValidationError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.returns_cli import add_returns_commands
from bot.config import Settings


class UsageError(Exception):
    """A mistake the user can fix; printed without a traceback."""


def _settings(args: argparse.Namespace | None = None) -> Settings:
    """The environment's settings, with the command line's --database-url over them."""
    import os

    url = getattr(args, "database_url", None)
    return Settings.from_env({**os.environ, **({"HAUMAI_DATABASE_URL": url} if url else {})})


def _announced(args: argparse.Namespace, stream: TextIO | None = None) -> Settings:
    """Settings for a command that uses the database, after saying which database that is (on
    stderr for a command whose standard output is data)."""
    settings = _settings(args)
    print(f"database: {describe_database(settings.database_url)}", file=stream or sys.stdout, flush=True)
    return settings


def describe_database(url: str) -> str:
    """The URL without its password; a SQLite file also by its absolute path, so two commands run
    from different directories visibly use different files."""
    from sqlalchemy import make_url

    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return f"{shown} ({Path(parsed.database or '').resolve()})"
    return shown


def cmd_serve(args: argparse.Namespace) -> int:
    from app.server import prepare, serve
    from app.workers import Parent, check_port, worker_command, workers_to_run

    settings = _announced(args)
    unusable = None if args.reuse_port else check_port(args.host, args.port)  # a worker's siblings hold it
    if unusable:
        raise UsageError(unusable)
    count, why_fewer = workers_to_run(settings, args.workers)
    if why_fewer:
        print(f"haumai: {why_fewer}", file=sys.stderr)
    if count == 1:
        serve(settings, host=args.host, port=args.port, reuse_port=args.reuse_port)
        return 0
    prepare(settings)  # migrate once, before any worker starts
    os.environ["HAUMAI_DATABASE_URL"] = settings.database_url  # the workers serve --database-url too (not in argv: it may hold a password)
    parent = Parent(count, worker_command(args.host, args.port))
    code = parent.run()
    if parent.failure:
        print(f"haumai: {parent.failure}; its log is above", file=sys.stderr)
    return code


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import run_demo

    run_demo(_announced(args), host=args.host, port=args.port)
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.storage.migrate import upgrade

    upgrade(_announced(args).database_url)
    print("database is up to date")
    return 0


def cmd_nlu(args: argparse.Namespace) -> int:
    from bot.nlu import classify

    if not args.file and len(args.text) == 1 and args.text[0] in NLU_ACTIONS:
        return NLU_ACTIONS[args.text[0]](args)
    order_code_pattern = _settings(args).order_code_pattern
    lines = _read_lines(args.file) if args.file else args.text
    if not lines:
        raise UsageError("give TEXT… or --file F")
    for line in lines:
        if line.strip():
            print(json.dumps(classify(line, order_code_pattern=order_code_pattern).to_json(), ensure_ascii=False))
    return 0


# --- NLU actions (issue 13): `haumai nlu eval` ---
def nlu_eval(args: argparse.Namespace) -> int:
    """The active model on the corpus's test split (accuracy, per-intent precision/recall, confusion),
    then on the unseen writers' messages, which tell how it reads people the corpus never heard."""
    from bot.nlu import active, evaluate
    from bot.nlu.dataset import unseen_set

    print(evaluate(active()).render())
    print("", "writers who never read the corpus (bot/nlu/unseen.tsv):", *evaluate(active(), unseen_set()).summary(), sep="\n")
    return 0


# --- end NLU actions ---


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as failure:
        raise UsageError(f"cannot read {path}: {failure}") from failure


def cmd_templates(args: argparse.Namespace) -> int:
    from bot.template_preview import as_shown
    from channels.models import ChannelKind
    from content.renderer import Renderer

    renderer = Renderer(_settings(args).language)
    if args.action == "list":
        print("\n".join(renderer.names()))
        return 0
    if args.name not in renderer.names():
        raise UsageError(f"no template named {args.name!r}; see `haumai templates list`")
    sample = renderer.sample(args.name)
    rendered = renderer.render(args.name, language=args.lang, channel=args.channel, **sample)
    shown = as_shown(renderer, rendered, args.lang, ChannelKind(args.channel))  # as that channel shows it
    print(shown.text)
    if shown.buttons:
        print("\n[" + "] [".join(shown.buttons) + "]")
    return 0


def cmd_staff_add(args: argparse.Namespace) -> int:
    from bot.clock import utcnow
    from app.inbox.staff import add_staff

    password = _new_password(args)
    _run_on_database(args, lambda sessions: add_staff(sessions, args.email, args.name or "", args.role, password, utcnow()))
    print(f"staff account {args.email} ({args.role}) created")
    return 0


def cmd_staff_reset_password(args: argparse.Namespace) -> int:
    from app.inbox.staff import reset_password

    password = _new_password(args)
    _run_on_database(args, lambda sessions: reset_password(sessions, args.email, password))
    print(f"new password set for {args.email}; their sessions are ended")
    return 0


def _new_password(args: argparse.Namespace) -> str:
    import getpass

    return sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")


def _run_on_database(args: argparse.Namespace, change: Callable[[async_sessionmaker[AsyncSession]], Awaitable[object]],
                     announce_on: TextIO | None = None) -> None:
    """Run one piece of work on a migrated database; a StaffError is the user's to fix."""
    import asyncio

    from app.inbox.staff import StaffError
    from bot.storage.engine import make_engine, make_sessionmaker
    from bot.storage.migrate import upgrade

    settings = _announced(args, announce_on)
    upgrade(settings.database_url)

    async def run() -> None:
        engine = make_engine(settings.database_url)
        try:
            await change(make_sessionmaker(engine))
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except StaffError as failure:
        raise UsageError(str(failure)) from failure


def cmd_orders_import(args: argparse.Namespace) -> int:
    from app.importer import run_import

    return run_import(_announced(args), args.file, dry_run=args.dry_run)


def cmd_doctor(args: argparse.Namespace) -> int:
    from app.doctor import run_doctor

    return run_doctor(_announced(args))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haumai", description="After-sales chat bot for online shops. Every command "
                                     "uses the same database (HAUMAI_DATABASE_URL, default ./haumai.db) unless given "
                                     "--database-url, and prints which one.")
    database = argparse.ArgumentParser(add_help=False)
    database.add_argument("--database-url", metavar="URL", help="the database to use instead of HAUMAI_DATABASE_URL "
                          "(e.g. sqlite+aiosqlite:///./haumai.db or postgresql+asyncpg://user@host/db)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", help="what to do")
    for name, handler, about in (("serve", cmd_serve, "webhooks, scheduler, web chat, inbox and API, in one process or --workers N"),
                                 ("demo", cmd_demo, "serve with a seeded demo shop, the sandbox carrier and the web chat")):
        command = sub.add_parser(name, parents=[database], help=about, description=about)
        command.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 for all)")
        command.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
        command.set_defaults(handler=handler)
    db = sub.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True, metavar="ACTION",
                                                                    help="what to do to the schema")
    db.add_parser("upgrade", parents=[database], help="apply the database migrations").set_defaults(handler=cmd_db_upgrade)
    doctor = sub.add_parser("doctor", parents=[database], help="check the configuration and print what to fix")
    doctor.set_defaults(handler=cmd_doctor)
    nlu = sub.add_parser("nlu", parents=[database], help="classify messages as the bot would, one JSON object per line")
    nlu.add_argument("text", nargs="*", help="messages to classify")
    nlu.add_argument("--file", help="classify each line of this UTF-8 file instead")
    nlu.add_argument("--output", help="nlu export: write to this file instead of stdout")
    nlu.add_argument("--format", choices=["tsv", "csv"], default="tsv", help="nlu export: the file's format")
    _worker_options(sub.choices["serve"])
    nlu.set_defaults(handler=cmd_nlu)
    templates = sub.add_parser("templates", help="list the message templates or preview one")
    templates.add_argument("action", choices=["list", "preview"], help="list every template, or preview NAME")
    templates.add_argument("name", nargs="?", help="the template to preview (see `haumai templates list`)")
    templates.add_argument("--lang", default="vi", choices=["vi", "en"], help="language of the preview (default vi)")
    templates.add_argument("--channel", default="web", choices=["telegram", "messenger", "zalo", "web"],
                           help="show the message as this channel shows it (default web)")
    templates.set_defaults(handler=cmd_templates)
    staff = sub.add_parser("staff", help="logins for the staff inbox").add_subparsers(
        dest="staff_command", required=True, metavar="ACTION", help="what to do with a login")
    add = staff.add_parser("add", parents=[database], help="create a staff login (asks for its password)")
    add.add_argument("email", help="the person's email, their login")
    add.add_argument("--name", help="the name colleagues see (default: the email's first part)")
    add.add_argument("--role", default="agent", choices=["agent", "admin"], help="admins also change shop settings (default agent)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input, not a prompt")
    add.set_defaults(handler=cmd_staff_add)
    reset = staff.add_parser("reset-password", parents=[database], help="set a new password and end that person's sessions")
    reset.add_argument("email", help="the login to reset")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from standard input, not a prompt")
    reset.set_defaults(handler=cmd_staff_reset_password)
    orders = sub.add_parser("orders", help="the shop's orders").add_subparsers(
        dest="orders_command", required=True, metavar="ACTION", help="what to do with orders")
    importer = orders.add_parser(
        "import", parents=[database], help="import orders from a CSV or .xlsx file",
        description="Import orders from CSV (, or ; separated; UTF-8, UTF-16 or Windows-1258) or .xlsx. Columns, in "
                    "Vietnamese or English: Mã đơn/code (required), Tên khách/customer_name, SĐT/phone, "
                    "Sản phẩm/items ('Áo x2 @150.000; Quần x1 @300000'), Tổng tiền/total (1.250.000đ), "
                    "Đơn vị vận chuyển/carrier, Mã vận đơn/tracking_code, Trạng thái/status, Ngày đặt/placed_at "
                    "(01/12/2026 or 2026-12-01, in the shop's timezone), eta, channel, channel_user_id. "
                    "If any row is wrong, every wrong row is listed and nothing is imported.")
    importer.add_argument("file", help="the CSV or .xlsx file")
    importer.add_argument("--dry-run", action="store_true", help="check every row and report, without writing anything")
    importer.set_defaults(handler=cmd_orders_import)
    add_returns_commands(sub, _settings)  # returns and exchanges (issue 15)
    return parser


# --- workers (issue 12) -----------------------------------------------------------------------


def _worker_count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of workers (1 or more)")
    return int(text)


def _worker_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--workers", type=_worker_count,
                       help="processes sharing the port (default: the number of cores on PostgreSQL, 1 on SQLite)")
    serve.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)  # set for each worker


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        if args.command == "templates" and args.action == "preview" and not args.name:
            raise UsageError("templates preview needs a NAME")
        return handler(args)
    except UsageError as failure:
        print(f"haumai: {failure}", file=sys.stderr)
        return 2
    except ValidationError as failure:
        print(f"haumai: invalid configuration:\n{_explain(failure)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _explain(failure: ValidationError) -> str:
    return "\n".join(
        f"  HAUMAI_{'_'.join(str(p) for p in error['loc']).upper()}: {error['msg']}"
        for error in failure.errors()
    )


# --- `haumai nlu export` (issue 13): the shop's labels ---


def cmd_nlu_export(args: argparse.Namespace) -> int:
    """Labels to stdout, or to --output (written whole, so a failed export leaves no half file)."""
    import io

    from app.nlu_export import export_labels

    buffer = io.StringIO()
    counted: list[int] = []

    async def export(sessions: async_sessionmaker[AsyncSession]) -> None:
        counted.append(await export_labels(sessions, buffer, args.format))

    _run_on_database(args, export, announce_on=sys.stderr)
    if args.output is None:
        sys.stdout.write(buffer.getvalue())
        return 0
    try:
        Path(args.output).write_text(buffer.getvalue(), encoding="utf-8")
    except OSError as failure:
        raise UsageError(f"cannot write {args.output}: {failure}") from failure
    print(f"{counted[0]} labels written to {args.output}", file=sys.stderr)
    return 0


NLU_ACTIONS: dict[str, Callable[[argparse.Namespace], int]] = {"eval": nlu_eval, "export": cmd_nlu_export}
