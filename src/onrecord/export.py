"""Exports of stored statements: JSON Lines, CSV, Parquet. Part of the presentation layer."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path

from onrecord.model import StoredStatement

FORMATS = ("jsonl", "csv", "parquet")


def _flat(record: StoredStatement) -> dict[str, object]:
    row = record.to_dict()
    for key in ("speaker_span", "cue_span", "content_span", "quotes"):
        row[key] = json.dumps(row[key]) if row[key] is not None else None
    return row


def export(records: Iterable[StoredStatement], out: Path, fmt: str) -> int:
    """Write ``records`` to ``out`` in ``fmt``; returns how many were written."""
    n = 0
    if fmt == "jsonl":
        with out.open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
                n += 1
    elif fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as fh:
            writer: csv.DictWriter[str] | None = None
            for record in records:
                n += 1
                row = _flat(record)
                if writer is None:
                    writer = csv.DictWriter(fh, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [_flat(r) for r in records]
        n = len(rows)
        table = pa.Table.from_pylist(rows) if rows else pa.table({"id": pa.array([], pa.int64())})
        pq.write_table(table, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return n
