"""`python -m bot` is the documented way to run `haumai` (CONTRACT), kept after the CLI moved to app/.

The engine must not import the composition root above it (tests/test_layers.py), so the
command line is reached by running `python -m app`, not by importing it.
"""

import runpy

runpy.run_module("app", run_name="__main__", alter_sys=True)
