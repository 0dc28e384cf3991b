"""Survey scales and the scores that call for service recovery (CSAT ≤ 2, NPS ≤ 6, CES ≤ 2)."""

SCALES = {"csat": range(1, 6), "nps": range(0, 11), "ces": range(1, 6)}
LOW = {"csat": 2, "nps": 6, "ces": 2}
