"""The label audit's worklist (bot.nlu.audit) on a small corpus (three intents: the classifier's
margins are one column for two) with one label against its twins."""

from __future__ import annotations

from bot.nlu import Intent, Labelled
from bot.nlu.audit import doubts

GREETINGS = ("chào shop", "chào shop ạ", "xin chào shop", "chào ad nhé", "alo shop ơi",
             "hello shop", "hi shop", "chào bạn", "chào buổi sáng", "alo alo")
THANKS = ("cảm ơn shop", "cảm ơn shop ạ", "cảm ơn nhiều", "em cảm ơn shop", "thanks shop",
          "cảm ơn bạn", "cảm ơn ad nhé", "dạ cảm ơn", "cảm ơn nha", "tks shop")
STOPS = ("đừng nhắn nữa", "stop", "hủy nhận tin", "không nhận tin nữa", "ngừng gửi tin",
         "đừng gửi nữa", "tắt thông báo", "unsubscribe", "đừng nhắn tin cho em", "thôi đừng nhắn")
ASTRAY = Labelled("cảm ơn shop nhiều ạ", Intent.GREETING)  # thanks in every word, labelled greeting


def corpus() -> list[Labelled]:
    return [*(Labelled(t, Intent.GREETING) for t in GREETINGS), *(Labelled(t, Intent.THANKS) for t in THANKS),
            *(Labelled(t, Intent.OPT_OUT) for t in STOPS), ASTRAY]


def test_a_base_labelled_against_its_near_twins_is_listed_with_them_as_its_neighbours() -> None:
    found = {doubt.base: doubt for doubt in doubts(corpus())}
    assert found[ASTRAY].read_as == Intent.THANKS
    assert all(other.intent == Intent.THANKS for other, _ in found[ASTRAY].neighbours)


def test_the_surest_disagreements_come_first() -> None:
    probabilities = [doubt.probability for doubt in doubts(corpus())]
    assert probabilities == sorted(probabilities, reverse=True)
