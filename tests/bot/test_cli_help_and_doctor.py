"""Every command and option explains itself; `haumai doctor` says what to fix."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import pytest

from app.cli import _parser, main
from app.doctor import Finding, examine
from bot.config import Settings
from bot.storage.migrate import upgrade


def every_parser(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(parser.prog, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found += every_parser(child)
    return found


@pytest.mark.parametrize("prog, parser", every_parser(_parser()), ids=lambda value: value if isinstance(value, str) else "")
def test_every_command_and_option_has_help_text(prog: str, parser: argparse.ArgumentParser) -> None:
    silent = [action.dest for action in parser._actions
              if not isinstance(action, argparse._HelpAction) and not action.help]
    assert silent == [], f"{prog}: no help for {silent}"


def test_each_database_command_says_which_database_it_uses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/shop.db"
    assert main(["db", "upgrade", "--database-url", url]) == 0
    assert f"database: {url} ({tmp_path}/shop.db)" in capsys.readouterr().out


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"HAUMAI_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/shop.db", **env}, read_dotenv=False)


async def answering(url: str) -> Finding:
    return Finding(True, "this server answers on the public URL", "")


def problems(found: list[Finding]) -> dict[str, str]:
    return {f.subject: f.detail for f in found if not f.ok}


def test_doctor_asks_for_the_migration_an_api_key_and_a_complete_token_set(tmp_path: Path) -> None:
    found, _ = asyncio.run(examine(settings(tmp_path, HAUMAI_TELEGRAM_TOKEN="123:abc"), reach=answering))
    issues = problems(found)
    assert "haumai db upgrade" in issues["database migrated"]
    assert "HAUMAI_API_KEY" in issues["REST API key"]
    assert "HAUMAI_TELEGRAM_WEBHOOK_SECRET" in issues["telegram tokens"]


def test_doctor_wants_a_public_https_url_for_webhooks_and_lists_them(tmp_path: Path) -> None:
    upgrade(f"sqlite+aiosqlite:///{tmp_path}/shop.db")
    configured = settings(tmp_path, HAUMAI_API_KEY="k" * 32, HAUMAI_SHOPIFY_WEBHOOK_SECRET="s",
                          HAUMAI_PUBLIC_URL="http://127.0.0.1:8080")
    found, urls = asyncio.run(examine(configured, reach=answering))
    assert set(problems(found)) == {"public URL is https", "public URL is public"}
    assert urls == ["http://127.0.0.1:8080/sources/shopify/webhook"]


def test_doctor_is_content_with_a_right_configuration(tmp_path: Path) -> None:
    upgrade(f"sqlite+aiosqlite:///{tmp_path}/shop.db")
    configured = settings(tmp_path, HAUMAI_API_KEY="k" * 32, HAUMAI_TELEGRAM_TOKEN="123:abc",
                          HAUMAI_TELEGRAM_WEBHOOK_SECRET="s" * 24, HAUMAI_PUBLIC_URL="https://shop.example")
    found, urls = asyncio.run(examine(configured, reach=answering))
    assert problems(found) == {} and urls == ["https://shop.example/webhooks/telegram"]


def test_doctor_says_when_this_server_does_not_answer_on_the_public_url(tmp_path: Path) -> None:
    configured = settings(tmp_path, HAUMAI_SIGNED_WEBHOOK_SECRET="s", HAUMAI_PUBLIC_URL="https://127.0.0.1:9")
    found, _ = asyncio.run(examine(configured))
    assert "unreachable" in problems(found)["this server answers on the public URL"]
