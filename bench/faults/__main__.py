"""`python -m bench.faults [SCENARIO…]`: run each fault scenario and print what it measured.

Each module of this package measures one scenario on its own (its own server, Redis and fakes on
127.0.0.1) and returns named figures; running them one after another keeps them from competing for
the machine's two cores.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import pkgutil
import sys

from app.log import configure_logging
import bench.faults


def scenarios() -> list[str]:
    return sorted(module.name for module in pkgutil.iter_modules(bench.faults.__path__) if not module.name.startswith("_"))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="SCENARIO", help=f"one of {', '.join(scenarios())} (default: all)")
    names = parser.parse_args().names or scenarios()
    unknown = sorted(set(names) - set(scenarios()))
    if unknown:
        parser.error(f"unknown scenario: {', '.join(unknown)}")
    configure_logging([])  # what an operator would see: refusals in one line, no tracebacks
    for name in names:
        figures = asyncio.run(importlib.import_module(f"bench.faults.{name}").measure())
        for figure, value in figures.items():
            print(f"{name:16} {figure:56} {value:>12,.6g}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
