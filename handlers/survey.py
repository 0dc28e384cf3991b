"""One-tap survey answers (CSAT, NPS, CES): recorded once, low scores bring a person in."""

from __future__ import annotations

from sqlalchemy import select

from bot.counters import SURVEYS_ANSWERED
from bot.nlu import Intent
from bot.pipeline import Next
from bot.router import Router
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import SurveyAnswer
from bot.surveys import LOW, SCALES, SurveyKind
from bot.turn import Turn
from channels.models import Kind

router = Router("survey")


@router.action("sv")
async def record_survey_answer(turn: Turn) -> None:
    parsed = _parse(turn.action_args)
    if parsed is None:
        return
    kind, subject, score = parsed
    inserted = await turn.session.execute(
        insert_ignoring_conflicts(turn.session, SurveyAnswer).values(
            survey_key=f"{kind}:{subject}", kind=kind, subject_id=int(subject.split(".")[0]),
            contact_id=turn.party.contact.id, score=score, answered_at=turn.now,
        ).returning(SurveyAnswer.id)
    )
    answer_id = inserted.scalar()
    if answer_id is None:  # a double tap, or a second answer to the same question
        return
    SURVEYS_ANSWERED.labels(kind.value).inc()
    if score <= LOW[kind]:
        turn.hand_off("low_score")
        await turn.reply("survey/recovery", score=score, kind=kind)
        return
    turn.party.conversation.awaiting = f"comment:{answer_id}"
    await turn.reply("survey/thanks_answer", score=score, kind=kind)


def _parse(args: list[str]) -> tuple[SurveyKind, str, int] | None:
    """`sv:<kind>:<subject>:<score>`; the subject is an order id, or `conversation.round` for CES."""
    if len(args) != 3 or args[0] not in SCALES or not args[1].replace(".", "").isdigit():
        return None
    if not args[2].isdigit() or int(args[2]) not in SCALES[SurveyKind(args[0])]:
        return None
    return SurveyKind(args[0]), args[1], int(args[2])


async def take_comment(turn: Turn, next_step: Next) -> None:
    """After routing, only where it chose the fallback: the free text right after a survey answer
    is that answer's comment, unless a handler understood it (a question is answered instead, and
    the comment is still awaited). After the opt-in keywords, so "BẮT ĐẦU" restarts notices.
    Stops the chain once the comment is taken: it is thanked for, not clarified. An unhappy
    comment is kept too, but answered by the complaint handler: an apology and a person, never thanks."""
    classification = turn.classification
    unhappy = classification is not None and classification.complaint
    if (turn.fell_back or unhappy) and turn.message.kind == Kind.TEXT:
        answer = await _awaited_answer(turn)
        if answer is not None and classification is not None and (unhappy or classification.intent == Intent.OTHER):
            answer.comment = turn.message.text[:2000]
            if not unhappy:
                await turn.reply("survey/comment_thanks")
                return
    await next_step(turn)


async def _awaited_answer(turn: Turn) -> SurveyAnswer | None:
    """The survey answer whose comment the conversation awaited; no longer awaited once asked."""
    awaiting = turn.party.conversation.awaiting or ""
    if not awaiting.startswith("comment:"):
        return None
    turn.party.conversation.awaiting = None
    return await turn.session.scalar(
        select(SurveyAnswer).where(SurveyAnswer.id == int(awaiting.split(":", 1)[1]))
    )
