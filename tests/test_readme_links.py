"""The README stands alone: every link it makes to a file points inside the repository, at a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)#\s]+)")


def test_every_file_the_readme_links_is_in_the_repository() -> None:
    targets = [t for t in LINK.findall((ROOT / "README.md").read_text(encoding="utf-8")) if "://" not in t]
    outside = [t for t in targets if not (ROOT / t).resolve().is_relative_to(ROOT) or not (ROOT / t).exists()]
    assert targets and outside == []
