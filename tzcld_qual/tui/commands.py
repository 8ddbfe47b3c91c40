"""The command palette (ctrl+p) lists every action of the registry, with its keys."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tzcld_qual.tui.actions import ACTIONS, Action, keys_of


class ActionCommands(Provider):
    """One hit per registry action; choosing it runs the action on the screen it belongs to."""

    def _entries(self) -> list[tuple[Action, str, str]]:
        overrides = getattr(self.app, "overrides", {})
        return [(a, a.description, f"{keys_of(a, overrides)} · {a.help or a.description}") for a in ACTIONS]

    async def discover(self) -> Hits:
        for action, text, help_text in self._entries():
            yield DiscoveryHit(text, partial(self._run, action), text=text, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, text, help_text in self._entries():
            score = max(matcher.match(text), matcher.match(help_text) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._run, action), text=text, help=help_text)

    async def _run(self, action: Action) -> None:
        await self.app.run_registry_action(action)  # type: ignore[attr-defined]
