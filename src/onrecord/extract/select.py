"""Where attribution can be: the sentences worth spaCy's whole pipeline (issue 17).

Many sentences, a third of a campaign speech, carry no quotation mark, no cue word, no "that"
clause and no "according to": no rule can fire on them. The selective parse cuts a section into
sentence-like units on the raw text and sends through spaCy only the runs of units that can carry
attribution; what is left out goes through the recogniser alone, and only where it may name
someone, so a pronoun or a surname further on still finds its full name. Inside a parsed run the
recogniser reads only the units that may name someone. The tests are on words alone, so they cost next to
nothing: a word counts when one of its possible lemmas (its own form, the stems its ending allows,
the lemmatizer's irregular form) is a cue of the lexicon.

A run parsed on its own can come out a little differently from the same sentences parsed
within their whole section; ``ONRECORD_PARSE=full`` (``--parse full``) parses everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from onrecord.extract.lexicon import Lexicon
from onrecord.extract.rules import stems
from onrecord.model import Span

# A unit ends at a line break, or after . ! ? (and a closing mark) before a capital or an opening
# mark, but not after an initial ("G.K."), a one-letter word or a title or month abbreviation.
_UNIT_END = re.compile(r"\n+|(?P<mark>[.!?])[\"”’')\]]*(?P<space>[ \t]+)(?=[\"“‘'(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"[A-Za-z]+$")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "rep",
        "reps",
        "sen",
        "sens",
        "gov",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "st",
        "jr",
        "sr",
        "prof",
        "rev",
        "hon",
        "pres",
        "supt",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vs",
        "etc",
        "inc",
        "co",
        "corp",
        "ltd",
        "bros",
        "ft",
        "mt",
        "ave",
        "blvd",
        "dept",
    ]
)
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_QUOTE_MARK = re.compile('["“”„«»]')
_CLAUSE_MARKS = frozenset({"that", "whether", "if"})


MODES = ("selective", "full")


def parse_mode(value: str) -> bool:
    """Whether the parse setting ``value`` asks for the selective parse; ValueError unless it is
    ``selective`` or ``full``."""
    mode = value.strip().lower()
    if mode not in MODES:
        raise ValueError(f"must be {' or '.join(MODES)}")
    return mode == "selective"


@dataclass(frozen=True, slots=True)
class Triggers:
    """The words that can make a sentence attributive, by the lemmas the rules test."""

    lemmas: frozenset[str]  # cue verbs and nouns of the lexicon
    irregular: dict[str, tuple[str, ...]]  # "said" -> ("say",), from the lemmatizer's exceptions
    phrases: tuple[str, ...]  # "according to", "in my view", …
    common: frozenset[str] = frozenset()  # dictionary words ("look", "thank"): a name only when seen as one
    known: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)  # word -> fires
    # verbs that fire only beside one of their words in the same unit: "play" -> {"down"}, "value" -> {"at"}
    companions: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, lex: Lexicon, irregular: dict[str, tuple[str, ...]], common: frozenset[str] = frozenset()) -> Triggers:
        lemmas = (
            lex.speech_verbs
            | lex.speech_nouns
            | frozenset(lex.noun_prepositions)
            | lex.intent_nouns
            | lex.evidence_nouns
            | lex.evidence_verbs
            | lex.author_verbs
        )
        # a phrasal cue's verb fires with its particle, an estimate's with "at" ("played down", "put X at")
        companions: dict[str, frozenset[str]] = {verb: frozenset({"at"}) for verb in lex.estimate_verbs}
        for verb, particles in lex.phrasal_verbs.items():
            companions[verb] = companions.get(verb, frozenset()) | particles
        companions = {verb: words for verb, words in companions.items() if verb not in lemmas}
        keep = {form: tuple(lemma for lemma in found if lemma in lemmas) for form, found in irregular.items()}
        return cls(
            lemmas,
            {form: found for form, found in keep.items() if found},
            ("according", *lex.author_phrases),
            common,
            companions=companions,
        )

    def word_fires(self, word: str) -> bool:
        found = self.known.get(word)
        if found is None:
            found = self._word_fires(word)
            if len(self.known) < 500_000:  # bounded: past it, a new word is worked out each time
                self.known[word] = found
        return found

    def _word_fires(self, word: str) -> bool:
        lower = word.lower()
        # "that"/"whether"/"if": any verb with such a clause may report a stance (the generic rule)
        if lower in self.lemmas or lower in self.irregular or lower in _CLAUSE_MARKS:
            return True
        return any(len(stem) > 2 and stem in self.lemmas for stem in stems(lower))

    def fires(self, text: str) -> bool:
        if _QUOTE_MARK.search(text):
            return True
        lower = text.lower()
        if any(phrase in lower for phrase in self.phrases):
            return True
        words = [m.group() for m in _WORD.finditer(text)]
        if any(self.word_fires(word) for word in words):
            return True
        if not self.companions:
            return False
        lowered = {word.lower() for word in words}
        return any(self.companion_fires(word, lowered) for word in lowered)

    def companion_fires(self, word: str, words: set[str]) -> bool:
        """Whether ``word`` is a verb of :attr:`companions` with one of its words among ``words``."""
        for lemma in (word, *(s for s in stems(word) if len(s) > 2)):  # "put", "played", "valued"
            found = self.companions.get(lemma)
            if found is not None and not found.isdisjoint(words):
                return True
        return False


def units(text: str, start: int, end: int) -> Iterator[Span]:
    """Sentence-like pieces of ``text[start:end]``, cut at line breaks and sentence ends."""
    at = start
    for cut in _UNIT_END.finditer(text, start, end):
        if cut["mark"] == ".":
            word = _LAST_WORD.search(text, max(at, cut.start() - 12), cut.start())
            if word and (
                len(word[0]) == 1
                or word[0].lower() in _ABBREVIATIONS
                or word.start() > 0
                and text[word.start() - 1] == "."
            ):
                continue  # "Rep. Jones", "G.K. Butterfield", "the U.S. Senate": not a sentence end
        stop = cut.start("space") if cut["space"] else cut.start()
        if stop > at:
            yield Span(at, stop)
        at = cut.end()
    if end > at:
        yield Span(at, end)


@dataclass(frozen=True, slots=True)
class Plan:
    """How one section is read: the runs spaCy parses whole, the runs only the recogniser reads,
    and the units the parser never sees (their sentences are the units themselves)."""

    parse: list[Span]
    names: list[Span]
    unparsed: list[Span]
    # for each parsed run, the parts of it the recogniser reads (None: all of it)
    named: list[list[Span] | None]


def plan(
    text: str, start: int, end: int, quotes: Iterable[Span], triggers: Triggers, proper: frozenset[str] = frozenset()
) -> Plan:
    """How to read ``text[start:end]`` (``proper``: the document's :func:`proper_words`).

    A unit is parsed when its words fire ``triggers``, or a quotation covers part of it (a
    quotation's units are all kept, so its sentences are parsed together). Units only whitespace
    apart make one run. Of the runs left out, those that may name someone go through the
    recogniser alone, or are parsed too when they may describe someone by an apposition or a
    title ("Ruritania's foreign minister, Anna Petrova,"), which only the parser links. In a
    parsed run, the recogniser reads only the units that may name someone.
    """
    pieces = list(units(text, start, end))
    keep = [triggers.fires(text[u.start : u.end]) for u in pieces]
    quoted = sorted(quotes, key=lambda q: q.start)
    if quoted:
        q = 0
        for k, unit in enumerate(pieces):
            while q < len(quoted) and quoted[q].end <= unit.start:
                q += 1
            if q < len(quoted) and quoted[q].start < unit.end:
                keep[k] = True
    for k, unit in enumerate(pieces):
        keep[k] = keep[k] or describes(unit.of(text))
    parse = [unit for unit, kept in zip(pieces, keep, strict=True) if kept]
    unparsed = [unit for unit, kept in zip(pieces, keep, strict=True) if not kept]
    naming = {unit for unit in pieces if needs_names(unit.of(text), triggers.common, proper)}
    runs = joined(text, parse)
    named: list[list[Span]] = [[] for _ in runs]
    r = 0
    for unit in parse:
        while runs[r].end <= unit.start:
            r += 1
        if unit in naming:
            named[r].append(unit)
    names = joined(text, [unit for unit in unparsed if unit in naming])
    return Plan(runs, names, unparsed, [joined(text, found) for found in named])


def joined(text: str, pieces: Iterable[Span]) -> list[Span]:
    """``pieces`` (in order) with those only whitespace apart joined into one."""
    runs: list[Span] = []
    for piece in pieces:
        if runs and not text[runs[-1].end : piece.start].strip():
            runs[-1] = Span(runs[-1].start, piece.end)
        else:
            runs.append(piece)
    return runs


_CAPITAL_WORD = re.compile(r"(?<![\w'’])[A-Z][\w'’]*|\d")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n][\"”’')\]]*\s+|\n|\s[\"“‘'(\[—–-]+)[\"“‘'(\[—–-]*$")
_APOSTROPHE = re.compile(r"['’]")
# a transcript's speaker label ("DONALD TRUMP:", "SEAN HANNITY (HOST):") and its stage directions
# ("(APPLAUSE)", "[CROSSTALK]"): capitals that name no one the rules or the resolver use
_LABELS_AND_DIRECTIONS = re.compile(
    r"^[ \t]*[A-Z][A-Z.'’ \-]*[A-Z](?:[ \t]*\([^)\n]{0,40}\))?:|[\[(][A-Z][A-Z0-9 .,'’\-]*[\])]", re.MULTILINE
)


def _opens_sentence(text: str, at: int) -> bool:
    return _SENTENCE_START.search(text, max(0, at - 6), at) is not None


def proper_words(text: str) -> frozenset[str]:
    """The words ``text`` capitalises inside a sentence ("Trump" in "said Trump"): a dictionary
    word that opens a sentence elsewhere is a name when it is one of these."""
    return frozenset(
        _APOSTROPHE.split(found.group())[0]
        for found in _CAPITAL_WORD.finditer(text)
        if not _opens_sentence(text, found.start())
    )


def needs_names(text: str, common: frozenset[str] = frozenset(), proper: frozenset[str] = frozenset()) -> bool:
    """Whether ``text`` may hold a named person, place or organisation: a capitalised word or a
    digit (a date), but not the pronoun "I", a speaker's label or a stage direction, nor a word
    opening a sentence that is a common word ("We", "It's") or a dictionary word (``common``:
    "Look", "Thank") the document never capitalises inside a sentence (``proper``). Text without
    one goes through the parser only: the recogniser, the costliest part of spaCy's pipeline,
    would find nothing the rules or the resolver use."""
    if _LABELS_AND_DIRECTIONS.search(text):
        # blanked, and read as a line's end: what follows opens a sentence
        text = _LABELS_AND_DIRECTIONS.sub(lambda found: " " * (len(found.group()) - 1) + "\n", text)
    for found in _CAPITAL_WORD.finditer(text):
        word = found.group()
        if word == "I" or word.startswith(("I'", "I’")):
            continue
        if _opens_sentence(text, found.start()):
            base = _APOSTROPHE.split(word)[0]
            if base.lower() in STOP_WORDS or base.lower() in common and base not in proper:
                continue
        return True
    return False


# "minister, Anna Petrova" / "Petrova, the minister" / "foreign minister Anna Petrova" /
# "Foreign Minister Anna Petrova": shapes in which the parser links a description to a name (the
# pronoun "I" after a comma is none)
_DESCRIBED = re.compile(
    r"[a-z],\s+(?!I\b|I['’])[A-Z]|[A-Z][\w.'’-]*,\s+(?:the|a|an|his|her|its|their)\s|"
    r"\b[a-z]{3,}\s+[A-Z][\w'’-]+\s+[A-Z]|[A-Z][\w'’-]+\s+[A-Z][\w'’-]+\s+[A-Z][\w'’-]+"
)


def describes(text: str) -> bool:
    """Whether ``text`` may describe someone it names (an apposition, a title before a name)."""
    return _DESCRIBED.search(text) is not None
