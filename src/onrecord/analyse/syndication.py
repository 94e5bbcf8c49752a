"""Syndication: the same wire story on ten sites is one story. Sits in analyse, over the store.

Each stored document gets a MinHash signature of its word shingles (``datasketch``) and the
signature's LSH bands, kept in the store; a new document whose bands meet a stored one's is
compared by estimated Jaccard similarity, and above :data:`THRESHOLD` it is stored as a copy of
that document's story. Statements of copies are then left out of timelines, shifts, briefs and
searches (``Query.copies``), so a statement counts once; the document page lists where the story
appeared. A different headline, a byline or a few edited words do not change the verdict: the
shingles of the body dominate.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from onrecord.store import Store

VERSION = "onrecord.syndication.v1"
NUM_PERM = 128
BANDS, ROWS = 32, 4  # 32 x 4 = 128; candidates from about Jaccard 0.4 up, verdict by THRESHOLD
SHINGLE = 5  # words
THRESHOLD = 0.7  # estimated Jaccard similarity of the shingle sets for a copy
MIN_SHINGLES = 20  # a text shorter than this (about 25 words) is never called a copy
_WORD = re.compile(r"\w+", re.UNICODE)
_SEED = 16


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The overlapping ``size``-word sequences of ``text``, lower-cased."""
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + size]).encode() for i in range(max(0, len(words) - size + 1))}


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature (``NUM_PERM`` unsigned 64-bit values) of ``text``'s shingles, or None
    for a text too short to judge."""
    found = shingles(text)
    if len(found) < MIN_SHINGLES:
        return None
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED)
    minhash.update_batch(sorted(found))
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def bands(values: np.ndarray) -> list[str]:
    """The LSH band keys of a signature: two documents that share one are compared."""
    return [f"{b}:{hashlib.sha1(values[b * ROWS : (b + 1) * ROWS].tobytes()).hexdigest()[:24]}" for b in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


def mark_copies(store: Store, batch: int = 200) -> list[tuple[int, int]]:
    """Sign every document that has no signature yet, oldest first, and store each one that
    repeats an earlier story as its copy. Returns the (copy, story) pairs found. Idempotent: a
    second run finds nothing to sign."""
    found: list[tuple[int, int]] = []
    while unsigned := store.unsigned_documents(batch):
        for doc_id, text in unsigned:
            values = signature(text)
            if values is None:
                store.save_signature(doc_id, b"", [])
                continue
            keys = bands(values)
            best: tuple[int, float] | None = None
            for other, raw in store.band_candidates(keys):
                if other == doc_id or not raw:
                    continue
                score = similarity(values, np.frombuffer(raw, dtype="<u8"))
                if score >= THRESHOLD and (best is None or score > best[1]):
                    best = (other, score)
            store.save_signature(doc_id, values.astype("<u8").tobytes(), keys, best)
            if best is not None:
                found.append((doc_id, store.story_of(doc_id)))
    return found
