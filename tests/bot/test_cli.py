"""The `haumai` command: JSON out for the NLU, readable errors and non-zero exits for mistakes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def haumai(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **(env or {})}, timeout=60,
    )


def test_nlu_prints_one_json_object_per_input() -> None:
    result = haumai("nlu", "đơn HM1001 tới đâu rồi", "cho em gặp nhân viên")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0
    assert [line["intent"] for line in lines] == ["where_is_my_order", "talk_to_human"]
    assert lines[0]["entities"] == {"order_code": "HM1001", "tracking_code": None, "phone": None, "carrier": None}


def test_nlu_reads_a_file_line_by_line(tmp_path: Path) -> None:
    messages = tmp_path / "messages.txt"
    messages.write_text("chào shop\n\nhủy đơn giúp em\n", encoding="utf-8")
    result = haumai("nlu", "--file", str(messages))
    assert [json.loads(line)["intent"] for line in result.stdout.splitlines()] == ["greeting", "cancel_order"]


def test_a_missing_file_is_a_clear_error_not_a_traceback() -> None:
    result = haumai("nlu", "--file", "/nonexistent/messages.txt")
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "Traceback" not in result.stderr


def test_templates_list_names_every_template() -> None:
    result = haumai("templates", "list")
    assert "order_status/current" in result.stdout.splitlines()


def test_templates_preview_renders_sample_data_in_the_asked_language() -> None:
    result = haumai("templates", "preview", "notice/out_for_delivery", "--lang", "en")
    assert result.returncode == 0 and "out for delivery" in result.stdout


def test_templates_preview_shows_the_message_as_the_channel_degrades_it() -> None:
    zalo = haumai("templates", "preview", "survey/nps", "--channel", "zalo").stdout
    telegram = haumai("templates", "preview", "survey/nps", "--channel", "telegram").stdout
    assert "0 · 1 · 2" in zalo and "[" not in zalo  # five buttons at most on Zalo: the scale is listed
    assert "[0] [1] [2]" in telegram


def test_an_unknown_template_is_a_clear_error() -> None:
    result = haumai("templates", "preview", "nope")
    assert result.returncode == 2 and "no template named" in result.stderr


def test_bad_configuration_names_the_variable_and_exits_non_zero() -> None:
    result = haumai("templates", "list", env={"HAUMAI_THANKS_DELAY": "soon"})
    assert result.returncode == 2
    assert "HAUMAI_THANKS_DELAY" in result.stderr and "Traceback" not in result.stderr


def test_a_new_password_for_an_unknown_account_is_a_clear_error(tmp_path: Path) -> None:
    result = haumai("staff", "reset-password", "nobody@shop.vn", "--password-stdin", stdin="long-enough-password\n",
                    env={"HAUMAI_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'haumai.db'}"})
    assert result.returncode == 2
    assert "nobody@shop.vn has no account" in result.stderr and "Traceback" not in result.stderr


# --- NLU (issue 13) ---
def test_nlu_output_says_whether_it_is_a_complaint_and_in_which_language() -> None:
    result = haumai("nlu", "where is my order", "giao gì mà chậm thế, cả tuần rồi")
    english, unhappy = (json.loads(line) for line in result.stdout.splitlines())
    assert (english["language"], english["complaint"]) == ("en", False)
    assert (unhappy["language"], unhappy["complaint"]) == ("vi", True)


def test_nlu_eval_prints_accuracy_per_intent_figures_and_the_confusion_table() -> None:
    result = haumai("nlu", "eval")
    assert result.returncode == 0
    assert "intent accuracy" in result.stdout and "shop_info" in result.stdout and "confusion" in result.stdout


def test_nlu_eval_also_scores_writers_who_never_read_the_corpus() -> None:
    unseen = haumai("nlu", "eval").stdout.split("never read the corpus")[1]
    assert "messages:" in unseen and "intent accuracy" in unseen


def test_nlu_reads_order_codes_in_the_shops_own_format() -> None:
    result = haumai("nlu", "đơn SHOP12345 tới đâu", env={"HAUMAI_ORDER_CODE_PATTERN": r"SHOP\d{5}"})
    assert json.loads(result.stdout)["entities"]["order_code"] == "SHOP12345"


def test_a_broken_order_code_pattern_is_a_clear_error() -> None:
    result = haumai("nlu", "đơn 1", env={"HAUMAI_ORDER_CODE_PATTERN": "SHOP(("})
    assert result.returncode != 0 and "order_code_pattern" in result.stderr and "Traceback" not in result.stderr
