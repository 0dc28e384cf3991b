"""A configured secret never appears in a log line, whoever logs it and however."""

from __future__ import annotations

import logging

import pytest

from bot.config import Settings
from bot.log import configure_logging
from bot.server import secret_values

TOKEN = "123456:SECRET-telegram-token-value"


@pytest.fixture(autouse=True)
def restore_logging() -> object:
    handlers = logging.getLogger().handlers[:]
    yield
    logging.getLogger().handlers[:] = handlers


def test_secrets_are_replaced_in_messages_extras_and_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings.from_env({"HAUMAI_TELEGRAM_TOKEN": TOKEN}, read_dotenv=False)
    configure_logging(secret_values(settings))
    log = logging.getLogger("test")
    log.warning("calling https://api.telegram.org/bot%s/sendMessage", TOKEN, extra={"url": f"/bot{TOKEN}/x"})
    try:
        raise RuntimeError(f"failed with {TOKEN}")
    except RuntimeError:
        log.exception("boom")
    output = capsys.readouterr().err
    assert TOKEN not in output and "***" in output


def test_settings_never_show_secrets_in_their_repr() -> None:
    settings = Settings.from_env({"HAUMAI_TELEGRAM_TOKEN": TOKEN, "HAUMAI_API_KEY": "k" * 20}, read_dotenv=False)
    assert TOKEN not in repr(settings) and "k" * 20 not in repr(settings)
