"""Structured logs (structlog over stdlib logging) that never carry a secret or a customer's data.

Every configured secret value is replaced by `***` in every rendered log line, whatever
the code that logged it, because a token in a log is a token leaked. Tracebacks and logged
exceptions are described by safe_errors, so the row a database refused (a customer's name,
phone, message) never reaches the log with them.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Iterable

import structlog
from structlog.typing import EventDict, Processor
from aiohttp.http_exceptions import HttpProcessingError

from app.safe_errors import describe, render_traceback


class _Redactor:
    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def __call__(self, _logger: Any, _name: str, event: EventDict) -> EventDict:
        return {key: self._scrub(value) for key, value in event.items()}

    def _scrub(self, value: Any) -> Any:
        if isinstance(value, BaseException):
            value = describe(value)
        if not isinstance(value, str):
            value = value if isinstance(value, (int, float, bool, type(None))) else str(value)
            if not isinstance(value, str):
                return value
        for secret in self._secrets:
            value = value.replace(secret, "***")
        return value


def _render_exception(_logger: Any, _name: str, event: EventDict) -> EventDict:
    """structlog's format_exc_info, with each exception in the chain described without its data."""
    exc_info = event.pop("exc_info", None)
    if isinstance(exc_info, BaseException):
        failure: BaseException | None = exc_info
    elif isinstance(exc_info, tuple):
        failure = exc_info[1]
    else:
        failure = sys.exc_info()[1] if exc_info else None
    if failure is not None:
        event["exception"] = render_traceback(failure)
    return event


class _ClientMistakes(logging.Filter):
    """aiohttp logs a request it could not even parse (a 10 kB request line, a broken header) with
    a traceback, though it answered 400 and nothing of ours failed: one line says enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        failure = record.exc_info[1] if record.exc_info else None
        if isinstance(failure, HttpProcessingError):
            record.msg, record.args = "unparseable request refused: %s", (type(failure).__name__,)
            record.exc_info, record.exc_text, record.levelno, record.levelname = None, None, logging.INFO, "INFO"
        return True


_CLIENT_MISTAKES = _ClientMistakes()


def configure_logging(secrets: Iterable[str], *, json: bool = False, level: int = logging.INFO) -> None:
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _render_exception,
        _Redactor(secrets),
    ]
    renderer = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("aiohttp.server").addFilter(_CLIENT_MISTAKES)  # the same filter once, however often configured
    for noisy in ("httpx", "httpcore", "apscheduler", "aiohttp.access", "telegram"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
