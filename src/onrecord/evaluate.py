"""Accuracy against gold annotations: PolNeAR (BRAT standoff), GUM (CoNLL-U with discourse
relations and coreference) and onrecord's own gold YAML/JSONL.

Sits above the pipeline (it runs ingest -> extract -> resolve on the gold texts) and below
the CLI. Three matchings of predicted to gold content, one-to-one, greedy by overlap:

- ``exact``: the same character span;
- ``overlap30``: the predicted content covers more than 30% of the gold content;
- ``both50``: the overlap is at least 50% of the gold and at least 50% of the predicted content.

On matched pairs, speaker agreement (the predicted speaker mention overlaps at least half of the
gold source and vice versa) and cue agreement (same test on the cue) are reported, and where the
gold names its speaker, whether the resolved speaker is that name (GUM: see ``same_entity_name``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from onrecord import safe_yaml
from onrecord.errors import EvaluationError
from onrecord.extract.acts import act_of_phrase
from onrecord.extract.quotes import outer
from onrecord.ingest import from_text
from onrecord.model import ACTS, DEFAULT_ACTS, Statement
from onrecord.pipeline import process

if TYPE_CHECKING:
    from onrecord.analyse.translation_verdict import Verdict

Ranges = tuple[tuple[int, int], ...]
MATCHINGS = ("exact", "overlap30", "both50")


@dataclass(frozen=True, slots=True)
class GoldStatement:
    content: Ranges
    source: Ranges = ()
    cue: Ranges = ()
    speaker: str | None = None
    kind: str | None = None
    aliases: tuple[str, ...] = ()  # other names the speaker goes by in the text (GUM)
    act: str | None = None  # what the cue reports, by the extractor's own lists (PolNeAR; see read_brat)


@dataclass(frozen=True, slots=True)
class GoldDocument:
    name: str
    text: str
    statements: tuple[GoldStatement, ...]
    meta: dict[str, object] = field(default_factory=dict)


def _ratio(part: int, whole: int) -> float | None:
    """``part / whole``, or None when there is nothing to measure."""
    return part / whole if whole else None


@dataclass(slots=True)
class Score:
    """Counts for one matching; derived figures as properties."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_checked: int = 0
    speaker_agreed: int = 0
    cue_checked: int = 0
    cue_agreed: int = 0
    name_checked: int = 0
    name_agreed: int = 0
    kind_checked: int = 0
    kind_agreed: int = 0
    act_checked: int = 0
    act_agreed: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.predicted) or 0.0

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold) or 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_agreement(self) -> float:
        return _ratio(self.speaker_agreed, self.speaker_checked) or 0.0

    @property
    def cue_agreement(self) -> float:
        return _ratio(self.cue_agreed, self.cue_checked) or 0.0

    @property
    def act_accuracy(self) -> float | None:
        """Matched pairs whose gold names an act (say/think/intend/show) and whose prediction has it."""
        return _ratio(self.act_agreed, self.act_checked)

    @property
    def name_accuracy(self) -> float | None:
        return _ratio(self.name_agreed, self.name_checked)

    @property
    def kind_accuracy(self) -> float | None:
        return _ratio(self.kind_agreed, self.kind_checked)

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "speaker_agreement": round(self.speaker_agreement, 4),
            "cue_agreement": round(self.cue_agreement, 4),
            "speaker_name_accuracy": None if self.name_accuracy is None else round(self.name_accuracy, 4),
            "kind_accuracy": None if self.kind_accuracy is None else round(self.kind_accuracy, 4),
        }


# -- reading gold sets ---------------------------------------------------------------------------
def _ranges(fragments: str) -> Ranges:
    out = []
    for piece in fragments.split(";"):
        start, end = piece.split()
        out.append((int(start), int(end)))
    return tuple(out)


def read_brat(text: str, ann: str) -> tuple[GoldStatement, ...]:
    spans: dict[str, tuple[str, Ranges]] = {}
    events: list[dict[str, str]] = []
    for line in ann.splitlines():
        if line.count("\t") < 1:
            continue  # the rest of a span's text that ran over a line break
        if line.startswith("T") and line.count("\t") >= 2:
            ident, middle, _ = line.split("\t", 2)
            label, fragments = middle.split(" ", 1)
            spans[ident] = (label, _ranges(fragments))
        elif line.startswith("E"):
            _, args = line.split("\t", 1)
            events.append(dict(arg.split(":", 1) for arg in args.split()))
    gold = []
    for event in events:
        content = spans.get(event.get("Content", ""))
        if content is None:
            continue
        source = spans.get(event.get("Source", ""), ("", ()))[1]
        cue = spans.get(event.get("Cue", ""), ("", ()))[1]
        # PolNeAR annotates beliefs, plans and what polls show too: its cue, read by the lists the
        # extractor uses, tells which of them a user would see by default (``say``)
        act = act_of_phrase(_text_of(text, cue), _text_of(text, source))
        gold.append(GoldStatement(content=content[1], source=source, cue=cue, act=act))
    return tuple(gold)


def _text_of(text: str, ranges: Ranges) -> str:
    return " ".join(text[start:end] for start, end in ranges)


def read_polnear(folder: Path) -> Iterator[GoldDocument]:
    """Articles of a PolNeAR split (``text/`` and ``attributions/``); the first annotation file of each."""
    texts, anns = folder / "text", folder / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise EvaluationError(f"{folder}: not a PolNeAR split (needs text/ and attributions/)")
    all_anns = sorted(p.name for p in anns.glob("*.ann"))
    for path in sorted(texts.glob("*.txt")):
        mine = [a for a in all_anns if a.rsplit("_", 1)[0] == path.stem]
        if not mine:
            continue
        text = path.read_text(encoding="utf-8")
        yield GoldDocument(path.stem, text, read_brat(text, (anns / mine[0]).read_text(encoding="utf-8")))


def _find(text: str, piece: str, occurrence: int = 0, near: int | None = None) -> Ranges:
    """Where ``piece`` stands in ``text``: its n-th occurrence, or the one nearest ``near``."""
    starts = []
    at = text.find(piece)
    while at >= 0:
        starts.append(at)
        at = text.find(piece, at + 1)
    if len(starts) <= occurrence:
        raise ValueError(f"{piece!r} occurs {len(starts)} times in the text, not {occurrence + 1}")
    start = starts[occurrence] if near is None else min(starts, key=lambda s: abs(s - near))
    return ((start, start + len(piece)),)


def read_gold_yaml(path: Path) -> Iterator[GoldDocument]:
    """onrecord's hand-written gold format: statements name their parts by the text they cover."""
    import yaml

    try:
        records = safe_yaml.load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise EvaluationError(f"{path}: not valid YAML ({exc})") from exc
    for number, record in enumerate(records, start=1):
        name = str(record.get("id", number))
        text = record["text"]
        gold = []
        try:
            for s in record.get("statements") or []:
                content = _find(text, s["content"], s.get("content_at", 0))
                anchor = content[0][0]
                mention = (
                    _find(text, s["mention"], s["mention_at"])
                    if "mention_at" in s
                    else (_find(text, s["mention"], near=anchor) if s.get("mention") else ())
                )
                cue = (
                    _find(text, s["cue"], s["cue_at"])
                    if "cue_at" in s
                    else (_find(text, s["cue"], near=anchor) if s.get("cue") else ())
                )
                act = s.get("act")  # optional: what the cue reports (say, think, intend, show)
                if act is not None and act not in ACTS:
                    raise ValueError(f"unknown act {act!r}")
                gold.append(GoldStatement(content, mention, cue, s.get("speaker"), s.get("kind"), act=act))
        except (KeyError, ValueError) as exc:
            raise EvaluationError(f"{path}: record {name!r}: {exc}") from exc
        meta = {k: v for k, v in record.items() if k in {"author", "date", "title", "outlet", "lang"}}
        yield GoldDocument(name, text, tuple(gold), meta)


def read_gold(path: Path) -> Iterator[GoldDocument]:
    """A gold file in either of onrecord's formats, by its suffix (.yaml/.yml or .jsonl)."""
    if path.suffix in {".yaml", ".yml"}:
        return read_gold_yaml(path)
    return read_gold_jsonl(path)


def read_gold_jsonl(path: Path) -> Iterator[GoldDocument]:
    """onrecord's gold format: one JSON object per line, ``text`` and ``statements`` with spans."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            statements = tuple(
                GoldStatement(
                    content=(tuple(s["content_span"]),),
                    source=(tuple(s["speaker_span"]),) if s.get("speaker_span") else (),
                    cue=(tuple(s["cue_span"]),) if s.get("cue_span") else (),
                    speaker=s.get("speaker"),
                    kind=s.get("kind"),
                )
                for s in record["statements"]
            )
            meta = {k: v for k, v in record.items() if k in {"author", "date", "title", "outlet", "lang"}}
            yield GoldDocument(str(record.get("id", number)), record["text"], statements, meta)
        except (KeyError, TypeError, ValueError) as exc:
            raise EvaluationError(f"{path}:{number}: not a gold record ({exc.__class__.__name__}: {exc})") from exc


# -- GUM: attribution relations of its discourse layer, speakers through its coreference ---------
@dataclass(slots=True)
class _Word:
    form: str
    upos: str
    deprel: str
    misc: str
    head: int | None = None  # index of the head in the document's words; None at a sentence root
    start: int = 0
    end: int = 0
    sentence: int = 0


@dataclass(slots=True)
class GumDocument:
    """One GUM document as read: its plain text, words located in it, coreference and EDUs."""

    name: str
    meta: dict[str, str]
    text: str
    words: list[_Word]
    mentions: list[tuple[str, int, int]]  # entity id, first and last word (inclusive)
    links: dict[str, str]  # entity id -> Wikipedia title, for linked entities
    edus: list[int]  # first word of EDU n at edus[n - 1]
    relations: list[tuple[str, int, int]]  # primary discourse relation, its source EDU and target EDU


def _misc(misc: str, key: str) -> str | None:
    for item in misc.split("|"):
        if item.startswith(key + "="):
            return item[len(key) + 1 :]
    return None


def _entity_marks(value: str) -> Iterator[tuple[bool, str, str | None]]:
    """(opens, entity id, Wikipedia title) for each bracket of a MISC ``Entity=`` value, in order:
    ``(ID-type-...-link[-Title]`` opens, ``ID)`` closes, ``(...)`` does both."""
    i = 0
    while i < len(value):
        if value[i] == "(":
            j = i + 1
            while j < len(value) and value[j] not in "()":
                j += 1
            fields = value[i + 1 : j].split("-", 7)
            yield True, fields[0], unquote(fields[7]) if len(fields) > 7 else None
            if value[j : j + 1] == ")":
                yield False, fields[0], None
                j += 1
            i = j
        else:
            j = value.index(")", i)
            yield False, value[i:j], None
            i = j + 1


def read_gum_document(path: Path) -> GumDocument:
    """A GUM CoNLL-U file. The text is built as GUM's own plain text: tokens joined by a space
    unless ``SpaceAfter=No``, sentences by a space, paragraphs (``# newpar``) by a blank line; a
    multiword token is written once, its words located inside it."""
    meta: dict[str, str] = {}
    words: list[_Word] = []
    pieces: list[str] = []
    at = 0
    newpar = False
    sentence = 0
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        rows = []
        for line in block.splitlines():
            if line.startswith("# newpar") and not line.startswith("# newpar_"):
                newpar = True
            elif line.startswith("# meta::") and " = " in line:
                key, value = line[len("# meta::") :].split(" = ", 1)
                meta[key] = value
            elif line and not line.startswith("#"):
                rows.append(line.split("\t"))
        rows = [r for r in rows if "." not in r[0]]  # empty nodes have no text
        if not rows:
            continue
        gap = ("\n\n" if newpar else " ") if pieces else ""
        pieces.append(gap)
        at += len(gap)
        newpar = False
        sentence += 1
        ids: dict[str, int] = {}
        k = 0
        while k < len(rows):
            row = rows[k]
            if "-" in row[0]:  # a multiword token: its surface, then its words
                first, last = map(int, row[0].split("-"))
                parts = rows[k + 1 : k + 2 + last - first]
                start = at
                joined = "".join(p[1] for p in parts) == row[1]
                for p in parts:
                    ids[p[0]] = len(words)
                    end = start + len(p[1]) if joined else at + len(row[1])
                    words.append(_Word(p[1], p[3], p[7], p[9], None, start if joined else at, end, sentence))
                    start = end
                surface, misc, k = row[1], row[9] + "|" + parts[-1][9], k + 1 + len(parts)
            else:
                ids[row[0]] = len(words)
                words.append(_Word(row[1], row[3], row[7], row[9], None, at, at + len(row[1]), sentence))
                surface, misc, k = row[1], row[9], k + 1
            pieces.append(surface)
            at += len(surface)
            if k < len(rows) and _misc(misc, "SpaceAfter") != "No":
                pieces.append(" ")
                at += 1
        for row in rows:
            if "-" not in row[0] and row[6] != "0":
                words[ids[row[0]]].head = ids[row[6]]
    mentions: list[tuple[str, int, int]] = []
    links: dict[str, str] = {}
    open_: dict[str, list[int]] = {}
    edus: list[int] = []
    relations: list[tuple[str, int, int]] = []
    for index, word in enumerate(words):
        for opens, entity, title in _entity_marks(_misc(word.misc, "Entity") or ""):
            if opens:
                open_.setdefault(entity, []).append(index)
                if title:
                    links[entity] = title
            else:
                mentions.append((entity, open_[entity].pop(), index))
        if (discourse := _misc(word.misc, "Discourse")) is not None:
            edus.append(index)
            relation, _, rest = discourse.split(";")[0].partition(":")  # the primary relation only
            if "->" in rest:
                source, target = rest.split(":")[0].split("->")
                relations.append((relation, int(source), int(target)))
    text = "".join(pieces)
    return GumDocument(path.stem, meta, text, words, mentions, links, edus, relations)


_SUBJECTS = ("nsubj", "obl:agent", "nsubj:pass")  # who a cue reports, most direct first


def _edu_words(doc: GumDocument, edu: int) -> range:
    return range(doc.edus[edu - 1], doc.edus[edu] if edu < len(doc.edus) else len(doc.words))


def _subtree(doc: GumDocument, root: int, within: set[int]) -> list[int]:
    """The words of ``within`` that ``root`` dominates, itself included."""
    out = []
    for i in sorted(within):
        j: int | None = i
        while j is not None and j != root:
            j = doc.words[j].head
        if j == root:
            out.append(i)
    return out


def _span(doc: GumDocument, indices: Iterable[int]) -> Ranges:
    """Character ranges of runs of consecutive words, punctuation at the edges of each run left out."""
    runs: list[list[int]] = []
    for i in sorted(indices):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    for run in runs:
        kept = [i for i in run if doc.words[i].upos != "PUNCT"]
        if kept:
            out.append((doc.words[kept[0]].start, doc.words[kept[-1]].end))
    return tuple(out)


def _proper_names(doc: GumDocument, entity: str) -> list[str]:
    """The runs of proper nouns inside the mentions of ``entity``, longest first, leaving out words
    of other entities' mentions nested in them ("Campbell" in "Campbell's partner, Jason Louth")."""
    runs: list[list[int]] = []
    for ident, first, last in doc.mentions:
        if ident != entity:
            continue
        others = {
            i
            for other, f, la in doc.mentions
            if other != entity and first <= f and la <= last
            for i in range(f, la + 1)
        }
        words = doc.words
        proper = {i for i in range(first, last + 1) if i not in others and words[i].upos == "PROPN"}
        proper |= {  # a hyphen inside a name: "al-Amr", "El-Hassan"
            i
            for i in range(first + 1, last)
            if words[i].form == "-"
            and {i - 1, i + 1} <= proper
            and words[i - 1].end == words[i].start
            and words[i].end == words[i + 1].start
        }
        run: list[int] = []
        for i in range(first, last + 2):
            if i in proper:
                run.append(i)
                continue
            if run:
                runs.append(run)
            run = []
    runs.sort(key=lambda r: (-len(r), r[0]))
    return list(dict.fromkeys(doc.text[doc.words[r[0]].start : doc.words[r[-1]].end] for r in runs))


def gum_entity_names(doc: GumDocument, entity: str) -> tuple[str, ...]:
    """The names of a coreference chain, the one it is known by first: its Wikipedia title
    (without a disambiguation such as "(politician)"), else its longest proper-name mention. Then
    the other proper-name mentions the text uses for it that can name it alone: two words or
    more ("Cres Eastman" for Creswell Eastman, "World Health Organisation"), or an acronym ("AFP")."""
    written = _proper_names(doc, entity)
    title = doc.links.get(entity)
    first = [re.sub(r"\s*\([^)]*\)$", "", title.replace("_", " "))] if title else written[:1]
    alone = [n for n in written if " " in n or (len(n) > 1 and n.isupper())]
    return tuple(dict.fromkeys(first + alone))


def _content_edus(doc: GumDocument, units: dict[int, set[int]], source: int, target: int) -> range:
    """The EDUs of a content: the ``target`` unit, widened over the neighbouring EDUs that hang
    from it in the discourse tree ("that the plan fails | because ..."): within its sentences,
    and across sentences towards the frame (GUM attributes a quotation of several sentences to
    its head, which need not be the first), never across the frame or another attribution."""
    parent = {s: (t, r) for r, s, t in doc.relations}

    def inside(edu: int) -> bool:
        while edu not in units[target]:
            if edu in units[source] or edu not in parent or parent[edu][1].startswith("attribution"):
                return False
            edu = parent[edu][0]
        return True

    def sentence(edu: int) -> int:
        return doc.words[doc.edus[edu - 1]].sentence

    sentences = {sentence(e) for e in units[target]}
    first, last = min(units[target]), max(units[target])
    after, before = max(units[source]) < first, min(units[source]) > last  # where the frame is
    while first > 1 and (sentence(first - 1) in sentences or after) and inside(first - 1):
        first -= 1
    while last < len(doc.edus) and (sentence(last + 1) in sentences or before) and inside(last + 1):
        last += 1
    return range(first, last + 1)


def _attribution(doc: GumDocument, units: dict[int, set[int]], source: int, target: int) -> GoldStatement:
    """Content, source mention, cue and speaker name of one attribution relation: ``source``
    is the attributing EDU ("the minister said"), ``target`` the content EDU."""
    frame = units[source]
    content = {
        i
        for edu in _content_edus(doc, units, source, target)
        if edu not in frame  # a content split by its frame is scored on its parts
        for i in _edu_words(doc, edu)
    }
    words = {i for edu in frame for i in _edu_words(doc, edu)}
    roots = [i for i in sorted(words) if doc.words[i].head not in words]
    # the frame's main word: its verb, else its largest phrase ("and in the words of X")
    cue_root = next(
        (i for i in roots if doc.words[i].upos in {"VERB", "AUX"}),
        max(roots, key=lambda r: len(_subtree(doc, r, words))),
    )
    children = [i for i in sorted(words) if doc.words[i].head == cue_root]
    cue = [cue_root]
    subject = next((c for rel in _SUBJECTS for c in children if doc.words[c].deprel == rel), None)
    according = [c for c in children if doc.words[c].deprel == "case" and doc.words[c].form.lower() == "according"]
    if according:  # "according to X": the cue is "according to", X the source
        cue = according + [i for i in words if doc.words[i].head == according[0]]
        subject = cue_root
    elif subject is None and doc.words[cue_root].upos in {"NOUN", "PROPN", "PRON"}:
        # "his claim that", "in the words of X"; else a name beside a quotation ("— Rick Santorum")
        owners = [c for c in children if doc.words[c].deprel in {"nmod:poss", "nmod"}]
        subject = owners[0] if owners else cue_root
        cue = [] if subject == cue_root else cue
    # the source as written, without its case marker ("by X", "as Judge Gass")
    marker = {i for i in words if doc.words[i].head == subject and doc.words[i].deprel == "case"}
    mention = (
        [i for i in _subtree(doc, subject, words) if i not in cue and i not in marker] if subject is not None else []
    )
    names: tuple[str, ...] = ()
    if mention:
        around = [m for m in doc.mentions if m[1] <= subject <= m[2]]
        if around:  # the chain of the mention that fits the source words best
            entity = min(around, key=lambda m: abs(m[1] - mention[0]) + abs(m[2] - mention[-1]))[0]
            names = gum_entity_names(doc, entity)
    speaker = names[0] if names else None
    return GoldStatement(_span(doc, content), _span(doc, mention), _span(doc, cue), speaker, aliases=names[1:])


def gum_statements(doc: GumDocument) -> tuple[GoldStatement, ...]:
    """Every attribution relation of the document (``attribution-positive`` and ``-negative``,
    beliefs and perceptions included, as GUM annotates them) as a gold statement, but for media
    credits and author lines (:func:`_is_credit`). EDUs joined by ``same-unit`` are one unit: a
    content or frame that an insertion split is all its parts."""
    units = {edu: {edu} for edu in range(1, len(doc.edus) + 1)}
    for relation, source, target in doc.relations:
        if relation.startswith("same-unit"):
            joined = units[source] | units[target]
            for edu in joined:
                units[edu] = joined
    return tuple(
        _attribution(doc, units, source, target)
        for relation, source, target in doc.relations
        if relation.startswith("attribution") and not _is_credit(doc, units[source])
    )


_CREDIT_LABELS = {"image", "photo", "video", "audio"}
_CREDIT_WORDS = {"courtesy", "copyright"}


def _is_credit(doc: GumDocument, frame: set[int]) -> bool:
    """A media credit or an author line ("... Image: Nick Moreau.", "(courtesy of Google maps)",
    "Michiel Cock m.p.cock@vu.nl"): GUM attributes the caption to it, but nobody says anything."""
    first = doc.edus[min(frame) - 1]
    words = [doc.words[i].form for i in range(max(0, first - 2), first + 2)]
    labelled = any(a.lower() in _CREDIT_LABELS and b in {":", ";"} for a, b in zip(words, words[1:], strict=False))
    forms = [doc.words[i].form for edu in frame for i in _edu_words(doc, edu)]
    return labelled or any(f.lower() in _CREDIT_WORDS or "@" in f for f in forms)


def read_gum(folder: Path) -> Iterator[GoldDocument]:
    """The documents of a GUM folder (``*.conllu``, or a ``conllu/`` folder inside it), with
    title, date and genre as metadata."""
    files = sorted(folder.glob("*.conllu")) or sorted((folder / "conllu").glob("*.conllu"))
    if not files:
        raise EvaluationError(f"{folder}: no GUM .conllu files (in it or in its conllu/ folder)")
    for path in files:
        doc = read_gum_document(path)
        meta = {"genre": doc.meta.get("genre", "unknown")}
        if doc.meta.get("title"):
            meta["title"] = doc.meta["title"]
        if re.fullmatch(r"\d{4}-\d\d-\d\d", doc.meta.get("dateCreated", "")):
            meta["date"] = doc.meta["dateCreated"]
        yield GoldDocument(doc.name, doc.text, gum_statements(doc), meta)


# -- scoring -------------------------------------------------------------------------------------
def _length(r: Ranges) -> int:
    return sum(e - s for s, e in r)


def _overlap(a: Ranges, b: Ranges) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _strip(text: str, r: Ranges) -> Ranges:
    """Ranges without edge whitespace, so a trailing newline in an annotation does not count."""
    out = []
    for s, e in r:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def _agrees(a: Ranges, b: Ranges) -> bool:
    o = _overlap(a, b)
    return bool(a and b) and o * 2 >= _length(a) and o * 2 >= _length(b)


def _matches(kind: str, gold: Ranges, pred: Ranges) -> bool:
    o = _overlap(gold, pred)
    if kind == "exact":
        return gold == pred
    if kind == "overlap30":
        return o > 0.3 * _length(gold)
    return o >= 0.5 * _length(gold) and o >= 0.5 * _length(pred)


def _content_ranges(text: str, statement: Statement) -> Ranges:
    """What a statement reports. A quotation split by its frame (``"A," said X, a professor at Y.
    "B."``) is its quoted parts, marks included, as annotators mark it, not the frame between
    them; a content with its frame set off inside (``By 2030, X said, Y``) is the parts around it."""
    if statement.kind == "direct" and len(statement.quotes) > 1:
        return tuple((span.start, span.end) for span in (outer(q, text) for q in statement.quotes))
    return _strip(text, tuple((span.start, span.end) for span in statement.content_parts(text)))


def _equal_names(predicted: str | None, gold: GoldStatement) -> bool:
    return predicted == gold.speaker


def score_document(
    text: str,
    gold: Iterable[GoldStatement],
    predicted: Iterable[Statement],
    scores: dict[str, Score],
    same_name: Callable[[str | None, GoldStatement], bool] = _equal_names,
) -> None:
    """Match ``predicted`` to ``gold`` one to one under each matching of ``scores`` and add the
    counts; ``same_name`` says whether a resolved speaker names the gold speaker."""
    gold = [
        replace(g, content=_strip(text, g.content), source=_strip(text, g.source), cue=_strip(text, g.cue))
        for g in gold
    ]
    gold = [g for g in gold if g.content]
    # every prediction counts, transcript turns too: PolNeAR annotates an interview's "NAME:" lines
    preds = list(predicted)
    pred_ranges = [_content_ranges(text, p) for p in preds]
    for kind, score in scores.items():
        score.gold += len(gold)
        score.predicted += len(preds)
        pairs = sorted(
            (
                (_overlap(g.content, pr), gi, pi)
                for gi, g in enumerate(gold)
                for pi, pr in enumerate(pred_ranges)
                if _matches(kind, g.content, pr)
            ),
            reverse=True,
        )
        used_g: set[int] = set()
        used_p: set[int] = set()
        for _, gi, pi in pairs:
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            score.matched += 1
            g, p = gold[gi], preds[pi]
            if g.source:
                score.speaker_checked += 1
                mention = ((p.speaker_span.start, p.speaker_span.end),) if p.speaker_span else ()
                score.speaker_agreed += _agrees(g.source, mention)
            if g.cue:
                score.cue_checked += 1
                cue = ((p.cue_span.start, p.cue_span.end),) if p.cue_span else ()
                score.cue_agreed += _agrees(g.cue, cue)
            if g.speaker is not None:
                score.name_checked += 1
                score.name_agreed += same_name(p.speaker, g)
            if g.kind is not None:
                score.kind_checked += 1
                score.kind_agreed += p.kind == g.kind
            if g.act is not None:
                score.act_checked += 1
                score.act_agreed += p.act == g.act


def evaluate_groups(
    documents: Iterable[GoldDocument],
    groups: Callable[[GoldDocument], Iterable[str]] = lambda gold: ("all",),
    same_name: Callable[[str | None, GoldStatement], bool] = _equal_names,
) -> dict[str, dict[str, Score]]:
    """Run the pipeline over gold documents and score it under every matching, once for each
    group a document belongs to (``all``, its genre, ...), in the order groups first appear."""
    scores: dict[str, dict[str, Score]] = {}
    for gold, found in _run(documents):
        for group in groups(gold):
            into = scores.setdefault(group, {kind: Score() for kind in MATCHINGS})
            score_document(gold.text, gold.statements, found, into, same_name)
    return scores


def _run(documents: Iterable[GoldDocument]) -> Iterator[tuple[GoldDocument, tuple[Statement, ...]]]:
    """Each gold document with what the pipeline finds in its text."""
    golds: dict[int, GoldDocument] = {}

    def docs() -> Iterator:  # type: ignore[type-arg]
        for i, gold in enumerate(documents):
            golds[i] = gold
            yield from_text(gold.text, source=gold.name, **gold.meta)

    for i, item in enumerate(process(docs())):
        yield golds.pop(i), tuple(item.statements)


def evaluate(documents: Iterable[GoldDocument]) -> dict[str, Score]:
    """Run the pipeline over gold documents and score it under every matching."""
    return evaluate_groups(documents).get("all") or {kind: Score() for kind in MATCHINGS}


def evaluate_acts(documents: Iterable[GoldDocument], acts: Sequence[str] = DEFAULT_ACTS) -> dict[str, dict[str, Score]]:
    """Score every act (``all``, as :func:`evaluate`) and, from the same run, only ``acts`` (``say``):
    gold statements whose cue reports one of them (``GoldStatement.act``) against predictions of
    those acts. Gold without an act counts as ``say``."""
    wanted = set(acts)
    label = ",".join(acts)
    scores: dict[str, dict[str, Score]] = {group: {kind: Score() for kind in MATCHINGS} for group in ("all", label)}
    for gold, found in _run(documents):
        score_document(gold.text, gold.statements, found, scores["all"])
        score_document(
            gold.text,
            [g for g in gold.statements if (g.act or "say") in wanted],
            [p for p in found if p.act in wanted],
            scores[label],
        )
    return scores


def _name_words(name: str) -> list[str]:
    """A name compared loosely in form only: accents, case and punctuation dropped, a leading "the" too."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+", " ", plain.casefold()).split()
    return words[1:] if words[:1] == ["the"] else words


def same_entity_name(predicted: str | None, *names: str) -> bool:
    """Whether a resolved speaker is one of the gold entity's ``names``: after :func:`_name_words`,
    one of them ends with the whole predicted name. So "Hamdullah Mohib" and "Mohib" both name
    "Hamdullah Mohib", "Donald Trump" names "President Donald Trump"; "Mohib Hamdullah",
    "Hamdullah" (a first name), "US State Department" for "United States Department of State",
    or an unresolved speaker do not."""
    mine = _name_words(predicted or "")
    return bool(mine) and any(_name_words(name)[-len(mine) :] == mine for name in names)


def evaluate_gum(folder: Path) -> dict[str, dict[str, Score]]:
    """Score the pipeline on a GUM folder (see :func:`read_gum`): ``all`` and one entry per genre,
    each under every matching. The speaker name of a matched pair is right when
    :func:`same_entity_name` accepts the statement's resolved speaker for the name of the gold
    source's coreference chain (see :func:`gum_entity_names`: its title or longest proper name,
    or another name of two words or an acronym the text uses for it); pairs whose chain has no
    name are not counted."""
    scores = evaluate_groups(
        read_gum(folder),
        lambda gold: ("all", str(gold.meta["genre"])),
        lambda predicted, gold: same_entity_name(predicted, gold.speaker or "", *gold.aliases),
    )
    return {"all": scores.pop("all"), **dict(sorted(scores.items()))} if scores else {}


# -- labelled sets for the analyses: topics, shifts --------------------------------------------
@dataclass(slots=True)
class Tally:
    """True positives, false positives and false negatives of one class."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp) or 0.0

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn) or 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: set[str], expected: set[str]) -> None:
        self.tp += len(predicted & expected)
        self.fp += len(predicted - expected)
        self.fn += len(expected - predicted)

    def as_dict(self) -> dict[str, float | int]:
        return {"gold": self.gold, "tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}  # fmt: skip


def _labelled(path: Path, fields: set[str]) -> list[dict]:
    import yaml

    try:
        cases = safe_yaml.load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EvaluationError(f"{path}: cannot read the labelled set ({exc})") from exc
    if not isinstance(cases, list) or not all(isinstance(c, dict) and fields <= c.keys() for c in cases):
        raise EvaluationError(f"{path}: expected a list of cases with {', '.join(sorted(fields))}")
    return cases


def _tally(pairs: Iterable[tuple[set[str], set[str]]]) -> dict[str, Tally]:
    """Micro-averaged ``all`` plus one tally per class, over (predicted, expected) label sets."""
    scores: dict[str, Tally] = {"all": Tally()}
    for predicted, expected in pairs:
        scores["all"].add(predicted, expected)
        for label in predicted | expected:
            scores.setdefault(label, Tally()).add(predicted & {label}, expected & {label})
    return scores


def evaluate_topics(path: Path) -> dict[str, Tally]:
    """Topic assignment against hand-labelled statements (``text``, ``topics``)."""
    from onrecord.analyse.topics import TopicModel, load_taxonomy
    from onrecord.analyse.translation import cyrillic

    cases = _labelled(path, {"text", "topics"})
    found: list[list[tuple[str, float]]] = [[] for _ in cases]
    for other in (False, True):  # Russian statements by the multilingual model, as `topics apply` does
        part = [n for n, c in enumerate(cases) if cyrillic(c["text"]) is other]
        if part:
            assigned = TopicModel(load_taxonomy(), multilingual=other).assign([cases[n]["text"] for n in part])
            for n, f in zip(part, assigned, strict=True):
                found[n] = f
    return _tally(({t for t, _ in f}, set(c["topics"])) for f, c in zip(found, cases, strict=True))


def evaluate_shifts(path: Path) -> dict[str, Tally]:
    """Shift finding against labelled sequences (``said``: "YYYY-MM-DD  text" lines, or
    "YYYY-MM-DD @tag  text" for statements of one occasion; ``expect``: a kind or none). A case
    with ``compare: subject`` is placed in subjects first and compared within each, as
    ``onrecord shifts`` does; otherwise the sequence is one topic. A case's prediction is the set
    of shift kinds found anywhere in its sequence."""
    from onrecord.analyse import subjects
    from onrecord.analyse.embed import embedder
    from onrecord.analyse.shifts import Said, find_shifts

    cases = _labelled(path, {"said", "expect"})

    def said_of(lines: list[str]) -> list[Said]:
        tags: dict[str, int] = {}
        found = []
        for n, line in enumerate(lines):
            date, rest = line[:10], line[10:].strip()
            occasion = n
            if rest.startswith("@"):
                tag, rest = rest.split(None, 1)
                occasion = tags.setdefault(tag, len(lines) + len(tags))
            found.append(Said(n, date, rest, occasion=occasion))
        return found

    def predicted(case: dict) -> set[str]:
        said = said_of(case["said"])
        if case.get("compare") != "subject":
            return {shift.kind for shift in find_shifts(said, embedder())}
        groups: dict[int, list[Said]] = {}
        for s, k in zip(said, subjects.group([s.text for s in said]), strict=True):
            if k is not None:
                groups.setdefault(k, []).append(s)
        return {
            shift.kind for members in groups.values() for shift in find_shifts(members, embedder(), in_subject=True)
        }

    return _tally((predicted(c), {c["expect"]} - {"none"}) for c in cases)


def evaluate_subjects(path: Path) -> dict[str, Tally]:
    """Subjects against labelled statements: per speaker (``speaker``), what they said in order
    (``said``: ``text``, the ``subject`` it belongs to, an ``id``, and for a statement in another
    language the ``pair`` it translates or is translated as), placed as ``refresh`` places them.
    An accuracy is a tally whose misses are both a false positive and a false negative (a
    statement in the wrong subject is missing from the right one), so P = R = the accuracy; a
    statement placed in no subject is a false negative only (R below P):

    - ``purity``: statements in their subject's most common labelled subject;
    - ``same-subject pairs``: pairs of statements in one subject against pairs labelled so;
    - ``pairs across languages``: those of them in two languages;
    - ``with its translation``: statements with a ``pair`` placed in the pair's subject."""
    from onrecord.analyse import subjects
    from onrecord.analyse.translation import cyrillic

    cases = _labelled(path, {"speaker", "said"})
    scores = {
        name: Tally() for name in ("purity", "same-subject pairs", "pairs across languages", "with its translation")
    }
    for case in cases:
        said = case["said"]
        if not all(isinstance(s, dict) and {"text", "subject"} <= s.keys() for s in said):
            raise EvaluationError(f"{path}: each statement of {case['speaker']!r} needs a text and a subject")
        placed = subjects.group([s["text"] for s in said], speaker=str(case["speaker"]))
        gold = [s["subject"] for s in said]
        russian = [cyrillic(s["text"]) for s in said]
        members: dict[int, list[int]] = {}
        for n, k in enumerate(placed):
            if k is None:
                scores["purity"].fn += 1
            else:
                members.setdefault(k, []).append(n)
        for group in members.values():
            main = Counter(gold[n] for n in group).most_common(1)[0][1]
            scores["purity"].tp += main
            scores["purity"].fp += len(group) - main
            scores["purity"].fn += len(group) - main
        for a in range(len(said)):
            for b in range(a):
                together, expected = placed[a] is not None and placed[a] == placed[b], gold[a] == gold[b]
                for name in ("same-subject pairs", *(("pairs across languages",) if russian[a] != russian[b] else ())):
                    tally = scores[name]
                    tally.tp += together and expected
                    tally.fp += together and not expected
                    tally.fn += expected and not together
        by_id = {s["id"]: n for n, s in enumerate(said) if "id" in s}
        for n, s in enumerate(said):
            if "pair" in s:
                hit = placed[n] is not None and placed[n] == placed[by_id[s["pair"]]]
                scores["with its translation"].tp += hit
                scores["with its translation"].fp += not hit and placed[n] is not None
                scores["with its translation"].fn += not hit
    return scores


# -- provenance: reported sentences built from a real corpus at run time ------------------------
@dataclass(frozen=True, slots=True)
class TraceCase:
    file: str
    expect: str
    article: str  # the secondary sentence, built from the shared text and the case's recipe
    date: str | None


def _reported(case: dict, passage: str) -> str:
    """The secondary sentence a case describes, built from the primary ``passage``."""
    kind = case["expect"]
    if kind == "paraphrase":
        return f"Donald Trump said that {case['paraphrase']}."
    if kind == "unsupported":
        return (
            f'Donald Trump said: "{case["claim"]}"'
            if case.get("quoted")
            else f"Donald Trump said that {case['claim']}."
        )
    tokens = passage.split()
    if kind == "trimmed":
        kept: list[str] = []
        dropped = {i for a, b in case["drop"] for i in range(a, b + 1)}
        for i, token in enumerate(tokens):
            if i not in dropped:
                kept.append(token)
            elif case.get("ellipsis") and (i == 0 or i - 1 not in dropped):
                kept.append("...")
        tokens = kept
    elif kind == "altered":
        tokens = [str(case["change"].get(i, t)) for i, t in enumerate(tokens)]
    quote = " ".join(tokens)
    if case.get("style") == "lower":
        quote = quote[:1].lower() + quote[1:]
    if case.get("style") == "curly":
        return f"Donald Trump said: “{quote}”"
    return f'Donald Trump said: "{quote}"'


def read_trace_cases(path: Path, corpus: Path) -> tuple[list[TraceCase], list]:
    """The cases of a provenance set, and the primary documents they point into."""
    from datetime import date, timedelta

    from onrecord.ingest import read

    cases = _labelled(path, {"file", "start", "end", "expect"})
    primaries = {}
    built = []
    for case in cases:
        if case["file"] not in primaries:
            source = corpus / case["file"]
            if not source.exists():
                raise EvaluationError(f"{source}: not found; the provenance set needs the trump-campaign corpus")
            primaries[case["file"]] = next(d for d in read(str(source)) if not isinstance(d, Exception))
        document = primaries[case["file"]]
        passage = document.text[case["start"] : case["end"]]
        day = date.fromisoformat(document.date) + timedelta(days=1) if document.date else None
        built.append(TraceCase(case["file"], case["expect"], _reported(case, passage), day and day.isoformat()))
    return built, list(primaries.values())


def evaluate_trace(path: Path, corpus: Path) -> tuple[dict[str, Tally], list[tuple[TraceCase, str]]]:
    """Per-class precision and recall (recall = accuracy on the class) of ``onrecord trace``,
    and each case with the verdict it got."""
    from onrecord.analyse.trace import PrimaryIndex, Tracer

    cases, primaries = read_trace_cases(path, corpus)
    tracer = Tracer(PrimaryIndex.from_documents(primaries))
    articles = [from_text(c.article, date=c.date, title="report") for c in cases]
    verdicts = []
    for case, item in zip(cases, process(articles), strict=True):
        traced = tracer.trace(item.document, item.statements)
        verdicts.append((case, traced[0].verdict if traced else "no statement found"))
    return _tally(({v}, {c.expect}) for c, v in verdicts), verdicts


# -- the labelled cross-language trace set (issue 15) ----------------------------------------------------
def translation_class(verdict: str, flags: Sequence[str]) -> str:
    """A trace's class in the cross-language set: ``translated, flagged`` when a translation changed something
    (``translation.FLAGS``: a number, a negation, a hedge, a name, a time, an added clause; a trim's note is no
    change), else its verdict."""
    from onrecord.analyse.translation import FLAGS

    if verdict == "translated" and any(f.startswith(FLAGS) for f in flags):
        return "translated, flagged"
    return verdict


def traced_translations(
    path: Path, decide: Verdict | None = None, floor: float | None = None
) -> Iterator[tuple[str, str, str]]:
    """Each case of a labelled cross-language set (``primary``, ``date``, ``cases`` of ``report`` and ``expect``)
    traced, in order, as (report, expected, found). ``decide``: the tracer's decision on a report against its nearest
    sentence in the other language (``analyse.translation_verdict``), ``floor``: the margin score below which it is
    not asked (``Tracer``; None for either: the tracer's own)."""
    from onrecord.analyse.trace import PrimaryIndex, Tracer

    try:
        raw = safe_yaml.load(path.read_text(encoding="utf-8"))
        date, cases = str(raw["date"]), [(str(c["report"]), str(c["expect"])) for c in raw["cases"]]
        primary = from_text(str(raw["primary"]), source=f"{path}#primary", date=date)
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise EvaluationError(f"{path}: not a labelled translation set ({exc.__class__.__name__}: {exc})") from exc
    tracer = Tracer(PrimaryIndex.from_documents([primary]))
    if decide is not None:
        tracer.decide = decide
    if floor is not None:
        tracer.floor = floor
    for (report, expect), item in zip(cases, process(from_text(r, date=date) for r, _ in cases), strict=True):
        traced = tracer.trace(item.document, item.statements)
        yield report, expect, translation_class(traced[0].verdict, traced[0].flags) if traced else "no statement found"


def evaluate_translations(path: Path) -> tuple[dict[str, Tally], list[tuple[str, str, str]]]:
    """Per-class precision and recall of ``onrecord trace`` on English reports of a Russian primary
    text (:func:`traced_translations`), and each case as (report, expected, found)."""
    found = list(traced_translations(path))
    return _tally(({got}, {expect}) for _, expect, got in found), found
