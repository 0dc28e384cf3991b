"""Hostile but correctly signed requests for every route of the app, as hypothesis strategies.

Routes come from `app.router`, so a new route is fuzzed without anyone listing it. Bodies are
real payloads (tests/payloads) with leaves swapped for hostile values, or hostile JSON alone:
deep nesting, huge integers, non-finite floats, lone surrogates, NUL, wrong types. Each body
is then signed the way its route checks it, so it reaches parsing instead of a 401/403.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient
from hypothesis import strategies as st

from app.inbox.staff import add_staff
from tests.apps import API_KEY, runtime_of
from tests.fakes import graph as graph_wire
from tests.fakes import zalo as zalo_wire
from tests.flows.conftest import WEBHOOK_SECRET
from tests.inbox.conftest import CSRF, PASSWORD

CARRIER_TOKEN = "carrier-token-123"
VIETTELPOST_TOKEN = "vtp-secret"
PAYLOADS = Path(__file__).resolve().parent / "payloads"
NAMES = {"channel": ["telegram", "messenger", "zalo", "web"], "carrier": ["ghn", "ghtk", "viettelpost", "jnt", "ninjavan", "vnpost", "ahamove"],
         "code": ["HM1", "HM7001"], "id": ["1"], "action": ["take", "reply", "note", "assign", "resolve", "release", "label"]}
HOSTILE_TEXT = ["\x00", "a\x00b", "\ud800", "²", "99999999999999999999", "-1", "0", "1e20", "", " ", "../..", "%00", "x" * 3000, "Đơn hàng"]


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # "/inbox/c/{id}"


@dataclass(frozen=True)
class HostileRequest:
    method: str
    path: str  # already percent-encoded
    body: bytes
    headers: dict[str, str]


@dataclass
class Visitor:
    """What every route's own authentication needs: a web chat session and a staff login."""

    client: TestClient
    email: str
    web_chat: str = ""
    csrf: str = ""

    async def start(self) -> Visitor:
        runtime = runtime_of(self.client)
        await add_staff(runtime.sessions, self.email, "Fuzz", "admin", PASSWORD, runtime.clock())
        self.web_chat = (await (await self.client.post("/chat/api/session")).json())["session"]
        await self._log_in()
        return self

    async def _log_in(self) -> None:
        form = {"csrf": await self._csrf("/login"), "email": self.email, "password": PASSWORD}
        await self.client.post("/login", data=form, allow_redirects=False)
        self.csrf = await self._csrf("/inbox")

    async def _csrf(self, path: str) -> str:
        match = CSRF.search(await (await self.client.get(path)).text())
        assert match is not None
        return match.group(1)

    async def send(self, request: HostileRequest) -> int:
        """The status only (live streams never end). A logout goes without our cookies: it would
        end the login every later request needs, and login attempts are throttled."""
        if not request.path.startswith("/logout"):
            return await self._status(self.client.session, request)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as stranger:
            return await self._status(stranger, request)

    async def _status(self, http: aiohttp.ClientSession, request: HostileRequest) -> int:
        url = self.client.make_url(request.path)
        async with http.request(request.method, url, data=request.body, headers=request.headers,
                                allow_redirects=False) as response:
            return response.status


def routes(app: web.Application) -> list[Route]:
    """Every method and path the app serves (HEAD is GET's shadow)."""
    found = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        template = info.get("formatter") or info.get("path")
        if template and route.method != "HEAD":
            found.append(Route(route.method, template))
    return found


def _json_leaves() -> st.SearchStrategy[Any]:
    numbers = st.one_of(st.integers(), st.sampled_from([10**15, 10**20, -(10**20), 2**63, 10**300]),
                        st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e20, 1e308, -1e-300]))
    texts = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE_TEXT))
    return st.one_of(st.none(), st.booleans(), numbers, texts)


def json_values() -> st.SearchStrategy[Any]:
    return st.recursive(
        _json_leaves(),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
        max_leaves=12,
    )


def leaf_paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(document, dict):
        return [prefix] + [p for key, value in document.items() for p in leaf_paths(value, (*prefix, key))]
    if isinstance(document, list):
        return [prefix] + [p for index, value in enumerate(document) for p in leaf_paths(value, (*prefix, index))]
    return [prefix]


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(document))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


@st.composite
def _mutated(draw: st.DrawFn, skeletons: list[Any]) -> Any:
    document = draw(st.sampled_from(skeletons))
    for _ in range(draw(st.integers(1, 3))):
        paths = leaf_paths(document)
        value = draw(st.one_of(st.sampled_from(HOSTILE_TEXT), json_values()))  # text keeps more bodies valid
        document = replaced(document, draw(st.sampled_from(paths)), value)
    return document


def _deep(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def bodies(skeletons: list[Any]) -> st.SearchStrategy[bytes]:
    documents = st.one_of(_mutated(skeletons), json_values()) if skeletons else json_values()
    encoded = documents.map(lambda d: json.dumps(d, ensure_ascii=True).encode())
    raw = st.sampled_from([_deep(5000), b"[" * 5000 + b"]" * 5000, _deep(33), b"", b"{", b"\xff\xfe", b"\x00"])
    return st.one_of(encoded, encoded, encoded, raw)


def _payloads(folder: str, prefix: str = "") -> list[Any]:
    files = sorted((PAYLOADS / folder).glob(f"{prefix}*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in files if "invalid" not in path.name]


def skeletons_for(path: str, web_session: str) -> list[Any]:
    """Realistic documents for a path, so mutations reach the code behind the first check."""
    carrier = re.match(r"/carriers/([^/]+)/webhook", path)
    channel = re.match(r"/webhooks/([^/?]+)", path)
    if carrier and carrier.group(1) in NAMES["carrier"]:
        return _payloads("carriers", carrier.group(1))
    if channel and channel.group(1) in ("telegram", "messenger", "zalo"):
        return _payloads(f"channels/{channel.group(1)}")
    if path.startswith("/chat/api/messages"):
        return [{"session": web_session, "id": "c1", "text": "alo"}, {"session": web_session, "id": "c2", "action": "m:orders"}]
    if path.startswith("/api/v1/orders") and path.endswith("/events"):
        return [{"status": "delivered", "occurred_at": "2026-11-24T10:00:00+07:00", "description": "ok"}]
    if path.startswith("/api/v1/orders"):
        return [{"code": "HM9", "customer": {"name": "Lan", "phone": "0987650001"}, "total": 1000, "eta": "2026-11-26",
                 "items": [{"name": "x", "quantity": 1, "price": 1}], "placed_at": "2026-11-24T10:00:00+07:00"}]
    if path.startswith("/api/v1/coupons"):
        return [{"order_code": "HM1"}]
    return []


def sign(path: str, body: bytes, csrf: str) -> dict[str, str]:
    """The headers that make this body authentic for this path (query tokens are in the path)."""
    headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf, "Authorization": f"Bearer {API_KEY}",
               "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
               "X-Hub-Signature-256": "sha256=" + hmac.new(graph_wire.APP_SECRET.encode(), body, hashlib.sha256).hexdigest()}
    if path.startswith("/carriers/viettelpost"):
        headers["Authorization"] = VIETTELPOST_TOKEN
    if path.startswith("/webhooks/zalo"):
        headers["X-ZEvent-Signature"] = f"mac={_zalo_mac(body)}"
    return headers


def _zalo_mac(body: bytes) -> str:
    """Zalo signs app id + body + the body's own timestamp + secret; unreadable bodies sign with none."""
    try:
        document = json.loads(body)
        timestamp = str(document.get("timestamp", "")) if isinstance(document, dict) else ""
        text = body.decode("utf-8", errors="replace")
        return hashlib.sha256(f"{zalo_wire.APP_ID}{text}{timestamp}{zalo_wire.OA_SECRET}".encode()).hexdigest()
    except (ValueError, RecursionError, UnicodeEncodeError):
        return "unsigned"


@st.composite
def _segment(draw: st.DrawFn, name: str) -> str:
    known = st.sampled_from(NAMES.get(name, ["x"]))  # twice: half the requests reach a real handler
    value = draw(st.one_of(known, known, st.sampled_from(HOSTILE_TEXT), st.text(max_size=8)))
    return quote(value.encode("utf-8", "surrogatepass"), safe="") or "x"


@st.composite
def _query(draw: st.DrawFn, path: str) -> str:
    pairs = draw(st.lists(st.tuples(st.sampled_from(["page", "q", "from", "to", "lang", "session", "status", "channel", "hub.mode"]),
                                    st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=8))), max_size=3))
    if path.startswith("/carriers/"):
        pairs.append(("token", CARRIER_TOKEN))
    return "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in pairs)


FORM_FIELDS = ["email", "password", "text", "title", "delete", "version", "client_id", "staff_id"]


def form_bodies() -> st.SearchStrategy[bytes]:
    """The inbox's own forms, with hostile values."""
    values = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=20))
    fields = st.dictionaries(st.sampled_from(FORM_FIELDS), values, max_size=4)
    return fields.map(lambda form: "&".join(
        f"{key}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}" for key, value in form.items()).encode())


@st.composite
def hostile_requests(draw: st.DrawFn, app_routes: list[Route], visitor: Visitor) -> HostileRequest:
    route = draw(st.sampled_from(app_routes))
    path = re.sub(r"\{(\w+)\}", lambda m: draw(_segment(m.group(1))), route.template)
    query = draw(_query(route.template))
    form = route.template.startswith(("/login", "/logout", "/inbox"))
    body = b"" if route.method != "POST" else draw(form_bodies() if form else bodies(skeletons_for(path, visitor.web_chat)))
    full = f"{path}?{query}" if query else path
    headers = sign(path, body, visitor.csrf) | ({"Content-Type": "application/x-www-form-urlencoded"} if form else {})
    return HostileRequest(route.method, full, body, headers)
