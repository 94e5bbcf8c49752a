"""The ``onrecord`` command: a thin shell over the library. Each command makes one library
call and turns library errors into a one-line message and a non-zero exit."""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from onrecord import export as exporting
from onrecord.analyse import brief as briefs
from onrecord.analyse import identities, refresh, subjects, topics
from onrecord.analyse import shifts as position_shifts
from onrecord.analyse import timeline as timelines
from onrecord.batch.shards import SHARD_BYTES
from onrecord.config import SETTINGS, setting
from onrecord.errors import InputError, OnrecordError, StoreError, printable
from onrecord.ingest import expand, limit_bytes
from onrecord.model import ACTS, KINDS, Document, Role, Statement, StoredStatement, parse_acts, visible
from onrecord.pipeline import (
    EXTRACTOR_VERSIONS,
    budget_seconds,
    extractor_version,
    parse_mode,
    process,
    read_paths,
    worker_count,
)
from onrecord.store import Query, Store, open_store, sqlite_file

app = typer.Typer(
    help="onrecord: keep the record of what public figures say.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)
T = TypeVar("T")

DbOption = Annotated[str, typer.Option("--db", envvar="ONRECORD_DB", help=SETTINGS["db"].help)]
DEFAULT_DB = SETTINGS["db"].default


def _checked(flag: str, parse: Callable[[Any], object]) -> Callable[[T], T]:
    """A Typer callback that checks a flag's value (also from its environment variable) once, with the
    library's own ``parse``, before any work: a value it refuses is a one-line error and exit 2."""

    def check(value: T) -> T:
        try:
            parse(value)
        except ValueError as exc:
            shown = f"{value:g}" if isinstance(value, float) else repr(value)
            raise fail(f"{flag} {shown}: {exc}", 2) from None
        return value

    return check


def _setting(name: str, parse: Callable[[Any], object]) -> Any:
    """The option for setting ``name``: its flag, environment variable and help from the settings
    table, its value checked with the library's own ``parse`` before any work (see :func:`_checked`)."""
    flag = "--" + name.replace("_", "-")
    return typer.Option(flag, envvar=SETTINGS[name].env, help=SETTINGS[name].help, callback=_checked(flag, parse))


MaxMb = Annotated[float, _setting("max_mb", limit_bytes)]
DocTimeout = Annotated[float, _setting("doc_timeout", budget_seconds)]
Workers = Annotated[int, _setting("workers", worker_count)]
Parse = Annotated[str, _setting("parse", parse_mode)]


def _use_parse(value: str) -> None:
    """Make ``--parse`` the setting of this process and of the worker processes it starts."""
    os.environ[SETTINGS["parse"].env] = value.strip().lower()


ActsOption = Annotated[
    str,
    typer.Option(
        "--acts",
        help=f"What the cues report, to show: {', '.join(ACTS)} (comma-separated) or all. The writer's "
        "own voice always shows.",
        callback=_checked("--acts", parse_acts),
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"error: {message}", markup=False)
    return typer.Exit(code)


def _date(value: str | None, flag: str) -> str | None:
    """A date flag as YYYY-MM-DD, or a clean error naming the flag."""
    if value is None:
        return None
    from onrecord.ingest.readers import normalise_date

    parsed = normalise_date(value)
    if parsed is None:
        raise fail(f"{flag} {value!r} is not a date; use YYYY-MM-DD", 2)
    return parsed


def _store(db: str) -> Store:
    try:
        return open_store(db)
    except OnrecordError as exc:
        raise fail(str(exc)) from None


class _Inputs:
    """Documents from paths, counting failures and showing progress over files."""

    def __init__(
        self, paths: list[str], date: str | None, outlet: str | None, max_mb: float, lang: str | None = None
    ) -> None:
        self.files = list(expand(paths))
        self.failures: list[InputError] = [f for f in self.files if isinstance(f, InputError)]
        self.date, self.outlet, self.max_bytes = date, outlet, limit_bytes(max_mb)
        self.lang = _lang(lang)

    def documents(self, progress: Progress | None = None) -> Iterator[Document]:
        from onrecord.ingest import NOTES

        task = progress.add_task("reading", total=len(self.files)) if progress else None
        for path in self.files:
            if isinstance(path, str):
                for result in read_paths(
                    [path], date=self.date, outlet=self.outlet, max_bytes=self.max_bytes, lang=self.lang
                ):
                    if isinstance(result, InputError):
                        self.failures.append(result)
                        continue
                    # what reading assumed (an encoding it detected) is said, never silent
                    for note in result.meta.get(NOTES) or ():
                        err.print(f"note: {printable(result.source)}: {printable(str(note))}", markup=False)
                    yield result
            if progress is not None and task is not None:
                progress.advance(task)


LangOption = Annotated[
    str | None,
    typer.Option("--lang", help="Language of the documents: en | ru (default: told from each one's script)."),
]


def _lang(value: str | None) -> str | None:
    """A ``--lang`` value as a language code, or exit 2 with one line."""
    from onrecord.ingest import language_code

    try:
        return language_code(value)
    except ValueError as exc:
        raise fail(f"--lang: {exc}", 2) from None


def _progress(enabled: bool) -> Progress | None:
    if not enabled:
        return None
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files, directories or globs to read.")],
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl | json | table")] = "jsonl",
    show_text: Annotated[
        bool, typer.Option("--show-text", help="Print each document's text (what offsets index) instead.")
    ] = False,
    date: Annotated[str | None, typer.Option(help="Date of the documents (overrides the files).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet of the documents (overrides the files).")] = None,
    max_mb: MaxMb = float(SETTINGS["max_mb"].default),
    doc_timeout: DocTimeout = float(SETTINGS["doc_timeout"].default),
    workers: Workers = int(SETTINGS["workers"].default),
    parse: Parse = SETTINGS["parse"].default,
    acts: ActsOption = "say",
    lang: LangOption = None,
) -> None:
    """Print the statements found in PATHS, without a database."""
    if format not in {"jsonl", "json", "table"}:
        raise fail(f"unknown --format {format!r}; choose jsonl, json or table", 2)
    shown = parse_acts(acts)
    _use_parse(parse)
    inputs = _Inputs(paths, _date(date, "--date"), outlet, max_mb, lang)
    collected: list[dict[str, object]] = []
    try:
        for item in process(inputs.documents(), budget=budget_seconds(doc_timeout), workers=worker_count(workers)):
            source = item.document.source
            if item.error:
                inputs.failures.append(InputError(source, item.error))
                continue
            if show_text:
                sys.stdout.write(item.document.text)
                continue
            kept = [s for s in item.statements if visible(s, shown)]
            rows = [{"source": source, **s.to_dict()} for s in kept]
            if format == "jsonl":
                for row in rows:
                    _write_json(row)
            elif format == "json":
                collected += rows
            else:
                _statement_table(printable(source), [(item.document, s) for s in kept])
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    if format == "json" and not show_text:
        sys.stdout.write(json.dumps(collected, ensure_ascii=False, indent=2) + "\n")
    _report_failures(inputs.failures)
    if inputs.failures:
        raise typer.Exit(1)


def _report_failures(failures: list[InputError]) -> None:
    for failure in failures:
        err.print(f"failed: {failure}", markup=False)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or globs.")],
    db: DbOption = DEFAULT_DB,
    date: Annotated[str | None, typer.Option(help="Date of the documents (overrides the files).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet of the documents (overrides the files).")] = None,
    max_mb: MaxMb = float(SETTINGS["max_mb"].default),
    with_topics: Annotated[
        bool, typer.Option("--topics/--no-topics", help="Score new statements against the topic taxonomy.")
    ] = True,
    doc_timeout: DocTimeout = float(SETTINGS["doc_timeout"].default),
    workers: Workers = int(SETTINGS["workers"].default),
    parse: Parse = SETTINGS["parse"].default,
    lang: LangOption = None,
) -> None:
    """Read, extract and store documents (already stored ones are skipped); then link speakers across
    documents and give the new statements their topics."""
    _use_parse(parse)
    inputs = _Inputs(paths, _date(date, "--date"), outlet, max_mb, lang)
    store = _store(db)
    left_over = store.pending()
    added = skipped = found = 0

    def fresh(docs: Iterator[Document]) -> Iterator[Document]:
        nonlocal skipped
        for doc in docs:
            if store.contains(doc.content_hash):
                skipped += 1
            else:
                yield doc

    progress = _progress(len(inputs.files) > 5 and err.is_terminal)
    try:
        with progress or nullcontext():
            documents = fresh(inputs.documents(progress))
            # each document signed for syndication where it is parsed (a worker), stored with it
            extracted = process(documents, budget=budget_seconds(doc_timeout), workers=worker_count(workers), sign=True)
            for item in extracted:
                if item.error:
                    inputs.failures.append(InputError(item.document.source, item.error))
                    continue
                try:
                    version = extractor_version(item.document.lang)
                    doc_id = store.add(item.document, item.statements, version, signature=item.signature)
                except OnrecordError as exc:
                    inputs.failures.append(InputError(item.document.source, str(exc)))
                    continue
                if doc_id is None:
                    skipped += 1
                else:
                    added += 1
                    found += len(item.statements)
        _refresh(store, left_over, with_topics)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    _report_failures(inputs.failures)
    err.print(
        f"added {added} documents ({found} statements), skipped {skipped} already present, "
        f"failed {len(inputs.failures)}",
        markup=False,
    )
    if inputs.failures:
        raise typer.Exit(1)


@app.command()
def reextract(
    db: DbOption = DEFAULT_DB,
    every: Annotated[bool, typer.Option("--all", help="Extract every document again, not only stale ones.")] = False,
    with_topics: Annotated[
        bool, typer.Option("--topics/--no-topics", help="Score the new statements against the topic taxonomy.")
    ] = True,
    doc_timeout: DocTimeout = float(SETTINGS["doc_timeout"].default),
    workers: Workers = int(SETTINGS["workers"].default),
    parse: Parse = SETTINGS["parse"].default,
) -> None:
    """Extract stored documents again with this version's extractor: those another version stored
    (every one with --all). Each document's statements are replaced in one transaction; then speakers
    are linked across documents and the new statements get their topics."""
    _use_parse(parse)
    store = _store(db)
    left_over = store.pending()
    ids = [d.id for d in store.documents()] if every else store.stale_documents(EXTRACTOR_VERSIONS)
    done = found = 0
    failures: list[InputError] = []
    progress = _progress(len(ids) > 5 and err.is_terminal)
    try:
        with progress or nullcontext():
            task = progress.add_task("extracting", total=len(ids)) if progress else None
            stored = (store.document(doc_id)[0] for doc_id in ids)
            extracted = process(stored, budget=budget_seconds(doc_timeout), workers=worker_count(workers))
            for doc_id, item in zip(ids, extracted, strict=True):
                if progress is not None and task is not None:
                    progress.advance(task)
                try:
                    if item.error:
                        raise StoreError(item.error)
                    store.replace_statements(doc_id, item.statements, extractor_version(item.document.lang))
                except OnrecordError as exc:
                    failures.append(InputError(f"document {doc_id} ({item.document.source})", str(exc)))
                    continue
                done += 1
                found += len(item.statements)
        _refresh(store, left_over, with_topics)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    _report_failures(failures)
    err.print(
        f"extracted {done} documents again ({found} statements) with {', '.join(EXTRACTOR_VERSIONS.values())}, "
        f"failed {len(failures)}",
        markup=False,
    )
    if failures:
        raise typer.Exit(1)


_TASKS = {
    "link": "linking speakers across documents",
    "topics": "scoring topics",
    "subjects": "placing statements in subjects",
}


def _refresh(store: Store, left_over: frozenset[str], with_topics: bool = True) -> None:
    """Finish the work the stored statements need (``analyse.refresh``); say so when some of it was
    ``left_over`` by an earlier run that was killed before it finished."""
    _say_finished(refresh(store, with_topics) & left_over)


def _say_finished(tasks: frozenset[str]) -> None:
    if finished := sorted(tasks):
        err.print(
            "finished what an interrupted run left undone: " + ", ".join(_TASKS.get(t, t) for t in finished),
            markup=False,
        )


def _shorten(text: str, width: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _kind(s: Statement) -> str:
    """The kind, with the act beside it when the cue reports no speech: ``indirect (think)``."""
    return s.kind if s.act == "say" else f"{s.kind} ({s.act})"


def _statement_table(
    title: str, rows: list[tuple[object, Statement]], with_meta: bool = False, with_speaker: bool = True
) -> None:
    table = Table(title=title, title_justify="left", expand=True)
    if with_meta:
        table.add_column("date", no_wrap=True)
        table.add_column("outlet", max_width=16)
    else:
        table.add_column("#", justify="right", no_wrap=True)
    if with_speaker:
        table.add_column("speaker", max_width=22)
    table.add_column("kind", no_wrap=True)
    table.add_column("cue", max_width=14)
    table.add_column("content", ratio=1, min_width=30)
    for meta, s in rows:
        if with_meta and isinstance(meta, StoredStatement):
            cells = [meta.document.date or "", meta.document.outlet or ""]
        else:
            cells = [str(s.index)]
        if with_speaker:
            cells.append(s.speaker or (f"({s.speaker_mention})" if s.speaker_mention else "—"))
        cells += [_kind(s), s.cue or "", _shorten(s.content)]
        table.add_row(*(Text(c) for c in cells))
    out.print(table)


@app.command()
def statements(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(help="Speaker name or mention contains this.")] = None,
    since: Annotated[str | None, typer.Option(help="Documents dated on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Documents dated on or before (YYYY-MM-DD).")] = None,
    search: Annotated[str | None, typer.Option(help="Full-text search in content (all words must match).")] = None,
    kind: Annotated[str | None, typer.Option(help=f"One of: {', '.join(KINDS)}.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet contains this.")] = None,
    by_speaker: Annotated[bool, typer.Option("--by-speaker", help="One table per speaker (across documents).")] = False,
    format: Annotated[str, typer.Option("--format", "-f", help="table | jsonl")] = "table",
    limit: Annotated[int | None, typer.Option(help="At most this many statements.")] = None,
    acts: ActsOption = "say",
    lang: Annotated[str | None, typer.Option("--lang", help="Only documents in this language: en | ru.")] = None,
) -> None:
    """List stored statements, filtered."""
    if kind and kind not in KINDS:
        raise fail(f"unknown --kind {kind!r}; choose one of {', '.join(KINDS)}", 2)
    query = Query(
        speaker=speaker,
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        search=search,
        kind=kind,
        outlet=outlet,
        lang=_lang(lang),
        acts=parse_acts(acts),
        limit=limit,
    )
    store = _store(db)
    try:
        records = store.statements(query)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    if format == "jsonl":
        for r in records:
            _write_json(r.to_dict())
        return
    if not records:
        err.print("no statements match", markup=False)
        return
    if by_speaker:
        groups: dict[str, list[StoredStatement]] = defaultdict(list)
        for r in records:
            groups[r.identity or r.statement.speaker or "(unresolved)"].append(r)
        for name, group in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            _statement_table(
                f"{name} — {len(group)} statements",
                [(r, r.statement) for r in group],
                with_meta=True,
                with_speaker=False,
            )
    else:
        _statement_table(f"{len(records)} statements", [(r, r.statement) for r in records], with_meta=True)


@app.command()
def documents(db: DbOption = DEFAULT_DB) -> None:
    """List stored documents."""
    store = _store(db)
    table = Table(title_justify="left")
    for column in ("id", "date", "outlet", "format", "lang", "statements", "title / source"):
        table.add_column(column, no_wrap=column != "title / source")  # the title wraps, not the outlet
    for d in store.documents():
        cells = (
            d.id,
            d.date or "",
            d.outlet or "",
            d.format,
            d.lang or "",
            d.statements,
            _shorten(d.title or d.source, 70),
        )
        table.add_row(*(Text(str(c)) for c in cells))
    out.print(table)


speakers_app = typer.Typer(
    help="Speakers across documents: list, merge, alias, unmerge, import a registry.",
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(speakers_app, name="speakers")


@speakers_app.callback()
def speakers(
    ctx: typer.Context,
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int | None, typer.Option(help="At most this many speakers.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table | jsonl")] = "table",
) -> None:
    """List speakers (one per identity across documents) with statement and document counts, the
    names and mentions documents use, their offices, and the mentions left unresolved."""
    if ctx.invoked_subcommand is not None:
        return
    store = _store(db)
    found = identities.speakers(store, limit)
    ambiguous = store.ambiguous_names()[:limit]
    unresolved = store.unresolved_mentions(limit)
    if format == "jsonl":
        for info in found:
            _write_json(info.to_dict())
        for name, n, candidates in ambiguous:
            _write_json({"name": None, "mention": name, "statements": n, "candidates": list(candidates)})
        for mention, n in unresolved:
            _write_json({"name": None, "mention": mention, "statements": n, "candidates": []})
        return
    table = Table(title="speakers", title_justify="left")
    for column in ("speaker", "statements", "documents", "also named", "offices", "mentions"):
        table.add_column(column, justify="right" if column in {"statements", "documents"} else "left")
    for info in found:
        mentions = ", ".join(f"{m} ({n})" for m, n in info.mentions[:6])
        offices = "; ".join(_office(r) for r in info.roles)
        table.add_row(
            Text(info.name),
            str(info.statements),
            str(info.documents),
            Text(_shorten(", ".join(info.variants), 60)),
            Text(offices),
            Text(_shorten(mentions, 60)),
        )
    out.print(table)
    for name, n, candidates in ambiguous:
        out.print(Text(f"ambiguous: {name} ({n}) could be " + " or ".join(candidates)))
    if unresolved:
        out.print(Text("unresolved: " + ", ".join(f"{m} ({n})" for m, n in unresolved[:20])))


def _office(role: Role) -> str:
    held = f"{role.start or '…'} – {role.end or 'now'}"
    return f"{role.office}{' of ' + role.of if role.of else ''} ({held})"


def _write_json(record: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def _edit_speakers(db: str, change: Callable[[Store], T]) -> T:
    """Run one change to the speakers (it relinks), then finish any work left pending."""
    store = _store(db)
    left_over = store.pending()
    try:
        result = change(store)
        _refresh(store, left_over)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    return result


@speakers_app.command("merge")
def speakers_merge(
    into: Annotated[str, typer.Argument(help="The speaker to keep.")],
    other: Annotated[str, typer.Argument(help="The speaker (or document-level name) to file under it.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """File OTHER's statements under INTO. Nothing is lost: `speakers unmerge OTHER` undoes it."""
    _edit_speakers(db, lambda store: identities.merge(store, into, other))
    err.print(f"merged {other!r} into {into!r}; undo with: onrecord speakers unmerge {other!r}", markup=False)


@speakers_app.command("alias")
def speakers_alias(
    name: Annotated[str, typer.Argument(help="The speaker.")],
    alias: Annotated[str, typer.Argument(help="Another spelling or name that means them.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Let ALIAS mean NAME, in the documents stored now and those ingested later."""
    _edit_speakers(db, lambda store: identities.alias(store, name, alias))
    err.print(f"{alias!r} now means {name!r}; undo with: onrecord speakers unmerge {alias!r}", markup=False)


@speakers_app.command("unmerge")
def speakers_unmerge(
    name: Annotated[str, typer.Argument(help="A name earlier merged or aliased.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Undo a merge or an alias."""
    _edit_speakers(db, lambda store: identities.unmerge(store, name))
    err.print(f"{name!r} stands on its own again", markup=False)


@speakers_app.command("import")
def speakers_import(
    path: Annotated[Path, typer.Argument(help="A registry: YAML (people, organisations, states, offices) or CSV.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Import a registry of people, aliases and offices held with dates, then relink every statement.
    Importing the same file again replaces it; `speakers registries` lists and removes them."""
    registry = _edit_speakers(db, lambda store: identities.import_registry(store, path))
    roles = sum(len(i.roles) for i in registry.identities)
    err.print(f"imported {len(registry.identities)} identities with {roles} offices from {path}", markup=False)


@speakers_app.command("registries")
def speakers_registries(
    db: DbOption = DEFAULT_DB,
    remove: Annotated[
        str | None, typer.Option("--remove", help="Forget the registry imported from this file, then relink.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table | jsonl")] = "table",
) -> None:
    """List the imported registries (file, format, when, identities and offices), or remove one."""
    if remove is not None:
        _edit_speakers(db, lambda store: identities.remove_registry(store, remove))
        err.print(f"removed the registry {remove!r}; speakers relinked", markup=False)
        return
    found = identities.registries(_store(db))
    if format == "jsonl":
        for info in found:
            _write_json(asdict(info))
        return
    if not found:
        err.print("no registries imported; add one with: onrecord speakers import FILE", markup=False)
        return
    table = Table(title="registries", title_justify="left")
    for column in ("source", "format", "imported", "identities", "offices", "problem"):
        table.add_column(column)
    for info in found:
        cells = (info.source, info.format, info.imported_at, str(info.identities), str(info.offices), info.error or "")
        table.add_row(*(Text(c) for c in cells))
    out.print(table)


@app.command()
def show(
    doc: Annotated[str, typer.Argument(help="Document id, source path, own id, or content-hash prefix.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Print a document's text with every statement marked: [n ...] around its content."""
    store = _store(db)
    try:
        document, info, found = store.document(doc)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    out.print(
        Text(f"{info.title or info.source}  ({info.date or 'no date'}, {info.outlet or 'no outlet'})", style="bold")
    )
    out.print(mark_up(document.text, found))
    for s in found:
        nested = f" (inside [{s.nested_in}])" if s.nested_in is not None else ""
        out.print(
            Text(
                f"[{s.index}] {s.speaker or s.speaker_mention or '?'} — {_kind(s)}"
                f"{' — ' + s.cue if s.cue else ''}{nested}"
            )
        )


PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")


def mark_up(text: str, found: list[Statement]) -> Text:
    """The text with ``[n`` and ``]`` around each statement's content, coloured per speaker."""
    colours: dict[str | None, str] = {}
    inserts: list[tuple[int, int, str]] = []
    for s in found:
        if s.kind == "turn":
            continue
        inserts.append((s.content_span.start, 1, f"[{s.index} "))
        inserts.append((s.content_span.end, 0, "]"))
    inserts.sort(key=lambda t: (t[0], t[1]))
    result = Text()
    pos = 0
    for at, _, marker in inserts:
        result.append(text[pos:at])
        result.append(marker, style="bold reverse")
        pos = at
    result.append(text[pos:])
    # colour contents by speaker, shifting spans by the markers inserted before them
    shift_points = sorted((at, len(marker)) for at, _, marker in inserts)
    for s in found:
        if s.kind == "turn":
            continue
        colour = colours.setdefault(s.speaker, PALETTE[len(colours) % len(PALETTE)])
        before = sum(n for at, n in shift_points if at <= s.content_span.start)
        inside = sum(n for at, n in shift_points if s.content_span.start < at < s.content_span.end)
        result.stylize(colour, s.content_span.start + before, s.content_span.end + before + inside)
    return result


@app.command(name="export")
def export_(
    out_path: Annotated[Path, typer.Argument(metavar="OUT", help="File to write.")],
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl | csv | parquet")] = "jsonl",
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(help="Only this speaker.")] = None,
    since: Annotated[str | None, typer.Option(help="Documents dated on or after.")] = None,
    until: Annotated[str | None, typer.Option(help="Documents dated on or before.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUT if it exists.")] = False,
    acts: ActsOption = "say",
) -> None:
    """Write stored statements to a JSON Lines, CSV or Parquet file (never over the database; an
    existing file only with --force; written in full to a temporary file, then renamed)."""
    if format not in exporting.FORMATS:
        raise fail(f"unknown --format {format!r}; choose one of {', '.join(exporting.FORMATS)}", 2)
    query = Query(speaker=speaker, since=_date(since, "--since"), until=_date(until, "--until"), acts=parse_acts(acts))
    try:
        # checked before the database is opened, so nothing can touch it
        exporting.check_target(out_path, force=force, protect=sqlite_file(db))
        store = _store(db)
        n = exporting.export(store.iter_statements(query), out_path, format, force=force, protect=sqlite_file(db))
    except (OnrecordError, OSError) as exc:
        raise fail(str(exc)) from None
    err.print(f"wrote {n} statements to {out_path}", markup=False)


topics_app = typer.Typer(help="Topics from a taxonomy file: apply, list.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(topics_app, name="topics")
TaxonomyOption = Annotated[
    Path | None, typer.Option("--taxonomy", help="A topic taxonomy (YAML); default: the built-in one.")
]


def _taxonomy(path: Path | None) -> topics.Taxonomy:
    try:
        return topics.load_taxonomy(path)
    except OnrecordError as exc:
        raise fail(str(exc)) from None


@topics_app.command("apply")
def topics_apply(db: DbOption = DEFAULT_DB, taxonomy: TaxonomyOption = None) -> None:
    """Give topics to every statement not yet scored with this taxonomy (all of them after an edit)."""
    store = _store(db)
    left_over = store.pending()
    chosen = _taxonomy(taxonomy)
    progress = _progress(err.is_terminal)
    with progress or nullcontext():
        task = progress.add_task("topics", total=None) if progress else None

        def advance(done: int, total: int) -> None:
            if progress is not None and task is not None:
                progress.update(task, completed=done, total=total)

        try:
            scored = topics.apply(store, chosen, progress=advance)
            _refresh(store, left_over, with_topics=False)
        except OnrecordError as exc:
            raise fail(str(exc)) from None
    err.print(f"scored {scored} statements against {len(chosen.topics)} topics", markup=False)


@topics_app.command("list")
def topics_list(db: DbOption = DEFAULT_DB, taxonomy: TaxonomyOption = None) -> None:
    """Topics of the taxonomy with their statement and speaker counts in the store."""
    counts = {t: (n, speakers_) for t, n, speakers_ in _store(db).topic_counts()}
    table = Table(title="topics", title_justify="left")
    for column in ("topic", "statements", "speakers", "description"):
        table.add_column(column, justify="right" if column in {"statements", "speakers"} else "left")
    for topic in _taxonomy(taxonomy).topics:
        n, speakers_ = counts.get(topic.name, (0, 0))
        table.add_row(Text(topic.name), str(n), str(speakers_), Text(_shorten(topic.description, 70)))
    out.print(table)


@app.command()
def timeline(
    speaker: Annotated[str, typer.Argument(help="A speaker as `onrecord speakers` names them.")],
    db: DbOption = DEFAULT_DB,
    topic: Annotated[str | None, typer.Option(help="Only this topic.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    plot: Annotated[Path | None, typer.Option(help="Also draw statements per topic per month (.svg or .png).")] = None,
    by: Annotated[str, typer.Option(help="Group by topic or by subject.")] = "topic",
    format: Annotated[str, typer.Option("--format", "-f", help="table | jsonl")] = "table",
    acts: ActsOption = "say",
) -> None:
    """A speaker's dated statements grouped by topic (or subject), with outlet and document; optionally a chart."""
    if plot is not None and plot.suffix.lower() not in {".svg", ".png"}:
        raise fail(f"--plot {plot}: the chart is written as .svg or .png", 2)
    if by not in {"topic", "subject"}:
        raise fail(f"--by {by!r}: choose topic or subject", 2)
    store = _store(db)
    line = timelines.timeline(
        store,
        speaker,
        topic=topic,
        since=_date(since, "--since"),
        until=_date(until, "--until"),
        acts=parse_acts(acts),
        by=by,
    )
    if not line.by_topic:
        raise fail(f"no statements by {speaker!r}; `onrecord speakers` lists the names")
    if format == "jsonl":
        for name, records in line.by_topic.items():
            for r in records:
                _write_json({by: name, **r.to_dict()})
    else:
        for name, records in line.by_topic.items():
            _statement_table(
                f"{name} — {len(records)} statements",
                [(r, r.statement) for r in records],
                with_meta=True,
                with_speaker=False,
            )
    if plot is not None:
        err.print(f"chart written to {timelines.plot(line, plot)}", markup=False)


@app.command(name="subjects")
def subjects_(
    speaker: Annotated[str, typer.Argument(help="A speaker as `onrecord speakers` names them.")],
    db: DbOption = DEFAULT_DB,
    since: Annotated[str | None, typer.Option(help="Statements from this date on (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many subjects (0: all).")] = 30,
    format: Annotated[str, typer.Option("--format", "-f", help="table | jsonl")] = "table",
    acts: ActsOption = "say",
) -> None:
    """What a speaker talks about, open-vocabulary: their subjects (named by the most telling phrase)
    with statement counts, first and last dates, and the topics they fall under."""
    found = subjects.speaker_subjects(_store(db), speaker, since=_date(since, "--since"), acts=parse_acts(acts))
    if not found:
        raise fail(f"no subjects for {speaker!r}; `onrecord speakers` lists the names (subjects are placed at ingest)")
    shown = found[:limit] if limit else found
    if format == "jsonl":
        for subject in shown:
            _write_json(subject.to_dict())
        return
    table = Table(title=f"{speaker}: {len(found)} subjects", title_justify="left")
    for column in ("subject", "statements", "first", "last", "topics", "also"):
        table.add_column(column, justify="right" if column == "statements" else "left")
    for subject in shown:
        table.add_row(
            Text(subject.name),
            str(subject.statements),
            subject.first or "",
            subject.last or "",
            Text(", ".join(f"{t} ({n})" for t, n in subject.topics[:3])),
            Text(_shorten(", ".join(subject.phrases[1:4]), 60)),
        )
    out.print(table)


@app.command()
def shifts(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(help="Only this speaker (default: the 20 most active).")] = None,
    topic: Annotated[str | None, typer.Option(help="Only this topic.")] = None,
    subject: Annotated[str | None, typer.Option(help="Only this subject (as `onrecord subjects` names it).")] = None,
    since: Annotated[str | None, typer.Option(help="Shifts from this date on (YYYY-MM-DD).")] = None,
    search: Annotated[
        str | None, typer.Option(help="Compare all statements with these words (e.g. Russia), whatever their topic.")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table | jsonl")] = "table",
    acts: ActsOption = "say",
) -> None:
    """Where a speaker's new statement departs from what they said before: reversals, new claims,
    dropped lines, each with the dated statements that show it."""
    store = _store(db)
    names = [speaker] if speaker else [s.name for s in store.speakers(20) if s.kind == "person"]
    found = [
        (name, shift)
        for name in names
        for shift in position_shifts.speaker_shifts(
            store,
            name,
            topic=topic,
            subject=subject,
            since=_date(since, "--since"),
            search=search,
            acts=parse_acts(acts),
        )
    ]
    if format == "jsonl":
        for name, shift in found:
            _write_json({"speaker": name, **shift.to_dict()})
        return
    if not found:
        err.print("no shifts found", markup=False)
        return
    table = Table(title="shifts", title_justify="left", show_lines=True, expand=True)
    table.add_column("speaker, date, topic or subject", max_width=24)
    table.add_column("kind", no_wrap=True)
    table.add_column("now", ratio=1)
    table.add_column("before", ratio=1)
    for name, shift in found:
        before = "\n".join(f"{s.date}: {_shorten(s.text, 90)} [#{s.id}]" for s in shift.evidence)
        table.add_row(
            Text(f"{name}\n{shift.statement.date}\n{shift.topic or shift.subject or ''}"),
            shift.kind,
            Text(f"{_shorten(shift.statement.text, 140)} [#{shift.statement.id}]\n({shift.why})"),
            Text(before),
        )
    out.print(table)


@app.command()
def brief(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(help="The brief on one speaker.")] = None,
    doc: Annotated[str | None, typer.Option(help="The brief on one document (id, path or key).")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md | html")] = "md",
    acts: ActsOption = "say",
) -> None:
    """The analyst's brief: where and when, what was said per topic, what is new, and writers' own
    claims apart. Every line cites a stored statement (#id)."""
    if format not in {"md", "html"}:
        raise fail(f"--format {format!r}: choose md or html", 2)
    store = _store(db)
    try:
        made = briefs.brief(
            store,
            speaker=speaker,
            document=doc,
            since=_date(since, "--since"),
            until=_date(until, "--until"),
            acts=parse_acts(acts),
        )
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    if not made.appearances:
        raise fail("no statements match; check --speaker against `onrecord speakers`")
    sys.stdout.write(briefs.to_html(made) if format == "html" else briefs.to_markdown(made))


@app.command(name="eval")
def eval_(
    kind: Annotated[
        str,
        typer.Argument(
            help="polnear (a PolNeAR split folder), gum (a GUM folder of .conllu files), gold (onrecord "
            "gold .yaml or .jsonl), topics, shifts, subjects, trace or translations (a labelled .yaml set)."
        ),
    ],
    path: Annotated[Path, typer.Argument(help="The split folder, gold file or labelled set.")],
    corpus: Annotated[
        Path | None, typer.Option(help="For trace: the trump-campaign text folder the cases point into.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score against gold: extraction (precision, recall, F1, speaker and cue agreement; for gum
    also per genre and the resolved speaker's name), topic assignment, shift finding or subjects
    (precision, recall, F1 per class)."""
    from onrecord import evaluate as ev

    by_act: dict[str, dict[str, ev.Score]] = {}  # polnear: the scores of one act, apart
    if kind not in {"polnear", "gum", "gold", "topics", "shifts", "subjects", "trace", "translations"}:
        raise fail(
            f"unknown gold kind {kind!r}; choose polnear, gum, gold, topics, shifts, subjects, trace or translations", 2
        )
    try:
        if kind == "gum":
            groups = ev.evaluate_gum(path)
        elif kind == "trace":
            tallies, _ = ev.evaluate_trace(path, corpus or Path("../shared/data/trump-campaign/text"))
        elif kind == "translations":  # issue 15: English reports traced to a Russian primary text
            tallies, _ = ev.evaluate_translations(path)
        elif kind == "subjects":  # issue 15: one speaker's statements in two languages, grouped
            tallies = ev.evaluate_subjects(path)
        elif kind in {"topics", "shifts"}:
            tallies = ev.evaluate_topics(path) if kind == "topics" else ev.evaluate_shifts(path)
        elif kind == "polnear":  # every act, as PolNeAR annotates them; then ``say`` alone, from the same run
            by_act = ev.evaluate_acts(ev.read_polnear(path))
            scores = by_act.pop("all")
        else:
            scores = ev.evaluate(ev.read_gold(path))
    except (OnrecordError, OSError) as exc:
        raise fail(str(exc)) from None
    if kind in {"topics", "shifts", "subjects", "trace", "translations"}:
        if as_json:
            sys.stdout.write(json.dumps({k: v.as_dict() for k, v in tallies.items()}, indent=2) + "\n")
            return
        table = Table(title=f"{path}: {kind}", title_justify="left")
        for column in ("class", "gold", "precision", "recall (accuracy)", "F1"):
            table.add_column(column, justify="left" if column == "class" else "right")
        for name, t in tallies.items():
            table.add_row(name, str(t.gold), f"{t.precision:.3f}", f"{t.recall:.3f}", f"{t.f1:.3f}")
        out.print(table)
        return

    def cells(s: ev.Score) -> list[str]:
        names = "—" if s.name_accuracy is None else f"{s.name_accuracy:.3f}"
        return [f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", f"{s.speaker_agreement:.3f}",
                f"{s.cue_agreement:.3f}", names]  # fmt: skip

    columns = ("matching", "precision", "recall", "F1", "speaker agr.", "cue agr.", "speaker name")
    if kind == "gum":  # one block of rows per genre, "all" first; the name is the chain's, see evaluate_gum
        if as_json:
            sys.stdout.write(json.dumps({g: {k: v.as_dict() for k, v in s.items()} for g, s in groups.items()},
                                        indent=2) + "\n")  # fmt: skip
            return
        first = groups["all"]["exact"] if groups else ev.Score()
        table = Table(
            title=f"{path}: {first.gold} gold attributions, {first.predicted} predicted", title_justify="left"
        )
        for column in ("genre", "matching", "prec.", "recall", "F1", "speaker", "cue", "name"):
            table.add_column(column, justify="left" if column == "genre" else "right")
        for genre, scores in groups.items():
            labels = [genre, f"{next(iter(scores.values())).gold} gold"]
            for n, (name, s) in enumerate(scores.items()):
                table.add_row(labels[n] if n < 2 else "", name, *cells(s), end_section=n == len(scores) - 1)
        out.print(table)
        out.print("speaker, cue: agreement when matched; name: resolved speaker = source's entity")
        return
    if as_json:
        acts = {f"{a}:{k}": v.as_dict() for a, group in by_act.items() for k, v in group.items()}
        sys.stdout.write(json.dumps({k: v.as_dict() for k, v in scores.items()} | acts, indent=2) + "\n")
        return
    first = next(iter(scores.values()))
    table = Table(title=f"{path}: {first.gold} gold statements, {first.predicted} predicted", title_justify="left")
    for column in columns:
        table.add_column(column, justify="right")
    for name, s in scores.items():
        table.add_row(name, *cells(s))
    out.print(table)
    for act, group in by_act.items():  # the same table for what users see by default, after the one of all acts
        first = next(iter(group.values()))
        table = Table(
            title=f"{act} alone: {first.gold} gold statements whose cue reports {act} (acts.yaml), "
            f"{first.predicted} predicted",
            title_justify="left",
        )
        for column in columns:
            table.add_column(column, justify="right")
        for name, s in group.items():
            table.add_row(name, *cells(s))
        out.print(table)


@app.command()
def trace(
    article: Annotated[str, typer.Argument(help="A stored document (id, path, key) or a file to read.")],
    against: Annotated[
        list[str] | None, typer.Option(help="Primary transcripts to trace against (default: the store's).")
    ] = None,
    db: DbOption = DEFAULT_DB,
    format: Annotated[str, typer.Option("--format", "-f", help="table | json | html")] = "table",
    acts: ActsOption = "say",
) -> None:
    """Trace each statement an article attributes back to the speaker's own words: verbatim,
    trimmed, altered (with a word diff), paraphrase, translated (with what changed flagged), or
    unsupported (saying what was searched). Each shows the figure that decided it and what it
    measures (a translation: its margin, with its cosine beside it)."""
    from onrecord.analyse import trace as tracing
    from onrecord.analyse.translation import flag_mark

    if format not in {"table", "json", "html"}:
        raise fail(f"--format {format!r}: choose table, json or html", 2)
    store = _store(db)
    try:
        primaries = [d for d in read_paths(against or []) if not isinstance(d, InputError)]
        if against and not primaries:
            raise fail("--against: no readable documents")
        if Path(article).is_file():
            readable = (d for d in read_paths([article]) if not isinstance(d, InputError))
            item = next(process(readable, budget=budget_seconds(setting("doc_timeout"))), None)
            if item is None or item.error:
                raise fail(f"{article}: {item.error if item else 'no readable document'}")
            document = item.document
            traces = tracing.trace_document(store, document, list(item.statements), primaries, acts=parse_acts(acts))
        else:  # a stored article: its speakers as linking left them
            document, _, traces = tracing.trace_stored(store, article, parse_acts(acts), primaries)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    if format == "json":
        sys.stdout.write(json.dumps({"document": document.source, "traces": [t.to_dict() for t in traces]},
                                    ensure_ascii=False, indent=2) + "\n")  # fmt: skip
        return
    if format == "html":
        sys.stdout.write(
            f"<!doctype html><meta charset='utf-8'><title>trace</title><style>{tracing.TRACE_CSS}</style>"
            f"{tracing.to_html(traces)}\n"
        )
        return
    table = Table(
        title=f"trace: {document.title or document.source}", title_justify="left", show_lines=True, expand=True
    )
    table.add_column("verdict", no_wrap=True)
    table.add_column("the article", ratio=1)
    table.add_column("the source", ratio=1)
    for t in traces:
        said = f"{t.speaker}: {_shorten(t.statement.content, 200)}"
        if t.diff:
            said += "\n" + " ".join(f"[-{w}-]" if op == "-" else f"{{+{w}+}}" if op == "+" else w for op, w in t.diff)
        said += "".join(f"\n{flag_mark(f)} {f}" for f in t.flags)
        source = "nothing close"
        if t.passage is not None:
            matched = t.passage.text[t.match.start : t.match.end] if t.match else t.passage.text
            source = f"{_shorten(matched, 200)}\n({t.passage.date}, {Path(t.passage.source).name})"
        table.add_row(f"{t.verdict}\n{t.score_text()}", Text(said), Text(f"{source}\n{t.searched}"))
    out.print(table)


@app.command()
def batch(
    inputs: Annotated[
        list[str], typer.Argument(help="Directories, files, globs, JSONL or Parquet shards (text + metadata).")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Output folder: Parquet, and the manifest that makes re-runs resume.")
    ],
    scheduler: Annotated[
        str | None, typer.Option(help="A running Dask scheduler (tcp://host:8786); default: a local cluster.")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes of the local cluster.")] = 2,
    shard_size: Annotated[
        int,
        typer.Option(
            min=1, help="Bytes of input per shard, about (files are not split; JSONL and Parquet files are shards)."
        ),
    ] = SHARD_BYTES,
    db: Annotated[str | None, typer.Option("--db", help="Also load the result into this database.")] = None,
) -> None:
    """Extract a large corpus on Dask: statements as Parquet partitioned by month, documents'
    metadata and text beside them; shards already done (same input, same extractor) are skipped."""
    from onrecord.batch import load_into, run_batch

    # the workers read these settings from the environment: check them here, once, not in each worker
    for name, check in (("max_mb", limit_bytes), ("doc_timeout", budget_seconds)):
        try:
            check(setting(name))
        except ValueError as exc:
            raise fail(f"{SETTINGS[name].env}={setting(name)!r} {exc}", 2) from None

    progress = Progress(
        TextColumn("shards"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[docs]} documents, {task.fields[rate]:.1f}/s"),
        TimeRemainingColumn(),
        console=err,
        disable=not err.is_terminal,
    )
    task = progress.add_task("batch", total=None, docs=0, rate=0.0)

    def advance(summary, todo: int) -> None:  # type: ignore[no-untyped-def]
        done = summary.done + len(summary.failed_shards)
        progress.update(task, completed=done, total=todo, docs=summary.documents, rate=summary.documents_per_second)

    try:
        with progress:
            summary = run_batch(
                inputs, out, scheduler=scheduler, workers=workers, shard_bytes=shard_size, progress=advance
            )
        if db is not None:
            summary.loaded = load_into(out, db)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:  # the scheduler cannot be reached, the folder cannot be written
        raise fail(f"{exc}; check --scheduler and --out") from None
    for source, problem in summary.failures:
        err.print(f"failed: {source}: {problem}", markup=False)
    for shard, problem in summary.failed_shards:
        err.print(f"shard {shard} failed: {problem}; a re-run retries it", markup=False)
    loaded = f", loaded {summary.loaded} documents into {db}" if summary.loaded is not None else ""
    err.print(
        f"{summary.shards} shards: {summary.done} done, {summary.skipped} already done, "
        f"{len(summary.failed_shards)} failed; {summary.documents} documents "
        f"({summary.documents_per_second:.2f}/s), {summary.statements} statements, "
        f"{len(summary.failures)} failed documents{loaded}",
        markup=False,
    )
    if summary.failures or summary.failed_shards:
        raise typer.Exit(1)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(help="Address to bind; 0.0.0.0 exposes the server to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="ONRECORD_TOKEN", help="Allow ingest over HTTP with this bearer token (read-only without)."
        ),
    ] = None,
) -> None:
    """Serve the web UI and the HTTP API (OpenAPI schema at /api/openapi.json). SIGTERM or Ctrl-C
    stops it within seconds."""
    from onrecord.web import create_app, run

    try:
        web_app = create_app(db, token)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    mode = "read-write with a token" if token else "read-only"
    err.print(f"onrecord serving {db} at http://{host}:{port}/ ({mode}); Ctrl-C stops it", markup=False)
    run(web_app, host=host, port=port)


# -- the network: fetch pages and feeds, watch sources ------------------------------------------------
AllowPrivate = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Let URLs (and redirects) reach loopback, private and link-local addresses; cloud metadata "
        "addresses stay refused unless --allow-net names them.",
    ),
]
AllowNet = Annotated[
    list[str] | None,
    typer.Option("--allow-net", help="A network (CIDR, e.g. 127.0.0.1/32) URLs may reach whatever it is; repeatable."),
]
FetchTimeout = Annotated[
    float, typer.Option("--timeout", help="Seconds to connect and between two reads of an answer.", min=0.1)
]
PerHost = Annotated[
    float, typer.Option("--per-host", help="Seconds between two requests to one host (0: no limit).", min=0)
]


def _fetcher(allow_private: bool, allow_net: list[str] | None, timeout: float, per_host: float, max_mb: float):  # type: ignore[no-untyped-def]
    from onrecord.ingest.fetch import Fetcher, Guard

    try:
        guard = Guard.of(allow_private, allow_net or ())
    except ValueError as exc:
        raise fail(f"--allow-net {exc}", 2) from None
    return Fetcher(guard=guard, timeout=timeout, per_host_seconds=per_host, max_bytes=limit_bytes(max_mb))


def _report(report) -> None:  # type: ignore[no-untyped-def]
    for note in report.notes:
        err.print(f"note: {printable(note)}", markup=False)
    _report_failures(report.failures)


@app.command()
def fetch(
    urls: Annotated[list[str], typer.Argument(help="Pages or feeds (http, https); a feed brings every item.")],
    db: DbOption = DEFAULT_DB,
    allow_private: AllowPrivate = False,
    allow_net: AllowNet = None,
    timeout: FetchTimeout = 15.0,
    per_host: PerHost = 1.0,
    max_mb: MaxMb = float(SETTINGS["max_mb"].default),
    with_topics: Annotated[
        bool, typer.Option("--topics/--no-topics", help="Score new statements against the topic taxonomy.")
    ] = True,
    doc_timeout: DocTimeout = float(SETTINGS["doc_timeout"].default),
) -> None:
    """Download pages and feeds, extract their main text and metadata, and store them with the URL as
    the source. A URL fetched before is asked for conditionally (ETag, Last-Modified) and an unchanged
    text is not stored twice; robots.txt is honoured; private addresses are refused unless allowed."""
    from onrecord.watch import Watcher

    store = _store(db)
    left_over = store.pending()
    try:
        with _fetcher(allow_private, allow_net, timeout, per_host, max_mb) as fetcher:
            watcher = Watcher(store, fetcher, budget=budget_seconds(doc_timeout), with_topics=with_topics)
            report = watcher.fetch_urls(urls)
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    _say_finished(report.finished & left_over)
    _report(report)
    err.print(report.line(), markup=False)
    if report.failures:
        raise typer.Exit(1)


@app.command()
def watch(
    watchlist: Annotated[
        Path, typer.Argument(help="The watchlist (YAML): sources, follow, alert_on, webhook, digest.")
    ],
    db: DbOption = DEFAULT_DB,
    once: Annotated[bool, typer.Option("--once", help="One round, then exit (for cron).")] = False,
    every: Annotated[
        str | None, typer.Option("--every", help="Poll every so often until stopped: 30s, 15m, 1h (default 15m).")
    ] = None,
    status: Annotated[
        bool, typer.Option("--status", help="Show each source's last poll and error, then exit.")
    ] = False,
    allow_private: AllowPrivate = False,
    allow_net: AllowNet = None,
    timeout: FetchTimeout = 15.0,
    per_host: PerHost = 1.0,
    max_mb: MaxMb = float(SETTINGS["max_mb"].default),
    doc_timeout: DocTimeout = float(SETTINGS["doc_timeout"].default),
) -> None:
    """Poll a watchlist's feeds and pages, store what is new, and raise alerts (a new statement by a
    followed speaker, a new shift, a quotation traced as altered or unsupported) to the web UI's
    /alerts and /alerts.atom, a signed webhook and an e-mail digest. State lives in the database:
    a watch that is stopped or killed resumes where it was."""
    import time

    from onrecord import watch as watching
    from onrecord.watch import Watcher, load_watchlist, parse_every

    if once and every:
        raise fail("--once and --every: choose one", 2)
    try:
        wanted = load_watchlist(watchlist, secrets=not status)
        interval = parse_every(every) if every else wanted.every or 900.0
    except InputError as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:
        raise fail(f"--every {every!r}: {exc}", 2) from None
    store = _store(db)
    if status:
        _source_table(watching.status(store, wanted))
        return
    try:
        with _fetcher(allow_private, allow_net, timeout, per_host, max_mb) as fetcher:
            watcher = Watcher(store, fetcher, budget=budget_seconds(doc_timeout))
            while True:
                started = time.monotonic()
                report = watcher.poll(
                    wanted, progress=None if once else lambda url: err.print(f"polling {printable(url)}", markup=False)
                )
                _report(report)
                extra = f", {report.delivered} delivered to the webhook" if report.delivered else ""
                extra += ", digest sent" if report.digest_sent else ""
                err.print(report.line() + extra, markup=False)
                if once:
                    break
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except OnrecordError as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        err.print("stopped; the next watch resumes where this one was", markup=False)
        raise typer.Exit(130) from None
    if report.failures:
        raise typer.Exit(1)


def _source_table(sources) -> None:  # type: ignore[no-untyped-def]
    table = Table("source", "kind", "last poll", "last success", "documents", "pending", "error")
    for s in sources:
        error = f"{s.error} ({s.failures} in a row since {s.error_at})" if s.error else ""
        table.add_row(
            Text(s.url), s.kind, s.polled_at or "never", s.ok_at or "—", str(s.documents), str(s.pending), Text(error)
        )
    out.print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
