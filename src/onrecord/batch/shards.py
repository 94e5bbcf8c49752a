"""Cutting the input into shards, and reading one shard's documents (on a worker)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from onrecord import ingest
from onrecord.errors import InputError
from onrecord.model import Document

# A shard of loose files holds about this many bytes of input: about 5 s of one core on campaign
# transcripts. Small enough that a corpus makes many more shards than workers, so that when the
# work runs out no worker waits long for another's last shard (issue 17: 15 shards of 10 files,
# 103 to 313 kB, left one of 2 workers waiting 3% of the run for the other's last one);
# large enough that a shard's fixed costs (a task, its Parquet files) stay small beside its work.
SHARD_BYTES = 100_000
PARQUET_BATCH = 64  # rows read at a time from a Parquet shard: memory stays bounded
PARQUET_META = ("title", "date", "outlet", "author", "url", "id")


@dataclass(frozen=True, slots=True)
class Shard:
    """A unit of work: ``kind`` is files, jsonl or parquet; ``digest`` hashes the input's bytes and
    ``size`` counts them (the measure of a shard's work: extraction costs about the same per character)."""

    id: str
    kind: str
    paths: tuple[str, ...]
    digest: str
    size: int = 0

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "paths": list(self.paths), "digest": self.digest, "size": self.size}


def _digest(paths: Sequence[str]) -> tuple[str, int]:
    """The hash of the paths and their files' bytes, and how many bytes the files hold."""
    total, size = hashlib.sha1(), 0
    for path in paths:
        total.update(os.fsencode(path) + b"\0")  # any file name, also one not in UTF-8
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                total.update(chunk)
                size += len(chunk)
    return total.hexdigest(), size


def _shard(kind: str, paths: Sequence[str]) -> Shard:
    ident = hashlib.sha1(os.fsencode("\0".join([kind, *paths]))).hexdigest()[:16]
    return Shard(ident, kind, tuple(paths), *_digest(paths))


def plan(inputs: Sequence[str], shard_bytes: int = SHARD_BYTES) -> tuple[list[Shard], list[InputError]]:
    """Shards for ``inputs`` (directories, files, globs): each JSONL or Parquet file is a shard of its
    own; other files, in path order, fill shards of about ``shard_bytes`` bytes each (a file is
    never split: a shard closes before the file that would take it past ``shard_bytes``, and a
    bigger file is a shard alone). A file's size on disk stands for its text's length: it costs no
    read, and for plain text it is the length (HTML's markup counts too)."""
    if shard_bytes < 1:
        raise ValueError(f"shard_bytes must be at least 1, not {shard_bytes}")
    shards: list[Shard] = []
    problems: list[InputError] = []
    group: list[str] = []
    filled = 0
    for found in ingest.expand(inputs):
        if isinstance(found, InputError):
            problems.append(found)
        elif found.endswith(".parquet"):
            shards.append(_shard("parquet", [found]))
        elif found.endswith(".jsonl"):
            shards.append(_shard("jsonl", [found]))
        else:
            size = os.path.getsize(found)
            if group and filled + size > shard_bytes:
                shards.append(_shard("files", group))
                group, filled = [], 0
            group.append(found)
            filled += size
    if group:
        shards.append(_shard("files", group))
    return shards, problems


def largest_first(shards: Sequence[Shard]) -> list[Shard]:
    """The order to run shards in: the largest first, so that the last to start, which decide how
    long the other workers wait at the end, are the smallest (ties keep the plan's order)."""
    return sorted(shards, key=lambda shard: -shard.size)


def documents_of(shard: Shard) -> Iterator[Document | InputError]:
    """The shard's documents, streamed; a bad file or record comes back as an error, not raised."""
    if shard.kind == "parquet":
        yield from _parquet_documents(shard.paths[0])
        return
    for path in shard.paths:
        try:
            yield from ingest.read(path)
        except InputError as exc:
            yield exc


def _parquet_documents(path: str) -> Iterator[Document | InputError]:
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
        yield InputError(path, f"not a readable Parquet file ({exc})")
        return
    if "text" not in table.schema_arrow.names:
        yield InputError(path, "a Parquet shard needs a text column")
        return
    columns = ["text", *[c for c in PARQUET_META if c in table.schema_arrow.names]]
    row_number = 0
    for batch in table.iter_batches(batch_size=PARQUET_BATCH, columns=columns):
        for row in batch.to_pylist():
            row_number += 1
            where = f"{path}:{row_number}"
            text = row.pop("text")
            if not isinstance(text, str) or not text.strip():
                yield InputError(where, "row has no text")
                continue
            key = row.pop("id", None)
            meta = {k: (str(v) if v is not None else None) for k, v in row.items()}
            try:
                yield ingest.from_text(text, source=where, key=None if key is None else str(key), **meta)
            except InputError as exc:
                yield exc


def manifest_line(shard: Shard, version: str, **result: object) -> str:
    return json.dumps({**shard.to_dict(), "extractor": version, **result}, ensure_ascii=False)
