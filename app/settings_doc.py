"""`python -m app.settings_doc`: docs/settings.md, the table of every setting, from the model.

Each row is a `Settings` field: its environment variable, its default and the comment beside it
in bot/config.py. tests/bot/test_settings_doc.py fails when the file and the model differ, so
a setting added without a comment, or without regenerating the table, is caught.
"""

from __future__ import annotations

import inspect
import io
import tokenize
from pathlib import Path

from pydantic import SecretStr

from bot.config import Settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.md"
HEADER = """# Settings

Every setting is an environment variable (or a line in `.env`). This table is generated from
the settings model (`bot/config.py`) by `python -m app.settings_doc`; a test fails when it is
out of date. Shop owners change some of them in the browser too (Cài đặt shop, `/settings`).

| variable | default | what it does |
|---|---|---|
"""


def field_comments() -> dict[str, str]:
    """The comment at the end of each field's line in the Settings class."""
    comments: dict[str, str] = {}
    names = set(Settings.model_fields)
    line_field: dict[int, str] = {}
    tokens = tokenize.generate_tokens(io.StringIO(inspect.getsource(Settings)).readline)
    for token in tokens:
        if token.type == tokenize.NAME and token.start[1] == 4 and token.string in names:
            line_field[token.start[0]] = token.string
        elif token.type == tokenize.COMMENT and token.start[0] in line_field:
            comments[line_field[token.start[0]]] = token.string.lstrip("# ").strip()
    return comments


def default_of(name: str) -> str:
    field = Settings.model_fields[name]
    value = field.get_default(call_default_factory=True)
    if value is None or isinstance(value, SecretStr):
        return "–"
    if value in ({}, []):
        return "empty"
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def render() -> str:
    comments = field_comments()
    missing = sorted(set(Settings.model_fields) - set(comments))
    if missing:
        msg = f"settings without a comment in bot/config.py: {', '.join(missing)}"
        raise ValueError(msg)
    rows = [f"| `HAUMAI_{name.upper()}` | {default_of(name)} | {comments[name].replace('|', '/')} |"
            for name in Settings.model_fields]
    return HEADER + "\n".join(rows) + "\n"


def main() -> None:
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
