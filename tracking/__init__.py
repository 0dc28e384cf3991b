"""Carrier events into order timelines: webhook deliveries, polling, and the merge rule."""
