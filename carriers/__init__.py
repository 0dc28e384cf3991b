"""Parcel carriers: canonical statuses, tracking links, webhook parsing and polling."""
