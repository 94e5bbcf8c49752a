"""One identity per speaker across documents.

Documents name people their own way: ``Sergei Lavrov``, ``Sergey Lavrov``, ``S. Lavrov``,
``Lavrov``, ``Russia's foreign minister``, and in Cyrillic ``Сергей Лавров`` or ``С.В.Лавров``
(romanized by BGN/PCGN before spellings are folded; issue 15). A :class:`Linker` maps each document-level name
(and each role mention, on its date) to one identity, using a :class:`~onrecord.model.Registry`
(people, aliases, offices held with dates) and the other names in the corpus. Ambiguous names
are not guessed: they come back with their candidates.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping

import yaml

from onrecord import safe_yaml
from onrecord.errors import InputError
from onrecord.model import Identity, Link, Registry, Role
from onrecord.resolve.names import is_first_name, is_proper, is_title, strip_name, tokens, transliterate

# Words that make a name an organisation or a collective, never one person's surname.
_BODIES = {
    "ministry", "government", "administration", "office", "department", "council", "party", "committee",
    "agency", "commission", "parliament", "senate", "congress", "campaign", "embassy", "army", "forces",
    "authorities", "officials", "spokesman", "spokeswoman", "kremlin", "white", "house", "union", "bank",
    "court", "police", "company", "group", "news", "times", "post", "press",
}  # fmt: skip
_STATE_BODIES = {"government", "administration", "authorities", "leadership"}
_FILLER = {"the", "a", "an", "of", "s", "'s", "’s", "for"}

# Transliteration variants folded to one spelling: Sergei/Sergey, Dmitriy/Dmitry, Yevgeny/Evgeni.
_FOLDS = [
    (re.compile(r"(?:yy|ey|ei|iy|ii|yi|y)$"), "i"),
    (re.compile(r"^ye"), "e"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"(?<=[aeiou])ye"), "e"),  # Korneyeva / Korneeva (Корнеева), Alekseyev / Alekseev
    (re.compile(r"(?<=[aeiou])y(?=[aeiou])"), "i"),
    (re.compile(r"ya"), "ia"),
    (re.compile(r"yu"), "iu"),
    (re.compile(r"ff$"), "v"),
    (re.compile(r"x"), "ks"),  # Alexei / Aleksey (Алексей)
    (re.compile(r"(.)\1"), r"\1"),
]


def fold_word(word: str) -> str:
    word = unicodedata.normalize("NFKD", transliterate(word)).encode("ascii", "ignore").decode().lower()
    word = re.sub(r"[^a-z0-9]", "", word)
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return word


def name_key(name: str) -> str:
    """A spelling-insensitive key: ``Mr. Sergey Lavrov's`` and ``Sergei Lavrov`` give ``sergi lavrov``."""
    return " ".join(w for w in (fold_word(t) for t in tokens(strip_name(name).replace(".", ". "))) if w)


# Russian inflections, longest first: offices and states are matched by stem, so that a registry's
# "министр иностранных дел" and "Руритания" meet "министра иностранных дел" and "Руритании" (issue 15).
# resolve/ gets no morphology (it stays in extract/), and a stem is all a match needs.
_RUSSIAN_ENDINGS = sorted(
    (
        "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "иях", "иям", "ией", "ях", "ах", "ям", "ам", "ий",
        "ый", "ой", "ей", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ую", "юю", "ов", "ев", "ом", "ем", "ию",
        "ия", "ии", "а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
_CYRILLIC_WORD = re.compile(r"[а-яё]+")


def _russian_stem(word: str) -> str:
    """A Russian word without its inflection, keeping at least three letters: ``Руритании`` -> ``руритан``."""
    for ending in _RUSSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _words(text: str) -> list[str]:
    text = _CYRILLIC_WORD.sub(lambda m: _russian_stem(m.group()), text.lower())
    text = unicodedata.normalize("NFKD", transliterate(text)).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", re.sub(r"['’]s\b", "", text))


def is_person_name(name: str) -> bool:
    words = _words(name)
    return (
        bool(words)
        and is_proper(name)  # "eighty percent of Republicans" is a group, not a person
        and not _BODIES.intersection(words)
        and "and" not in words
        and not is_title(name)
    )


class Linker:
    """Links names to identities. ``names`` maps each document-level speaker name in the corpus
    to how often it is used; ``merges`` maps a name to the identity a user merged it into."""

    def __init__(self, registry: Registry, names: Mapping[str, int] = {}, merges: Mapping[str, str] = {}) -> None:
        self.registry = registry
        self.merges = {name_key(a): b for a, b in merges.items()}
        self.kinds = {i.name: i.kind for i in registry.identities}
        self.offices: dict[str, str] = {}  # an office's name or variant, as words -> the office
        for canonical, variants in registry.offices.items():
            for written in (canonical, *variants):
                self.offices.setdefault(" ".join(_words(written)), " ".join(_words(canonical)))
        self.aliases: dict[str, str] = {}
        self.bodies: dict[tuple[str, ...], str] = {}  # word sequence -> state or organisation
        self.roles: dict[tuple[str, str | None], list[tuple[str, Role]]] = defaultdict(list)
        for identity in registry.identities:
            for alias in (identity.name, *identity.aliases):
                self.aliases.setdefault(name_key(alias), identity.name)
                if identity.kind != "person":
                    self.bodies[tuple(_words(alias))] = identity.name
            for role in identity.roles:
                self.roles[(self._office(role.office), role.of)].append((identity.name, role))
        # Corpus names grouped by key; the registry's spelling wins, then the most used one.
        spellings: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for name, count in names.items():
            if is_person_name(name) and _is_full(name_key(name)):
                spellings[name_key(name)].append((count, name))
        self.full: dict[str, str] = {
            key: self.aliases.get(key) or max(options)[1] for key, options in spellings.items()
        }
        for identity in registry.identities:
            if identity.kind == "person" and _is_full(name_key(identity.name)):
                self.full.setdefault(name_key(identity.name), identity.name)
        used = {key: sum(count for count, _ in options) for key, options in spellings.items()}
        self.epithets = self._epithets(used)
        for key in self.epithets:
            del self.full[key]
        self.by_surname: dict[str, set[str]] = defaultdict(set)
        for key, canonical in self.full.items():
            self.by_surname[key.split()[-1]].add(canonical)

    def _epithets(self, used: Mapping[str, int]) -> dict[str, str]:
        """Names that are another name with a word in front ("Corrupt Marco Rubio", "Thug Putin"):
        key -> that name. A two-word one counts only when its first word is no given name and the
        plain name is used at least three times as often."""
        found: dict[str, str] = {}
        registered = {name_key(i.name) for i in self.registry.identities}
        for key, name in self.full.items():
            parts = key.split()
            if key in registered or is_first_name(name.split()[0]):
                continue
            if len(parts) >= 3 and " ".join(parts[1:]) in self.full:
                found[key] = self.full[" ".join(parts[1:])]
            elif len(parts) == 2:
                plain = [
                    other
                    for other, full_name in self.full.items()
                    if other != key
                    and other.split()[-1] == parts[-1]
                    and is_first_name(full_name.split()[0])
                    and used.get(other, 1) >= 3 * used.get(key, 1)
                ]
                if len(plain) == 1:
                    found[key] = self.full[plain[0]]
        return found

    def _office(self, office: str) -> str:
        words = " ".join(_words(office))
        return self.offices.get(words, words)

    def link(self, name: str | None, mention: str | None = None, date: str | None = None) -> Link:
        """The identity behind a document-level ``name`` (or, without one, a role ``mention``) on ``date``."""
        found = self._link(name, mention, date)
        return self._merged(found)

    def _merged(self, found: Link) -> Link:
        seen: set[str] = set()
        while found.identity and name_key(found.identity) in self.merges and found.identity not in seen:
            seen.add(found.identity)
            found = Link(self.merges[name_key(found.identity)], "merged")
        return found

    def _link(self, name: str | None, mention: str | None, date: str | None) -> Link:
        if not name:
            return self.by_role(mention, date) if mention else Link(None, "unknown")
        key = name_key(name)
        if key in self.merges:
            return Link(self.merges[key], "merged")
        if key in self.aliases:
            return Link(self.aliases[key], "registry")
        body = self.body(name)
        if body is not None:  # "Руритании" in any case; an office of it the mention names comes first
            of_body = self.by_role(mention, date) if mention and mention.strip() != name.strip() else None
            return of_body if of_body is not None and of_body.how in {"role", "ambiguous"} else Link(body, "registry")
        by_role = self.by_role(name, date)
        if by_role.how in {"role", "ambiguous"}:
            return by_role
        words = _words(name)
        if words and words[-1] in _STATE_BODIES and self.kinds.get(self.bodies.get(tuple(words[:-1]), "")) == "state":
            return Link(self.bodies[tuple(words[:-1])], "state")
        if not is_person_name(name):
            return Link(name, "name")
        parts = key.split()
        if key in self.epithets:
            return Link(self.epithets[key], "variant")
        if len(parts) >= 2:
            if key in self.full:
                return Link(self.full[key], "variant" if self.full[key] != name else "name")
            initials = [c for c in self.by_surname.get(parts[-1], ()) if _initials_fit(parts[:-1], name_key(c))]
            if len(initials) == 1:
                return Link(initials[0], "variant")
            return Link(name, "name")
        candidates = sorted(self.by_surname.get(parts[0], ())) if parts else []
        if len(candidates) == 1:
            return Link(candidates[0], "surname")
        if candidates:
            return Link(None, "ambiguous", tuple(candidates))
        return Link(name, "name")

    def _body_of(self, words: tuple[str, ...]) -> str | None:
        """The state or organisation these words name; one word also as the stem of a registered one
        ("ruritan", from "Руритании", is "Ruritania")."""
        if words in self.bodies:
            return self.bodies[words]
        if len(words) == 1 and len(words[0]) >= 5:
            found = {
                body
                for key, body in self.bodies.items()
                if len(key) == 1 and key[0].startswith(words[0]) and len(key[0]) - len(words[0]) <= 2
            }
            return found.pop() if len(found) == 1 else None
        return None

    def body(self, name: str) -> str | None:
        """The registered state or organisation ``name`` is, in any case form (issue 15), else None."""
        words = tuple(_words(name))
        return self._body_of(words) if words else None

    def by_role(self, mention: str, date: str | None) -> Link:
        """``Russia's foreign minister`` / ``the Russian foreign minister`` / ``министра иностранных дел
        России`` -> who held it on ``date``."""
        words = _words(mention)
        body = None
        for size in range(min(4, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                body = self._body_of(tuple(words[start : start + size]))
                if body is not None:
                    words = words[:start] + words[start + size :]
                    break
            if body:
                break
        office = self._office(" ".join(w for w in words if w not in _FILLER))
        if body is None:  # "the spokesman": whose? Never guessed, only the candidates listed
            everyone = sorted({who for (o, _), hs in self.roles.items() if o == office for who, _ in hs})
            return Link(None, "ambiguous", tuple(everyone)) if everyone else Link(None, "unknown")
        holders = self.roles.get((office, body), [])
        if not holders:
            return Link(None, "unknown")
        on_date = sorted({who for who, role in holders if role.held_on(date)})
        if len(on_date) == 1:
            return Link(on_date[0], "role")
        return Link(None, "ambiguous", tuple(on_date or sorted({who for who, _ in holders})))

    def kind_of(self, identity: str) -> str:
        if identity in self.kinds:
            return self.kinds[identity]
        if " and " in identity:
            return "group"
        return "person" if is_person_name(identity) else "organisation"

    def is_dated(self, name: str) -> bool:
        """Whether this name's identity depends on the date (it names an office)."""
        key = name_key(name)
        return key not in self.aliases and key not in self.merges and self.by_role(name, None).how != "unknown"


def _is_full(key: str) -> bool:
    """A full name: two or more words, none of them an initial (``S. Lavrov`` is linked by its initials)."""
    parts = key.split()
    return len(parts) >= 2 and all(len(p) > 1 for p in parts[:-1])


def _initials_fit(given: list[str], full_key: str) -> bool:
    """``s`` (from ``S. Lavrov``) fits ``sergi lavrov``; so does ``s v`` (``С.В.Лавров``: a Russian name's
    initials end with the patronymic's, which full names in the press rarely give)."""
    full = full_key.split()[:-1]
    fits = all(f.startswith(g) for g, f in zip(given, full, strict=False))
    patronymic = len(given) == len(full) + 1 and len(given[-1]) == 1 and bool(full)
    return fits and (len(given) <= len(full) or patronymic)


# -- registry files --------------------------------------------------------------------------
def parse_registry(raw: str, source: str = "<registry>", *, csv: bool = False) -> Registry:
    if csv:
        return _parse_csv(raw, source)
    try:
        data = safe_yaml.load(raw) or {}
    except yaml.YAMLError as exc:
        raise InputError(source, f"the registry is not valid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict):
        raise InputError(source, "a registry is a mapping with people:, organisations:, states:, offices:")
    unknown = set(data) - {"people", "organisations", "states", "offices"}
    if unknown:
        raise InputError(source, f"unknown registry section {sorted(unknown)[0]!r}")
    identities: list[Identity] = []
    for section, kind in (("people", "person"), ("organisations", "organisation"), ("states", "state")):
        for n, entry in enumerate(data.get(section) or [], 1):
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
                raise InputError(source, f"{section} entry {n} needs a name")
            identities.append(
                Identity(
                    name=entry["name"],
                    kind=kind,  # type: ignore[arg-type]
                    aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                    roles=tuple(_role(r, source, entry["name"]) for r in entry.get("roles") or ()),
                )
            )
    offices = {str(k): tuple(str(v) for v in (vs or ())) for k, vs in (data.get("offices") or {}).items()}
    return Registry(tuple(identities), offices)


def _role(raw: object, source: str, who: str) -> Role:
    if not isinstance(raw, dict) or not raw.get("office"):
        raise InputError(source, f"a role of {who} needs an office")

    def date(value: object) -> str | None:
        if value is None:
            return None
        text = str(value)
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
            raise InputError(source, f"role dates of {who} must be YYYY-MM-DD, not {text!r}")
        return text

    return Role(str(raw["office"]), raw.get("of"), date(raw.get("from")), date(raw.get("to")))


def _parse_csv(raw: str, source: str) -> Registry:
    """Columns: name, kind, aliases (``;``-separated), office, of, from, to — one row per role."""
    import csv as csvlib

    rows = list(csvlib.DictReader(raw.splitlines()))
    if rows and "name" not in rows[0]:
        raise InputError(source, "a registry CSV needs a header with at least a name column")
    people: dict[str, dict[str, list]] = {}
    kinds: dict[str, str] = {}
    for row in rows:
        name = (row.get("name") or "").strip()
        if not name:
            continue
        kinds[name] = (row.get("kind") or "person").strip() or "person"
        entry = people.setdefault(name, {"aliases": [], "roles": []})
        entry["aliases"] += [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        if (row.get("office") or "").strip():
            entry["roles"].append(
                _role({"office": row["office"].strip(), "of": (row.get("of") or "").strip() or None,
                       "from": (row.get("from") or "").strip() or None, "to": (row.get("to") or "").strip() or None},
                      source, name)
            )  # fmt: skip
    if any(k not in {"person", "organisation", "state"} for k in kinds.values()):
        raise InputError(source, "kind must be person, organisation or state")
    return Registry(
        tuple(
            Identity(n, kinds[n], tuple(dict.fromkeys(e["aliases"])), tuple(e["roles"]))  # type: ignore[arg-type]
            for n, e in people.items()
        )
    )
