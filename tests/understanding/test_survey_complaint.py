"""An unhappy reply to a survey is kept as its comment, and answered with an apology and a
person, never with thanks for the feedback."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.storage.models import Conversation, SurveyAnswer
from tests.apps import MovableClock, runtime_of
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.conftest import client  # noqa: F401  (the app with Telegram)
from tests.flows.test_journey import CHAT, answered_csat, texts
from tests.flows.test_telegram_wismo import post_update

UNHAPPY = "giao chậm quá, thất vọng"


async def test_an_unhappy_survey_comment_gets_an_apology_and_a_person_and_is_kept(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await answered_csat(client, telegram, clock, stars=3)
    await post_update(client, text_update(CHAT, UNHAPPY))
    answer = (await texts(telegram, 4))[-1]
    assert "xin lỗi" in answer and "ghi nhận góp ý" not in answer
    async with runtime_of(client).sessions() as db:
        assert list(await db.scalars(select(SurveyAnswer.comment))) == [UNHAPPY]
        assert list(await db.scalars(select(Conversation.mode))) == ["human"]
