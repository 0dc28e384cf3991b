"""A configured secret never appears in a log line, whoever logs it and however."""

from __future__ import annotations

import logging
from typing import Any, Callable

import pytest
import sqlalchemy as sa
from aiohttp import web
from pydantic import BaseModel, Field, ValidationError

from app.log import configure_logging
from app.server import secret_values
from bot.config import Settings

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


NAME, PHONE = "Lê Văn Tám", "0987001122"


def logged(capsys: pytest.CaptureFixture[str], record: Callable[[logging.Logger], None]) -> str:
    configure_logging([])
    record(logging.getLogger("test"))
    return capsys.readouterr().err


def failing_insert(table: sa.Table) -> sa.exc.IntegrityError:
    """A real database error over a customer's row, from an engine that shows parameters."""
    engine = sa.create_engine("sqlite://")
    table.metadata.create_all(engine)
    try:
        with engine.begin() as connection:
            connection.execute(table.insert(), [{"id": 1, "name": NAME, "phone": PHONE}] * 2)
    except sa.exc.IntegrityError as failure:
        return failure
    raise AssertionError("the duplicate row was stored")


CUSTOMERS = sa.Table("customers", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("name", sa.String), sa.Column("phone", sa.String))


def test_a_database_error_traceback_names_the_statement_but_not_the_row(capsys: pytest.CaptureFixture[str]) -> None:
    failure = failing_insert(CUSTOMERS)

    def record(log: logging.Logger) -> None:
        try:
            raise failure
        except sa.exc.IntegrityError:
            log.exception("write failed")

    output = logged(capsys, record)
    assert "UNIQUE constraint failed: customers.id" in output and "INSERT INTO customers" in output
    assert NAME not in output and PHONE not in output


def test_a_database_error_logged_as_a_value_carries_no_row(capsys: pytest.CaptureFixture[str]) -> None:
    failure = failing_insert(CUSTOMERS)
    output = logged(capsys, lambda log: log.warning("write failed", extra={"reason": failure}))
    assert "IntegrityError" in output and NAME not in output and PHONE not in output


class Contact(BaseModel):
    phone: str = Field(max_length=5)


def test_a_validation_error_is_logged_without_the_input_it_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    def record(log: logging.Logger) -> None:
        try:
            Contact.model_validate({"phone": PHONE})
        except ValidationError:
            log.exception("bad payload")

    output = logged(capsys, record)
    assert "phone: string_too_long" in output and PHONE not in output


def test_a_traceback_keeps_its_frames_and_its_cause(capsys: pytest.CaptureFixture[str]) -> None:
    def record(log: logging.Logger) -> None:
        try:
            try:
                dict[str, int]()["missing"]
            except KeyError as missing:
                raise RuntimeError("lookup failed") from missing
        except RuntimeError:
            log.exception("boom")

    output = logged(capsys, record)
    assert output.index("KeyError: 'missing'") < output.index("direct cause") < output.index("RuntimeError: lookup failed")
    assert 'test_log.py", line' in output


async def test_a_request_too_malformed_to_parse_is_one_line_without_a_traceback(
    aiohttp_client: Callable[..., Any], capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging([])
    client = await aiohttp_client(web.Application())
    response = await client.get("/chat?channel=" + "x" * 10_000)
    output = capsys.readouterr().err
    assert response.status == 400
    assert "unparseable request refused: LineTooLong" in output and "Traceback" not in output
