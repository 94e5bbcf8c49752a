"""Russian documents -> :class:`~onrecord.model.Extraction`, with natasha instead of spaCy (issue 15).

Where it sits: inside extract/, beside the English rules. ``Extractor.pipe_with_deadlines``
hands each run of Russian documents (``Document.lang == "ru"``) to :class:`RussianExtractor`
through :func:`by_language`, in input order. What does not depend on the language is shared
with the English extractor: sections and transcript turns, quotation pairing (``quotes.py``),
the assembly of candidates into statements (kinds, split quotations, continuations, nesting,
confidence: ``Extractor._assemble``). What is Russian lives here and in ``data/cues_ru.yaml``.

Stages, for each document:

1. *sections* — as in English (``extractor.sections_of``): each transcript turn, else the text;
2. *quotes* — «ёлочки», „лапки“ and "straight" marks paired on the raw text;
3. *parse* — natasha: razdel segmentation, slovnet morphology, Universal Dependencies syntax and
   NER over navec vectors; pymorphy lemmas (``заявил`` -> ``заявить``) and nominative forms of
   names (``Сергея Лаврова`` -> ``Сергей Лавров``), reduced to plain data at once;
4. *rules* — over each sentence (:class:`_Sentence`), a cue verb by its lemma with its subject:
   an adjacent quotation («…», — заявил Лавров / заявил: «…»), its ``что`` clause (``ccomp``),
   ``назвал Y Z`` (object and complement), ``заявил о …``; ``как заявил X, …`` and ``по словам X,
   …`` put the rest of the clause in X's mouth;
5. *assemble* — the shared assembly, with the Russian lexicon's confidences and scare-quote cues.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from onrecord.errors import ExtractionError
from onrecord.extract.budget import Deadline
from onrecord.extract.extractor import Extractor, _guarded, _SectionData, sections_of
from onrecord.extract.lexicon import Lexicon
from onrecord.extract.nlp import one_blas_thread
from onrecord.extract.quotes import QuoteIndex, find_quotes
from onrecord.extract.rules import Candidate
from onrecord.model import Document, Entity, Extraction, Span

VERSION = "onrecord.quotes-ru.v1"
LANG = "ru"
_EDGE = " \t\r\n,;:—–-"
_NER_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
_SUBJECTS = {"nsubj", "nsubj:pass"}
_NOT_IN_SOURCE = {"acl:relcl", "acl", "parataxis", "punct", "conj", "cc"}
# what may stand between a quotation and its frame: «…», — сказал он / «…» — сказал он
_GAP_BEFORE_FRAME = re.compile(r"[\s,]*[—–-]+\s*|,\s*")
_GAP_AFTER_FRAME = re.compile(r"[^.!?«»\"„“\n]{0,60}?:\s*")  # заявил журналистам: «…»


@dataclass(frozen=True, slots=True)
class RussianCues:
    """The Russian cue lexicon (``data/cues_ru.yaml``) and, built from it, the shared
    :class:`Lexicon` the assembly reads its confidences and scare-quote cues from."""

    speech_verbs: frozenset[str]
    object_content_verbs: frozenset[str]
    naming_verbs: frozenset[str]
    clause_only_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    topic_prepositions: frozenset[str]
    according_nouns: dict[str, str]
    first_person: frozenset[str]
    object_prepositions: dict[str, frozenset[str]]
    infinitive_verbs: frozenset[str]
    empty_contents: frozenset[str]
    speaking_bodies: frozenset[str]
    lexicon: Lexicon


@lru_cache(maxsize=1)
def cues_ru() -> RussianCues:
    """The packaged Russian lexicon, loaded once."""
    raw = yaml.safe_load((files("onrecord.extract") / "data" / "cues_ru.yaml").read_text("utf-8"))
    words = {key: frozenset(str(w) for w in value) for key, value in raw.items() if isinstance(value, list)}
    empty: frozenset[str] = frozenset()
    lexicon = Lexicon(
        speech_verbs=words["speech_verbs"],
        object_content_verbs=words["object_content_verbs"],
        phrasal_verbs={},
        estimate_verbs=empty,
        clause_only_verbs=words["clause_only_verbs"],
        belief_verbs=words["belief_verbs"],
        object_prepositions={},
        topic_prepositions=words["topic_prepositions"],
        stance_nouns=empty,
        stance_verbs=empty,
        speech_nouns=empty,
        noun_prepositions={},
        evidence_nouns=empty,
        evidence_verbs=empty,
        author_verbs=empty,
        production_verbs=empty,
        word_nouns=empty,
        naming_verbs=words["naming_verbs"],
        object_needs_preposition=empty,
        intent_nouns=empty,
        author_phrases=tuple(raw["author_phrases"]),
        scare_quote_cues=tuple(raw["scare_quote_cues"]),
        confidence={k: float(v) for k, v in raw["confidence"].items()},
    )
    return RussianCues(
        speech_verbs=words["speech_verbs"],
        object_content_verbs=words["object_content_verbs"],
        naming_verbs=words["naming_verbs"],
        clause_only_verbs=words["clause_only_verbs"],
        belief_verbs=words["belief_verbs"],
        topic_prepositions=words["topic_prepositions"],
        according_nouns={str(k): str(v) for k, v in raw["according_nouns"].items()},
        first_person=words["first_person"],
        object_prepositions={str(k): frozenset(str(p) for p in v) for k, v in raw["object_prepositions"].items()},
        infinitive_verbs=words["infinitive_verbs"],
        empty_contents=words["empty_contents"],
        speaking_bodies=words["speaking_bodies"],
        lexicon=lexicon,
    )


# -- natasha, loaded once per process -------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Natasha:
    segmenter: Any
    morph: Any
    syntax: Any
    ner: Any
    vocab: Any


@lru_cache(maxsize=1)
def _natasha() -> _Natasha:
    """natasha's models (about 2 s; their weights ship inside the wheels, nothing downloads)."""
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    embedding = NewsEmbedding()
    return _Natasha(
        Segmenter(), NewsMorphTagger(embedding), NewsSyntaxParser(embedding), NewsNERTagger(embedding), MorphVocab()
    )


@dataclass(slots=True)
class _Token:
    i: int
    text: str
    lemma: str
    pos: str
    rel: str
    head: int  # index in the sentence, -1 for the root
    start: int  # absolute character offsets into the document text
    end: int
    feats: dict[str, str]
    children: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Sentence:
    tokens: list[_Token]
    start: int
    end: int

    def subtree(self, i: int, skip: frozenset[str] | set[str] = frozenset()) -> list[int]:
        """Indices of token ``i`` and its descendants, not descending into children of a skipped relation."""
        found, todo = {i}, [i]
        while todo:  # the parser may leave a cycle: each token is visited once
            j = todo.pop()
            fresh = [c for c in self.tokens[j].children if c not in found and self.tokens[c].rel not in skip]
            found.update(fresh)
            todo += fresh
        return sorted(found)

    def span(self, indices: Iterable[int], text: str) -> Span | None:
        """The characters from the first to the last of ``indices``, trimmed of edge punctuation and a
        closing full stop."""
        indices = list(indices)
        if not indices:
            return None
        start, end = self.tokens[min(indices)].start, self.tokens[max(indices)].end
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if end - start > 3 and text[end - 1] == "." and text[end - 3] != ".":
            end -= 1
        return Span(start, end) if end > start else None


def _parse(text: str, offset: int) -> tuple[list[_Sentence], list[Entity], list[tuple[Span, Span]]]:
    """Sentences (plain data), named entities with their nominative forms, and appositive links."""
    from natasha import Doc

    nat = _natasha()
    doc = Doc(text)
    doc.segment(nat.segmenter)
    # natasha's layers multiply small matrices (a few dozen words at a time): on OpenBLAS's threads, waking them
    # cost more than the products (one thread parses Russian 5-6 times as fast on this project's 2-core machine)
    with one_blas_thread():
        doc.tag_morph(nat.morph)
        doc.parse_syntax(nat.syntax)
        doc.tag_ner(nat.ner)
    sentences = []
    for sent in doc.sents:
        ids = {t.id: k for k, t in enumerate(sent.tokens)}
        tokens = []
        for k, t in enumerate(sent.tokens):
            t.lemmatize(nat.vocab)
            tokens.append(
                _Token(
                    k,
                    t.text,
                    (t.lemma or t.text).lower(),
                    t.pos or "",
                    t.rel or "",
                    ids.get(t.head_id, -1),
                    t.start + offset,
                    t.stop + offset,
                    dict(t.feats or {}),
                )
            )
        for t in tokens:
            if t.head >= 0 and t.head != t.i:
                tokens[t.head].children.append(t.i)
        if tokens:
            sentences.append(_Sentence(tokens, tokens[0].start, tokens[-1].end))
    entities = []
    cases = {(t.start, t.stop): (t.feats or {}).get("Case") for t in doc.tokens}
    # a subject is nominative whatever the tagger says (it reads "Миронова" as "Миронов"'s genitive)
    by_id = {t.id: t for t in doc.tokens}
    for t in doc.tokens:
        head = by_id.get(t.head_id)
        if t.rel in {"nsubj", "nsubj:pass"} or (
            t.rel in {"flat:name", "appos"} and head is not None and head.rel in {"nsubj", "nsubj:pass"}
        ):
            cases[(t.start, t.stop)] = "Nom"
    for span in doc.spans:
        label = _NER_LABELS.get(span.type)
        if label is None:
            continue
        if all(cases.get((t.start, t.stop)) == "Nom" for t in span.tokens):
            normal = span.text  # the tagger read it in context as nominative: "Миронова сказала" is no genitive
        else:
            try:
                span.normalize(nat.vocab)
                normal = span.normal or span.text
            except Exception:  # noqa: BLE001 - a name natasha cannot inflect keeps its written form
                normal = span.text
        start, written = span.start, span.text
        if label == "PERSON":
            start, written, normal = _without_dependents(span, by_id, written, normal)
        entities.append(Entity(written, Span(start + offset, span.stop + offset), label, normal=normal))
    persons = [e.span for e in entities if e.label == "PERSON"]
    aliases = [link for sentence in sentences for link in _appositions(sentence, persons)]
    return sentences, entities, aliases


def _without_dependents(span: Any, by_id: dict[str, Any], written: str, normal: str) -> tuple[int, str, str]:
    """A person's name without the words before it that the parse hangs on a word outside the name,
    apart from the rest: the recogniser runs a place into the name after a title ("Посол Нордмарка Ян
    Эрикссон" read as one name, where "Нордмарка" and "Ян" each depend on "Посол"). (start, written,
    nominative) of what is left."""
    tokens = list(span.tokens)
    inside = {t.id for t in tokens}
    dropped = 0
    while len(tokens) > 1 and tokens[0].head_id not in inside and tokens[0].head_id in by_id:
        rest = tokens[1:]
        if any(t.head_id == tokens[0].id for t in rest) or all(t.head_id in inside for t in rest):
            break  # the rest depends on it, or on nothing outside: one name
        inside.discard(tokens[0].id)
        tokens = tokens[1:]
        dropped += 1
    if not dropped:
        return span.start, written, normal
    words = normal.split()
    rest = " ".join(words[dropped:]) if len(words) == len(span.tokens) else written[tokens[0].start - span.start :]
    return tokens[0].start, written[tokens[0].start - span.start :], rest


def _appositions(sentence: _Sentence, persons: list[Span]) -> Iterator[tuple[Span, Span]]:
    """Descriptor -> name links: ``министр иностранных дел России Сергей Лавров``, ``Лавров, глава МИД``.
    Of an appositive pair in one case, the side a person's name covers is the name; the other, the
    descriptor (a capitalised first word is often tagged a proper noun, so the tag cannot tell)."""

    def named(token: _Token) -> bool:
        return any(p.start <= token.start and token.end <= p.end for p in persons)

    for t in sentence.tokens:
        if t.rel != "appos" or t.head < 0:
            continue
        head = sentence.tokens[t.head]
        if named(t) == named(head):
            continue
        name, descriptor = (t, head) if named(t) else (head, t)
        cases = {name.feats.get("Case"), descriptor.feats.get("Case")}
        if descriptor.rel in _SUBJECTS and name.head == descriptor.i:
            cases = {"Nom"}  # a subject's name is nominative whatever the tagger says ("Депутат Орлова …")
        if len(cases - {None}) > 1:  # "представитель министерства Руритании": a genitive is no apposition
            continue
        name_ids = [i for i in sentence.subtree(name.i, {"punct", "appos", "acl", "acl:relcl"}) if i >= name.i]
        inside_name = set(sentence.subtree(name.i))
        desc_ids = [
            i for i in sentence.subtree(descriptor.i, {"punct", "acl:relcl", "parataxis"}) if i not in inside_name
        ]
        if not name_ids or not desc_ids:
            continue
        yield (
            Span(sentence.tokens[min(desc_ids)].start, sentence.tokens[max(desc_ids)].end),
            Span(sentence.tokens[min(name_ids)].start, sentence.tokens[max(name_ids)].end),
        )


# -- rules ---------------------------------------------------------------------------------------
class _Rules:
    """Cues with their sources and contents in one parsed sentence (see the module's stage 4)."""

    def __init__(self, cues: RussianCues, text: str, quotes: QuoteIndex) -> None:
        self.cues, self.text, self.quotes = cues, text, quotes
        self.conf = cues.lexicon.confidence
        self.bodies: list[Entity] = []  # named institutions that spoke ("в министерстве обороны Нордмарка")

    def apply(self, sentence: _Sentence) -> Iterator[Candidate]:
        for t in sentence.tokens:
            if t.pos in {"VERB", "AUX"} and t.lemma in self.cues.speech_verbs and t.feats.get("VerbForm") != "Conv":
                yield from self._verb(sentence, t)
            elif t.pos == "NOUN" and t.lemma in self.cues.according_nouns:
                found = self._according(sentence, t)
                if found:
                    yield found

    def _source(self, sentence: _Sentence, verb: _Token) -> _Token | None:
        subjects = [sentence.tokens[c] for c in verb.children if sentence.tokens[c].rel in _SUBJECTS]
        if not subjects and verb.rel == "conj" and verb.head >= 0:  # "Лавров заявил …, а затем добавил …"
            head = sentence.tokens[verb.head]
            subjects = [sentence.tokens[c] for c in head.children if sentence.tokens[c].rel in _SUBJECTS]
        if not subjects and verb.feats.get("Number") == "Plur":
            # "в Кремле заявили, что …", "в Вашингтоне говорят …": the place (or body) speaks
            subjects = [sentence.tokens[c] for c in verb.children if self._speaking_place(sentence, c)]
        if not subjects:
            return None
        return min(subjects, key=lambda s: abs(s.i - verb.i))

    def _speaking_place(self, sentence: _Sentence, i: int) -> bool:
        """``в Кремле``, ``в МИД Руритании`` before an impersonal plural verb: an obl named ``в`` X; or an
        institution of the lexicon on either side (``как сообщили в пресс-службе банка``)."""
        token = sentence.tokens[i]
        cases = {sentence.tokens[c].lemma for c in token.children if sentence.tokens[c].rel == "case"}
        if token.rel != "obl" or not cases or not cases <= {"в", "во"}:
            return False
        if token.lemma in self.cues.speaking_bodies:
            return True
        return i < token.head and (
            token.pos == "PROPN" or any(sentence.tokens[c].pos == "PROPN" for c in sentence.subtree(i))
        )

    def _source_span(self, sentence: _Sentence, subject: _Token) -> Span | None:
        ids = sentence.subtree(subject.i, _NOT_IN_SOURCE)
        if subject.rel == "obl":  # "в Кремле": the place without its preposition
            ids = [i for i in ids if not (sentence.tokens[i].rel == "case" and sentence.tokens[i].head == subject.i)]
        span = sentence.span(ids, self.text)
        if (
            span is not None
            and subject.rel == "obl"
            and subject.lemma in self.cues.speaking_bodies
            and subject.start == span.start
            and any(sentence.tokens[i].pos == "PROPN" for i in ids)
        ):
            # an institution a name makes particular is an organisation, in the nominative: "министерство
            # обороны Нордмарка"; an unnamed one ("в пресс-службе банка") is nobody in particular
            normal = subject.lemma + self.text[subject.end : span.end]
            self.bodies.append(Entity(span.of(self.text), span, "ORG", normal=normal))
        return span

    def _candidate(
        self, verb: _Token, source: Span | None, content: Span, rule: str, subject: _Token | None
    ) -> Candidate | None:
        if content.of(self.text).strip().lower() in self.cues.empty_contents:
            return None  # "сказала об этом": the words are elsewhere
        first = subject is not None and subject.lemma in self.cues.first_person
        return Candidate(
            cue=Span(verb.start, verb.end),
            source=source,
            content=content,
            rule=rule,
            first_person=first,
            confidence=self.conf["quote" if rule == "quote" else rule],
            lemma=verb.lemma,
        )

    def _verb(self, sentence: _Sentence, verb: _Token) -> Iterator[Candidate]:
        found = self._verb_candidate(sentence, verb)
        if found is not None:
            yield found

    def _children(self, sentence: _Sentence, verb: _Token, *rels: str) -> list[_Token]:
        return [sentence.tokens[c] for c in verb.children if sentence.tokens[c].rel in rels]

    def _verb_candidate(self, sentence: _Sentence, verb: _Token) -> Candidate | None:
        subject = self._source(sentence, verb)
        if subject is None:
            return None
        source = self._source_span(sentence, subject)
        if source is None:
            return None
        marks = {t.lemma for t in self._children(sentence, verb, "mark")}
        if "как" in marks:  # "как заявил Лавров, …": the rest of the clause is what he said
            content = self._rest_of_clause(sentence, verb)
            return self._candidate(verb, source, content, "clause", subject) if content else None
        frame = Span(min(verb.start, source.start), max(verb.end, source.end))
        quote = self._adjacent_quote(frame)
        if quote is not None:
            return self._candidate(verb, source, quote, "quote", subject)
        if (
            subject.i > verb.i > 1
            and sentence.tokens[verb.i - 1].text == ","
            and not self._children(sentence, verb, "ccomp")
        ):
            # "Нордмарк готов вернуться к переговорам, сообщил МИД": the words before the inverted frame
            content = sentence.span(range(verb.i - 1), self.text)
            if content is not None:
                return self._candidate(verb, source, content, "clause", subject)
        clause = [t for t in self._children(sentence, verb, "ccomp") if t.i > verb.i]
        if not clause and verb.rel == "ccomp" and verb.head >= 0:
            # "сказала, что Макаров уверял её, что …": the parser hangs the second clause on the first verb
            head = sentence.tokens[verb.head]
            clause = [t for t in self._children(sentence, head, "ccomp") if t.i > verb.i]
        if clause:
            # every clause after the verb: "сказала, что Макаров уверял её, что …" is hung on "сказала" twice
            content = sentence.span([i for t in clause for i in sentence.subtree(t.i)], self.text)
            if content is not None and not content.overlaps(frame):
                return self._candidate(verb, source, content, "clause", subject)
        after = [sentence.tokens[c] for c in verb.children if c > verb.i]
        if verb.lemma in self.cues.naming_verbs:  # "назвал переговоры ошибкой": object and complement
            parts = [
                t
                for t in after
                if t.rel in {"obj", "xcomp"}
                or (t.rel == "obl" and (self._is_complement(sentence, t.i) or self._preposition(sentence, t) == "как"))
            ]
            if parts:
                content = sentence.span([i for t in parts for i in sentence.subtree(t.i)], self.text)
                if content is not None:
                    return self._candidate(verb, source, content, "object", subject)
        if verb.lemma in self.cues.infinitive_verbs:  # "пообещал отвести войска"
            infinitive = [t for t in after if t.rel == "xcomp" and t.feats.get("VerbForm") == "Inf"]
            if infinitive:
                content = sentence.span(sentence.subtree(infinitive[0].i), self.text)
                if content is not None:  # a report of speech, kept inside another report like a clause
                    return self._candidate(verb, source, content, "clause", subject)
        prepositions = self.cues.object_prepositions.get(verb.lemma, frozenset())
        # an object may come first ("Сам Васильев эти сообщения опроверг"), unless a pronoun ("которые
        # он опроверг" is a relative clause; "это он опроверг" points elsewhere)
        objects = (
            [
                sentence.tokens[c]
                for c in verb.children
                if sentence.tokens[c].rel == "obj" and (c > verb.i or sentence.tokens[c].pos not in {"PRON", "DET"})
            ]
            if verb.lemma in self.cues.object_content_verbs
            else []
        )
        objects += [t for t in after if t.rel == "obl" and self._preposition(sentence, t) in prepositions]
        if objects:
            content = sentence.span([i for t in objects for i in sentence.subtree(t.i)], self.text)
            if content is not None:  # "пожаловался на падение цен" says as much as a clause would
                rule = "object" if any(t.rel == "obj" for t in objects) else "clause"
                return self._candidate(verb, source, content, rule, subject)
        for child in after:  # "заявил о готовности …": the topic is what was said
            if child.rel == "obl" and self._preposition(sentence, child) in self.cues.topic_prepositions:
                content = sentence.span(sentence.subtree(child.i), self.text)
                if content is not None:
                    return self._candidate(verb, source, content, "object", subject)
        return None

    @staticmethod
    def _preposition(sentence: _Sentence, token: _Token) -> str | None:
        cases = [sentence.tokens[c] for c in token.children if sentence.tokens[c].rel == "case"]
        return min(cases, key=lambda c: c.i).lemma if cases else None

    def _is_complement(self, sentence: _Sentence, i: int) -> bool:
        """An instrumental noun after a naming verb is its complement ("назвал это ошибкой")."""
        token = sentence.tokens[i]
        return token.feats.get("Case") == "Ins" and not any(sentence.tokens[c].rel == "case" for c in token.children)

    def _adjacent_quote(self, frame: Span) -> Span | None:
        """A quotation that ends right before the frame («…», — сказал он) or opens right after it
        (заявил: «…»)."""
        for quote in self.quotes.ending_in(max(0, frame.start - 8), frame.start):
            if _GAP_BEFORE_FRAME.fullmatch(self.text, quote.end, frame.start):
                return quote
        after = self.quotes.first_from(frame.end)
        if after is not None and _GAP_AFTER_FRAME.fullmatch(self.text, frame.end, after.start):
            return after
        return None

    def _rest_of_clause(self, sentence: _Sentence, phrase_head: _Token) -> Span | None:
        """For a phrase that names a source inside a clause (``как заявил X``, ``по словам X``): the
        clause around it without the phrase, on whichever side holds more of it."""
        if phrase_head.head < 0:
            return None
        clause = sentence.subtree(phrase_head.head, {"parataxis"} - {phrase_head.rel})
        phrase = set(sentence.subtree(phrase_head.i))
        # the clause's own words: its head's subtree, less the phrase and other parataxis clauses
        head = sentence.tokens[phrase_head.head]
        words = [i for i in sentence.subtree(head.i) if i not in phrase]
        others = {
            i
            for c in head.children
            if c != phrase_head.i and sentence.tokens[c].rel == "parataxis"
            for i in sentence.subtree(c)
        }
        words = [i for i in words if i not in others] or [i for i in clause if i not in phrase]
        before = [i for i in words if i < min(phrase)]
        after = [i for i in words if i > max(phrase)]
        side = after if len(after) >= len(before) else before
        return sentence.span(side, self.text)

    def _according(self, sentence: _Sentence, noun: _Token) -> Candidate | None:
        """``по словам X, …`` / ``по мнению X``: X's words are the rest of the clause."""
        cases = [sentence.tokens[c] for c in noun.children if sentence.tokens[c].rel == "case"]
        if not any(c.lemma == "по" for c in cases):
            return None
        holders = [sentence.tokens[c] for c in noun.children if sentence.tokens[c].rel in {"nmod", "det"}]
        if not holders:
            return None
        holder = holders[0]
        source = sentence.span(sentence.subtree(holder.i, _NOT_IN_SOURCE), self.text)
        content = self._rest_of_clause(sentence, noun)
        if source is None or content is None:
            return None
        preposition = min(cases, key=lambda c: c.start)
        act = self.cues.according_nouns[noun.lemma]
        return Candidate(
            cue=Span(preposition.start, noun.end),
            source=source,
            content=content,
            rule="according",
            first_person=holder.lemma in {"мой", "наш"},
            confidence=self.conf["clause"],
            lemma={"say": "", "think": "think", "show": "show"}.get(act, ""),
            cue_lemma="according",
        )


# -- the extractor ---------------------------------------------------------------------------------
class RussianExtractor(Extractor):
    """The English extractor's assembly over natasha's parse and the Russian rules."""

    version = VERSION

    def __init__(self, cues: RussianCues | None = None) -> None:  # no spaCy pipeline: natasha loads lazily
        self.cues = cues or cues_ru()
        self.lex = self.cues.lexicon
        self.nlp = None  # type: ignore[assignment]
        self.batch_size = 1

    def pipe_with_deadlines(
        self,
        documents: Iterable[Document],
        window: int = 32,
        window_chars: int = 200_000,
        *,
        budget: float | None = None,
    ) -> Iterator[tuple[Extraction | ExtractionError, Deadline]]:
        """Extractions for ``documents``, in order, each with its running deadline."""
        for document in documents:
            deadline = Deadline(budget)
            with deadline.running():
                parts, problem = _guarded(self._parts, document, deadline)
            yield self._finish(document, parts or [], problem, deadline), deadline

    def _parts(self, document: Document, deadline: Deadline) -> list[_SectionData]:
        text = document.text
        parts = []
        for section in sections_of(document):
            deadline.check()
            data = _SectionData(find_quotes(text, section.start, section.end))
            sentences, entities, aliases = _parse(text[section.start : section.end], section.start)
            rules = _Rules(self.cues, text, QuoteIndex(data.quotes))
            for sentence in sentences:
                deadline.check()
                data.sentences.append(Span(sentence.start, sentence.end))
                data.candidates += rules.apply(sentence)
            data.entities += entities + rules.bodies
            data.aliases += aliases
            parts.append(data)
        return parts


@lru_cache(maxsize=1)
def russian_extractor() -> RussianExtractor:
    """One Russian extractor per process."""
    return RussianExtractor()


Piped = Iterator[tuple[Extraction | ExtractionError, Deadline]]


def by_language(
    documents: Iterable[Document],
    english: Callable[[Iterable[Document]], Piped],
    budget: float | None = None,
    run: int = 32,
) -> Piped:
    """Each document's extraction, in input order: Russian documents by :class:`RussianExtractor`,
    the others by ``english`` (the spaCy extractor's pipe), in runs of at most ``run`` documents
    so the English parse still batches."""
    pending: list[Document] = []
    for document in documents:
        if document.lang == LANG:
            if pending:
                yield from english(pending)
                pending = []
            yield from russian_extractor().pipe_with_deadlines([document], budget=budget)
            continue
        pending.append(document)
        if len(pending) >= run:
            yield from english(pending)
            pending = []
    if pending:
        yield from english(pending)
