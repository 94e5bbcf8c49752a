"""Who spoke, within one Russian document (issue 15): mentions -> one nominative name.

Sits beside ``document.py`` (the English rules) and is chosen by ``Document.lang``. It works on
the plain data the extractor hands on: each named entity carries its nominative form
(``Entity.normal``: ``Лаврова`` -> ``Лавров``, worked out by natasha inside extract/), so no
morphology is needed here. Rules, in reading order:

1. a turn's speaker is its label, at its fullest in the document (``С.В.Лавров`` -> ``Сергей Лавров``);
   an answer (``Ответ:``) is by the person the heading above the turns names;
2. ``я``/``мы`` inside a turn or a quotation is its speaker; ``вы`` in a turn is the other party;
3. a mention holding a person's name is that name at its fullest (the longest name in the
   document with the same surname); an organisation or place speaks under its nominative name;
4. a descriptor (``министр``, ``глава МИД``) follows the appositive links the extractor found;
5. ``он``/``она`` is the most recent speaker or person of that gender before it;
6. a continuation is spoken by the statement it continues; anonymous sources stay unresolved.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace

from onrecord.model import Document, Entity, Extraction, Span, Statement

ANSWER_LABELS = {"Ответ", "A", "Answer"}
FIRST_PERSON = {"я", "мы", "меня", "нас", "мне", "нам"}
SECOND_PERSON = {"вы", "ты", "вас", "вам"}
THIRD_PERSON = {"он": "m", "она": "f", "его": "m", "её": "f", "ее": "f"}
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
_EMPHASIS = re.compile(r"\s*(?:(?:сам|сама|само|сами|лично|даже|и|также|тоже)\s+)+", re.IGNORECASE)
_STEM = 5  # words compared by their first letters: "министра" and "министр" are one descriptor
# Titles a report refers back to its last speaker by ("Как отметил Соколов, … Министр добавил …"); an
# anonymous "источник" or "эксперт" is nobody in particular and is not among them
TITLES = frozenset(
    w[:_STEM]
    for w in (
        "министр", "президент", "премьер", "премьер-министр", "посол", "губернатор", "мэр", "канцлер",
        "председатель", "спикер", "генсек", "генерал", "глава", "депутат", "сенатор", "дипломат",
    )
)  # fmt: skip


def surname(name: str) -> str:
    """The last word of a name, initials dropped: ``С.В.Лавров`` -> ``Лавров``."""
    words = [w for w in _WORD.findall(name) if len(w) > 1]
    return words[-1] if words else name


def verb_gender(verb: str) -> str | None:
    """``f`` or ``m`` for a verb in the past tense, which agrees with its subject's gender (``заявила``,
    ``отверг``); None for other forms (``заявляет``, ``заявили``)."""
    verb = verb.lower().removesuffix("ся").removesuffix("сь")
    if verb.endswith("ла"):
        return "f"
    if verb.endswith(("л", "г", "к", "з", "с")):  # заявил, отверг, мог, вёз, нёс
        return "m"
    return None


def gender(name: str) -> str | None:
    """``f`` for a Russian surname or first name in a feminine form (``Захарова``, ``Мария``), ``m``
    for a masculine one, None when it does not tell."""
    last = surname(name).lower()
    if last.endswith(("ова", "ева", "ёва", "ина", "ына", "ская", "цкая", "ая")):
        return "f"
    if last.endswith(("ов", "ев", "ёв", "ин", "ын", "ский", "цкий", "ой", "ий")):
        return "m"
    return None


class RussianResolver:
    """Resolves the speakers of one Russian document's statements (see the module docstring)."""

    def __init__(self, document: Document, extraction: Extraction, check: Callable[[], None] | None = None) -> None:
        self.document, self.extraction = document, extraction
        self.text = document.text
        self.check = check or (lambda: None)
        self.entities = _voted(sorted(extraction.entities, key=lambda e: e.span.start))
        self.starts = [e.span.start for e in self.entities]
        persons = [self._normal(e) for e in self.entities if e.label == "PERSON"]
        self.fullest_by_surname: dict[str, str] = {}
        for name in persons:
            key = surname(name).lower()
            known = self.fullest_by_surname.get(key)
            if known is None or len(name.split()) > len(known.split()):
                self.fullest_by_surname[key] = name
        # "Интервью министра … Анны Беловой" above the turns: who the answers (``Ответ:``) are by
        first_turn = min((t.label_span.start for t in document.turns), default=0)
        header = [e for e in self.entities if e.label == "PERSON" and e.span.end <= first_turn]
        named = max(header, key=lambda e: len(self._normal(e).split()), default=None)  # a full name over a stray word
        self.interviewee = self.fullest(self._normal(named)) if named else None
        self.persons_at = sorted(
            (e.span.start, self.fullest(self._normal(e))) for e in self.entities if e.label == "PERSON"
        )

    @staticmethod
    def _normal(entity: Entity) -> str:
        return (entity.normal or entity.text).strip()

    def fullest(self, name: str) -> str:
        """The fullest form of ``name`` the document gives (same surname), else ``name``."""
        return self.fullest_by_surname.get(surname(name).lower(), name)

    def _inside(self, span: Span) -> list[Entity]:
        low = bisect.bisect_left(self.starts, span.start)
        high = bisect.bisect_left(self.starts, span.end)
        return [e for e in self.entities[low:high] if e.span.end <= span.end]

    def _named(self, span: Span) -> str | None:
        """The name a mention holds: its last person (the name a title stands before), else its
        first organisation or place, nominative."""
        inside = self._inside(span)
        written = span.of(self.text)
        # the name starts the mention after an emphasis ("Сам Васильев", "даже Миронова")
        lead = _EMPHASIS.match(written)
        start = span.start + (lead.end() if lead else len(written) - len(written.lstrip()))
        # a person named at the mention's start, or the name a title stands before (an appositive link);
        # not one in a dependent phrase ("представитель министерства Руритании" is nobody named)
        persons = [
            e
            for e in inside
            if e.label == "PERSON"
            and (e.span.start == start or any(name.overlaps(e.span) for _, name in self.extraction.aliases))
        ]
        if persons:
            return self.fullest(self._normal(persons[-1]))
        others = [e for e in inside if e.label in {"ORG", "GPE"}]
        if others:
            entity = others[0]
            normal = self._normal(entity)
            # "Национального банка Руритании" -> "Национальный банк Руритании": the entity in the
            # nominative, and what follows it in the mention as written (its dependents keep their case)
            rest = self.text[entity.span.end : span.end].rstrip()
            if entity.span.start == span.start and len(rest) <= 20:
                return normal + rest
            # "Представитель министерства обороны Руритании": someone unnamed of a place speaks, not the place
        return None

    def _descriptor(self, span: Span) -> str | None:
        """A title or description the document linked to a name (``министр`` after ``министр
        иностранных дел России Сергей Лавров``): the latest link before it sharing its first word."""
        words = [w.lower()[:_STEM] for w in _WORD.findall(span.of(self.text))]
        if not words:
            return None
        best = None
        for descriptor, name in self.extraction.aliases:
            if descriptor.start > span.start and not descriptor.overlaps(span):
                continue
            linked = {w.lower()[:_STEM] for w in _WORD.findall(descriptor.of(self.text))}
            if words[0] in linked:
                resolved = self._named(name) or name.of(self.text)
                best = (descriptor.start, resolved) if best is None or descriptor.start > best[0] else best
        return best[1] if best else None

    def _recent(self, at: int, wanted: str | None, spoke: list[tuple[int, str]]) -> str | None:
        """The most recent speaker, else person named, before ``at`` whose gender fits."""
        for pool in (spoke, self.persons_at):
            for _start, name in reversed(pool[: bisect.bisect_left(pool, (at, ""))]):
                if wanted is None or gender(name) in (None, wanted):
                    return name
        return None

    def resolve(self) -> list[Statement]:
        statements = list(self.extraction.statements)
        by_index: dict[int, Statement] = {}
        spoke: list[tuple[int, str]] = []
        last_speaker: str | None = None
        turns = [s for s in statements if s.kind == "turn"]
        out = []
        for s in statements:
            self.check()
            speaker = self._speaker(s, by_index, spoke, last_speaker, turns)
            if speaker and s.kind not in {"turn", "author"} and s.nested_in is None:
                bisect.insort(spoke, ((s.speaker_span or s.content_span).start, speaker))
                last_speaker = speaker
            s = replace(s, speaker=speaker)
            by_index[s.index] = s
            out.append(s)
        return out

    def _speaker(
        self,
        s: Statement,
        by_index: dict[int, Statement],
        spoke: list[tuple[int, str]],
        last: str | None,
        turns: list[Statement],
    ) -> str | None:
        if s.kind == "turn":
            if s.speaker:
                return self.fullest(s.speaker)
            return self.interviewee if (s.speaker_mention or "") in ANSWER_LABELS else None
        parent = by_index.get(s.nested_in) if s.nested_in is not None else None
        if s.speaker_span is None:
            if s.kind == "implicit":
                return last
            if s.kind == "author":
                return self.document.author
            return None
        mention = s.speaker_mention.strip().lower() if s.speaker_mention else ""
        if mention in FIRST_PERSON:
            if parent is not None and parent.speaker:
                return parent.speaker
            return self.document.author if s.kind == "author" else None
        if mention in SECOND_PERSON:
            if parent is not None and parent.kind == "turn":
                return _other_party(parent, turns, by_index)
            return None
        if mention in THIRD_PERSON:
            return self._recent(s.speaker_span.start, THIRD_PERSON[mention], spoke)
        return self._named(s.speaker_span) or self._descriptor(s.speaker_span) or self._title(s, spoke)

    def _title(self, s: Statement, spoke: list[tuple[int, str]]) -> str | None:
        """A bare title (``Министр добавил``) the document links to no name: the most recent speaker,
        when the verb's gender fits (``Премьер отверг`` after ``Орлова`` is someone else)."""
        words = _WORD.findall(s.speaker_mention or "")
        if len(words) != 1 or words[0].lower()[:_STEM] not in TITLES or s.speaker_span is None:
            return None
        wanted = verb_gender(s.cue or "")
        before = spoke[: bisect.bisect_left(spoke, (s.speaker_span.start, ""))]
        if not before or wanted is None:
            return None
        name = before[-1][1]
        return name if gender(name) in (None, wanted) else None


def _voted(entities: list[Entity]) -> list[Entity]:
    """One-word entities typed by the vote of all their mentions (by the start of the word, so case
    endings agree): the recogniser sometimes reads a place in the genitive (``Руритании``) as a person."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for e in entities:
        if len(e.text.split()) == 1:
            votes[e.text.lower()[:_STEM]][e.label] += 1
    out = []
    for e in entities:
        tally = votes.get(e.text.lower()[:_STEM]) if len(e.text.split()) == 1 else None
        if tally and e.label == "PERSON" and tally["GPE"] + tally["ORG"] > tally["PERSON"]:
            e = replace(e, label="GPE")
        out.append(e)
    return out


def _other_party(turn: Statement, turns: list[Statement], done: dict[int, Statement]) -> str | None:
    """Who ``вы`` is in a turn: the nearest turn by someone else, before it, else after it."""
    speaker = done.get(turn.index, turn).speaker
    before = [t for t in turns if t.index < turn.index][::-1]
    after = [t for t in turns if t.index > turn.index]
    for t in before + after:
        name = done.get(t.index, t).speaker
        if name and name != speaker:
            return name
    return None


def resolve_russian(
    document: Document, extraction: Extraction, *, check: Callable[[], None] | None = None
) -> list[Statement]:
    """The extraction's statements with ``speaker`` set to a nominative name, or None."""
    return RussianResolver(document, extraction, check).resolve()
