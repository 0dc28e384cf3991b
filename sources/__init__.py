"""Order sources: the shop's platform (Shopify, Haravan, Sapo, WooCommerce, or any system
through the signed JSON webhook) telling Haumai about its orders, behind one protocol.

Like channels/ and carriers/, this package knows nothing of the bot: each adapter verifies
the platform's own webhook signature, reads its payload into a `SourceEvent`, and, where the
platform documents one, pulls the orders changed since a cursor. app/ stores and applies them.
"""
