"""Exports of stored statements: JSON Lines, CSV, Parquet. Part of the presentation layer.

An export never damages what it reads: it refuses to write over the database (or its WAL and
journal files, also through links), refuses an existing file unless told to overwrite, and
writes a temporary file beside the target that is renamed over it only when complete.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from onrecord.errors import OutputError
from onrecord.model import StoredStatement

FORMATS = ("jsonl", "csv", "parquet")
_DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def _flat(record: StoredStatement) -> dict[str, object]:
    row = record.to_dict()
    for key in ("speaker_span", "cue_span", "content_span", "quotes"):
        row[key] = json.dumps(row[key]) if row[key] is not None else None
    return row


def check_target(out: Path, *, force: bool = False, protect: Path | None = None) -> None:
    """Raise :class:`OutputError` unless ``out`` may be written: not the database ``protect`` nor one
    of its companion files, not a directory, and not an existing file unless ``force``."""
    if protect is not None:
        for suffix in _DATABASE_COMPANIONS:
            database = Path(f"{protect}{suffix}")
            same = out.resolve() == database.resolve()
            if not same and out.exists() and database.exists():
                same = os.path.samefile(out, database)  # a hard link has another name but is the same file
            if same:
                raise OutputError(f"{out}: is the database ({database}); export to another file")
    if out.is_dir():
        raise OutputError(f"{out}: is a directory; give a file name to write")
    if out.exists() and not force:
        raise OutputError(f"{out}: already exists; pass --force to overwrite it")
    if not out.parent.is_dir():
        raise OutputError(f"{out}: the directory {out.parent} does not exist")


def export(
    records: Iterable[StoredStatement], out: Path, fmt: str, *, force: bool = False, protect: Path | None = None
) -> int:
    """Write ``records`` to ``out`` in ``fmt``; returns how many were written.

    Refuses (with :class:`OutputError`) a target that is the database ``protect`` or exists without
    ``force``; nothing is written at ``out`` until the whole export succeeded.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    check_target(out, force=force, protect=protect)
    fd, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    os.close(fd)
    try:
        os.chmod(partial, _mode_for(out))  # mkstemp makes it private; the export gets a file's usual mode
        n = _write(records, Path(partial), fmt)
        os.replace(partial, out)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return n


def _mode_for(out: Path) -> int:
    """The mode ``out`` keeps when overwritten, else what the umask gives a new file."""
    if out.exists():
        return out.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write(records: Iterable[StoredStatement], out: Path, fmt: str) -> int:
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
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        rows = [_flat(r) for r in records]
        n = len(rows)
        table = pa.Table.from_pylist(rows) if rows else pa.table({"id": pa.array([], pa.int64())})
        pq.write_table(table, out)
    return n
