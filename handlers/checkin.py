"""One-tap answers to the check-in after delivery: "all good" is thanked for; "something's
wrong" hands the conversation to a person at once, before the customer has to complain."""

from __future__ import annotations

from bot.router import Router
from bot.storage.dialect import insert_ignoring_conflicts
from bot.storage.models import SurveyAnswer
from bot.turn import Turn

router = Router("checkin")
ANSWERS = {"ok": 1, "no": 0}


@router.action("ci")
async def record_checkin_answer(turn: Turn) -> None:
    """`ci:<order id>:ok|no`, kept as a survey answer (kind `checkin`, 1 or 0), once per order."""
    args = turn.action_args
    if len(args) != 2 or not args[0].isdigit() or len(args[0]) > 18 or args[1] not in ANSWERS:
        return
    inserted = await turn.session.execute(
        insert_ignoring_conflicts(turn.session, SurveyAnswer).values(
            survey_key=f"checkin:{args[0]}", kind="checkin", subject_id=int(args[0]),
            contact_id=turn.party.contact.id, score=ANSWERS[args[1]], answered_at=turn.now,
        ).returning(SurveyAnswer.id)
    )
    if inserted.scalar() is None:  # a double tap
        return
    if args[1] == "no":
        turn.hand_off("checkin_problem")
        await turn.reply("care/checkin_sorry")
        return
    await turn.reply("care/checkin_glad")
