"""The staff inbox: people take over conversations, see the whole customer, answer, hand back.

Interface for the rest of the bot: `record_event(session, conversation_id, kind, payload, now)`
(written in the transaction of the change; browsers replay it by id) and `open_handoff(...)`.
"""
