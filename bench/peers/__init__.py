"""Haumai beside its yardsticks and peers, measured the same way in one run (issue 12).

    python -m bench.peers [--seconds 10] [--connections 32] [--runs 3] [--only bare,haumai-sqlite] [--history 10000]

Every system is a separate process started the same way (`python -m bench.peers.<peer>` or
`haumai serve`), driven by the same load for the same time and answering the same local fake
Bot API. The peers (aiogram, python-telegram-bot, SQLAlchemy ORM) live here and in the
optional `[bench]` dependencies only; nothing in the product imports them.
"""
