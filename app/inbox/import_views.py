"""Importing orders from the browser: an admin uploads the shop's file, sees the upload's progress
and then the same per-row report as `haumai orders import` (app/importer.py).

The file is streamed to a temporary file (the app's request limit is for webhooks, far smaller
than a year of orders), read and checked off the event loop, and written in one transaction
only when every row is right; "check only" stops after the report.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web

from app.appkeys import RUNTIME
from app.import_files import UnreadableFile, read_table
from app.import_writer import write_orders
from app.importer import ImportReport, check_rows
from app.inbox.settings_views import _admin
from app.inbox.views import _page

MAX_UPLOAD = 64 * 1024 * 1024  # ~500,000 rows of CSV
CHUNK = 256 * 1024


async def import_page(request: web.Request) -> web.Response:
    return await _page(request, "import.html.j2", _admin(request))


async def import_upload(request: web.Request) -> web.Response:
    _admin(request)
    runtime = request.app[RUNTIME].get()
    with tempfile.TemporaryDirectory(prefix="haumai-import-") as folder:
        path = Path(folder) / "orders"
        problem = await _receive(request, path)
        if problem is not None:
            return problem
        try:
            report = await asyncio.to_thread(lambda: check_rows(read_table(path), runtime.settings.zone))
        except UnreadableFile as failure:
            return web.json_response({"error": "unreadable_file", "detail": str(failure)}, status=400)
    body: dict[str, Any] = _summary(report, dry_run=request.query.get("dry_run") == "1")
    if report.errors:
        return web.json_response(body, status=422)
    if not body["dry_run"]:
        async with runtime.sessions.begin() as session:
            written = await write_orders(session, report.orders, runtime.clock())
        body.update(created=written.created, updated=written.updated, unchanged=written.unchanged)
    return web.json_response(body)


async def _receive(request: web.Request, path: Path) -> web.Response | None:
    """The multipart `file` field into `path`, within MAX_UPLOAD; a response when refused."""
    if not request.content_type.startswith("multipart/"):
        return web.json_response({"error": "not_multipart", "detail": "send the file as multipart/form-data"}, status=400)
    reader = await request.multipart()
    async for part in reader:
        if isinstance(part, BodyPartReader) and part.name == "file":
            size = 0
            with path.open("wb") as out:
                while chunk := await part.read_chunk(CHUNK):
                    size += len(chunk)
                    if size > MAX_UPLOAD:
                        return web.json_response({"error": "too_large", "detail": f"files up to {MAX_UPLOAD // 2**20} MB"}, status=413)
                    out.write(chunk)
            return None
    return web.json_response({"error": "no_file", "detail": "the form has no `file` field"}, status=400)


def _summary(report: ImportReport, *, dry_run: bool) -> dict[str, Any]:
    return {"rows": report.rows, "orders": len(report.orders), "dry_run": dry_run,
            "ignored_columns": report.ignored_columns,
            "errors": [{"line": line, "reason": reason} for line, reason in report.errors]}


def setup_import(app: web.Application) -> None:
    app.router.add_get("/settings/import", import_page)
    app.router.add_post("/settings/import", import_upload)
