"""Experiments: hold-outs and A/B variants of the journey, measured on the shop's own customers.

spec (what an experiment is), assignment (which arm an order is in, once), outcomes (what each
order's customer did), results (the per-arm comparison with intervals), store (create, start, stop).
"""
