"""The faster reading reads every message as the reading before it did: the same cues, the same
features in the same order, the same probabilities to the last bit, with the shipped model."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlu import Model, active
from bot.nlu.dataset import split
from bot.nlu.entities import _CARRIER_NAMES, carrier_named, locate
from bot.nlu.features import cues_in, features, words_of
from tests.nlu import frozen_reading as before

LABELLED = Path(__file__).resolve().parent / "labelled.tsv"


def _messages() -> list[str]:
    train, test = split()
    labelled = [row["text"] for row in csv.DictReader(LABELLED.open(encoding="utf-8"), delimiter="\t")]
    return [row.text for row in (*train, *test)] + labelled


def _differences(text: str) -> list[str]:
    found = locate(text)
    words = words_of(found)
    cues = cues_in(words)
    if cues != before.cues_in(words):
        return [f"cues of {text!r}"]
    now, then = features(text, found, words, cues), before.features(text, found, words, cues)
    if list(now) != list(then):  # equal sets iterate alike only if built alike
        return [f"features of {text!r}"]
    if active().read(now) != before.read(active(), then):
        return [f"reading of {text!r}"]
    return []


def test_every_corpus_message_reads_exactly_as_before() -> None:
    messages = _messages()
    assert len(messages) >= 3000
    assert [difference for text in messages for difference in _differences(text)] == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("aăâđeêioôơuưyáàảãạếềểễệ HMSPXVN0123456789#.-:?!🙏"), max_size=60))
def test_any_text_reads_exactly_as_before(text: str) -> None:
    assert _differences(text) == []


def test_a_message_without_known_features_reads_as_before() -> None:
    assert active().read(set()) == before.read(active(), set())
    assert active().read({"w:zzzz-unknown"}) == before.read(active(), {"w:zzzz-unknown"})


def test_a_model_saved_without_rarities_reads_as_before() -> None:
    shipped = active()
    older = Model(shipped.index, shipped.weights, shipped.bias, shipped.intents)
    for text in ["đơn của em tới đâu rồi", "hủy đơn HM1001 giúp em", "cảm ơn shop 🙏"]:
        found = locate(text)
        words = words_of(found)
        feats = features(text, found, words, cues_in(words))
        assert older.read(feats) == before.read(older, feats)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([name for _, names in _CARRIER_NAMES for name in names] + ["don", "j", "t", "van"]), max_size=6))
def test_the_carrier_named_is_the_one_named_before(words: list[str]) -> None:
    folded = " ".join(" ".join(words).split())
    assert carrier_named(folded) == before.carrier_named(folded)
