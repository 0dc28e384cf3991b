"""Button payloads sealed to the customer they were sent to (bot.actions)."""

import pytest

from bot.actions import sealed, unseal
from channels.models import Button

SECRET = b"k" * 32
CONTACT = 42


def payload(action: str, contact: int = CONTACT, secret: bytes = SECRET) -> str:
    return sealed(secret, contact, [Button("title", action)])[0].action


def test_a_sealed_payload_opens_to_its_action_for_the_customer_it_was_sent_to() -> None:
    assert unseal(SECRET, CONTACT, payload("sv:csat:7:5")) == "sv:csat:7:5"


def test_titles_are_left_as_they_are() -> None:
    assert sealed(SECRET, CONTACT, [Button("5 😍", "sv:csat:7:5")])[0].title == "5 😍"


def test_another_customer_cannot_use_it() -> None:
    assert unseal(SECRET, CONTACT + 1, payload("sv:csat:7:5")) is None


@pytest.mark.parametrize("forged", ["sv:csat:7:1", "sv:csat:7:1~", "sv:csat:7:1~AAAAAAAAAA", "~", "", "\ud800~x"])
def test_an_unsealed_or_made_up_payload_is_refused(forged: str) -> None:
    assert unseal(SECRET, CONTACT, forged) is None


def test_changing_the_action_breaks_the_seal() -> None:
    action, _, seal = payload("sv:csat:7:5").rpartition("~")
    assert unseal(SECRET, CONTACT, f"sv:csat:8:5~{seal}") is None and action == "sv:csat:7:5"


def test_a_seal_made_with_another_key_is_refused() -> None:
    assert unseal(SECRET, CONTACT, payload("m:human", secret=b"o" * 32)) is None


def test_the_longest_survey_payload_fits_telegrams_64_bytes() -> None:
    assert len(payload("sv:nps:9999999999:10", contact=10**12).encode()) <= 64
    assert len(payload("sv:ces:9999999999.99999:5", contact=10**12).encode()) <= 64
