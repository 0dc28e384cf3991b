"""Returns and exchanges (issue 15): the shop's policy, the request's states, photos, return parcels."""
