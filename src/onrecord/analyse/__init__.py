"""Analyse: what the stored statements add up to — identities across documents, topics,
timelines, shifts in position and briefs. Reads the store (and writes derived data to it);
never parses documents itself."""

from __future__ import annotations

from onrecord.analyse import identities, topics
from onrecord.store import Store


def refresh(store: Store, with_topics: bool = True) -> None:
    """Bring the analyses up to date after statements were stored or replaced: link speakers across
    documents, then give the statements without topics theirs."""
    identities.relink(store)
    if with_topics:
        topics.apply(store)
