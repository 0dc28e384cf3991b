"""The shop's labels leave the product (`haumai nlu export`) and retrain the classifier in the
background, replacing it only with a model that scores at least as well."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Any, AsyncIterator, Iterable

import pytest

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.nlu import Intent
from bot.nlu import learning
from bot.retraining import Retrainer
from bot.storage.engine import make_engine, make_sessionmaker
from bot.storage.models import LabelSource
from bot.teaching import add_label
from tests.apps import MovableClock
from tests.bot.test_cli import haumai
from tests.conftest import Backend

LABELS = [("shop ở đâu vậy ạ", "shop_info", "staff", "lan@shop.vn"), ("giao lại giúp em, tab\there", "redelivery", "clarify", "customer")]


def database_with_labels(path: Path) -> dict[str, str]:
    env = {"HAUMAI_DATABASE_URL": f"sqlite+aiosqlite:///{path}"}
    assert haumai("nlu", "export", env=env).returncode == 0  # migrates the empty database
    with sqlite3.connect(path) as db:
        db.executemany("INSERT INTO nlu_labels (text, folded, intent, source, who, labelled_at) VALUES (?, ?, ?, ?, ?, ?)",
                       [(text, text, intent, source, who, "2026-12-01 08:00:00+00:00") for text, intent, source, who in LABELS])
    return env


def test_nlu_export_writes_the_labels_as_tsv_to_stdout(tmp_path: Path) -> None:
    result = haumai("nlu", "export", env=database_with_labels(tmp_path / "shop.db"))
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="\t"))
    assert result.returncode == 0
    assert rows[0] == ["text", "intent", "source", "who", "labelled_at"]
    assert [tuple(row[:4]) for row in rows[1:]] == LABELS


def test_nlu_export_writes_csv_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "labels.csv"
    result = haumai("nlu", "export", "--format", "csv", "--output", str(target), env=database_with_labels(tmp_path / "shop.db"))
    assert result.returncode == 0 and "2 labels" in result.stderr
    assert [tuple(row[:4]) for row in csv.reader(target.open(encoding="utf-8"))][1:] == LABELS


def test_nlu_export_to_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    result = haumai("nlu", "export", "--output", "/nonexistent/labels.tsv", env=database_with_labels(tmp_path / "shop.db"))
    assert result.returncode == 2 and "cannot write" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
async def labelled(backend: Backend) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A database holding two labels the shop taught."""
    engine = make_engine(backend.database_url)
    sessions = make_sessionmaker(engine)
    async with sessions.begin() as db:
        for number in range(2):
            add_label(db, f"giao lại đơn số {number}", Intent.REDELIVERY, LabelSource.STAFF, "lan@shop.vn", MovableClock()())
    yield sessions
    await engine.dispose()


class WorseEachTime:
    """A learner whose every new model scores below the one in use."""

    def __init__(self) -> None:
        self.current: Any = "packaged"
        self.trained: list[list[tuple[str, Intent]]] = []

    def train(self, extra_rows: Iterable[tuple[str, Intent]], /) -> Any:
        self.trained.append(list(extra_rows))
        return f"model {len(self.trained)}"

    def evaluate(self, model: Any, /) -> float:
        return 0.97 if model == "packaged" else 0.95

    def activate(self, model: Any, /) -> None:
        self.current = model

    def active(self) -> Any:
        return self.current


async def test_new_labels_retrain_the_classifier_and_a_model_as_good_replaces_it(
    labelled: async_sessionmaker[AsyncSession],
) -> None:
    retrainer = Retrainer(labelled)
    assert await retrainer.once()
    assert [text for text, _ in learning.active().rows] == ["giao lại đơn số 0", "giao lại đơn số 1"]
    assert not await retrainer.once()  # nothing new: no training


async def test_a_model_scoring_worse_on_the_test_split_is_not_activated(labelled: async_sessionmaker[AsyncSession]) -> None:
    learner = WorseEachTime()
    assert not await Retrainer(labelled, learner).once()
    assert len(learner.trained) == 1 and learner.current == "packaged"
