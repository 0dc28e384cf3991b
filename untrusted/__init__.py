"""Bounds every outside input passes before the bot reads it: one layer, shared by every edge.

Webhooks, carrier callbacks, the REST API and the inbox all read bodies, paths and queries
through these helpers, so a hostile value is refused once, with a reason, as a `Refused`
(a 400), instead of failing somewhere deep as a 500. Nothing here imports the project.
"""
