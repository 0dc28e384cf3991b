"""Business counters for Prometheus, beside the dashboard's figures, so an operator's Grafana
can chart what the bot did for the shop. Counted as it happens, per replica (Prometheus sums
replicas); the dashboard reads the database, which also knows what happened later (a person
stepping in a day after the bot answered), so the two agree on trends, not to the unit."""

from __future__ import annotations

from prometheus_client import Counter

WISMO_ANSWERED = Counter(
    "haumai_wismo_answered_by_bot", "Where-is-my-order questions the bot answered with no person in the conversation",
    ["channel"],
)
SURVEYS_ANSWERED = Counter("haumai_surveys_answered", "Survey answers recorded (a repeated tap counts once)", ["kind"])
COUPONS_REDEEMED = Counter("haumai_coupon_redemptions", "Thank-you coupons redeemed through the API")
