"""Admins change the shop's settings and message templates in the browser; the next message uses them."""

from __future__ import annotations

import re

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.config import Settings
from bot.live_settings import EDITABLE
from bot.storage.models import ConfigChange, SettingOverride, TemplateOverride
from tests.apps import MovableClock, runtime_of
from tests.fakes.telegram import FakeTelegram, text_update
from tests.flows.test_journey import advance, deliver, texts
from tests.flows.test_telegram_wismo import post_update, replies
from tests.inbox.conftest import csrf_of, log_in

CHAT = 999002
GREETING = "{% set labels = {\"track\": \"Xem đơn\", \"human\": \"Gặp người thật\"} %}\nXin chào từ {{ shop_name }}!"


async def save_settings(client: TestClient, **values: str) -> tuple[int, str]:
    token = await csrf_of(client, "/settings")
    response = await client.post("/settings", data={"csrf": token, **values})
    return response.status, await response.text()


async def save_template(client: TestClient, path: str, source: str) -> tuple[int, str]:
    token = await csrf_of(client, f"/settings/templates/{path}")
    response = await client.post(f"/settings/templates/{path}", data={"csrf": token, "source": source})
    return response.status, await response.text()


async def audit(client: TestClient) -> list[ConfigChange]:
    async with runtime_of(client).sessions() as db:
        return list(await db.scalars(select(ConfigChange).order_by(ConfigChange.id)))


async def test_a_changed_shop_name_is_in_the_next_reply(client: TestClient, telegram: FakeTelegram) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    status, _ = await save_settings(client, shop_name="Tiệm Mới")
    assert status == 200
    await post_update(client, text_update(CHAT, "xin chào"))
    assert "Tiệm Mới" in (await replies(telegram, 1, CHAT))[0]


async def test_a_setting_change_is_audited_with_who_old_and_new(client: TestClient) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    await save_settings(client, coupon_percent="15", thanks_delay="2h")
    changes = {c.subject: (c.staff_email, c.old_value, c.new_value) for c in await audit(client)}
    assert changes == {"coupon_percent": ("chu@shop.vn", "10", "15"), "thanks_delay": ("chu@shop.vn", "3h", "2h")}
    assert runtime_of(client).settings.coupon_percent == 15


async def test_a_blank_value_returns_a_setting_to_its_default(client: TestClient) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    await save_settings(client, coupon_percent="15")
    await save_settings(client, coupon_percent="")
    async with runtime_of(client).sessions() as db:
        assert await db.scalar(select(SettingOverride)) is None
    assert runtime_of(client).settings.coupon_percent == 10
    assert [(c.old_value, c.new_value) for c in await audit(client)] == [("10", "15"), ("15", "10")]


async def test_an_invalid_setting_is_refused_and_nothing_is_stored(client: TestClient) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    status, page = await save_settings(client, coupon_percent="150", quiet_hours="tối")
    assert status == 400 and "không hợp lệ" in page
    assert await audit(client) == []
    assert runtime_of(client).settings.coupon_percent == 10


async def test_an_agent_may_not_see_or_change_settings(client: TestClient) -> None:
    token = await log_in(client, "lan@shop.vn")
    assert (await client.get("/settings")).status == 403
    assert (await client.post("/settings", data={"csrf": token, "shop_name": "X"})).status == 403
    assert (await client.get("/settings/templates/vi/greeting")).status == 403
    assert (await client.post("/settings/templates/vi/greeting", data={"csrf": token, "source": "X"})).status == 403
    assert await audit(client) == []


async def test_a_rewritten_template_is_used_by_the_next_message(client: TestClient, telegram: FakeTelegram) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    status, _ = await save_template(client, "vi/greeting", GREETING)
    assert status == 200
    await post_update(client, text_update(CHAT, "xin chào"))
    assert (await replies(telegram, 1, CHAT))[0] == "Xin chào từ Tiệm Nhà Mây!"
    buttons = telegram.sent()[-1]["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in buttons for b in row] == ["Xem đơn", "Gặp người thật"]


async def test_a_template_that_fails_to_render_is_refused_with_its_line(client: TestClient) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    status, page = await save_template(client, "vi/greeting", GREETING + "\n{{ coupon_code }}")
    assert status == 400
    assert "Dòng 3" in page and "coupon_code" in page
    async with runtime_of(client).sessions() as db:
        assert await db.scalar(select(TemplateOverride)) is None
    assert await audit(client) == []


async def test_a_template_with_a_syntax_error_is_refused_with_its_line(client: TestClient) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    status, page = await save_template(client, "vi/greeting", "Xin chào\n{% if %}")
    assert status == 400 and "Dòng 2" in page


async def test_a_template_may_not_drop_a_button_the_code_offers(client: TestClient) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    status, page = await save_template(client, "vi/greeting", "Xin chào")
    assert status == 400 and "human" in page


async def test_a_template_may_not_reach_python_internals(client: TestClient) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    status, page = await save_template(client, "vi/greeting", GREETING + "\n{{ shop_name.__class__.__mro__ }}")
    assert status == 400 and "unsafe" in page


async def test_a_template_change_is_audited_and_restoring_the_original_removes_it(client: TestClient) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    await save_template(client, "vi/greeting", GREETING)
    original = runtime_of(client).services.renderer.packaged_source("vi", "greeting")
    await save_template(client, "vi/greeting", original)
    changes = await audit(client)
    assert [(c.subject, c.old_value is None, c.new_value is None) for c in changes] == [
        ("template vi/greeting", True, False), ("template vi/greeting", False, True)]
    async with runtime_of(client).sessions() as db:
        assert await db.scalar(select(TemplateOverride)) is None


async def test_the_preview_shows_how_each_channel_degrades_the_message(client: TestClient) -> None:
    token = await log_in(client, "chu@shop.vn", "admin")
    source = runtime_of(client).services.renderer.packaged_source("vi", "survey/nps")
    response = await client.post("/settings/templates/vi/survey/nps/preview", data={"source": source},
                                 headers={"X-CSRF-Token": token})
    shown = {p["channel"]: p for p in (await response.json())["previews"]}
    assert len(shown["telegram"]["buttons"]) == 11
    assert shown["zalo"]["buttons"] == [] and re.search(r"0 · 1 · .* · 10", shown["zalo"]["text"])


async def test_the_preview_names_the_line_at_fault(client: TestClient) -> None:
    token = await log_in(client, "chu@shop.vn", "admin")
    response = await client.post("/settings/templates/vi/greeting/preview", data={"source": "a\nb\n{{ nope }}"},
                                 headers={"X-CSRF-Token": token})
    assert (await response.json())["problem"]["line"] == 3


async def test_a_changed_coupon_percent_and_thanks_delay_apply_to_the_next_delivery(
    client: TestClient, telegram: FakeTelegram, clock: MovableClock
) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    await save_settings(client, coupon_percent="25", thanks_delay="1h")
    await deliver(client, telegram)
    await advance(client, clock, hours=1, seconds=1)
    thanks = (await texts(telegram, 2))[1]
    assert "25%" in thanks


def test_every_editable_setting_is_a_settings_field() -> None:
    assert {field.name for field in EDITABLE} <= set(Settings.model_fields)


async def test_the_settings_page_offers_every_editable_setting(client: TestClient) -> None:
    await log_in(client, "chu@shop.vn", "admin")
    page = await (await client.get("/settings")).text()
    assert all(f'name="{field.name}"' in page and field.vi in page for field in EDITABLE)


async def test_a_change_no_replica_announced_is_applied_by_the_periodic_reload(client: TestClient) -> None:
    runtime = runtime_of(client)
    async with runtime.sessions.begin() as db:
        db.add(SettingOverride(name="coupon_percent", value="30", updated_at=runtime.clock()))
    await runtime.shop_config.reload()  # the job every replica runs every RELOAD_SECONDS
    assert runtime.settings.coupon_percent == 30
