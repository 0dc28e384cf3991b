"""Which channels this installation speaks: each one is enabled by its own settings."""

from __future__ import annotations

from typing import Any, Awaitable, Callable

import aiohttp

from bot.config import Settings
from channels.base import Channel
from channels.messenger import MessengerChannel
from channels.telegram import TelegramChannel
from channels.web import WebChannel
from channels.zalo import AccessTokens, ZaloChannel
from channels.zalo_tokens import ZaloCredentials

Publish = Callable[[str, dict[str, Any]], Awaitable[None]]


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


async def build_channels(
    settings: Settings, http: aiohttp.ClientSession, secret: bytes, publish_web: Publish,
    zalo_tokens: AccessTokens | None = None,
) -> dict[str, Channel]:
    channels: dict[str, Channel] = {"web": WebChannel(secret, publish_web, settings.public_url)}
    if settings.telegram_token is not None:
        telegram = TelegramChannel(
            _secret(settings.telegram_token),
            webhook_secret=_secret(settings.telegram_webhook_secret) or None,
            api_base=settings.telegram_api_base,
            messages_per_second=settings.telegram_rate_limit,
        )
        await telegram.start()
        channels["telegram"] = telegram
    if settings.messenger_page_token and settings.messenger_app_secret and settings.messenger_verify_token:
        channels["messenger"] = MessengerChannel(
            _secret(settings.messenger_page_token), _secret(settings.messenger_app_secret),
            _secret(settings.messenger_verify_token), session=http, api_base=settings.messenger_api_base,
        )
    if zalo_tokens is not None and settings.zalo_app_id and settings.zalo_oa_secret_key:
        channels["zalo"] = ZaloChannel(
            settings.zalo_app_id, _secret(settings.zalo_oa_secret_key), zalo_tokens, session=http,
            api_base=settings.zalo_api_base, business_api_base=settings.zalo_business_api_base,
        )
    return channels


def zalo_credentials(settings: Settings) -> ZaloCredentials | None:
    """Zalo is on when the OA can be verified and reached: app id, OA secret and a token."""
    if not (settings.zalo_app_id and settings.zalo_oa_secret_key and settings.zalo_access_token):
        return None
    return ZaloCredentials(
        settings.zalo_app_id, _secret(settings.zalo_app_secret), _secret(settings.zalo_access_token),
        _secret(settings.zalo_refresh_token), settings.zalo_oauth_base,
    )
