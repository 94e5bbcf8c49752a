"""Who spoke, within one document: pronouns, surnames, titles and appositives -> one name.

Rules over plain data (the statements and entities the extractor handed on), applied in
reading order so a pronoun can lean on the speakers resolved before it:

1. a turn's speaker is its label; ``I``/``we`` inside a turn is that speaker;
2. ``I``/``we`` inside someone's quotation is that someone; outside, the byline author;
3. a name (``Petrova``, ``Ms. Petrova``) is the fullest form of that person in the document;
4. a relative pronoun (``who``) or a descriptor (``the foreign minister``) follows the
   appositive and title links the extractor found;
5. ``he``/``she`` is the most recent person that does not clash in gender;
6. an implicit continuation is spoken by the statement it continues;
7. organisations and places (``the Kremlin``, ``Moscow``) speak under their own names;
   anonymous sources (``officials``, ``a source``) stay unresolved (``None``).

The spaCy small model often tags a surname ORG or GPE, so an entity's type is voted
across all of its mentions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace

from onrecord.model import Document, Entity, Extraction, Span, Statement
from onrecord.resolve.names import (
    PRONOUNS,
    gender_of,
    is_proper,
    is_title,
    same_person,
    strip_name,
    surname,
    tokens,
)

FIRST_PERSON = {"i", "we", "my", "our", "me", "us"}
THIRD_PERSON = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


class DocumentResolver:
    def __init__(self, document: Document, extraction: Extraction) -> None:
        self.document = document
        self.text = document.text
        self.extraction = extraction
        self.persons = self._vote_persons(extraction.entities)
        self.person_mentions = sorted(
            (e.span.start, self.fullest(strip_name(e.text)))
            for e in extraction.entities
            if strip_name(e.text) in self.persons or surname(e.text) in self._surnames
        )
        self._resolved: list[tuple[int, str]] = []  # (position, name) of speakers resolved so far
        self.aliases = {(d.start, d.end): n for d, n in extraction.aliases}
        self.descriptors = [(d.of(self.text).lower(), n) for d, n in extraction.aliases]
        self.gender: dict[str, str] = {}
        for entity in extraction.entities:
            g = gender_of(entity.text) or gender_of(self.fullest(strip_name(entity.text)))
            if g:
                self.gender[self.fullest(strip_name(entity.text))] = g

    # -- names ---------------------------------------------------------------------------
    def _vote_persons(self, entities: tuple[Entity, ...]) -> set[str]:
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for e in entities:
            if e.label != "PROPN":  # untyped proper nouns do not vote
                votes[strip_name(e.text)][e.label] += 1
        persons = {
            name
            for name, c in votes.items()
            if c["PERSON"] >= max(c["ORG"], c["GPE"], 1) or c["PERSON"] * 2 >= sum(c.values())
        }
        # multi-word person names make their surnames persons, whatever the tagger said
        self._surnames = {surname(n) for n in persons if len(tokens(n)) > 1}
        persons |= {n for n in votes if len(tokens(n)) == 1 and surname(n) in self._surnames}
        return persons

    def is_person(self, name: str) -> bool:
        return name in self.persons or surname(name) in self._surnames or len(tokens(name)) > 1 and is_proper(name)

    def fullest(self, name: str) -> str:
        """The longest form of ``name`` the document gives: ``Petrova`` -> ``Anna Petrova``."""
        candidates = [p for p in self.persons if same_person(name, p)]
        return max(candidates, key=lambda p: (len(tokens(p)), len(p))) if candidates else name

    def name_for(self, span: Span, seen: frozenset[Span] = frozenset()) -> str | None:
        if span in seen:  # descriptor and alias links can form a cycle: follow each once
            return None
        seen = seen | {span}
        mention = span.of(self.text)
        linked = self.aliases.get((span.start, span.end))
        if linked is not None:
            return self.name_for(linked, seen)
        inside = [e for e in self.extraction.entities if span.contains(e.span)]
        people = [e for e in inside if strip_name(e.text) in self.persons]
        if people:
            return self.fullest(strip_name(people[0].text))
        descriptor = self._descriptor(mention, span.start, seen)
        if descriptor or is_title(mention):
            return descriptor or self.recent_person(span.start, None, self._resolved, speakers_only=True)
        if inside:
            # "the Nordmark government", "the Kremlin": the phrase names the body that speaks
            stripped = strip_name(mention)
            if stripped.lower().startswith("of "):  # "the foreign minister of Ruritania": an office, kept whole
                return re.sub(r"^(?:the|a|an)\s+", "", mention.strip(), flags=re.IGNORECASE)
            return stripped if len(tokens(stripped)) <= 4 else strip_name(inside[0].text)
        stripped = strip_name(mention)
        if is_proper(mention) and stripped.lower() not in PRONOUNS and self._written_as_name(stripped):
            return self.fullest(stripped)
        return None

    def _written_as_name(self, name: str) -> bool:
        """A capitalised word is a name when it is capitalised mid-sentence too ("Critics said" is not)."""
        if len(tokens(name)) > 1:
            return True
        return re.search(rf"[a-z,;] {re.escape(name)}\b", self.text) is not None

    def _descriptor(self, mention: str, at: int, seen: frozenset[Span]) -> str | None:
        words = tokens(mention.lower())
        while words and words[0] in {"the", "a", "an"}:
            words = words[1:]
        if not words:
            return None
        phrase = " ".join(words)
        found = None
        for descriptor, name in self.descriptors:
            if name.start >= at and found is None and not is_title(mention):
                continue
            d = descriptor.removeprefix("the ")
            if d == phrase or d.endswith(" " + phrase) or (len(words) == 1 and d.split()[-1:] == words):
                found = self.name_for(name, seen) or found
        return found

    # -- pronouns ------------------------------------------------------------------------
    def recent_person(
        self, before: int, gender: str | None, resolved: list[tuple[int, str]], speakers_only: bool = False
    ) -> str | None:
        """The most recent compatible speaker in the last paragraphs, else the most recent person named."""
        window = [c for c in resolved if before - 800 <= c[0] < before]
        pools = [window] if speakers_only else [window, [m for m in self.person_mentions if m[0] < before]]
        for pool in pools:
            for _, name in reversed(sorted(pool)):
                if name and self.is_person(name) and (gender is None or self.gender.get(name, gender) == gender):
                    return name
        return None

    # -- statements ----------------------------------------------------------------------
    def resolve(self) -> list[Statement]:
        statements = list(self.extraction.statements)
        by_index = {s.index: s for s in statements}
        resolved_at = self._resolved
        out: list[Statement] = []
        for s in statements:
            speaker = self._speaker(s, by_index, out, resolved_at)
            if speaker and s.kind not in {"turn", "author"} and s.nested_in is None:
                resolved_at.append(((s.speaker_span or s.content_span).start, speaker))
            s = replace(s, speaker=speaker)
            by_index[s.index] = s
            out.append(s)
        return out

    def _speaker(
        self, s: Statement, by_index: dict[int, Statement], done: list[Statement], resolved_at: list[tuple[int, str]]
    ) -> str | None:
        if s.kind == "turn":
            return s.speaker
        mention = (s.speaker_mention or "").strip().lower()
        if s.speaker_span is None:
            previous = [
                p for p in done if p.kind not in {"turn", "author"} and p.speaker and p.nested_in == s.nested_in
            ]
            if s.kind == "implicit" and previous:
                return previous[-1].speaker
            if s.kind == "author":
                return self.document.author
            return None
        if mention == "you" and s.nested_in is not None and by_index[s.nested_in].kind == "turn":
            return self._interlocutor(by_index[s.nested_in], by_index)
        if mention in FIRST_PERSON:
            parent = by_index.get(s.nested_in) if s.nested_in is not None else None
            if parent is not None and parent.speaker:
                return parent.speaker
            return self.document.author if s.kind == "author" else None
        if mention in THIRD_PERSON:
            name = self.recent_person(s.speaker_span.start, THIRD_PERSON[mention], resolved_at)
            if name and name not in self.gender:
                self.gender[name] = THIRD_PERSON[mention]
            return name
        if mention in PRONOUNS:
            return None
        if " and " in mention and not self._inside_entity(s.speaker_span):
            return self._joint(s.speaker_span, resolved_at)
        return self.name_for(s.speaker_span)

    @staticmethod
    def _interlocutor(turn: Statement, by_index: dict[int, Statement]) -> str | None:
        """Who "you" is in a turn: the nearest turn by someone else, before it, else after it."""
        turns = [t for t in sorted(by_index.values(), key=lambda t: t.index) if t.kind == "turn"]
        at = next(i for i, t in enumerate(turns) if t.index == turn.index)
        others = [*reversed(turns[:at]), *turns[at + 1 :]]
        return next((t.speaker for t in others if t.speaker and t.speaker != turn.speaker), None)

    def _inside_entity(self, span: Span) -> bool:
        """``and`` inside one name (``Johnson and Johnson``) does not make two speakers."""
        return any(
            e.span.start <= span.start and " and " in e.text for e in self.extraction.entities if e.span.overlaps(span)
        )

    def _joint(self, span: Span, resolved_at: list[tuple[int, str]]) -> str | None:
        """``He and the minister`` -> ``Viktor Oram and Anna Petrova``; None unless every part resolves."""
        text = span.of(self.text)
        names: list[str] = []
        start = span.start
        for part in text.split(" and "):
            for piece in part.split(", "):
                piece_start = self.text.index(piece, start)
                start = piece_start + len(piece)
                words = piece.strip().lower()
                if not words:
                    continue
                if words in THIRD_PERSON:
                    name = self.recent_person(piece_start, THIRD_PERSON[words], resolved_at)
                else:
                    name = self.name_for(Span(piece_start, piece_start + len(piece)))
                if not name or name in names:
                    return None
                names.append(name)
        return " and ".join(names) if len(names) > 1 else None


def resolve_document(document: Document, extraction: Extraction) -> list[Statement]:
    """The extraction's statements with ``speaker`` set to the fullest name, or None."""
    return DocumentResolver(document, extraction).resolve()
