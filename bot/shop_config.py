"""Settings and templates as the shop's admins set them, the same on every replica.

Overrides are rows (setting_overrides, template_overrides): the database is the truth. A change
is stored with its audit row (config_changes), applied on the replica that made it at once, and
announced on the coordination fan-out so every other replica reloads; fan-out is at most once,
so each replica also reloads every `RELOAD_SECONDS` (app.runtime), whatever it heard.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Mapping

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.coordination import Coordinator
from bot.live_settings import EDITABLE, LiveSettings, effective, spelled
from bot.storage.models import ConfigChange, SettingOverride, Staff, TemplateOverride
from content.renderer import Problem, Renderer

log = logging.getLogger("bot.shop_config")
TOPIC = "config"
RELOAD_SECONDS = 30.0


def template_subject(language: str, name: str) -> str:
    return f"template {language}/{name}"


class ShopConfig:
    def __init__(self, live: LiveSettings, renderer: Renderer, sessions: async_sessionmaker[AsyncSession],
                 coordinator: Coordinator) -> None:
        self.live = live
        self.renderer = renderer
        self._sessions = sessions
        self._coordinator = coordinator

    async def reload(self) -> None:
        """Take whatever the database holds now (cheap when nothing changed: nothing is rebuilt)."""
        async with self._sessions() as db:
            settings = {row.name: row.value for row in await db.scalars(select(SettingOverride))}
            templates = {(row.language, row.name): row.source for row in await db.scalars(select(TemplateOverride))}
        if settings != self.live.overrides:
            for name, reason in self.live.apply(settings).items():
                log.warning("a stored setting is not valid; the default serves", extra={"setting": name, "error": reason})
        self.renderer.use_overrides(templates)

    async def follow(self) -> None:
        """Reload whenever any replica announces a change (run by the supervisor, forever)."""
        async with self._coordinator.subscribe(TOPIC) as changes:
            await self.reload()  # a change announced before this replica listened
            async for _ in changes:
                await self.reload()

    async def _changed(self) -> None:
        await self.reload()
        await self._coordinator.publish(TOPIC, {})

    async def change_settings(self, staff: Staff, wanted: Mapping[str, str], now: datetime) -> list[ConfigChange]:
        """Set the editable settings to `wanted` (a blank value: back to the environment's); raises
        bot.live_settings.Refused, storing nothing, when any value is not valid."""
        env, changes = self.live.env, []
        async with self._sessions.begin() as db:
            stored = {row.name: row for row in await db.scalars(select(SettingOverride).with_for_update())}
            overrides = {name: row.value for name, row in stored.items()}
            before = _lenient(env, overrides)
            for field in EDITABLE:
                value = wanted.get(field.name, overrides.get(field.name, "")).strip()
                if value in ("", spelled(env, field.name)):
                    overrides.pop(field.name, None)
                else:
                    overrides[field.name] = value
            after = effective(env, overrides)
            for field in EDITABLE:
                old, new = spelled(before, field.name), spelled(after, field.name)
                if old != new:
                    changes.append(_audit(staff, field.name, old, new, now))
                    await _put_setting(db, stored.get(field.name), field.name, overrides.get(field.name), now)
            db.add_all(changes)
        if changes:
            await self._changed()
        return changes

    async def change_template(self, staff: Staff, language: str, name: str, source: str, now: datetime) -> Problem | None:
        """Store `source` as the shop's version of a template (the packaged text again: back to the
        packaged file); a Problem, storing nothing, when it would fail as a message."""
        source = source.replace("\r\n", "\n").strip() + "\n"
        packaged = source.strip() == self.renderer.packaged_source(language, name).strip()
        problem = None if packaged else self.renderer.trial(language, name, source)
        if isinstance(problem, Problem):
            return problem
        async with self._sessions.begin() as db:
            row = await db.get(TemplateOverride, (language, name), with_for_update=True)
            old = row.source if row is not None else None
            new = None if packaged else source
            if old == new:
                return None
            if row is None:
                db.add(TemplateOverride(language=language, name=name, source=new, updated_at=now))
            elif new is None:
                await db.delete(row)
            else:
                row.source, row.updated_at = new, now
            db.add(_audit(staff, template_subject(language, name), old, new, now))
        await self._changed()
        return None

    async def history(self, limit: int = 50) -> list[ConfigChange]:
        async with self._sessions() as db:
            return list(await db.scalars(select(ConfigChange).order_by(ConfigChange.id.desc()).limit(limit)))


def _lenient(env: Settings, overrides: Mapping[str, str]) -> Settings:
    """What the stored overrides make of `env`, leaving out any a newer validator refuses."""
    live = LiveSettings(env)
    live.apply(overrides)
    return live.current


def _audit(staff: Staff, subject: str, old: str | None, new: str | None, now: datetime) -> ConfigChange:
    return ConfigChange(staff_id=staff.id, staff_email=staff.email, subject=subject, old_value=old, new_value=new,
                        changed_at=now)


async def _put_setting(db: AsyncSession, row: SettingOverride | None, name: str, value: str | None,
                       now: datetime) -> None:
    if value is None:
        await db.execute(delete(SettingOverride).where(SettingOverride.name == name))
    elif row is None:
        db.add(SettingOverride(name=name, value=value, updated_at=now))
    else:
        row.value, row.updated_at = value, now
