"""The corpus, its honest split and the shipped model's score on the part it never trained on."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from bot.nlu import Intent, Labelled, Model, Report, activate, active, classify, evaluate
from bot.nlu.dataset import UNSEEN, divide, read_bases, read_labelled, split, split_bases, unseen_set
from bot.nlu.text import fold

TRAIN, TEST = split()

FLOOR = 0.975  # the shipped model's test-split accuracy (97.57 %), rounded down to the half point: a change that lowers it fails here
UNSEEN_FLOOR = 0.99  # the same on the unseen writers' messages (99.67 %; a half point below, as one message is 0.06 point)


def test_the_corpus_has_at_least_3000_messages_after_variants() -> None:
    assert len(TRAIN) + len(TEST) >= 3000


def test_every_intent_has_at_least_150_hand_written_messages() -> None:
    per_intent = Counter(base.intent for base in read_bases())
    assert {intent: per_intent[intent] >= 150 for intent in Intent} == dict.fromkeys(Intent, True)


def test_a_fifth_of_each_intents_bases_is_held_out_give_or_take_chance() -> None:
    train, test = split_bases()
    for intent in Intent:
        held, kept = sum(b.intent == intent for b in test), sum(b.intent == intent for b in train)
        assert abs(held / (held + kept) - 0.2) < 0.03, intent


def test_a_base_added_to_the_corpus_moves_no_other_between_train_and_test() -> None:
    added = Labelled("shop ơi áo len cổ tim còn màu be không", Intent.PRODUCT_QUESTION)
    held_before = set(divide(read_bases())[1])
    held_after = set(divide([*read_bases(), added])[1]) - {added}
    assert held_before == held_after


def test_a_base_whose_label_is_corrected_stays_in_its_split() -> None:
    bases = read_bases()
    held = {b.text for b in divide(bases)[1]}
    relabelled = [replace(b, intent=Intent.OTHER if b.intent != Intent.OTHER else Intent.THANKS) for b in bases]
    assert {b.text for b in divide(relabelled)[1]} == held


def test_no_message_is_both_trained_on_and_tested() -> None:
    assert not {row.text for row in TRAIN} & {row.text for row in TEST}


def test_the_split_is_the_same_on_every_run() -> None:
    assert split.__wrapped__() == (TRAIN, TEST)


def test_the_shipped_model_reaches_its_floor_on_the_test_split() -> None:
    report = evaluate(active())
    assert report.accuracy >= FLOOR, report.render()


def test_no_message_of_the_unseen_writers_is_in_the_corpus_in_any_spelling() -> None:
    unseen = {fold(row.text) for row in read_labelled(UNSEEN)}
    assert unseen and not unseen & {fold(base.text) for base in read_bases()}


def test_the_shipped_model_reaches_its_floor_on_the_unseen_writers_messages() -> None:
    report = evaluate(active(), unseen_set())
    assert report.accuracy >= UNSEEN_FLOOR, report.render()


def test_the_report_shows_accuracy_per_intent_figures_and_the_confusion_table() -> None:
    text = evaluate(active(), TEST[:50]).render()
    assert "intent accuracy" in text and "precision" in text and "confusion" in text


def test_a_saved_model_reads_messages_exactly_as_before(tmp_path: Path) -> None:
    path = tmp_path / "model.npz"
    active().save(path)
    again = Model.load(path)
    text = "shop ơi đơn em tới đâu rồi"
    assert classify(text, model=again).to_json() == classify(text, model=active()).to_json()


def test_a_model_survives_a_round_trip_through_bytes() -> None:
    again = Model.from_bytes(active().to_bytes())
    text = "cho em gặp nhân viên"
    assert classify(text, model=again).to_json() == classify(text, model=active()).to_json()


def test_a_model_trained_with_extra_rows_learns_them_and_can_be_activated() -> None:
    from bot.nlu.training import train

    phrase = "xyzzy plugh"
    model = train([Labelled(f"{phrase} {n}", Intent.COUPON) for n in range(20)], corpus=TRAIN[::10])
    shipped = active()
    try:
        activate(model)
        assert classify(phrase).intent == Intent.COUPON
    finally:
        activate(shipped)
    assert active() is shipped


def test_a_model_saved_before_features_had_a_rarity_still_reads_messages() -> None:
    shipped = active()
    older = Model(shipped.index, shipped.weights, shipped.bias, shipped.intents)  # as saved before issue 13's rarity
    again = Model.from_bytes(older.to_bytes())
    assert again.rarity is None
    assert classify("cho em gặp nhân viên", model=again).intent == Intent.TALK_TO_HUMAN


def test_the_confusion_table_keeps_five_digit_counts_apart() -> None:
    report = Report(12345, 1.0, 1.0, 1.0, {(Intent.OTHER, Intent.OTHER): 12345, (Intent.OTHER, Intent.THANKS): 67890})
    other_row = next(line for line in report.render().splitlines() if line.startswith("O "))
    assert "12345" in other_row.split() and "67890" in other_row.split()
