"""YAML from users, read safely: no aliases, so a few hundred bytes cannot expand to gigabytes.

Front matter, registries, taxonomies and gold sets are written by people (or by whoever sent the
file). ``yaml.safe_load`` refuses arbitrary objects but still expands aliases, and nested aliases
grow exponentially (the "billion laughs"). Nothing onrecord reads needs an alias, so any alias is
refused before it is expanded; anchors alone are harmless and pass.
"""

from __future__ import annotations

import yaml

__all__ = ["AliasRefused", "load"]


class AliasRefused(yaml.YAMLError):
    """The document uses a YAML alias (``*name``)."""

    def __init__(self, mark: yaml.Mark | None) -> None:
        where = f" (line {mark.line + 1})" if mark is not None else ""
        super().__init__(f"YAML aliases (*name) are not accepted{where}; write the repeated values out")
        self.problem_mark = mark


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def load(text: str) -> object:
    """Like ``yaml.safe_load``, but raises :class:`AliasRefused` (a ``yaml.YAMLError``) on any alias."""
    return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
