"""`python -m app` (and `python -m bot`, which runs this): the `haumai` command line."""

from app.cli import main

raise SystemExit(main())
