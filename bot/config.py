"""Typed configuration read once from the environment (and `.env`), secrets hidden.

Names follow ../shared/CONTRACT.md; every external API base is overridable so tests and
staging point the bot at local servers.
"""

from __future__ import annotations

import json
import re
from datetime import time, timedelta
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str) -> timedelta:
    """`90s`, `15m`, `3h`, `7d` → timedelta; anything else is a configuration error."""
    match = _DURATION.match(text)
    if not match:
        msg = f"not a duration: {text!r} (use e.g. 90s, 15m, 3h, 7d)"
        raise ValueError(msg)
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def parse_hours(text: str) -> tuple[time, time] | None:
    """`21:00-08:00` → (start, end); `off` → None (quiet hours: never; business hours: always)."""
    if text.strip().lower() == "off":
        return None
    start, sep, end = text.partition("-")
    if not sep:
        msg = f"hours must look like 21:00-08:00 or off, got {text!r}"
        raise ValueError(msg)
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


RETURN_REASONS = ("too_small", "too_big", "colour", "not_as_pictured", "broken", "wrong_item", "missing_item",
                  "changed_my_mind")
REFUND_METHODS = ("bank", "credit", "cod_reversal")


def words(text: str) -> tuple[str, ...]:
    """A comma-separated setting as its trimmed, non-empty parts."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def among(value: str, known: Iterable[str], what: str) -> str:
    """A comma-separated setting whose every part is one of `known`; a typo is refused at start-up."""
    unknown = set(words(value)) - set(known)
    if unknown:
        msg = f"unknown {what}: {', '.join(sorted(unknown))} (use {', '.join(sorted(known))})"
        raise ValueError(msg)
    return value


class TemplateSpec(BaseModel):
    """An approved provider template standing in for one proactive kind outside the window.

    `params` maps each template parameter to a Haumai variable (customer, order_code, status,
    carrier, tracking_code, tracking_url, eta, coupon_code, coupon_percent, coupon_expires,
    shop); Messenger fills its body parameters in this order.
    """

    id: str  # Zalo ZBS template_id, or the Messenger utility template's name
    params: dict[str, str] = Field(default_factory=dict)
    language: str = "vi"
    by_phone: bool = False  # Zalo: send through the business API to the customer's phone (84…)


class CareSpec(BaseModel):
    """A care or usage message for the products whose name or category contains a key (issue 16)."""

    template: str = Field(pattern=r"^care/[a-z0-9_]+$")  # e.g. care/clothing (content/templates/{vi,en}/care)
    delay: str = "2d"  # after delivery

    @field_validator("delay")
    @classmethod
    def _valid_delay(cls, value: str) -> str:
        parse_duration(value)
        return value


SEGMENT_NAMES = frozenset({"new", "repeat", "vip", "at_risk", "detractor", "promoter"})  # bot.segments.Segment


def parse_off_or_durations(text: str) -> tuple[timedelta, ...]:
    """`off` (or empty) → (); `60d,90d` → both, in order."""
    if text.strip().lower() in ("", "off"):
        return ()
    return tuple(sorted(parse_duration(part) for part in text.split(",")))


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(
        env_prefix="HAUMAI_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = "sqlite+aiosqlite:///./haumai.db"  # async URL, one for every command; postgresql+asyncpg://… for replicas
    redis_url: str | None = None  # Redis for rate budgets and live fan-out across replicas (dedupe and the scheduler's lease are the database's); unset: in-process
    public_url: str = "http://127.0.0.1:8080"  # the address customers and platforms reach this server at (links, webhook URLs)
    secret_key: SecretStr | None = None  # signs staff sessions and customer links; unset: generated once and kept in the database
    api_key: SecretStr | None = None  # bearer key of the REST API (/api/v1); unset: the API refuses every call
    shop_name: str = Field(default="Shop", min_length=1, max_length=100)  # the shop's name in messages
    language: str = "vi"  # default message language: vi or en
    timezone: str = "Asia/Ho_Chi_Minh"  # the shop's zone: quiet hours, dates in messages, imported dates without an offset
    quiet_hours: str = "21:00-08:00"  # proactive messages due then wait until the end; off: never quiet
    thanks_delay: str = "3h"  # delivery → thank-you with coupon and CSAT (90s, 15m, 3h, 7d)
    nps_delay: str = "7d"  # delivery → NPS question (at most one per customer per 90 days)
    coupon_percent: int = Field(default=10, ge=1, le=100)  # the thank-you coupon's discount
    coupon_valid_days: int = Field(default=30, ge=1, le=3650)  # how long the thank-you coupon is valid
    business_hours: str = "08:00-21:00"  # when people answer the inbox (shop timezone)
    holding_after: str = "10m"  # a handoff unanswered this long gets a holding message
    daily_proactive_cap: int = Field(default=2, ge=0)  # thanks/surveys/reminders per customer per day
    auto_migrate: bool = True  # serve applies pending migrations at start; 0 when a separate `haumai db upgrade` does
    instance_id: str = ""  # this replica's name in leases and logs; unset: host-pid-random
    carrier_webhook_token: SecretStr | None = None  # shared token carriers put in the callback URL; unset: carrier webhooks refused

    telegram_token: SecretStr | None = None  # the bot's token from @BotFather
    telegram_webhook_secret: SecretStr | None = None  # the secret_token given to setWebhook, checked on every update
    telegram_api_base: str = "https://api.telegram.org"  # Bot API host (tests point it at a local fake)
    telegram_rate_limit: int = Field(default=30, ge=0)  # messages/s for the whole bot; 0 = no limit

    messenger_page_token: SecretStr | None = None  # the Page access token that sends messages
    messenger_app_secret: SecretStr | None = None  # verifies X-Hub-Signature-256 of Messenger webhooks
    messenger_verify_token: SecretStr | None = None  # answers Meta's webhook verification challenge
    messenger_api_base: str = "https://graph.facebook.com/v23.0"  # Graph API base

    zalo_app_id: str | None = None  # the Zalo app that owns the OA
    zalo_oa_secret_key: SecretStr | None = None  # verifies Zalo's webhook signature
    zalo_app_secret: SecretStr | None = None  # with the refresh token, renews the access token
    zalo_access_token: SecretStr | None = None  # the OA access token (25 h); renewed by Haumai when the refresh token is set
    zalo_refresh_token: SecretStr | None = None  # single-use refresh token; stored in the database before each use
    zalo_api_base: str = "https://openapi.zalo.me"  # OA API base
    zalo_oauth_base: str = "https://oauth.zaloapp.com"  # Zalo OAuth base (token renewal)
    zalo_business_api_base: str = "https://business.openapi.zalo.me"  # ZBS template messages by phone
    zalo_templates: dict[str, TemplateSpec] = Field(default_factory=dict)  # JSON: kind → template
    messenger_templates: dict[str, TemplateSpec] = Field(default_factory=dict)  # JSON: kind → template, outside the 24 h window

    ghn_token: SecretStr | None = None  # GHN API token: confirms delivered/returned and polls
    ghn_shop_id: str | None = None  # GHN ShopId header
    ghn_api_base: str = "https://online-gateway.ghn.vn/shiip/public-api"  # GHN API base
    ghtk_token: SecretStr | None = None  # GHTK API token: confirms delivered/returned and polls
    ghtk_api_base: str = "https://services.giaohangtietkiem.vn"  # GHTK API base
    ghtk_partner_code: str | None = None  # sent as X-Client-Source, as GHTK asks of partners
    viettelpost_token: SecretStr | None = None  # the secret Viettel Post sends back as TOKEN
    ninjavan_client_key: SecretStr | None = None  # signs Ninja Van's webhooks

    webhook_max_bytes: int = Field(default=256 * 1024, ge=1024)  # larger request bodies are refused (413)

    # --- order sources (issue 17): POST /sources/{platform}/webhook, and the pull fallback ---
    shopify_webhook_secret: SecretStr | None = None  # the app's client secret that signs Shopify's webhooks
    shopify_shop_url: str | None = None  # https://your-shop.myshopify.com, to pull orders a webhook missed
    shopify_access_token: SecretStr | None = None  # Admin API token (read_orders) for the pull
    haravan_webhook_secret: SecretStr | None = None  # Haravan's "webhook authentication secret"
    woocommerce_webhook_secret: SecretStr | None = None  # the secret typed into WooCommerce's webhook form
    woocommerce_url: str | None = None  # https://shop.example, to pull orders through the REST API
    woocommerce_consumer_key: SecretStr | None = None  # REST API key (read) for the pull
    woocommerce_consumer_secret: SecretStr | None = None  # REST API secret for the pull
    signed_webhook_secret: SecretStr | None = None  # signs the generic JSON order webhook (any other system)
    source_poll_seconds: int = Field(default=300, ge=10)  # how often the pull fallback asks each platform

    # --- the shop answering about itself, and the bot learning from it (issue 13) ---
    shop_address: str = Field(default="", max_length=300)  # answered to "where is the shop?"
    shop_hotline: str = Field(default="", max_length=40)  # the phone number given to "what is the shop's hotline?"
    faq: str = Field(default="", max_length=2000)  # a link or short text answering product questions
    nlu_confidence: float = Field(default=0.6, ge=0.0, le=1.0)  # below it, ask which intent was meant
    nlu_retrain_every: str = "1h"  # how often the shop's labels retrain the classifier

    # --- care after delivery, check-ins, win-back and segments (issue 16); all off by default ---
    care_messages: dict[str, CareSpec] = Field(default_factory=dict)  # JSON: product/category key → message
    checkin_after: str = "off"  # delivery → "is everything fine?" with one-tap answers
    winback_after: str = "off"  # e.g. 60d,90d: last purchase → a come-back message
    winback_per_quarter: int = Field(default=1, ge=0)  # win-back messages per customer per quarter
    care_segments: str = ""  # comma-separated segments (bot.segments) the care message goes to; empty: all
    checkin_segments: str = ""  # the segments the check-in goes to, as care_segments
    winback_segments: str = ""  # the segments win-back goes to, as care_segments
    vip_spend: int = Field(default=5_000_000, ge=0)  # VND spent in all: a VIP
    at_risk_after: str = "90d"  # no purchase for this long: at risk

    # --- workers (issue 12) ---
    worker: int = Field(default=0, ge=0)  # which of `haumai serve --workers N` this process is; set by its parent

    # --- returns and exchanges (issue 15): the shop's policy, read by bot.returns.policy ---
    returns_window_days: int = Field(default=7, ge=0, le=365)  # refund: days after delivery
    returns_exchange_window_days: int = Field(default=14, ge=0, le=365)  # exchange: days after delivery
    returns_free_reasons: str = "too_small,too_big,broken,wrong_item,missing_item,not_as_pictured"  # approved by the bot
    returns_photo_reasons: str = "broken,not_as_pictured"  # a photo is asked for these reasons
    returns_refund_methods: str = "bank,credit,cod_reversal"  # offered, in this order
    returns_excluded: str = ""  # words of item names or categories that cannot be returned, e.g. "đồ lót,sale"
    returns_pickup_carrier: str = "sandbox"  # books return pickups (carriers.returns); "off": staff enter the code
    returns_photo_max_bytes: int = Field(default=5 * 1024 * 1024, ge=10 * 1024)  # larger return photos are refused

    # --- NLU (issue 13) ---
    order_code_pattern: str | None = None  # the shop's order codes as a regex, e.g. HM\d{4,8}; group 1 if any

    @field_validator("order_code_pattern")
    @classmethod
    def _valid_order_code_pattern(cls, value: str | None) -> str | None:
        """A broken pattern is a configuration error at start-up, not a crash on the first message."""
        if value:
            try:
                re.compile(value)
            except re.error as failure:
                msg = f"order_code_pattern is not a regular expression: {failure}"
                raise ValueError(msg) from failure
        return value or None
    # --- end NLU ---

    # --- PostgreSQL at speed (issue 12): ignored on SQLite, which uses one connection (bot.storage.engine) ---
    database_pool_size: int = Field(default=10, ge=1, le=1000)  # connections kept open per process
    database_max_overflow: int = Field(default=10, ge=0, le=1000)  # extra connections a burst may open
    database_statement_cache: int = Field(default=500, ge=0, le=100_000)  # prepared statements per connection (asyncpg)

    @field_validator("zalo_templates", "messenger_templates", "care_messages", mode="before")
    @classmethod
    def _templates_from_json(cls, value: object) -> object:
        """The environment carries the table as JSON: {"notice": {"id": "…", "params": {…}}}."""
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as failure:
                msg = f"templates must be a JSON object: {failure}"
                raise ValueError(msg) from failure
        return value

    @field_validator("care_segments", "checkin_segments", "winback_segments")
    @classmethod
    def _known_segments(cls, value: str) -> str:
        """Comma-separated names among new, repeat, vip, at_risk, detractor, promoter (bot.segments)."""
        return among(value, SEGMENT_NAMES, "segments")

    @field_validator("checkin_after", "winback_after")
    @classmethod
    def _off_or_durations(cls, value: str) -> str:
        parse_off_or_durations(value)
        return value

    @field_validator("returns_free_reasons", "returns_photo_reasons")
    @classmethod
    def _known_reasons(cls, value: str) -> str:
        return among(value, RETURN_REASONS, "return reasons")

    @field_validator("returns_refund_methods")
    @classmethod
    def _known_methods(cls, value: str) -> str:
        if not words(value):
            msg = f"offer at least one refund method among {', '.join(REFUND_METHODS)}"
            raise ValueError(msg)
        return among(value, REFUND_METHODS, "refund methods")

    @field_validator("thanks_delay", "nps_delay", "holding_after", "nlu_retrain_every", "at_risk_after")
    @classmethod
    def _valid_duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("quiet_hours", "business_hours")
    @classmethod
    def _valid_quiet_hours(cls, value: str) -> str:
        parse_hours(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        ZoneInfo(value)
        return value

    @field_validator("language")
    @classmethod
    def _valid_language(cls, value: str) -> str:
        if value not in ("vi", "en"):
            msg = "language must be vi or en"
            raise ValueError(msg)
        return value

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, read_dotenv: bool = True) -> Settings:
        """Build from an explicit mapping (tests) instead of the process environment."""
        values: dict[str, Any] = {
            key[len("HAUMAI_") :].lower(): value
            for key, value in env.items()
            if key.startswith("HAUMAI_") and value != ""
        }
        dotenv = ".env" if read_dotenv else None
        return cls(_env_file=dotenv, **values)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def thanks_after(self) -> timedelta:
        return parse_duration(self.thanks_delay)

    @property
    def nps_after(self) -> timedelta:
        return parse_duration(self.nps_delay)

    @property
    def quiet(self) -> tuple[time, time] | None:
        return parse_hours(self.quiet_hours)

    @property
    def holding_delay(self) -> timedelta:
        return parse_duration(self.holding_after)

    @property
    def open_hours(self) -> tuple[time, time] | None:
        return parse_hours(self.business_hours)

    @property
    def nlu_retrain_interval(self) -> timedelta:
        return parse_duration(self.nlu_retrain_every)

    @property
    def checkin_delay(self) -> timedelta | None:
        found = parse_off_or_durations(self.checkin_after)
        return found[0] if found else None

    @property
    def winback_delays(self) -> tuple[timedelta, ...]:
        return parse_off_or_durations(self.winback_after)

    @property
    def at_risk_delay(self) -> timedelta:
        return parse_duration(self.at_risk_after)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
