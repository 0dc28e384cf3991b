"""Text is made storable before it is written: no NUL, no lone surrogate, nothing else changed."""

from __future__ import annotations

from bot.storable import storable, storable_text


def test_nul_characters_are_dropped() -> None:
    assert storable_text("Dạ\x00 chị") == "Dạ chị"


def test_a_lone_surrogate_becomes_the_replacement_character_and_a_pair_becomes_its_character() -> None:
    assert storable_text("a\ud800b \ud83d\ude00") == "a\ufffdb 😀"


def test_every_string_inside_a_json_value_is_cleaned() -> None:
    assert storable({"text": "x\x00", "buttons": [["ok\x00", "a:1"]], "n": 2}) == {"text": "x", "buttons": [["ok", "a:1"]], "n": 2}
