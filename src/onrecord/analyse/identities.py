"""Speakers across documents: registries, users' merges and aliases, and linking every stored
statement to one identity. The rules live in :mod:`onrecord.resolve.identity`; this module
feeds them what the store holds and writes back the result."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from onrecord.errors import InputError, NotFoundError
from onrecord.model import Link, Registry, SpeakerInfo
from onrecord.resolve.identity import Linker, name_key, parse_registry
from onrecord.store import Store


@dataclass(frozen=True, slots=True)
class LinkSummary:
    names: int  # document-level speaker names
    identities: int
    ambiguous: int
    by_role: int  # statements whose speaker was found from an office and a date


@dataclass(frozen=True, slots=True)
class RegistryInfo:
    source: str
    format: str
    imported_at: str
    identities: int
    offices: int
    error: str | None = None  # a registry stored by an older onrecord that this one refuses


def registry_of(store: Store) -> Registry:
    """Every registry imported into the store, later imports overriding earlier ones."""
    registry = Registry()
    for source, fmt, content, _ in store.registries():
        try:
            registry = registry + parse_registry(content, source, csv=fmt == "csv")
        except InputError as exc:
            raise InputError(
                source,
                f"the stored registry can no longer be read ({exc.problem}); "
                f"remove it with: onrecord speakers registries --remove {source!r}",
            ) from exc
    return registry


def registries(store: Store) -> list[RegistryInfo]:
    """The registries imported into the store, in import order, with what each holds."""
    found = []
    for source, fmt, content, imported_at in store.registries():
        try:
            registry = parse_registry(content, source, csv=fmt == "csv")
        except InputError as exc:
            found.append(RegistryInfo(source, fmt, imported_at, 0, 0, exc.problem))
            continue
        offices = sum(len(i.roles) for i in registry.identities)
        found.append(RegistryInfo(source, fmt, imported_at, len(registry.identities), offices))
    return found


def remove_registry(store: Store, source: str) -> None:
    """Forget an imported registry (as ``registries`` names it, or the path it was imported from), then relink."""
    known = [info.source for info in registries(store)]
    match = source if source in known else str(Path(source).resolve())
    if not store.remove_registry(match):
        listed = ", ".join(repr(k) for k in known) or "none"
        raise NotFoundError(f"no registry {source!r} was imported; imported: {listed}")
    relink(store)


def linker_of(store: Store) -> Linker:
    return Linker(registry_of(store), store.speaker_names(), store.edits())


def relink(store: Store) -> LinkSummary:
    """Link every speaker name and dated role mention in the store to an identity."""
    as_of = store.data_version()
    names = store.speaker_names()
    linker = Linker(registry_of(store), names, store.edits())
    by_name = {name: linker.link(name) for name in names}
    dated = [name for name in names if linker.is_dated(name)]
    for name in dated:  # an office: who held it depends on each statement's date
        by_name[name] = Link(None, "role")
    # a state or organisation named inside a mention of its office ("министр иностранных дел Руритании",
    # read as "Руритании"): those statements are the office holder's, the others the body's
    dated_names = set(dated)
    bodies = {name for name in names if name not in dated_names and linker.body(name) is not None}
    by_statement: dict[int, Link] = {}
    for statement_id, name, mention, date in store.dated_mentions([*dated, *sorted(bodies)]):
        found = linker.link(name, mention, date)
        if name in bodies and found.how != "role":
            continue  # the body itself, as its name links
        if found.identity or name is None:
            by_statement[statement_id] = found
    kinds = {
        link.identity: linker.kind_of(link.identity)
        for link in (*by_name.values(), *by_statement.values())
        if link.identity
    }
    store.save_links(by_name, by_statement, kinds)
    store.finished("link", as_of)
    return LinkSummary(
        names=len(names),
        identities=len(kinds),
        ambiguous=sum(link.how == "ambiguous" for link in by_name.values()),
        by_role=sum(link.how == "role" for link in by_statement.values() if link.identity),
    )


def import_registry(store: Store, path: str | Path) -> Registry:
    """Check and keep a registry file (YAML or CSV), then relink. A re-import of the same file replaces it."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read the registry ({exc})") from exc
    fmt = "csv" if path.suffix.lower() == ".csv" else "yaml"
    registry = parse_registry(content, str(path), csv=fmt == "csv")  # fails before anything is stored
    store.save_registry(str(path.resolve()), fmt, content)
    relink(store)
    return registry


def merge(store: Store, into: str, other: str) -> None:
    """File ``other`` (an identity or a document-level name) under ``into``. Undo with :func:`unmerge`."""
    known = {s.name for s in store.speakers()} | set(store.speaker_names())
    for name in (into, other):
        if name not in known:
            raise NotFoundError(f"no speaker {name!r} in the store; `onrecord speakers` lists them")
    _check_edit(store, other, into)
    store.save_edit(other, into)
    relink(store)


def alias(store: Store, name: str, alias_: str) -> None:
    """Let ``alias_`` (a spelling documents may use, now or later) mean ``name``."""
    _check_edit(store, alias_, name)
    store.save_edit(alias_, name)
    relink(store)


def _check_edit(store: Store, name: str, target: str) -> None:
    """Refuse to file ``name`` under ``target`` when that would make a loop: the same name, or a
    ``target`` already filed (through any chain of merges and aliases) under ``name``. A loop would
    leave each name meaning the other, silently swapping their statements."""
    if not name.strip() or not target.strip():
        raise InputError(name or target, "a speaker name cannot be empty")
    if name_key(name) == name_key(target):
        raise InputError(name, f"is already the same speaker as {target!r}")
    edits = {name_key(k): v for k, v in store.edits().items()}
    chain, key = [target], name_key(target)
    while key in edits and len(chain) <= len(edits):
        chain.append(edits[key])
        key = name_key(edits[key])
        if key == name_key(name):
            path = " -> ".join(repr(n) for n in chain)
            raise InputError(
                name,
                f"{target!r} is already filed under it ({path}); undo that first with: "
                f"onrecord speakers unmerge {chain[-2]!r}",
            )


def unmerge(store: Store, name: str) -> None:
    """Undo a merge or alias: ``name`` is linked on its own again."""
    if not store.remove_edit(name):
        raise NotFoundError(f"{name!r} was not merged or aliased; nothing to undo")
    relink(store)


def speakers(store: Store, limit: int | None = None, name: str | None = None) -> list[SpeakerInfo]:
    """Speakers across documents, with the offices the registry gives them."""
    roles = {i.name: i.roles for i in registry_of(store).identities}
    return [replace(s, roles=roles.get(s.name, ())) for s in store.speakers(limit, name)]
