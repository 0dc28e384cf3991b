"""The HMAC-SHA256 signatures the platforms put on their webhooks, compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Mapping

from sources.base import SignatureMismatch, SourceNotConfigured


def digest(secret: str, body: bytes) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


def require_secret(secret: str | None, platform: str) -> str:
    if not secret:
        raise SourceNotConfigured(f"HAUMAI_{platform.upper()}_WEBHOOK_SECRET is not configured")
    return secret


def check_base64(headers: Mapping[str, str], header: str, secret: str, body: bytes) -> None:
    """Shopify, Haravan and WooCommerce: base64 of the HMAC-SHA256 of the raw body."""
    given = headers.get(header)
    if not given:
        raise SignatureMismatch(f"the {header} header is missing")
    if not hmac.compare_digest(given.strip().encode(), base64.b64encode(digest(secret, body))):
        raise SignatureMismatch(f"the {header} signature does not match the body")


def check_hex(headers: Mapping[str, str], header: str, secret: str, body: bytes) -> None:
    """The signed JSON source: `sha256=` and the hex HMAC-SHA256 of the raw body (what openssl prints)."""
    given = headers.get(header, "").strip()
    if not given:
        raise SignatureMismatch(f"the {header} header is missing")
    expected = "sha256=" + digest(secret, body).hex()
    if not hmac.compare_digest(given.lower().encode(), expected.encode()):
        raise SignatureMismatch(f"the {header} signature does not match the body")
