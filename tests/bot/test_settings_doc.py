"""docs/settings.md is the settings model's table: it cannot drift from bot/config.py."""

from __future__ import annotations

from app.settings_doc import DOC, render


def test_the_settings_table_is_the_one_the_model_generates() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), "run `python -m app.settings_doc` and commit docs/settings.md"
