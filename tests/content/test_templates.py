"""Every customer-facing text exists in Vietnamese and English and renders on every channel."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import jinja2
import pytest

from content.filters import STATUS_LABELS, date_label, status_label, vnd
from content.renderer import ROOT, Renderer

RENDERER = Renderer()
NAMES = RENDERER.names()
CHANNELS = ("telegram", "messenger", "zalo", "web")
VN = ZoneInfo("Asia/Ho_Chi_Minh")
VIETNAMESE_MARKS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.mark.parametrize("name", NAMES)
def test_every_template_exists_in_both_languages(name: str) -> None:
    assert (ROOT / "vi" / f"{name}.txt.j2").exists()
    assert (ROOT / "en" / f"{name}.txt.j2").exists()


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("name", NAMES)
def test_every_template_renders_on_every_channel(name: str, channel: str) -> None:
    for language in ("vi", "en"):
        text = RENDERER.render(name, language=language, channel=channel, **Renderer.sample(name)).text
        assert text and "{{" not in text and "{%" not in text


@pytest.mark.parametrize("name", NAMES)
def test_vietnamese_text_is_written_with_diacritics(name: str) -> None:
    text = RENDERER.render(name, language="vi", channel="web", **Renderer.sample(name)).text
    assert VIETNAMESE_MARKS & set(text.lower())


def test_button_labels_come_from_the_template() -> None:
    labels = RENDERER.render("fallback/clarify", language="vi", channel="web", shop_name="S").labels
    assert labels == {"track": "Tra cứu đơn hàng", "human": "Gặp nhân viên"}


def test_an_unknown_language_falls_back_to_the_default() -> None:
    text = RENDERER.render("thanks", language="fr", channel="web", shop_name="S").text
    assert text.startswith("Dạ")


def test_a_missing_variable_is_an_error_not_an_empty_string() -> None:
    with pytest.raises(jinja2.UndefinedError):
        RENDERER.render("order_status/not_found", language="vi", channel="web", shop_name="S")


def test_vnd_uses_dots_for_thousands() -> None:
    assert vnd(150000) == "150.000 ₫"
    assert vnd(1250000) == "1.250.000 ₫"


def test_dates_read_naturally_in_each_language() -> None:
    assert date_label(date(2026, 11, 26), "vi", VN) == "Thứ Năm, 26/11/2026"
    assert date_label(date(2026, 11, 26), "en", VN) == "Thu, 26 Nov 2026"


def test_datetimes_are_shown_in_the_shop_timezone() -> None:
    midnight_utc = datetime(2026, 11, 25, 20, 0, tzinfo=timezone.utc)
    assert date_label(midnight_utc, "vi", VN) == "Thứ Năm, 26/11/2026"


@pytest.mark.parametrize("status", sorted(STATUS_LABELS["vi"]))
def test_every_canonical_status_has_a_label_in_both_languages(status: str) -> None:
    assert status_label(status, "vi") != status and status_label(status, "en") != status
