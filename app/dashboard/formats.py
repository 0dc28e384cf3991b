"""Numbers, money, dates and durations as the staff member's language writes them (Babel),
decided on the server so every figure reads the same in the page, the charts and the tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

LOCALES = {"vi": "vi_VN", "en": "en_US"}
NONE = "–"


class Formats:
    """Formatting in one language; `None` (nothing to measure yet) is a dash everywhere."""

    def __init__(self, lang: str, zone: ZoneInfo) -> None:
        self.locale, self.zone, self.lang = LOCALES[lang], zone, lang

    def number(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return NONE
        return format_decimal(value, format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=self.locale)

    def percent(self, value: float | None) -> str:
        """Figures carry percentages as 0-100 numbers."""
        return NONE if value is None else format_percent(value / 100, format="#,##0.#%", locale=self.locale)

    def money(self, value: int | None) -> str:
        return NONE if value is None else format_currency(value, "VND", locale=self.locale)

    def duration(self, seconds: float | None) -> str:
        """Minutes under two hours, hours under two days, else days: what a person reads at a glance."""
        if seconds is None:
            return NONE
        minutes = seconds / 60
        if minutes < 120:
            return f"{self.number(minutes, 0)} {'phút' if self.lang == 'vi' else 'min'}"
        if minutes < 48 * 60:
            return f"{self.number(minutes / 60)} {'giờ' if self.lang == 'vi' else 'h'}"
        return f"{self.number(minutes / 1440)} {'ngày' if self.lang == 'vi' else 'd'}"

    def day(self, value: date) -> str:
        return format_date(value, "medium", locale=self.locale)

    def week(self, value: date) -> str:
        return format_date(value, "d MMM", locale=self.locale)

    def moment(self, value: datetime | None) -> str:
        return "" if value is None else format_datetime(value.astimezone(self.zone), "short", locale=self.locale)
