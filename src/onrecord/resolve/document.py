"""Who spoke, within one document: pronouns, surnames, titles and appositives -> one name.

Rules over plain data (the statements and entities the extractor handed on), applied in
reading order so a pronoun can lean on the speakers resolved before it:

1. a turn's speaker is its label; ``I``/``we`` inside a turn is that speaker;
2. ``I``/``we`` inside someone's quotation is that someone; outside, the byline author;
3. a mention's name is the proper name at its head: never a possessor (``Campbell's partner,
   Jason Louth``) nor a name in a dependent phrase (``an expert who writes about the Kremlin``),
   without titles or descriptions (``Mathematician Hermann Weyl``);
   a name (``Petrova``, ``Ms. Petrova``, a first name) is the fullest form of that person in the
   document, and of two namesakes (``Erik Karlsson``, ``Melker Karlsson``) the compatible one
   (``Mrs.``) who spoke last, else who was named last before;
   ``A and B`` is both when each is a name, pronoun or title; a group (``Cruz and his aides``)
   is nobody in particular, and one described with "and" (``oil and gas worker Mike Wipf``)
   is the name at its head;
4. a relative pronoun (``who``) or a descriptor (``the foreign minister``) follows the
   appositive and title links the extractor found;
5. ``he``/``she`` is the most recent person that does not clash in gender and is not named in
   the statement itself ("He said, 'Andy Warhol was a legend'" is not Warhol);
6. an implicit continuation is spoken by the statement it continues;
7. organisations and places (``the Kremlin``, ``Moscow``) speak under their own names;
   anonymous sources (``officials``, ``a source``) stay unresolved (``None``);
8. a credit line (``Karin Holm / Nordvale Herald``) names nobody in the story;
9. in a question-and-answer interview printed without speaker labels (:func:`qa_interview`),
   the first person in an answer is the interviewee, in their own words (``direct``), and
   ``you`` in a question is the interviewee too.

The spaCy small model often tags a surname ORG or GPE, so an entity's type is voted
across all of its mentions.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from onrecord.model import Document, Entity, Extraction, Span, Statement
from onrecord.resolve.names import (
    DEPENDENT,
    HONORIFICS,
    PRONOUNS,
    gender_of,
    head_name,
    is_credit,
    is_first_name,
    is_proper,
    is_title,
    proper_name,
    same_person,
    strip_name,
    surname,
    tokens,
)

FIRST_PERSON = {"i", "we", "my", "our", "me", "us"}
THIRD_PERSON = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}


class DocumentResolver:
    """Resolves one document's speakers. Every lookup is indexed or memoised, so the work grows
    with the document, not with the product of its statements, entities and descriptors."""

    def __init__(self, document: Document, extraction: Extraction, check: Callable[[], None] | None = None) -> None:
        self.document = document
        self.text = document.text
        self.extraction = extraction
        self.check = check or (lambda: None)  # raises when the document's time budget is spent
        # a credit line ("Karin Holm / Nordvale Herald") is nobody in the story: not a person, not an antecedent
        self._credits = {e.span for e in extraction.entities if is_credit(self.text, e.span.start, e.span.end)}
        named = [e for e in extraction.entities if e.span not in self._credits]
        self.persons = self._vote_persons(named)
        # persons by surname, in the set's own order: a name is compared with its namesakes only
        self._namesakes: dict[str, list[str]] = defaultdict(list)
        # multi-word persons by given name, for a person called by the first name only ("Thomas" of "Thomas Sam")
        self._by_given: dict[str, list[str]] = defaultdict(list)
        for person in sorted(self.persons):
            self._namesakes[surname(person)].append(person)
            if len(tokens(person)) > 1:
                self._by_given[tokens(person)[0].lower()].append(person)
        # where each full form is written, so a shared surname goes to the namesake named last before it
        self._written_at: dict[str, list[int]] = defaultdict(list)
        for e in sorted(named, key=lambda e: e.span.start):
            if (name := self._proper(e.text)) in self.persons and len(tokens(name)) > 1:
                self._written_at[name].append(e.span.start)
        self._fullest: dict[str, list[str]] = {}
        self.person_mentions = sorted(
            (e.span.start, self.fullest(self._proper(e.text), e.span.start))
            for e in named
            if self._proper(e.text) in self.persons or surname(e.text) in self._surnames
        )
        self._resolved: list[tuple[int, str]] = []  # (position, name) of speakers resolved so far, kept sorted
        self._spoke_at: dict[str, list[int]] = defaultdict(list)  # the same, by name
        self.aliases = {(d.start, d.end): n for d, n in extraction.aliases}
        for s in extraction.statements:
            # "Solvik: Nordvale Stays in the Council": a name inside what someone said is not who they are
            link = self.aliases.get((s.speaker_span.start, s.speaker_span.end)) if s.speaker_span else None
            if link is not None and s.speaker_span is not None and s.content_span.contains(link):
                del self.aliases[(s.speaker_span.start, s.speaker_span.end)]
        self.descriptors = [(d.of(self.text).lower(), n) for d, n in extraction.aliases]
        # descriptors by their last word: a mention can only match those ending in its own last word
        self._by_last_word: dict[str, list[tuple[str, Span]]] = defaultdict(list)
        for descriptor, name in self.descriptors:
            d = descriptor.removeprefix("the ")
            if d.split():
                self._by_last_word[d.split()[-1]].append((d, name))
        self._matching: dict[str, list[Span]] = {}  # phrase -> names of the descriptors it matches
        self._phrase_names: dict[str, tuple[str | None, int]] = {}  # phrase -> (last name, first position)
        self._pure: dict[Span, str | None] = {}  # name_for results that depend on the span alone
        # entities by start, for the few that sit inside or around one mention
        entities = extraction.entities
        self._entity_order = sorted(range(len(entities)), key=lambda i: entities[i].span.start)
        self._entity_starts = [entities[i].span.start for i in self._entity_order]
        self._longest_entity = max((len(e.span) for e in entities), default=0)
        self._written: dict[str, bool] = {}
        self._last_speaker: dict[int | None, str] = {}  # at each nesting, for an implicit continuation
        self._across: dict[int, tuple[str | None, str | None]] | None = None  # "you" in each turn
        self.gender: dict[str, str] = {}
        for entity in named:
            name = self.fullest(self._proper(entity.text), entity.span.start)
            if g := gender_of(entity.text) or gender_of(name):
                self.gender[name] = g
        self._index_genders()

    # -- names ---------------------------------------------------------------------------
    def _vote_persons(self, entities: list[Entity]) -> set[str]:
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for e in entities:
            if e.label != "PROPN":  # untyped proper nouns do not vote
                votes[proper_name(e.text)][e.label] += 1
        persons = {
            name
            for name, c in votes.items()
            if c["PERSON"] >= max(c["ORG"], c["GPE"], 1) or c["PERSON"] * 2 >= sum(c.values())
        }
        # multi-word person names make their surnames persons, whatever the tagger said, and so
        # their family ("Karl Vessel and his wife Marta Vessel": a given name and that surname)
        self._surnames = {surname(n) for n in persons if len(tokens(n)) > 1}
        persons |= {
            n for n in votes if surname(n) in self._surnames and (len(tokens(n)) == 1 or is_first_name(tokens(n)[0]))
        }
        # "Crooked Hillary Clinton", "Rival Hillary Clinton": words before a person's own name are
        # a description of them, whatever the words
        self._tails: dict[str, str] = {}
        for name in persons:
            words = tokens(name)
            for i in range(1, len(words) - 1):
                if is_first_name(words[i]) and (tail := " ".join(words[i:])) in persons:
                    if not any(is_first_name(w) for w in words[:i]):  # "Aung San Suu Kyi" is all name
                        self._tails[name] = tail
                    break
        return persons - set(self._tails)

    def _proper(self, mention: str) -> str:
        """The proper name of a mention (:func:`proper_name`), the person's own name for a described one."""
        name = proper_name(mention)
        return self._tails.get(name, name)

    def is_person(self, name: str) -> bool:
        """A person the tagger voted for, one of their family, or an untagged name led by a given
        name: "Childish Recollections" (a poem) or "Saudi Interior Ministry" is no "he"."""
        words = tokens(name)
        return (
            name in self.persons
            or surname(name) in self._surnames
            or (len(words) > 1 and is_proper(name) and is_first_name(words[0].rstrip(".")))
        )

    def fullest(self, name: str, at: int | None = None, gender: str | None = None) -> str:
        """The longest form of ``name`` the document gives: ``Petrova`` -> ``Anna Petrova``. When
        two people share it (``Erik Karlsson``, ``Melker Karlsson``), the one of ``gender`` ("Mrs.
        Clinton") written last before ``at`` (else first after it): the nearest compatible
        antecedent, not the first or the longest namesake."""
        if name not in self._fullest:
            found = [p for p in self._namesakes.get(surname(name), ()) if same_person(name, p)]
            given = self._by_given.get(name.lower(), [])
            if found in ([], [name]) and len(given) == 1 and len(tokens(name)) == 1 and is_first_name(name):
                # "Thomas" for "Thomas Sam", not his wife Manju Sam: a given name only one person has
                found = given
            # the longest forms only: "Anna Petrova" is one person with "Anna Maria Petrova"
            self._fullest[name] = [p for p in found if not any(p != q and same_person(p, q) for q in found)]
        forms = self._fullest[name]
        if not forms:
            return name
        if len(forms) > 1 and gender:
            forms = [p for p in forms if gender_of(p) in (None, gender)] or forms
        if len(forms) == 1 or at is None:
            return max(forms, key=lambda p: (len(tokens(p)), len(p)))
        before = [(w[i - 1], p) for p in forms if (w := self._written_at.get(p)) and (i := bisect.bisect_left(w, at))]
        after = [(self._written_at[p][0], p) for p in forms if self._written_at.get(p)]
        if before or after:
            return max(before)[1] if before else min(after)[1]
        return max(forms, key=lambda p: (len(tokens(p)), len(p)))

    def _entities_in(self, start: int, end: int) -> list[Entity]:
        """Entities that start in ``[start, end]``, in the extraction's order."""
        lo = bisect.bisect_left(self._entity_starts, start)
        hi = bisect.bisect_right(self._entity_starts, end)
        entities = self.extraction.entities
        return [entities[i] for i in sorted(self._entity_order[lo:hi])]

    def name_for(self, span: Span) -> str | None:
        """The name the mention at ``span`` stands for, following alias and descriptor links."""
        return self._name_for(span, _Lookup())[0]

    def _name_for(self, span: Span, call: _Lookup) -> tuple[str | None, bool]:
        """``span``'s name, and whether it depends on ``span`` alone ("pure": kept for the whole
        document). Each span is worked out once per call, so linked descriptors cost their
        number, not the number of paths between them; a result that leans on the speakers
        resolved so far, or on a cut cycle, holds for this call only."""
        if span in self._pure:
            return self._pure[span], True
        if span in call.names:
            return call.names[span], False
        if span in call.path:  # descriptor and alias links can form a cycle: follow each once
            return None, False
        call.path.add(span)
        try:
            name, pure = self._name_of(span, call)
        finally:
            call.path.discard(span)
        (self._pure if pure else call.names)[span] = name
        return name, pure

    def _name_of(self, span: Span, call: _Lookup) -> tuple[str | None, bool]:
        mention = span.of(self.text)
        linked = self.aliases.get((span.start, span.end))
        if linked is not None:
            return self._name_for(linked, call)
        inside = [e for e in self._entities_in(span.start, span.end) if span.contains(e.span)]
        if any(e.span in self._credits for e in inside):
            return None, True
        head, person = self._head(span, mention, inside)
        if head and person:
            return head, True
        # a person who is not the head (a possessor, a name in a dependent phrase) does not speak;
        # one the phrase's shape leaves undecided ("Oram himself") does
        people = [e for e in inside if self._proper(e.text) in self.persons]
        if people and not head and " and " not in mention and all(self._heads(span, e) for e in people):
            return self.fullest(self._proper(people[0].text), span.start), True
        descriptor, pure = self._descriptor(mention, span.start, call)
        if descriptor:
            return descriptor, pure
        if is_title(mention):
            return self.recent_person(span.start, None, self._resolved, speakers_only=True), False
        if head:
            return head, pure
        if people:
            return None, pure
        if inside:
            # "the Nordmark government", "the Kremlin": the phrase names the body that speaks
            stripped = strip_name(mention)
            if stripped.lower().startswith("of "):  # "the foreign minister of Ruritania": an office, kept whole
                return re.sub(r"^(?:the|a|an)\s+", "", mention.strip(), flags=re.IGNORECASE), pure
            if len(tokens(stripped)) <= 4:
                return stripped, pure
            # a long phrase speaks through the body that heads it, never one it only mentions
            heads = [e for e in inside if self._heads(span, e)]
            return (strip_name(heads[0].text) if heads else None), pure
        stripped = strip_name(mention)
        if is_proper(mention) and stripped.lower() not in PRONOUNS and self._written_as_name(stripped):
            return self.fullest(stripped, span.start), pure
        return None, pure

    def _head(self, span: Span, mention: str, inside: list[Entity]) -> tuple[str | None, bool]:
        """The name at the head of the mention (see :func:`head_name`), and whether it is a person's."""
        people = tuple(
            (e.span.start - span.start, e.span.end - span.start)
            for e in inside
            if e.label == "PERSON" or self._proper(e.text) in self.persons
        )
        found = head_name(mention, people)
        if found is None:
            return None, False
        start, end = span.start + found[0], span.start + found[1]
        run = self.text[start:end]
        # a person the tagger found ending the run gives the name's bounds ("Islamic Relations Alia Salem")
        tagged = [e for e in inside if start <= e.span.start and e.span.end >= end - 2 and e.span.end <= end]
        for e in tagged:
            if e.label == "PERSON" or self._proper(e.text) in self.persons:
                return self.fullest(self._proper(e.text), start, gender_of(run)), True
        overlapping = [e for e in inside if e.span.overlaps(Span(start, end))]
        for e in overlapping:
            # a body the tagger found from the name on keeps its words: "the Federal Bureau of Prisons"
            if (
                e.label not in {"PERSON", "PROPN"}
                and re.match(r" (?:of|for|on|and) ", self.text[end : e.span.end])
                and self.text.startswith(strip_name(e.text), start)
            ):
                return strip_name(e.text), False
        name = self._proper(run)
        if not name or is_title(name) or name.lower() in PRONOUNS:
            return None, False
        known = any(e.label != "PROPN" or not is_title(e.text) for e in overlapping)
        if not (known or self._written_as_name(name)):
            return None, False  # "Critics said": a capitalised word that is no name
        person = self.is_person(name) or (len(tokens(name)) > 1 and is_first_name(tokens(name)[0]))
        return self.fullest(name, start, gender_of(run)), person

    def _heads(self, span: Span, entity: Entity) -> bool:
        """Whether ``entity`` may head the mention: not a possessor ("Campbell's"), not after a word
        that makes it a dependent ("about the Kremlin", "for Petrova")."""
        after = self.text[entity.span.end : entity.span.end + 2]
        if after[:1] in {"'", "’"}:
            return False
        before = tokens(self.text[span.start : entity.span.start].lower())
        while before and (before[-1] in {"the", "a", "an"} or before[-1].rstrip(".") in HONORIFICS):
            before.pop()
        return not before or before[-1] not in DEPENDENT

    def _written_as_name(self, name: str) -> bool:
        """A capitalised word is a name when it is capitalised mid-sentence too ("Critics said" is
        not), or labels a line ("Solvik: Nordvale stays")."""
        if len(tokens(name)) > 1:
            return True
        if name not in self._written:  # one search of the text per word, not per mention
            word = re.escape(name)
            self._written[name] = re.search(rf"[a-z,;] {word}\b|^{word}:", self.text, re.MULTILINE) is not None
        return self._written[name]

    def _descriptor(self, mention: str, at: int, call: _Lookup) -> tuple[str | None, bool]:
        """The name a descriptor (``the foreign minister``) was linked to: the last linked name,
        provided one was linked before ``at`` (any, for a bare title); and whether that is pure."""
        words = tokens(mention.lower())
        while words and words[0] in {"the", "a", "an"}:
            words = words[1:]
        if not words:
            return None, True
        phrase = " ".join(words)
        if phrase in self._phrase_names:
            (last, first), pure = self._phrase_names[phrase], True
        elif phrase in call.phrases:
            (last, first), pure = call.phrases[phrase], False
        elif phrase in call.path:  # a descriptor linked, through others, to itself
            return None, False
        else:
            # the links of a phrase are summed up once: the last name found and the first position
            last, first, pure = None, -1, True
            call.path.add(phrase)
            try:
                for name in self._descriptor_names(phrase, words):
                    found, each_pure = self._name_for(name, call)
                    pure = pure and each_pure
                    if found:
                        last = found
                        first = name.start if first < 0 else min(first, name.start)
            finally:
                call.path.discard(phrase)
            (self._phrase_names if pure else call.phrases)[phrase] = (last, first)
        # a descriptor named only further on stands for that name only when it is a bare title
        return (last if last is not None and (0 <= first < at or is_title(mention)) else None), pure

    def _descriptor_names(self, phrase: str, words: list[str]) -> list[Span]:
        """The names linked to the descriptors that ``phrase`` matches, in the extraction's order."""
        if phrase not in self._matching:
            self._matching[phrase] = [
                name
                for d, name in self._by_last_word.get(words[-1], ())
                if d == phrase or d.endswith(" " + phrase) or (len(words) == 1 and d.split()[-1:] == words)
            ]
        return self._matching[phrase]

    # -- pronouns ------------------------------------------------------------------------
    def recent_person(
        self,
        before: int,
        gender: str | None,
        resolved: list[tuple[int, str]],
        speakers_only: bool = False,
        besides: frozenset[str] = frozenset(),
    ) -> str | None:
        """The most recent compatible speaker in the last paragraphs, else the most recent person
        named; never one of ``besides`` (the persons a statement talks about by name).

        ``resolved`` is sorted, so the last paragraphs are a slice of it, not a scan of every speaker."""
        window = resolved[bisect.bisect_left(resolved, (before - 800,)) : bisect.bisect_left(resolved, (before,))]
        for _, name in reversed(window):
            if (
                name
                and name not in besides
                and self.is_person(name)
                and (gender is None or self.gender.get(name, gender) == gender)
            ):
                return name
        if speakers_only:
            return None
        # the latest mention before ``before`` of a person of this gender, or of one not known yet
        pools = [self._ungendered, *(self._gendered.values() if gender is None else [self._gendered.get(gender, [])])]
        latest = []
        for pool in pools:
            i = bisect.bisect_left(pool, (before,))
            # ``besides`` holds the few names of one statement, so this walks back a step or two
            while i and pool[i - 1][1] in besides:
                i -= 1
            if i:
                latest.append(pool[i - 1])
        return max(latest)[1] if latest else None

    def named_in(self, span: Span) -> frozenset[str]:
        """The persons named (not by pronoun) inside ``span``: "He said, 'Andy Warhol was the center
        of the Zeitgeist'" is not Warhol speaking of himself."""
        mentions = self.person_mentions
        i = bisect.bisect_left(mentions, (span.start,))
        j = bisect.bisect_left(mentions, (span.end,))
        return frozenset(name for _, name in mentions[i:j] if name)

    def _index_genders(self) -> None:
        """Mentions of persons split by what is known of their gender, each list sorted, so the
        latest compatible mention is a lookup; a gender learnt later moves that name's mentions once."""
        self._ungendered: list[tuple[int, str]] = []
        self._ungendered_by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._gendered: dict[str, list[tuple[int, str]]] = {}
        for mention in self.person_mentions:
            name = mention[1]
            if name and self.is_person(name):
                if known := self.gender.get(name):
                    self._gendered.setdefault(known, []).append(mention)
                else:
                    self._ungendered.append(mention)
                    self._ungendered_by_name[name].append(mention)

    def _learn_gender(self, name: str, gender: str) -> None:
        """``she`` resolved to ``name``: the name is hers from now on."""
        self.gender[name] = gender
        for mention in self._ungendered_by_name.pop(name, ()):
            del self._ungendered[bisect.bisect_left(self._ungendered, mention)]
            bisect.insort(self._gendered.setdefault(gender, []), mention)

    # -- statements ----------------------------------------------------------------------
    def resolve(self) -> list[Statement]:
        statements = list(self.extraction.statements)
        by_index = {s.index: s for s in statements}
        resolved_at = self._resolved
        out: list[Statement] = []
        interview = qa_interview(self.text, self.document.title, self.person_mentions)
        for s in statements:
            self.check()
            speaker = self._speaker(s, by_index, out, resolved_at)
            if interview and s.nested_in is None:
                at = s.content_span.start
                if s.kind == "author" and _inside(interview.answers, at):
                    # an answer in a question-and-answer interview is the interviewee's own words
                    s, speaker = replace(s, kind="direct"), interview.interviewee
                elif (
                    speaker is None and (s.speaker_mention or "").lower() == "you" and _inside(interview.questions, at)
                ):
                    speaker = interview.interviewee  # "Do you think …?" asks the interviewee
            if speaker and s.kind not in {"turn", "author"}:
                self._last_speaker[s.nested_in] = speaker
                if s.nested_in is None:
                    at = (s.speaker_span or s.content_span).start
                    bisect.insort(resolved_at, (at, speaker))
                    bisect.insort(self._spoke_at[speaker], at)
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
            if s.kind == "implicit" and s.nested_in in self._last_speaker:
                return self._last_speaker[s.nested_in]
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
            name = self.recent_person(
                s.speaker_span.start, THIRD_PERSON[mention], resolved_at, besides=self.named_in(s.content_span)
            )
            if name and name not in self.gender:
                self._learn_gender(name, THIRD_PERSON[mention])
            return name
        if mention in PRONOUNS:
            return None
        if " and " in mention and not self._inside_entity(s.speaker_span):
            joint, names = self._joint(s.speaker_span, resolved_at)
            if joint:
                return names
            # one described with "and" ("oil and gas worker Mike Wipf") is the name at its head, if any:
            # a group ("Cruz and his aides", "polls in Ohio and Iowa") is nobody in particular
            return self._head_of(s.speaker_span)
        return self._namesake_who_spoke(self.name_for(s.speaker_span), s.speaker_span)

    def _namesake_who_spoke(self, name: str | None, span: Span) -> str | None:
        """A surname two people share ("Cruz" of Ted and Heidi Cruz) is the one who spoke last, when
        either has: a namesake named in passing does not take the surname from the one quoted."""
        run = span.of(self.text)
        forms = self._fullest.get(self._proper(run))
        if name is None or not forms or len(forms) < 2 or name not in forms:
            return name
        gender = gender_of(run)
        spoke = [
            (said[i - 1], p)
            for p in forms
            if (said := self._spoke_at.get(p)) and (i := bisect.bisect_left(said, span.start))
            if not gender or gender_of(p) in (None, gender)
        ]
        return max(spoke)[1] if spoke else name

    def _interlocutor(self, turn: Statement, by_index: dict[int, Statement]) -> str | None:
        """Who "you" is in a turn: the nearest turn by someone else, before it, else after it."""
        if self._across is None:  # a turn's speaker is fixed: work out every turn's neighbours once
            self._across = _across_turns(
                sorted((t for t in by_index.values() if t.kind == "turn"), key=lambda t: t.index)
            )
        before, after = self._across[turn.index]
        return before or after

    def _inside_entity(self, span: Span) -> bool:
        """``and`` inside one name (``Johnson and Johnson``) does not make two speakers."""
        return any(
            e.span.start <= span.start and " and " in e.text
            for e in self._entities_in(span.start - self._longest_entity, span.start)
            if e.span.overlaps(span)
        )

    def _joint(self, span: Span, resolved_at: list[tuple[int, str]]) -> tuple[bool, str | None]:
        """``He and the minister`` -> ``Viktor Oram and Anna Petrova`` (None unless every part
        resolves); first, whether the mention names several at all: each part a pronoun, a title
        or a name. "Valeska Paris, an Australian woman and former Scientologist" is one person."""
        text = span.of(self.text)
        pieces: list[tuple[int, str]] = []
        start = span.start
        described = False  # the piece before was a description: "a fisher and former mayor" goes on with it
        for part in text.split(" and "):
            for k, piece in enumerate(part.split(", ")):
                piece_start = self.text.index(piece, start)
                start = piece_start + len(piece)
                words = piece.strip().lower()
                if not words:
                    continue
                title = is_title(piece)
                # after a description only a person starts a new conjunct ("…, an Australian woman
                # and former Scientologist", "…, curator at the University of Arkansas, Fayetteville")
                named = not title and self._names_someone(piece_start, piece, person=described or k > 0)
                if words in PRONOUNS or (title and k == 0 and not described) or named:
                    pieces.append((piece_start, piece))
                    described = False
                elif not pieces:
                    return False, None  # "American academic and professor Marc Lamont Hill": one person
                else:  # a description of the one named before it ("James Baker, secretary of state")
                    described = True
        if len(pieces) < 2:
            return False, None
        names: list[str] = []
        for piece_start, piece in pieces:
            words = piece.strip().lower()
            if words in THIRD_PERSON:
                name = self.recent_person(piece_start, THIRD_PERSON[words], resolved_at)
            else:
                name = self.name_for(Span(piece_start, piece_start + len(piece)))
            if not name or name in names:
                return True, None
            names.append(name)
        return True, (" and ".join(names) if len(names) > 1 else None)

    def _names_someone(self, start: int, piece: str, person: bool = False) -> bool:
        """A conjunct that is a name (a person's, if ``person``), not a description ("American
        academic", "Director of the …", "Oil" of "oil and gas worker Mike Wipf")."""
        name, is_person = self._head_at(Span(start, start + len(piece)))
        return name is not None and (is_person or not person)

    def _head_of(self, span: Span) -> str | None:
        return self._head_at(span)[0]

    def _head_at(self, span: Span) -> tuple[str | None, bool]:
        inside = [e for e in self._entities_in(span.start, span.end) if span.contains(e.span)]
        if any(e.span in self._credits for e in inside):
            return None, False
        return self._head(span, span.of(self.text), inside)


@dataclass(slots=True)
class _Lookup:
    """One :meth:`DocumentResolver.name_for` call: what it worked out, and the links it follows."""

    names: dict[Span, str | None] = field(default_factory=dict)
    phrases: dict[str, tuple[str | None, int]] = field(default_factory=dict)
    path: set[Span | str] = field(default_factory=set)  # spans and descriptor phrases being followed


# An interview's introduction says who was interviewed: "Wikinews interviews Marymegan Daly",
# "an interview with Noam Chomsky", "Wikinews spoke with William Evans", "Nick Bos tells Wikinews".
_INTERVIEW_WORDS = re.compile(
    r"\binterview|\b(?:spoke|speaks|talked|talks) (?:with|to)\b|\bsat down with\b|\btells\b|\bQ ?& ?A\b",
    re.IGNORECASE,
)
_QUESTION_LINE = re.compile(r"[^\n]*\?[\"'”’)]*[ \t]*$")


@dataclass(frozen=True, slots=True)
class QaInterview:
    """A question-and-answer interview printed without speaker labels: who was interviewed, and
    where the questions and the answers are (sorted character ranges)."""

    interviewee: str
    questions: list[tuple[int, int]]
    answers: list[tuple[int, int]]


def qa_interview(text: str, title: str | None, person_mentions: list[tuple[int, str]]) -> QaInterview | None:
    """The document as a question-and-answer interview: at least two questions, each a paragraph
    of its own ending in "?" and followed by an answer, after an introduction (or title) that
    speaks of an interview and names one person. None for any other document, and when the
    introduction names several."""
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    questions = [i for i, m in enumerate(lines) if _QUESTION_LINE.fullmatch(m.group())]
    asked = set(questions)
    answered = [i for i in questions if i + 1 < len(lines) and i + 1 not in asked]
    if len(answered) < 2:
        return None
    intro_end = lines[questions[0]].start()
    if not _INTERVIEW_WORDS.search(f"{title or ''}\n{text[:intro_end]}"):
        return None
    named = [name for at, name in person_mentions if at < intro_end and name]
    in_title = {name for name in named if title and name in title}
    first_line = {name for at, name in person_mentions if lines[0].start() <= at < lines[0].end() and name}
    candidates = in_title or first_line or set(named)
    if len(candidates) != 1:
        return None
    answers = []
    for i in answered:
        j = i + 1
        while j + 1 < len(lines) and j + 1 not in asked:
            j += 1
        answers.append((lines[i].end(), lines[j].end()))
    return QaInterview(candidates.pop(), [(lines[i].start(), lines[i].end()) for i in questions], answers)


def _inside(ranges: list[tuple[int, int]], at: int) -> bool:
    """Whether ``at`` falls in one of the sorted, disjoint ``ranges``."""
    i = bisect.bisect_right(ranges, (at, math.inf))
    return bool(i) and ranges[i - 1][0] <= at < ranges[i - 1][1]


def _across_turns(turns: list[Statement]) -> dict[int, tuple[str | None, str | None]]:
    """For each turn (by index), the speaker of the nearest turn before it by someone else, and
    of the nearest after it: one pass each way that remembers the last two speakers seen."""
    found: dict[int, list[str | None]] = {t.index: [None, None] for t in turns}
    for side, ordered in ((0, turns), (1, turns[::-1])):
        last: str | None = None  # the latest speaker seen
        other: str | None = None  # the latest speaker seen who is not ``last``
        for t in ordered:
            found[t.index][side] = last if last != t.speaker else other
            if t.speaker and t.speaker != last:
                last, other = t.speaker, last
    return {index: (before, after) for index, (before, after) in found.items()}


def resolve_document(
    document: Document, extraction: Extraction, *, check: Callable[[], None] | None = None
) -> list[Statement]:
    """The extraction's statements with ``speaker`` set to the fullest name, or None.

    ``check`` is called between statements and may raise to stop a document over its time budget.
    A Russian document has rules of its own (``resolve/russian.py``, issue 15).
    """
    if document.lang == "ru":
        from onrecord.resolve.russian import resolve_russian

        return resolve_russian(document, extraction, check=check)
    return DocumentResolver(document, extraction, check).resolve()
