"""Survey scales and the scores that call for service recovery (CSAT ≤ 2, NPS ≤ 6, CES ≤ 2)."""

from enum import StrEnum


class SurveyKind(StrEnum):
    CSAT = "csat"  # how satisfied with this order
    NPS = "nps"  # would they recommend the shop
    CES = "ces"  # how easy was it to get help from staff


SCALES = {SurveyKind.CSAT: range(1, 6), SurveyKind.NPS: range(0, 11), SurveyKind.CES: range(1, 6)}
LOW = {SurveyKind.CSAT: 2, SurveyKind.NPS: 6, SurveyKind.CES: 2}
