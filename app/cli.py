"""The `haumai` command: serve, demo, db upgrade, nlu, templates, staff, orders import.

Every failure a user can cause (bad configuration, a missing file, an unknown template)
ends with one readable line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Awaitable, Callable, Sequence

from pydantic import ValidationError

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings


class UsageError(Exception):
    """A mistake the user can fix; printed without a traceback."""


def _settings(overrides: dict[str, str] | None = None) -> Settings:
    import os

    return Settings.from_env({**os.environ, **(overrides or {})})


def cmd_serve(args: argparse.Namespace) -> int:
    from app.server import serve

    serve(_settings(), host=args.host, port=args.port)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import run_demo

    run_demo(_settings(), host=args.host, port=args.port)
    return 0


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    from bot.storage.migrate import upgrade

    upgrade(_settings().database_url)
    print("database is up to date")
    return 0


def cmd_nlu(args: argparse.Namespace) -> int:
    from bot.nlu import classify

    if not args.file and len(args.text) == 1 and args.text[0] in NLU_ACTIONS:
        return NLU_ACTIONS[args.text[0]]()
    order_code_pattern = _settings().order_code_pattern
    lines = _read_lines(args.file) if args.file else args.text
    if not lines:
        raise UsageError("give TEXT… or --file F")
    for line in lines:
        if line.strip():
            print(json.dumps(classify(line, order_code_pattern=order_code_pattern).to_json(), ensure_ascii=False))
    return 0


# --- NLU actions (issue 13): `haumai nlu eval` ---
def nlu_eval() -> int:
    """The active model on the corpus's test split: accuracy, per-intent precision/recall, confusion."""
    from bot.nlu import active, evaluate

    print(evaluate(active()).render())
    return 0


NLU_ACTIONS: dict[str, Callable[[], int]] = {"eval": nlu_eval}
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

    renderer = Renderer(_settings().language)
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
    _run_on_staff(lambda sessions: add_staff(sessions, args.email, args.name or "", args.role, password, utcnow()))
    print(f"staff account {args.email} ({args.role}) created")
    return 0


def cmd_staff_reset_password(args: argparse.Namespace) -> int:
    from app.inbox.staff import reset_password

    password = _new_password(args)
    _run_on_staff(lambda sessions: reset_password(sessions, args.email, password))
    print(f"new password set for {args.email}; their sessions are ended")
    return 0


def _new_password(args: argparse.Namespace) -> str:
    import getpass

    return sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")


def _run_on_staff(change: Callable[[async_sessionmaker[AsyncSession]], Awaitable[object]]) -> None:
    """Run one change to staff accounts on a migrated database; its StaffError is the user's to fix."""
    import asyncio

    from app.inbox.staff import StaffError
    from bot.storage.engine import make_engine, make_sessionmaker
    from bot.storage.migrate import upgrade

    settings = _settings()
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

    return run_import(_settings(), args.file)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haumai", description="After-sales chat bot for online shops.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, handler in (("serve", cmd_serve), ("demo", cmd_demo)):
        command = sub.add_parser(name)
        command.add_argument("--host", default="127.0.0.1")
        command.add_argument("--port", type=int, default=8080)
        command.set_defaults(handler=handler)
    db = sub.add_parser("db").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade").set_defaults(handler=cmd_db_upgrade)
    nlu = sub.add_parser("nlu")
    nlu.add_argument("text", nargs="*")
    nlu.add_argument("--file")
    nlu.set_defaults(handler=cmd_nlu)
    templates = sub.add_parser("templates")
    templates.add_argument("action", choices=["list", "preview"])
    templates.add_argument("name", nargs="?")
    templates.add_argument("--lang", default="vi", choices=["vi", "en"])
    templates.add_argument("--channel", default="web", choices=["telegram", "messenger", "zalo", "web"])
    templates.set_defaults(handler=cmd_templates)
    staff = sub.add_parser("staff").add_subparsers(dest="staff_command", required=True)
    add = staff.add_parser("add")
    add.add_argument("email")
    add.add_argument("--name")
    add.add_argument("--role", default="agent", choices=["agent", "admin"])
    add.add_argument("--password-stdin", action="store_true")
    add.set_defaults(handler=cmd_staff_add)
    reset = staff.add_parser("reset-password")
    reset.add_argument("email")
    reset.add_argument("--password-stdin", action="store_true")
    reset.set_defaults(handler=cmd_staff_reset_password)
    orders = sub.add_parser("orders").add_subparsers(dest="orders_command", required=True)
    importer = orders.add_parser("import")
    importer.add_argument("file")
    importer.set_defaults(handler=cmd_orders_import)
    return parser


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
