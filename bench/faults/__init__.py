"""Fault scenarios measured by python -m bench.faults; each module measures one."""
