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

FILES_PER_SHARD = 25
PARQUET_BATCH = 64  # rows read at a time from a Parquet shard: memory stays bounded
PARQUET_META = ("title", "date", "outlet", "author", "url", "id")


@dataclass(frozen=True, slots=True)
class Shard:
    """A unit of work: ``kind`` is files, jsonl or parquet; ``digest`` hashes the input's bytes."""

    id: str
    kind: str
    paths: tuple[str, ...]
    digest: str

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "paths": list(self.paths), "digest": self.digest}


def _digest(paths: Sequence[str]) -> str:
    total = hashlib.sha1()
    for path in paths:
        total.update(os.fsencode(path) + b"\0")  # any file name, also one not in UTF-8
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                total.update(chunk)
    return total.hexdigest()


def _shard(kind: str, paths: Sequence[str]) -> Shard:
    ident = hashlib.sha1(os.fsencode("\0".join([kind, *paths]))).hexdigest()[:16]
    return Shard(ident, kind, tuple(paths), _digest(paths))


def plan(inputs: Sequence[str], files_per_shard: int = FILES_PER_SHARD) -> tuple[list[Shard], list[InputError]]:
    """Shards for ``inputs`` (directories, files, globs): each JSONL or Parquet file is a shard of its
    own; other files go in groups of ``files_per_shard`` in path order."""
    shards: list[Shard] = []
    problems: list[InputError] = []
    loose: list[str] = []
    for found in ingest.expand(inputs):
        if isinstance(found, InputError):
            problems.append(found)
        elif found.endswith(".parquet"):
            shards.append(_shard("parquet", [found]))
        elif found.endswith(".jsonl"):
            shards.append(_shard("jsonl", [found]))
        else:
            loose.append(found)
    for start in range(0, len(loose), files_per_shard):
        shards.append(_shard("files", loose[start : start + files_per_shard]))
    return shards, problems


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
