"""Accuracy against gold annotations: PolNeAR (BRAT standoff) and onrecord's own gold JSONL.

Sits above the pipeline (it runs ingest -> extract -> resolve on the gold texts) and below
the CLI. Three matchings of predicted to gold content, one-to-one, greedy by overlap:

- ``exact``: the same character span;
- ``overlap30``: the predicted content covers more than 30% of the gold content;
- ``both50``: the overlap is at least 50% of the gold and at least 50% of the predicted content.

On matched pairs, speaker agreement (the predicted speaker mention overlaps at least half of the
gold source and vice versa) and cue agreement (same test on the cue) are reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from onrecord import safe_yaml
from onrecord.errors import EvaluationError
from onrecord.extract.quotes import outer
from onrecord.ingest import from_text
from onrecord.model import Statement
from onrecord.pipeline import process

Ranges = tuple[tuple[int, int], ...]
MATCHINGS = ("exact", "overlap30", "both50")


@dataclass(frozen=True, slots=True)
class GoldStatement:
    content: Ranges
    source: Ranges = ()
    cue: Ranges = ()
    speaker: str | None = None
    kind: str | None = None


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
        gold.append(GoldStatement(content=content[1], source=source, cue=cue))
    return tuple(gold)


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
                gold.append(GoldStatement(content, mention, cue, s.get("speaker"), s.get("kind")))
        except (KeyError, ValueError) as exc:
            raise EvaluationError(f"{path}: record {name!r}: {exc}") from exc
        meta = {k: v for k, v in record.items() if k in {"author", "date", "title", "outlet"}}
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
            meta = {k: v for k, v in record.items() if k in {"author", "date", "title", "outlet"}}
            yield GoldDocument(str(record.get("id", number)), record["text"], statements, meta)
        except (KeyError, TypeError, ValueError) as exc:
            raise EvaluationError(f"{path}:{number}: not a gold record ({exc.__class__.__name__}: {exc})") from exc


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
    "B."``) is its quoted parts, as annotators mark it, not the frame between them."""
    if statement.kind == "direct" and len(statement.quotes) > 1:
        return tuple((span.start, span.end) for span in (outer(q, text) for q in statement.quotes))
    return _strip(text, ((statement.content_span.start, statement.content_span.end),))


def score_document(
    text: str, gold: Iterable[GoldStatement], predicted: Iterable[Statement], scores: dict[str, Score]
) -> None:
    gold = [
        GoldStatement(_strip(text, g.content), _strip(text, g.source), _strip(text, g.cue), g.speaker, g.kind)
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
                score.name_agreed += p.speaker == g.speaker
            if g.kind is not None:
                score.kind_checked += 1
                score.kind_agreed += p.kind == g.kind


def evaluate(documents: Iterable[GoldDocument]) -> dict[str, Score]:
    """Run the pipeline over gold documents and score it under every matching."""
    scores = {kind: Score() for kind in MATCHINGS}
    golds: dict[int, GoldDocument] = {}

    def docs() -> Iterator:  # type: ignore[type-arg]
        for i, gold in enumerate(documents):
            golds[i] = gold
            yield from_text(gold.text, source=gold.name, **gold.meta)

    for i, item in enumerate(process(docs())):
        gold = golds.pop(i)
        score_document(gold.text, gold.statements, item.statements, scores)
    return scores


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

    cases = _labelled(path, {"text", "topics"})
    found = TopicModel(load_taxonomy()).assign([c["text"] for c in cases])
    return _tally(({t for t, _ in f}, set(c["topics"])) for f, c in zip(found, cases, strict=True))


def evaluate_shifts(path: Path) -> dict[str, Tally]:
    """Shift finding against labelled sequences (``said``: "YYYY-MM-DD  text" lines, ``expect``: a kind or none).
    A case's prediction is the set of shift kinds found anywhere in its sequence."""
    from onrecord.analyse.embed import embedder
    from onrecord.analyse.shifts import Said, find_shifts

    cases = _labelled(path, {"said", "expect"})

    def predicted(case: dict) -> set[str]:
        said = [Said(n, line[:10], line[10:].strip()) for n, line in enumerate(case["said"])]
        return {shift.kind for shift in find_shifts(said, embedder())}

    return _tally((predicted(c), {c["expect"]} - {"none"}) for c in cases)


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
