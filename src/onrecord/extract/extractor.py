"""Document -> :class:`~onrecord.model.Extraction`: every attributed statement, unresolved.

Stages, in order, for each document (``Extractor.pipe`` batches them through spaCy):

1. *sections* — a transcript is cut into its turns (each a ``turn`` statement), an article
   is one section (long texts are cut at paragraph breaks, so memory stays bounded);
2. *quotes* — quotation marks are paired on the raw text, across paragraphs;
3. *parse* — spaCy parses the sections (``nlp.pipe``, batched);
4. *rules* — ``rules.SentenceRules`` finds cues with their sources and contents;
5. *assemble* — duplicates merge, kinds are decided (direct/mixed/indirect/author),
   quotations nobody claimed become ``implicit`` continuations of the statement before,
   statements inside other statements are nested;
6. *entities* — named people, organisations and places, and appositive links, are handed
   on as plain data for speaker resolution (``onrecord.resolve``).
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
from spacy.attrs import DEP, ENT_TYPE, POS
from spacy.language import Language
from spacy.symbols import PROPN
from spacy.tokens import Doc

from onrecord.config import setting
from onrecord.errors import ExtractionError
from onrecord.extract import budget as doc_budget  # its clock, looked up at each call (tests replace it)
from onrecord.extract import select
from onrecord.extract.acts import act_of_candidate
from onrecord.extract.budget import Deadline, OverBudget
from onrecord.extract.components import components
from onrecord.extract.lexicon import Lexicon, lexicon
from onrecord.extract.nlp import common_words, irregular_forms, load_nlp, one_blas_thread
from onrecord.extract.quotes import QuoteIndex, find_quotes, inner, looks_like_title
from onrecord.extract.rules import SPOKEN_ASIDES, Candidate, SentenceRules, char_span, subtree
from onrecord.model import Act, Document, Entity, Extraction, Span, Statement

# v5: a verb read by its own ending, the nearer of two subjects (issue 13); v6: the selective parse (issue 17);
# v7: the recogniser reads units that may name someone, not whole runs (issue 17); v8: a frame set off
# inside its report keeps the whole report, a closing frame everything before it (issue 15); v9: phrasal
# cues ("did not rule out X") and estimates ("put X at <amount>") report their object (issue 15); v10: a phrase
# fronted before a frame set off inside its report belongs to the report, wherever the parser hangs it (issue 15)
VERSION = "onrecord.quotes.v10"
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
SECTION_BATCH = 32  # sections parsed together (a full parse)
RUN_BATCH = 256  # runs parsed together (a selective parse); both bounded by characters too
MAX_SECTION_CHARS = 100_000  # a section up to this long is parsed whole (every ordinary article is)
# a longer one is parsed in pieces about this long, side by side: spaCy parses one huge Doc
# about 1.5 times slower per character than a batch of smaller ones
LONG_PIECE_CHARS = 20_000
_DASH_SOURCE = re.compile(r"[ \t]*[—–]-?[ \t]*(?P<name>[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3})")
_HEADLINE_SOURCE = re.compile(
    r"\A\s*(?P<name>[A-Z][\w.'’\-]*(?: [\w.'’\-]+){0,3})(?P<colon>:)[ \t]+(?P<content>[^\n]{8,}?)[ \t]*$",
    re.MULTILINE,
)
# a hyphen between letters joins a word ("US-Ruritania relations"): a dateline's dash is a dash, or spaced
_DATELINE = re.compile(
    r"[A-Z][A-Z .'-]+(?:, [A-Z][\w.]*\.?)*(?:, [A-Z][a-z]{2}\.? \d{1,2})? *(?:\([\w ]+\))?"
    r"(?: *[—–]+ *| +-+ *|-+ +|--+ *)"
)
_PRONOUNS = {"i", "we", "you", "they", "he", "she", "it", "people"}
_EMPTY_CONTENTS = {
    *("it", "that", "this", "so", "them", "him", "her", "these", "those", "what", "something", "things"),
    *("anything", "everything", "nothing", "many things", "a lot", "much", "little", "the same"),
}
# "The Latest: …", "Breaking: …" are rubrics, not speakers
_NOT_HEADLINE_SOURCES = {
    "the",
    "a",
    "an",
    "breaking",
    "update",
    "exclusive",
    "live",
    "video",
    "watch",
    "opinion",
    "analysis",
    "editorial",
    "review",
    "photos",
    "read",
    "listen",
    "commentary",
    "column",
    "interview",
    "transcript",
}
_NEXT_QUOTED_PARAGRAPH = re.compile(r"[ \t]*\n[ \t]*(?:\n[ \t]*)?")  # the next paragraph opens with a quotation
_OWN_FRAME = re.compile(r"[ \t]*,?[ \t]*[—–]")  # a quotation followed by its own dash frame (issue 15)
_SPLIT_QUOTE_GAP = re.compile(r"[^\n\"“”]{0,200}?[.,:;]\s*")
_T = TypeVar("_T")
# (document, run, its section's quotations, names only, the parts of the run the recogniser reads
# (relative to it; None: all))
_Task = tuple[int, "Section", list[Span], bool, "list[Span] | None"]
_RULE_RANK = {"quote": 0, "clause": 1, "according": 2, "noun": 3, "stance": 4, "object": 5}


@dataclass(frozen=True, slots=True)
class Section:
    start: int
    end: int
    headline: bool = False  # a title-case first line, parsed with its cue verbs lower-cased


@dataclass(slots=True)
class _SectionData:
    """What one parsed section leaves for assembly, once its spaCy ``Doc`` is dropped."""

    quotes: list[Span]
    sentences: list[Span] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    aliases: list[tuple[Span, Span]] = field(default_factory=list)


def _is_title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’]*", line) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def recase_headline(line: str, verbs: frozenset[str]) -> str:
    """``Blackwell Endorses Ted Cruz`` -> ``Blackwell endorses Ted Cruz``: the tagger then sees the verb.

    Only cue verbs change, and only their case, so every offset stays the same.
    """

    def lower_if_cue(match: re.Match[str]) -> str:
        word = match.group(0)
        if not line[match.end() :].strip(" .!?'\"’”"):
            return word  # a headline's verb has words after it: "… Lake Treaty Talks" ends on a noun
        low = word.lower()
        stems = {low, low[:-1], low[:-2], low[:-3], low.removesuffix("ies") + "y"}
        return low if stems & verbs and len(low) == len(word) else word

    return re.sub(r"\b[A-Z][a-z]+\b", lower_if_cue, line)


def sections_of(document: Document) -> list[Section]:
    """Where to parse: each turn's content, else the whole text in paragraph-aligned pieces."""
    text = document.text
    if document.turns:
        first = document.turns[0].label_span.start
        pieces: list[tuple[int, ...]] = [(0, first)]
        pieces += [(t.content_span.start, t.content_span.end) for t in document.turns]
    else:
        first_line = text.find("\n")
        if first_line > 0 and _is_title_case(text[:first_line]):
            pieces = [(0, first_line, True), (first_line, len(text))]
        else:
            pieces = [(0, len(text))]
    sections = []
    for start, end, *headline in pieces:
        if headline:
            sections.append(Section(start, end, headline=True))
            continue
        if end - start > MAX_SECTION_CHARS:
            while end - start > LONG_PIECE_CHARS:
                cut = _cut(text, start, start + LONG_PIECE_CHARS)
                sections.append(Section(start, cut))
                start = cut
        if text[start:end].strip():
            sections.append(Section(start, end))
    return sections


_QUOTE_MARKS = "\"“”„«»'"
_SPACES = re.compile(r"\s*")
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[A-Z“\"])")


def _cut(text: str, start: int, limit: int) -> int:
    """Where to end a piece of a long section that starts at ``start``, at ``limit`` at most:
    at a paragraph break that no quotation runs across, else at the end of a sentence outside
    quotations, else at a space; in the second half of the piece, so pieces stay long."""
    low = start + (limit - start) // 2
    at = limit
    for _ in range(50):  # a few paragraphs back at most
        at = text.rfind("\n", low, at)
        if at < 0:
            break
        opening = _SPACES.match(text, at).end()
        if text[opening : opening + 1] not in _QUOTE_MARKS:  # a quotation going on opens its paragraph
            return at
    quotes = QuoteIndex(find_quotes(text, low, limit))
    ends = [m.end() for m in _SENTENCE_END.finditer(text, low, limit)]
    outside = [e for e in ends if not any(q.start < e < q.end for q in quotes.touching(Span(e, e)))]
    if outside:
        return outside[-1]
    space = max(text.rfind(" ", low, limit), text.rfind("\n", low, limit))
    return space + 1 if space > low else limit


class Extractor:
    """Finds attributed statements. Load once, then call :meth:`extract` or :meth:`pipe`."""

    version = VERSION

    def __init__(
        self,
        nlp: Language | None = None,
        lex: Lexicon | None = None,
        batch_size: int | None = None,
        *,
        selective: bool | None = None,
    ) -> None:
        self.nlp = nlp or load_nlp()
        self.lex = lex or lexicon()
        self.selective = select.parse_mode(setting("parse")) if selective is None else selective
        # the runs of a selective parse are short: spaCy's fixed cost per batch would weigh on
        # batches of 32 (a run costs 1.3 times as much per character as in batches of 256)
        self.batch_size = batch_size or (RUN_BATCH if self.selective else SECTION_BATCH)
        self.triggers = select.Triggers.of(self.lex, irregular_forms(self.nlp), common_words(self.nlp))
        self.components = components(self.nlp)
        self._cue_words: dict[tuple[int, int, int], bool] = {}  # SentenceRules' words, kept across sections

    def extract(self, document: Document) -> Extraction:
        result = next(self.pipe([document]))
        if isinstance(result, ExtractionError):
            raise result
        return result

    def pipe(
        self, documents: Iterable[Document], window: int = 32, window_chars: int = 200_000
    ) -> Iterator[Extraction | ExtractionError]:
        """Extractions for ``documents``, in order (see :meth:`pipe_with_deadlines`)."""
        for extraction, _ in self.pipe_with_deadlines(documents, window, window_chars):
            yield extraction

    def pipe_with_deadlines(
        self,
        documents: Iterable[Document],
        window: int = 32,
        window_chars: int = 200_000,
        *,
        budget: float | None = None,
    ) -> Iterator[tuple[Extraction | ExtractionError, Deadline]]:
        """Extractions for ``documents``, in order: Russian ones by ``russian.RussianExtractor``
        (issue 15), the others by :meth:`_pipe_spacy`."""
        from onrecord.extract.russian import by_language  # issue 15: dispatch by Document.lang

        yield from by_language(
            documents, lambda run: self._pipe_spacy(run, window, window_chars, budget=budget), budget
        )

    def _pipe_spacy(
        self,
        documents: Iterable[Document],
        window: int = 32,
        window_chars: int = 200_000,
        *,
        budget: float | None = None,
    ) -> Iterator[tuple[Extraction | ExtractionError, Deadline]]:
        """Extractions for ``documents``, in order, each with its document's running deadline.

        Up to ``window`` documents (and about ``window_chars`` characters) at a time are read;
        the runs of their sections that :meth:`_plan` picks go through spaCy in batches of at most
        ``batch_size`` runs and ``window_chars`` characters, and each parsed run is read into plain data at once and
        its spaCy ``Doc`` dropped, so memory stays bounded by one batch for any number and size of
        documents, one huge document included.
        A document the rules fail on, or whose work takes more than ``budget`` seconds (its share
        of each parse, and its own rules and assembly), yields an :class:`ExtractionError` in its
        place; the same deadline then counts speaker resolution.
        """
        for chunk in batched(documents, window, window_chars):
            deadlines = [Deadline(budget) for _ in chunk]
            parts: list[list[_SectionData]] = [[] for _ in chunk]
            failed: list[str | None] = [None for _ in chunk]
            tasks: list[_Task] = []
            for i, document in enumerate(chunk):
                proper = select.proper_words(document.text) if self.selective else frozenset()
                for section in sections_of(document):
                    quotes = find_quotes(document.text, section.start, section.end)
                    how = self._plan(document.text, section, quotes, proper)
                    parts[i].append(
                        _SectionData(quotes, sentences=[_trim(unit, document.text) for unit in how.unparsed])
                    )
                    for r, named in zip(how.parse, how.named, strict=True):
                        pieces = None if named is None else [Span(p.start - r.start, p.end - r.start) for p in named]
                        tasks.append((i, Section(r.start, r.end, section.headline), quotes, False, pieces))
                    tasks += [(i, Section(r.start, r.end), [], True, None) for r in how.names]
            done = 0  # documents yielded so far
            for end, batch in _section_batches(tasks, self.batch_size, window_chars):
                batch = [task for task in batch if self._alive(task[0], deadlines, failed)]
                texts = [(self._section_text(chunk[task[0]], task[1]), task) for task in batch]
                began = doc_budget.clock()
                parsed = self._parse(texts)
                # the parse is shared: each document is charged its share of the characters
                share = (doc_budget.clock() - began) / max(1, sum(len(text) for text, _ in texts))
                # a Doc's own text is rebuilt from its tokens at each access: the text it was made from is the same
                for (text, _), (spacy_doc, (i, run, quotes, names_only, _)) in zip(texts, parsed, strict=True):
                    deadlines[i].charge(share * len(text))
                    if failed[i] is None:
                        read = self._read_names if names_only else self._read
                        with deadlines[i].running():
                            data, failed[i] = _guarded(read, chunk[i], spacy_doc, text, run, quotes, deadlines[i])
                        if data is not None:
                            parts[i].append(data)
                del parsed  # the batch's parses go before the next batch is parsed
                # documents before the next task's are complete: assemble and hand them on now
                upto = tasks[end][0] if end < len(tasks) else len(chunk)
                while done < upto:
                    yield self._finish(chunk[done], parts[done], failed[done], deadlines[done]), deadlines[done]
                    parts[done] = []
                    done += 1
            while done < len(chunk):
                yield self._finish(chunk[done], parts[done], failed[done], deadlines[done]), deadlines[done]
                done += 1

    def _parse(self, texts: list[tuple[str, _Task]]) -> list[tuple[Doc, _Task]]:
        """spaCy's parse of each text, in order. When parsing is selective, a run left out of the
        parse goes through the recogniser alone; a parsed run goes through every other component,
        and the recogniser reads only its parts that may name someone (``select.plan``'s
        ``named``), its names then set on the parse."""
        if not self.selective or "ner" not in self.nlp.pipe_names:
            docs = self._through([text for text, _ in texts], "all")
            return list(zip(docs, [task for _, task in texts], strict=True))
        work: dict[str, list[str]] = {"all": [], "parse": [], "names": []}
        plans: list[tuple[str, int, list[tuple[Span, int]]]] = []  # kind, place there, named parts

        def add(kind: str, text: str) -> int:
            work[kind].append(text)
            return len(work[kind]) - 1

        for text, task in texts:
            pieces = task[4]
            if task[3]:
                plans.append(("names", add("names", text), []))
            elif pieces is None or [(p.start, p.end) for p in pieces] == [(0, len(text))]:
                plans.append(("all", add("all", text), []))  # names all through: one doc
            else:
                plans.append(("parse", add("parse", text), [(piece, add("names", piece.of(text))) for piece in pieces]))
        done = {kind: self._through(batch, kind) for kind, batch in work.items() if batch}
        parsed = []
        for (kind, k, named), (_, task) in zip(plans, texts, strict=True):
            doc = done[kind][k]
            if named:
                _set_names(doc, [(piece.start, done["names"][j]) for piece, j in named])
            parsed.append((doc, task))
        return parsed

    def _through(self, texts: list[str], kind: str) -> list[Doc]:
        """``texts`` through the pipeline's components for ``kind`` ("all", "parse": all but the
        recogniser, "names": the recogniser alone), batched as ``nlp.pipe`` does. The pipeline
        itself is left as it is, so threads may share it; its attribute ruler and lemmatizer are
        read by their faster stand-ins (:mod:`components`), which give the same output."""
        docs: Iterable[Doc] = (self.nlp.make_doc(text) for text in texts)
        for name, component in self.components:
            if kind == "all" or (name != "ner") == (kind == "parse"):
                pipe = getattr(component, "pipe", None)  # a function component has none
                docs = pipe(docs, batch_size=self.batch_size) if pipe else map(component, docs)
        with one_blas_thread():
            return list(docs)

    def _plan(self, text: str, section: Section, quotes: list[Span], proper: frozenset[str]) -> select.Plan:
        """How to read ``section``: all of it through the whole pipeline when the parse is full
        (and a headline always), else as :func:`select.plan` says."""
        if not self.selective or section.headline:
            return select.Plan([Span(section.start, section.end)], [], [], [None])
        return select.plan(text, section.start, section.end, quotes, self.triggers, proper)

    @staticmethod
    def _alive(i: int, deadlines: list[Deadline], failed: list[str | None]) -> bool:
        """Whether document ``i`` is still worth parsing: not failed, nor over its budget."""
        if failed[i] is None:
            try:
                deadlines[i].check()
            except OverBudget as exc:
                failed[i] = str(exc)
        return failed[i] is None

    def _finish(
        self, document: Document, parts: list[_SectionData], failed: str | None, deadline: Deadline
    ) -> Extraction | ExtractionError:
        with deadline.running():
            extraction, problem = (None, failed) if failed else _guarded(self._assemble, document, parts, deadline)
        return extraction if extraction is not None else ExtractionError(document.source, problem or "")

    def _section_text(self, document: Document, section: Section) -> str:
        text = document.text[section.start : section.end]
        return recase_headline(text, self.lex.speech_verbs) if section.headline else text

    # -- assembly ------------------------------------------------------------------------
    def _read(
        self, document: Document, doc: Doc, parsed: str, run: Section, quotes: list[Span], deadline: Deadline
    ) -> _SectionData:
        """What the rest of extraction needs from one parsed run (``parsed``: the text ``doc`` was
        made from), as plain data (its section's quotations are kept once, with the section)."""
        text = document.text
        data = _SectionData([])
        inside = [q for q in quotes if run.start <= q.start and q.end <= run.end]  # a run holds its quotations whole
        rules = SentenceRules(self.lex, text[run.start : run.end], run.start, inside, self._cue_words)
        for sent in doc.sents:
            deadline.check()
            data.sentences.append(Span(sent.start_char + run.start, sent.end_char + run.start))
            data.candidates += rules.apply(sent)
        data.entities += self._entities(doc, parsed, run.start)
        data.aliases += self._aliases(doc, parsed, run.start)
        return data

    def _read_names(
        self, document: Document, doc: Doc, parsed: str, run: Section, quotes: list[Span], deadline: Deadline
    ) -> _SectionData:
        """The names in a run only the recogniser read."""
        return _SectionData([], entities=list(self._entities(doc, parsed, run.start)))

    def _assemble(self, document: Document, parsed: list[_SectionData], deadline: Deadline) -> Extraction:
        text = document.text
        candidates = [c for part in parsed for c in part.candidates]
        sentences = sorted(s for part in parsed for s in part.sentences)
        entities = sorted((e for part in parsed for e in part.entities), key=lambda e: e.span)
        aliases = [a for part in parsed for a in part.aliases]
        quotes = QuoteIndex([q for part in parsed for q in part.quotes])
        candidates = self._deduplicate(candidates)
        candidates = self._drop_nested_stances(_drop_crossed(candidates))
        if document.turns:
            candidates = self._drop_spoken_asides(candidates, text)
        deadline.check()
        # "Petrova, who warned …": the relative pronoun stands for the phrase before it
        aliases += [(c.source, c.antecedent) for c in candidates if c.source and c.antecedent]
        statements = [self._statement(c, quotes, document) for c in candidates]
        statements = [s for s in statements if s is not None]
        statements = _join_split_quotes(text, statements, quotes)
        statements += self._headline(text, statements, document)
        deadline.check()
        statements += self._unclaimed_quotes(text, quotes, statements, sentences, entities)
        if not document.turns:
            statements += self._author_phrases(text, sentences, statements)
        statements += self._turns(document)
        deadline.check()
        nested = _nest(statements, text)
        # a report inside someone else's reported words is less often what annotators mark
        weight = self.lex.confidence["nested"]
        nested = [
            replace(s, confidence=round(s.confidence * weight, 3))
            if s.nested_in is not None and nested[s.nested_in].kind != "turn"
            else s
            for s in nested
        ]
        return Extraction(tuple(nested), tuple(entities), tuple(aliases))

    def _deduplicate(self, candidates: list[Candidate]) -> list[Candidate]:
        best: dict[tuple[int, int], Candidate] = {}
        for cand in candidates:
            key = (cand.cue.start, cand.cue.end) if cand.cue else (cand.content.start, cand.content.end)
            if key not in best or _RULE_RANK[cand.rule] < _RULE_RANK[best[key].rule]:
                best[key] = cand
        kept = list(best.values())
        # The same content claimed by two cues ("said" and "added" over one quote): keep the nearer.
        by_content: dict[tuple[int, int], Candidate] = {}
        for cand in kept:
            key = (cand.content.start, cand.content.end)
            other = by_content.get(key)
            if other is None or _distance(cand) < _distance(other):
                by_content[key] = cand
        return list(by_content.values())

    def _drop_spoken_asides(self, candidates: list[Candidate], text: str) -> list[Candidate]:
        """In speech, "I think", "I mean", "you know", "they want" are how people talk, not reports:
        inside transcript turns keep pronoun-subject cues only when they report speech ("I said …")."""

        def aside(c: Candidate) -> bool:
            subject = c.source.of(text).lower() if c.source else ""
            if subject not in _PRONOUNS:
                return False
            # "I say", "let me say": the speaker talking now, unlike "I said in February …"
            present_say = subject in {"i", "we"} and c.cue is not None and c.cue.of(text).lower() == "say"
            return c.lemma in self.lex.belief_verbs | SPOKEN_ASIDES or present_say

        return [c for c in candidates if not aside(c)]

    def _drop_nested_stances(self, candidates: list[Candidate]) -> list[Candidate]:
        """Inside someone's reported words, keep reports of speech ("claimed", "Kallas's claim"),
        not every belief or action verb ("wants", "supports"): those are part of the content."""

        def weak(c: Candidate) -> bool:
            return (
                c.lemma in self.lex.belief_verbs
                or c.rule in {"object", "stance"}
                or c.confidence < self.lex.confidence["noun"]  # below every report of speech: generic verbs
                or not c.asserted
            )

        outer = _shortest_enclosing(
            [c.content for c in candidates],
            [c.cue or c.content for c in candidates],
            [len(c.content) for c in candidates],
        )
        # inside a longer content (a longer one is never the candidate itself)
        return [cand for cand, around in zip(candidates, outer, strict=True) if not (around is not None and weak(cand))]

    def _statement(self, cand: Candidate, quotes: QuoteIndex, document: Document) -> Statement | None:
        text = document.text
        if cand.cue and cand.content.overlaps(cand.cue) and not cand.framed or len(cand.content) < 2:
            return None
        if cand.content.of(text).lower() in _EMPTY_CONTENTS:
            return None  # "I repeat it": the words are elsewhere
        dateline = _DATELINE.match(text, cand.content.start, cand.content.end)
        if dateline:  # "WASHINGTON (AP) — " heads the sentence, not what was said
            cand.content = Span(dateline.end(), cand.content.end)
        cand.content = _cover_quotes(cand.content, quotes)
        near = quotes.touching(cand.content)
        inside = [q for q in near if cand.content.contains(q) or q.contains(cand.content)]
        enclosing = [q for q in near if q.contains(cand.content) and q != cand.content]
        if cand.first_person and cand.cue and any(q.contains(cand.cue) for q in quotes.touching(cand.cue)):
            return None  # "I think" inside a speaker's own quotation is that speaker's voice
        if enclosing and cand.rule != "quote":
            kind = "indirect"
            quoted: tuple[Span, ...] = ()
        elif cand.rule == "quote" or any(_same(q, cand.content, text) for q in inside):
            kind = "direct"
            quoted = tuple(inner(q, text) for q in inside if cand.content.contains(q)) or (inner(cand.content, text),)
        elif inside:
            kind = "mixed"
            quoted = tuple(inner(q, text) for q in inside if cand.content.contains(q))
        else:
            kind, quoted = "indirect", ()
        if cand.first_person and not document.turns and not enclosing:
            kind = "author"
        confidence = {
            "mixed": max(cand.confidence, self.lex.confidence["mixed"]),
            "author": self.lex.confidence["author"],
        }
        act = act_of_candidate(cand.lemma or cand.cue_lemma, cand.head, bool(quoted) and kind != "indirect")
        return _statement_at(
            text,
            kind,
            cand.content,
            source=cand.source,
            cue=cand.cue,
            quotes=quoted,
            confidence=confidence.get(kind, cand.confidence),
            act=act,
        )

    def _unclaimed_quotes(
        self,
        text: str,
        quotes: QuoteIndex,
        statements: list[Statement],
        sentences: list[Span],
        entities: list[Entity],
    ) -> list[Statement]:
        """Quotations no cue claimed: ``"…" — Petrova``, ``More from Jones: "…"``, or a
        continuation of the statement before."""
        claimed = _Spans(s.content_span for s in statements)
        found: list[Statement] = []
        starts = [s.start for s in sentences]
        named = sorted(
            ((e.span.start, i) for i, e in enumerate(entities) if e.label in {"PERSON", "ORG", "PROPN"}),
        )  # the small model often tags a surname ORG
        # the statement before a quotation is the last one, in list order, that ends before it
        ends_before = sorted((s.content_span.end, i) for i, s in enumerate(statements) if s.kind != "author")
        ends = [end for end, _ in ends_before]
        latest = list(itertools.accumulate((i for _, i in ends_before), max))

        def previous_of(at: int) -> Statement | None:
            for s in reversed(found):  # found ones come last; all but those in this sentence end before
                if s.content_span.end <= at and s.kind != "author":
                    return s
            k = bisect.bisect_right(ends, at)
            return statements[latest[k - 1]] if k else None

        for quote in quotes.quotes:
            if claimed.overlaps(quote):
                continue
            before = text[max(0, quote.start - 20) : quote.start].lower()
            if any(before.rstrip().endswith(cue) for cue in self.lex.scare_quote_cues) or looks_like_title(quote, text):
                continue
            words = len(text[quote.start : quote.end].split())
            at = bisect.bisect_right(starts, quote.start) - 1
            sentence = sentences[at] if at >= 0 else quote
            # a speaker named right next to the quotation: "…" — Petrova / pollster Daron Shaw: "…"
            dash = _DASH_SOURCE.match(text, quote.end)
            if dash:
                source, cue, rule = Span(dash.start("name"), dash.end("name")), None, "dash"
            elif introduced := self._colon_speaker(text, quote, sentence, entities, named):
                (source, cue), rule = introduced, "colon"
            else:
                source = None
            if source is not None:
                found.append(
                    _statement_at(
                        text,
                        "direct",
                        quote,
                        source=source,
                        cue=cue,
                        quotes=(inner(quote, text),),
                        confidence=self.lex.confidence[rule],
                    )
                )
                continue
            previous = previous_of(quote.start)
            if previous is None:
                continue
            gap = text[previous.content_span.end : quote.start]
            close = gap.count("\n\n") + (gap.count("\n") if "\n\n" not in gap else 0) <= 2
            if not close:
                continue
            if words >= 4 and len(quote) >= 0.6 * len(sentence.of(text).strip()):
                content, conf = quote, self.lex.confidence["implicit_quote"]
            elif "\n" not in gap and sentence.start <= previous.content_span.end + 40:
                # a short quotation only carries a cue-less sentence when it follows right on
                content, conf = _trim(sentence, text), self.lex.confidence["implicit_sentence"]
            else:
                continue
            if claimed.overlaps(content):
                continue
            found.append(_statement_at(text, "implicit", content, quotes=(inner(quote, text),), confidence=conf))
        return found

    @staticmethod
    def _colon_speaker(
        text: str, quote: Span, sentence: Span, entities: list[Entity], named: list[tuple[int, int]]
    ) -> tuple[Span, Span] | None:
        """``The surge doesn't surprise pollster Daron Shaw: “…”``: the person named last before a
        colon that introduces a quotation, and the colon. ``named`` is (start, index) of the
        entities that may name a speaker, sorted: only those in the sentence are looked at."""
        lead = text[sentence.start : quote.start].rstrip()
        if not lead.endswith(":"):
            return None
        colon = sentence.start + len(lead) - 1
        low = bisect.bisect_left(named, (sentence.start,))
        high = bisect.bisect_right(named, (colon, len(entities)))
        spans = [
            entities[i].span
            for i in sorted(i for _, i in named[low:high])
            if entities[i].span.end <= colon and colon - entities[i].span.end <= 30
        ]
        return (max(spans, key=lambda span: span.end), Span(colon, colon + 1)) if spans else None

    def _headline(self, text: str, statements: list[Statement], document: Document) -> list[Statement]:
        """``Petrova: Talks Are Moving in the Wrong Direction`` — a name, a colon, what they said."""
        if document.turns:
            return []
        match = _HEADLINE_SOURCE.match(text)
        if (
            not match
            or match["name"].split()[0].lower() in _NOT_HEADLINE_SOURCES
            or any(s.content_span.overlaps(Span(match.start("content"), match.end("content"))) for s in statements)
        ):
            return []
        source = Span(match.start("name"), match.end("name"))
        content = Span(match.start("content"), match.end("content"))
        cue = Span(match.start("colon"), match.end("colon"))
        return [
            _statement_at(text, "direct", content, source=source, cue=cue, confidence=self.lex.confidence["headline"])
        ]

    def _author_phrases(self, text: str, sentences: list[Span], statements: list[Statement]) -> list[Statement]:
        """``In my view, …``: the writer's own voice, announced by a phrase rather than a verb."""
        found = []
        taken = _Spans(s.content_span for s in statements)
        for sentence in sentences:
            lowered = sentence.of(text).lower()
            for phrase in self.lex.author_phrases:
                at = lowered.find(phrase)
                if at < 0 or at > 3:
                    continue
                cue = Span(sentence.start + at, sentence.start + at + len(phrase))
                content = _trim(Span(cue.end, sentence.end), text)
                if len(content) > 3 and not taken.overlaps(content):
                    found.append(
                        _statement_at(text, "author", content, cue=cue, confidence=self.lex.confidence["author"])
                    )
                break
        return found

    @staticmethod
    def _turns(document: Document) -> list[Statement]:
        text = document.text
        return [
            _statement_at(text, "turn", t.content_span, source=t.label_span, confidence=1.0, speaker=t.speaker)
            for t in document.turns
            if len(t.content_span)
        ]

    @staticmethod
    def _entities(doc: Doc, text: str, offset: int) -> Iterator[Entity]:
        """The names in ``doc`` (made from ``text``, which starts at ``offset``)."""
        for ent in doc.ents:
            if ent.label_ in ENTITY_LABELS:
                yield Entity(
                    text[ent.start_char : ent.end_char],
                    Span(ent.start_char + offset, ent.end_char + offset),
                    ent.label_,
                )
        # proper nouns the recogniser missed ("Valdor insists …") are still names: label PROPN
        if not len(doc):
            return
        table = doc.to_array([POS, ENT_TYPE])
        unnamed = np.concatenate([[False], (table[:, 0] == PROPN) & (table[:, 1] == 0), [False]])
        edges = np.flatnonzero(unnamed[1:] != unnamed[:-1])  # a run's first token, then one past its last
        for first, last in zip(edges[::2].tolist(), (edges[1::2] - 1).tolist(), strict=True):
            name = doc[first : last + 1]
            yield Entity(
                text[name.start_char : name.end_char], Span(name.start_char + offset, name.end_char + offset), "PROPN"
            )

    @staticmethod
    def _aliases(doc: Doc, text: str, offset: int) -> Iterator[tuple[Span, Span]]:
        """Descriptor -> name links: appositions and titles before a name (``doc`` made from ``text``)."""
        for i in np.flatnonzero(doc.to_array(DEP) == doc.vocab.strings["appos"]).tolist():
            head, other = doc[i].head, doc[i]
            types = {head.ent_type_, other.ent_type_}
            if "PERSON" in types and "" not in types and len(types) > 1:
                continue  # "Radio Valdor, Anna Petrova": two names side by side, not one described
            if other.pos_ == "PROPN" and head.pos_ != "PROPN":
                head, other = other, head
            name = char_span(subtree(head, frozenset({"appos", "punct", "relcl", "acl", "prep"})), offset, text)
            descriptor = char_span(subtree(other, frozenset({"punct", "relcl", "acl"})), offset, text)
            if name and descriptor and head.pos_ == "PROPN":
                yield descriptor, name
        for ent in doc.ents:
            if ent.label_ != "PERSON":
                continue
            titles = [t for t in ent.root.children if t.dep_ == "compound" and t.i < ent.start]
            if titles:
                left = min(t.left_edge.i for t in titles)
                descriptor = char_span(list(doc[left : ent.start]), offset, text)
                if descriptor:
                    yield descriptor, Span(ent.start_char + offset, ent.end_char + offset)


def _set_names(doc: Doc, found: list[tuple[int, Doc]]) -> None:
    """The recogniser's names in parts of ``doc`` (each part's start, and the part read alone),
    set on ``doc`` as its own would be; every other token is outside a name."""
    names = []
    for start, part in found:
        for ent in part.ents:
            span = doc.char_span(start + ent.start_char, start + ent.end_char, label=ent.label_)
            if span is not None:
                names.append(span)
    doc.set_ents(names, default="outside")


def _drop_crossed(candidates: list[Candidate]) -> list[Candidate]:
    """Two cues that each claim the other ("Nordmark is considering sanctions, officials said" read
    both ways): keep the better-attested reading."""
    dropped: set[int] = set()
    cued = [c for c in candidates if c.cue]
    # b can cross a only if b's cue lies in a's content and b's content starts by a's cue:
    # candidates sorted by cue, and asked for the content starts at or before a point
    order = sorted(range(len(cued)), key=lambda j: cued[j].cue.start if cued[j].cue else 0)
    cue_starts = [cued[j].cue.start if cued[j].cue else 0 for j in order]
    content_starts = _AtMost([cued[j].content.start for j in order])
    for a in cued:
        if a.cue is None:
            continue
        low = bisect.bisect_left(cue_starts, a.content.start)
        high = bisect.bisect_right(cue_starts, a.content.end)
        for b in (cued[j] for j in sorted(order[k] for k in content_starts.find(low, high, a.cue.start))):
            if a is b or id(a) in dropped or id(b) in dropped or not (a.cue and b.cue):
                continue
            if a.content.contains(b.cue) and b.content.contains(a.cue):
                worse = max((a, b), key=lambda c: (_RULE_RANK[c.rule], -c.confidence))
                dropped.add(id(worse))
    return [c for c in candidates if id(c) not in dropped]


class _AtMost:
    """Positions in a range whose value is at most a bound, found through a table of range
    minima: the cost follows the number found, not the length of the range."""

    def __init__(self, values: list[int]) -> None:
        self.values = values
        self.table = [list(range(len(values)))]  # table[k][i]: where the least of values[i : i + 2**k] is
        step = 1
        while 2 * step <= len(values):
            last = self.table[-1]
            self.table.append(
                [
                    last[i] if values[last[i]] <= values[last[i + step]] else last[i + step]
                    for i in range(len(values) - 2 * step + 1)
                ]
            )
            step *= 2

    def _least(self, low: int, high: int) -> int:
        k = (high - low).bit_length() - 1
        a, b = self.table[k][low], self.table[k][high - (1 << k)]
        return a if self.values[a] <= self.values[b] else b

    def find(self, low: int, high: int, bound: int) -> list[int]:
        """Positions in ``[low, high)`` whose value is at most ``bound``."""
        found, todo = [], [(low, high)]
        while todo:
            low, high = todo.pop()
            if low >= high:
                continue
            at = self._least(low, high)
            if self.values[at] > bound:
                continue
            found.append(at)
            todo += [(low, at), (at + 1, high)]
        return found


def _shortest_enclosing(spans: list[Span], anchors: list[Span], longer_than: list[int]) -> list[int | None]:
    """For each anchor, the index of the shortest span (the first of equals) that contains it and
    is longer than ``longer_than`` for it; None if there is none.

    One sweep by position: a span opens when the sweep reaches its start and closes once the
    sweep has passed its end; the open spans are kept sorted by length, so each anchor takes a
    bisection and a short walk, however deeply statements nest ("A said B said C said …")."""
    by_start = sorted(range(len(spans)), key=lambda i: spans[i].start)
    open_: list[tuple[int, int]] = []  # (length, index), sorted
    closing: list[tuple[int, int, int]] = []  # heap of (end, length, index)
    found: list[int | None] = [None] * len(anchors)
    k = 0
    for q in sorted(range(len(anchors)), key=lambda q: anchors[q].start):
        anchor = anchors[q]
        while k < len(by_start) and spans[by_start[k]].start <= anchor.start:
            i = by_start[k]
            k += 1
            bisect.insort(open_, (len(spans[i]), i))
            heapq.heappush(closing, (spans[i].end, len(spans[i]), i))
        while closing and closing[0][0] < anchor.start:
            _, length, i = heapq.heappop(closing)
            del open_[bisect.bisect_left(open_, (length, i))]
        j = bisect.bisect_right(open_, (longer_than[q], len(spans)))
        while j < len(open_):
            if spans[open_[j][1]].end >= anchor.end:
                found[q] = open_[j][1]
                break
            j += 1
    return found


def _join_split_quotes(text: str, statements: list[Statement], quotes: QuoteIndex) -> list[Statement]:
    """``"A," said Petrova. "B."`` is one statement in two quotations: join B onto A, and any
    paragraph after it that is nothing but her quotation ("C.")."""
    out = []
    joined_quotes: set[Span] = set()
    contents = _Spans([o.content_span for o in statements])
    cues = sorted(o.cue_span.start for o in statements if o.cue_span)

    def free(quote: Span, after: int) -> bool:
        """Nobody else claims ``quote``, and no other cue stands between ``after`` and it. (The
        statement being joined ends before its own cue, so it never stands in its own way.)"""
        return (
            quote not in joined_quotes
            # '“France will always be France,” Hollande replied': a quotation left unfinished has a frame of its own
            and not inner(quote, text).of(text).rstrip().endswith(",")
            and not _OWN_FRAME.match(text, quote.end)  # issue 15: «…», — сказал он has a frame of its own
            and not contents.crosses(quote)
            and bisect.bisect_left(cues, after) >= bisect.bisect_left(cues, quote.start)
        )

    for s in statements:
        frame_end = max(sp.end for sp in (s.cue_span, s.speaker_span) if sp) if s.cue_span else None
        if s.kind == "direct" and s.cue_span and frame_end and s.content_span.end <= s.cue_span.start:
            after = frame_end
            follow = quotes.first_from(after)
            gap_ok = follow is not None and _SPLIT_QUOTE_GAP.fullmatch(text, after, follow.start)
            while follow is not None and gap_ok and free(follow, after):
                joined = Span(s.content_span.start, follow.end)
                s = replace(s, content=joined.of(text), content_span=joined, quotes=(*s.quotes, inner(follow, text)))
                joined_quotes.add(follow)
                after = joined.end
                follow = quotes.first_from(after)
                gap_ok = follow is not None and _NEXT_QUOTED_PARAGRAPH.fullmatch(text, after, follow.start)
        out.append(s)
    return out


class _Spans:
    """Spans sorted by start, with the furthest end reached so far: whether any of them overlaps
    a span is two bisections and a look at the few that start inside it, not a scan of all."""

    def __init__(self, spans: Iterable[Span]) -> None:
        self.spans = sorted(spans, key=lambda span: span.start)
        self.starts = [span.start for span in self.spans]
        self.reach = list(itertools.accumulate((span.end for span in self.spans), max))

    def _around(self, span: Span) -> tuple[bool, list[Span]]:
        """Whether one that starts before ``span`` runs into it, and those that start inside it."""
        low = bisect.bisect_left(self.starts, span.start)
        high = bisect.bisect_left(self.starts, span.end)
        return bool(low and self.reach[low - 1] > span.start), self.spans[low:high]

    def overlaps(self, span: Span) -> bool:
        """Some span overlaps ``span``."""
        runs_in, inside = self._around(span)
        return runs_in or any(other.overlaps(span) for other in inside)

    def crosses(self, span: Span) -> bool:
        """Some span overlaps ``span`` without lying inside it."""
        runs_in, inside = self._around(span)
        return runs_in or any(other.overlaps(span) and not span.contains(other) for other in inside)


def _guarded(work: Callable[..., _T], *args: object) -> tuple[_T | None, str | None]:
    """``work(*args)``, or None and the one-line problem that stops this document alone."""
    try:
        return work(*args), None
    except OverBudget as exc:
        return None, str(exc)
    except Exception as exc:  # noqa: BLE001 - one document must not stop a batch
        return None, f"extraction failed ({exc.__class__.__name__}: {exc}); please report this"


def _section_batches(
    tasks: list[tuple[int, Section]], size: int, chars: int
) -> Iterator[tuple[int, list[tuple[int, Section]]]]:
    """Consecutive runs of at most ``size`` sections and, past the first, ``chars`` characters,
    each with the index in ``tasks`` just past it."""
    start = total = 0
    for at, (_, section, *_rest) in enumerate(tasks):
        length = section.end - section.start
        if at > start and (at - start >= size or total + length > chars):
            yield at, tasks[start:at]
            start, total = at, 0
        total += length
    if start < len(tasks):
        yield len(tasks), tasks[start:]


def batched(documents: Iterable[Document], size: int, chars: int) -> Iterator[list[Document]]:
    """Consecutive groups of at most ``size`` documents and, past the first, ``chars`` characters."""
    chunk: list[Document] = []
    total = 0
    for document in documents:
        if chunk and (len(chunk) >= size or total + len(document.text) > chars):
            yield chunk
            chunk, total = [], 0
        chunk.append(document)
        total += len(document.text)
    if chunk:
        yield chunk


def _statement_at(
    text: str,
    kind: str,
    content: Span,
    *,
    source: Span | None = None,
    cue: Span | None = None,
    quotes: tuple[Span, ...] = (),
    confidence: float,
    speaker: str | None = None,
    act: Act = "say",  # bare quotations, headlines and transcript turns are speech
) -> Statement:
    """A statement whose text fields are read off ``text`` at its spans, so the two always agree."""
    return Statement(
        index=-1,
        kind=kind,  # type: ignore[arg-type]
        content=content.of(text),
        content_span=content,
        speaker=speaker,
        speaker_mention=source.of(text) if source else None,
        speaker_span=source,
        cue=cue.of(text) if cue else None,
        cue_span=cue,
        quotes=quotes,
        confidence=confidence,
        act=act,
    )


def _distance(cand: Candidate) -> int:
    if cand.cue is None:
        return 0
    return min(abs(cand.cue.start - cand.content.end), abs(cand.content.start - cand.cue.end))


def _cover_quotes(content: Span, quotes: QuoteIndex) -> Span:
    """Widen a content that cuts a quotation in two, so the quotation stays whole."""
    start, end = content.start, content.end
    for quote in quotes.touching(content):
        if quote.overlaps(content) and not content.contains(quote) and not quote.contains(content):
            start, end = min(start, quote.start), max(end, quote.end)
    return Span(start, end)


def _same(quote: Span, content: Span, text: str) -> bool:
    """A content that is the quotation, give or take edge punctuation."""
    return abs(quote.start - content.start) <= 2 and abs(quote.end - content.end) <= 2


def _trim(span: Span, text: str) -> Span:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _nest(statements: list[Statement], text: str) -> list[Statement]:
    """Order statements by position, number them, and point each at the one it sits inside."""

    def start(s: Statement) -> tuple[int, int]:
        points = [s.content_span.start] + (
            [s.cue_span.start] if s.cue_span else []
        )  # a shared speaker does not reorder
        return (min(points), -len(s.content_span))

    ordered = sorted(statements, key=start)
    result = [replace(s, index=i) for i, s in enumerate(ordered)]
    # the parent is the shortest statement whose content holds this one's cue (or content) and is longer
    parents = _shortest_enclosing(
        [s.content_span for s in result],
        [s.cue_span or s.content_span for s in result],
        [len(s.content_span) for s in result],
    )
    return [replace(s, nested_in=parent) for s, parent in zip(result, parents, strict=True)]
