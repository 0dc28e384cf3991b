"""The order sources this installation knows, each configured from its own settings."""

from __future__ import annotations

from dataclasses import dataclass

from sources.base import OrderSource
from sources.sapo import SapoSource
from sources.shopify import HARAVAN, SHOPIFY, ShopifyLike
from sources.signed import SignedSource
from sources.woocommerce import WooCommerceSource

PLATFORMS = ("shopify", "haravan", "sapo", "woocommerce", "signed")


@dataclass(frozen=True)
class SourceSecrets:
    """Revealed secrets and endpoints, as app/ reads them from the settings."""

    shopify_webhook_secret: str | None = None
    shopify_shop_url: str | None = None  # https://{shop}.myshopify.com, for the pull fallback
    shopify_access_token: str | None = None
    haravan_webhook_secret: str | None = None
    woocommerce_webhook_secret: str | None = None
    woocommerce_url: str | None = None
    woocommerce_consumer_key: str | None = None
    woocommerce_consumer_secret: str | None = None
    signed_webhook_secret: str | None = None


def build_sources(secrets: SourceSecrets) -> dict[str, OrderSource]:
    """Every platform; a webhook without its secret answers 403, a pull without credentials never runs."""
    sources: tuple[OrderSource, ...] = (
        ShopifyLike("shopify", SHOPIFY, secrets.shopify_webhook_secret,
                    api_base=secrets.shopify_shop_url, access_token=secrets.shopify_access_token),
        ShopifyLike("haravan", HARAVAN, secrets.haravan_webhook_secret),
        SapoSource(),
        WooCommerceSource(secrets.woocommerce_webhook_secret, store_url=secrets.woocommerce_url,
                          consumer_key=secrets.woocommerce_consumer_key,
                          consumer_secret=secrets.woocommerce_consumer_secret),
        SignedSource(secrets.signed_webhook_secret),
    )
    return {source.id: source for source in sources}
