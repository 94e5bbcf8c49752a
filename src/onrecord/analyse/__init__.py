"""Analyse: what the stored statements add up to — identities across documents, topics,
timelines, shifts in position and briefs. Reads the store (and writes derived data to it);
never parses documents itself."""

from __future__ import annotations

from onrecord.analyse import identities, subjects, syndication, topics
from onrecord.store import Store


def refresh(store: Store, with_topics: bool = True) -> frozenset[str]:
    """Finish the work stored statements still need: link speakers across documents, then give the
    statements without topics theirs, then place statements in their speakers' subjects (after
    linking: a subject belongs to an identity). The store records that work as pending in the same
    transaction that stores the statements, so what a killed process left undone is finished here
    by the next one. Documents not yet compared for syndication are compared first (each is signed
    once), so a copy of a stored story counts once wherever statements are counted.
    ``with_topics=False`` leaves the two tasks that need the embedding model (topics, subjects)
    pending. Returns the tasks that ran."""
    syndication.mark_copies(store)
    pending = store.pending()
    if "link" in pending:
        identities.relink(store)
        pending = pending | (store.pending() & {"subjects"})  # a relink may move statements to another speaker
    if with_topics and "topics" in pending:
        topics.apply(store)
    if with_topics and "subjects" in pending:
        subjects.apply(store)
    return pending if with_topics else pending - {"topics", "subjects"}
