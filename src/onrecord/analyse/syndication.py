"""Syndication: the same wire story on ten sites is one story. Sits in analyse, over the store.

Each stored document gets a MinHash signature of its word shingles and the signature's LSH bands,
kept in the store; a new document whose bands meet a stored one's is compared by estimated Jaccard
similarity, and above :data:`THRESHOLD` it is stored as a copy of that document's story. Statements
of copies are then left out of timelines, shifts, briefs and searches (``Query.copies``), so a
statement counts once; the document page lists where the story appeared. A different headline, a
byline or a few edited words do not change the verdict: the shingles of the body dominate.

A signature depends on the text alone, so ``onrecord ingest`` computes it where it parses (in the
worker processes with ``--workers``) and stores it with the document; :func:`mark_copies` then
only compares. Documents stored without one are signed from their text there.
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

# The signature is datasketch 2.0's MinHash (scheme "affine32", seed 16) computed with numpy over all
# shingles at once, value for value, so signatures stored by earlier versions stay comparable and do
# not change with the datasketch release installed. Each shingle's hash is the first 4 bytes of its
# SHA-1 (little-endian), mixed by the MurmurHash3 finalizer; permutation k maps h to a_k * h + b_k
# modulo 2**32 (a_k odd) and the signature keeps each permutation's minimum.
_PERMUTATIONS = np.random.RandomState(_SEED)
_A = _PERMUTATIONS.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_B = _PERMUTATIONS.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
del _PERMUTATIONS
_CHUNK = 4096  # shingles per step: a (4096 x 128) block of 32-bit values, 2 MB, whatever the text's size


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The overlapping ``size``-word sequences of ``text``, lower-cased."""
    words = _WORD.findall(text.lower())
    # zip stops at the shortest tail: one run per position with `size` words from it
    return {" ".join(run).encode() for run in zip(*(words[i:] for i in range(size)), strict=False)}


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection), element-wise; multiplication wraps modulo 2**32."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature (``NUM_PERM`` unsigned 64-bit values) of ``text``'s shingles, or None
    for a text too short to judge."""
    found = shingles(text)
    if len(found) < MIN_SHINGLES:
        return None
    sha1 = hashlib.sha1
    hashed = np.frombuffer(b"".join([sha1(shingle).digest()[:4] for shingle in found]), dtype="<u4")
    mixed = _fmix32(hashed.astype(np.uint32))
    lowest = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    for start in range(0, len(mixed), _CHUNK):
        permuted = mixed[start : start + _CHUNK, None] * _A + _B
        np.minimum(lowest, permuted.min(axis=0), out=lowest)
    return lowest.astype(np.uint64)


def signature_bytes(text: str) -> bytes:
    """``text``'s signature as the store keeps it: little-endian 64-bit values, or empty for a text
    too short to judge. What ``Store.add`` takes as ``signature``."""
    values = signature(text)
    return b"" if values is None else values.astype("<u8").tobytes()


def bands(values: np.ndarray) -> list[str]:
    """The LSH band keys of a signature: two documents that share one are compared."""
    return [f"{b}:{hashlib.sha1(values[b * ROWS : (b + 1) * ROWS].tobytes()).hexdigest()[:24]}" for b in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(a == b))


def mark_copies(store: Store, batch: int = 200) -> list[tuple[int, int]]:
    """Compare every document not compared yet with the ones before it, oldest first, and store
    each one that repeats an earlier story as its copy. A document uses the signature stored with
    it (computed where it was parsed), else is signed here from its text. Returns the (copy, story)
    pairs found. Idempotent: a second run finds nothing to compare."""
    found: list[tuple[int, int]] = []
    while unsigned := store.unsigned_documents(batch):
        with store.signing() as conn:  # one transaction a batch: each document sees the ones before it
            for doc_id, text, stored in unsigned:
                raw = stored if stored is not None else signature_bytes(text or "")
                if not raw:
                    store.save_signature(doc_id, b"", [], conn=conn)
                    continue
                values = np.frombuffer(raw, dtype="<u8").astype(np.uint64)
                keys = bands(values)
                best: tuple[int, float] | None = None
                for other, other_raw in store.band_candidates(keys, conn):
                    if other == doc_id or not other_raw:
                        continue
                    score = similarity(values, np.frombuffer(other_raw, dtype="<u8"))
                    if score >= THRESHOLD and (best is None or score > best[1]):
                        best = (other, score)
                store.save_signature(doc_id, raw, keys, best, conn=conn)
                if best is not None:
                    found.append((doc_id, store.story_of(doc_id, conn)))
    return found
