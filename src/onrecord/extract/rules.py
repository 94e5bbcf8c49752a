"""Attribution rules over one parsed sentence: cue -> source and content.

Each rule looks at spaCy's dependency parse and yields :class:`Candidate` records
with absolute character spans. The extractor (``extractor.py``) merges them with the
quotation marks found on the raw text, nests them, and decides their kinds.

Rules, in the order they are tried for each token:

1. *verb cues* — a speech verb with a subject (``said``, ``warned``, ``accused X of``);
   content is an adjacent quotation, its clausal complement (before a closing frame, all of
   it up to the frame), the clause it interrupts, whole with the frame inside when the frame is
   set off (``X, aides said, is …``; ``By 2030, she said, …``; ``As the Times noted, …``), or
   its object; in the passive, the
   agent speaks (``opposed by House Republicans``); records and polls speak through evidence
   verbs (``a poll shows X leading``); a negated or modal report is marked not asserted;
2. *stance phrases* — ``expressed skepticism about X``;
3. *other verbs with a "that" clause* — ``X recognizes that …``, with lower confidence;
4. *according to X*, *in X's view* and *in a poll* — content is the clause they modify;
5. *noun cues* — ``X's claim that …``, ``the claim by X that …``, ``his attacks on X``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
from spacy.symbols import AUX, NOUN, VERB
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from onrecord.extract.lexicon import Lexicon
from onrecord.extract.quotes import QuoteIndex, inner, looks_like_title
from onrecord.model import Span

SUBJECTS = {"nsubj", "nsubjpass"}
BREAKS = {":", ";", "—", "–", "--", "\n"}  # marks that end a phrase: a headline's "Name:", a dash
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
OBJECT_PRONOUNS = RELATIVE_PRONOUNS | {"what"}
# verbs whose "that" clause is not what someone said: "make sure that", "turn out that"
NOT_CUES = {"be", "make", "turn", "ensure", "mean", "seem", "appear", "happen", "matter", "so", "have", "get", "do"}
FIRST_PERSON = {"i", "we"}
# "I mean", "you know", "I think": how people talk, set in their own words, not a report of them
SPOKEN_ASIDES = frozenset({"mean", "see", "understand", "guess", "know", "think"})
_EDGE_PUNCT = " \t\r\n,;:—–-"
_GAP_BEFORE_FRAME = re.compile(r"^[\s,;:—–-]*$")
_GAP_AFTER_FRAME = re.compile(r"^[^.!?\"“”]{0,60}?[,:—–-]?\s*$")


def stems(word: str) -> tuple[str, ...]:
    """The stems an inflected verb may have, by its ending only: "hopes" -> "hope", "tweeted" ->
    "tweet", "quoting" -> "quote", "replied" -> "reply". Each ending has its own stems, so
    "saved" is never read as "say"."""
    if word.endswith(("ied", "ies")):
        return (word[:-3] + "y",)
    if word.endswith("ing"):
        return (word[:-3], word[:-3] + "e", word[:-4])  # "tweeting", "quoting", "chatting"
    if word.endswith(("ed", "es")):
        return (word[:-2], word[:-1], word[:-3])  # "tweeted", "hoped", "slammed"
    if word.endswith("s"):
        return (word[:-1],)
    return ()


def _nearest_subject(subjects: list[Token], verb: Token) -> Token:
    """Of the subjects the small model may give one verb, the one that speaks: the nearest before
    the verb when only a break ("Larry Johnson: Foreign Minister Lavrov Says …") or nothing (the
    pieces of "Nordlink co-founder Mira Castell") separates it from the others; else the first
    ("Paul Ryan, …, the victims … said" keeps Ryan). A subject after the verb ("…, said Petrova")
    counts when none comes before."""
    before = [child for child in subjects if child.i < verb.i]
    if not before:
        return subjects[0]
    nearest = before[-1]
    for earlier in before[:-1]:
        gap = verb.doc[earlier.right_edge.i + 1 : nearest.left_edge.i]
        if any(t.text not in BREAKS and t.dep_ not in SUBJECTS for t in gap):
            return before[0]
    return nearest


@dataclass(slots=True)
class Candidate:
    """A cue with its source and content, before kinds and nesting are decided."""

    cue: Span | None
    source: Span | None
    content: Span
    rule: str  # clause | quote | object | stance | according | noun
    first_person: bool = False
    antecedent: Span | None = None  # for "who"/"which": the noun phrase it stands for
    confidence: float = 0.5
    lemma: str = ""  # the cue's lemma, for verb cues
    asserted: bool = True  # False for "would say", "refused to say", "no one is saying"
    cue_lemma: str = ""  # a noun cue's lemma ("plan", "hope"), for its act only
    head: str = ""  # the lemma of the source's head word ("readings", "poll"): a thing shows, never says
    framed: bool = False  # the cue stands set off inside the content ("By 2030, she said, Valdor will …")


def char_span(tokens: Sequence[Token], offset: int, text: str) -> Span | None:
    """The characters of ``tokens`` (a contiguous run), trimmed of edge punctuation."""
    if not tokens:
        return None
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1])
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    # a full stop closes the sentence, not the content (one inside quotation marks, or ending "U.S.", stays)
    if end - start > 3 and text[end - 1] == "." and text[end - 3] != ".":
        end -= 1
    return Span(start + offset, end + offset) if end > start else None


def subtree(token: Token, skip_deps: frozenset[str] = frozenset()) -> list[Token]:
    """The contiguous run of ``token``'s subtree, cut before any child with a skipped dependency."""
    left, right = token.left_edge.i, token.right_edge.i
    for child in token.children:
        if child.dep_ in skip_deps:
            if child.i > token.i:
                right = min(right, child.left_edge.i - 1)
            else:
                left = max(left, child.right_edge.i + 1)
    return [t for t in token.doc[left : right + 1]]


_SETTING_OFF = {",", "—", "–", "--"}


def frame_of(verb: Token) -> list[Token]:
    """The words of an inverted frame ("she said"): ``verb``'s subtree less a phrase fronted before its subject
    and set off by a comma, which belongs to the report ("From January, she said, hospitals will …": the parser
    may hang "From January" on "said", where it qualifies what she said)."""
    own = subtree(verb)
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    fronted = [c for c in verb.children if c.dep_ in _FRONTED and subject is not None and c.i < subject.i]
    if subject is None or not fronted or fronted[0].left_edge.i != own[0].i:
        return own
    comma = fronted[-1].right_edge.i + 1
    if comma >= subject.left_edge.i or verb.doc[comma].text != ",":
        return own
    return [t for t in own if t.i > comma]


_FRONTED = frozenset({"prep", "advmod", "npadvmod", "advcl"})


def set_off(frame: list[Token]) -> bool:
    """Whether ``frame`` stands between commas or dashes ("By 2030, she said, …"; the marks may
    be the frame's own first and last tokens, as the parser often hangs them on its verb)."""
    doc = frame[0].doc
    first, last = frame[0], frame[-1]
    opens = first.text in _SETTING_OFF or (first.i > 0 and doc[first.i - 1].text in _SETTING_OFF)
    closes = last.text in _SETTING_OFF or (last.i + 1 < len(doc) and doc[last.i + 1].text in _SETTING_OFF)
    return opens and closes


# words that open what someone says in their own words: "she said, I don't like it", "they say, Oh, …"
_OWN_WORDS = {"i", "we", "my", "our", "me", "us", "oh", "look", "well", "listen", "yes", "no"}


# words that link talk on, not what is reported: "So, we will …", "Now, the minister said, …"
_DISCOURSE_WORDS = {"so", "now", "well", "then", "also", "again", "anyway", "look", "yes", "no", "okay", "ok"}


def says_something(words: Sequence[Token]) -> bool:
    """Whether words before a frame say something ("By 2030", "The talks", "Too often"), not only
    link talk on ("So", "Now", "And")."""
    return any(not t.is_punct and t.pos_ not in {"CCONJ", "INTJ"} and t.lower_ not in _DISCOURSE_WORDS for t in words)


def unmarked_speech(after: list[Token]) -> bool:
    """Whether the words after a frame are speech given in the speaker's own words without quotation
    marks, as talk does ("she said very strongly, I don't like the tone"; "I said, put up money"): a
    first-person word, an interjection or a bare imperative opens them. Reported speech shifts them
    ("she said, she doesn't like …"), so what stands before the frame is not theirs."""
    words = [t for t in after if not t.is_punct]
    if not words:
        return False
    first = words[0]
    return first.lower_ in _OWN_WORDS or first.pos_ == "INTJ" or (first.tag_ == "VB" and first.dep_ == "ROOT")


def rest_of_clause(
    head: Token, frame: list[Token], framing: Callable[[Sequence[Token]], bool] = lambda _: False
) -> list[Token]:
    """The clause ``head`` heads, as far as it is reported by a ``frame`` inside it ("she said",
    "according to X", "in X's view"). A frame set off inside the clause ("By 2030, she said,
    Valdor will …"; "The talks, the envoy said, have stalled") reports all of it: the whole
    clause, the frame within (:meth:`onrecord.model.Statement.content_parts` takes it out),
    unless what comes before is ``framing`` ("In a statement, she said, …"). Otherwise the longer
    of the two sides, the one after the frame on a tie."""
    clause = subtree(head)
    before = [t for t in clause if t.i < frame[0].i and not t.is_punct]
    after = [t for t in clause if t.i > frame[-1].i]
    # "which, according to AFP, the UN criticised": a relative pronoun before the frame stands for a noun outside
    whole = before and before[0].lower_ not in RELATIVE_PRONOUNS | {"whose", "why", "what"} and not framing(before)
    # a clause of its own before the frame ("X differentiated himself from Y, who …, X said, has …") is
    # a misparse of two sentences' worth, not a phrase fronted in one
    # as is a dash within the words before or within the frame ("And she does -- and believe me, she'll say, …")
    whole = whole and not any(t.dep_ in {"ccomp", "parataxis"} for t in before)
    whole = whole and not any(t.text in BREAKS for t in before + frame[1:-1]) and says_something(before)
    if whole and any(not t.is_punct for t in after) and set_off(frame) and not unmarked_speech(after):
        return clause
    before = [t for t in clause if t.i < frame[0].i]
    return after if len(after) >= len(before) else before


def reported(token: Token, cues: frozenset[str]) -> list[Token]:
    """What a cue reports: ``token``'s subtree, cut before a second report of the speaker's own.

    "proposed surveillance and signaled support for a database" reports two things (the parser
    often hangs "signaled" on "surveillance"); "said he believes Obama was born here and was
    qualified" one, and so do "said he'd build a wall and make Mexico pay" and "said prices rose
    and wages fell". ``cues`` are the lemmas that start a report of their own.
    """
    tokens = subtree(token)
    for child in token.children:
        if (
            child.dep_ == "conj"
            and child.i > token.i
            and child.tag_ in {"VBD", "VBZ", "VBP"}
            and child.lemma_.lower() in cues
            and not any(c.dep_ in {"nsubj", "nsubjpass", "expl", "mark"} for c in child.children)
        ):
            cut = child.left_edge.i
            cc = [c for c in token.children if c.dep_ == "cc" and c.i < child.i]
            if cc:
                cut = min(cut, cc[-1].i)
            # never before the clause's own head: parses can cross ("that I won and won")
            tokens = [t for t in tokens if t.i < max(cut, token.i + 1)]
    return tokens


def marked(clause: Token, *words: str) -> bool:
    """Whether ``clause`` is introduced by one of ``words`` ("that", "whether", "as", …)."""
    return any(m.dep_ == "mark" and m.lower_ in words for m in clause.children)


HEDGES = {"would", "could", "should", "might", "may", "must", "will", "can", "to", "'d", "’d", "wo", "ca"}
NO_ONE = {"no", "nobody", "none", "neither"}


def asserted(verb: Token) -> bool:
    """Whether a cue verb reports something said, rather than what someone would, could, or
    refused to say ("a politician who will say whatever …", "no one is saying that …")."""
    if any(c.dep_ == "neg" or c.dep_ in {"aux", "auxpass"} and c.lower_ in HEDGES for c in verb.children):
        return False
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    if subject is not None and (subject.lower_ in NO_ONE or any(c.lower_ in NO_ONE for c in subject.children)):
        return False
    return not (verb.dep_ == "xcomp" and verb.head.pos_ == "VERB")  # "refused to say", "forcing her to explain"


def source_head(subject: Token) -> str:
    """The lemma of the word a source stands on: the noun a relative pronoun stands for ("a report
    that found" -> report), else the subject's own lemma ("Readings above 50" -> reading)."""
    if subject.lower_ in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
        subject = subject.head.head
    return subject.lemma_.lower()


# a clause the parser hangs on the cue that goes on with what was said: "stressed X while maintaining Y"
CONTINUING_MARKS = {"while", "whilst"}
# words a noun phrase's pre-modifiers are made of: "the treaty's February 5, 2026, expiration"
_MODIFIER_POS = {"NUM", "PROPN", "ADJ", "PUNCT", "DET", "NOUN", "ADV"}


def whole_phrase_tail(verb: Token, last: Token) -> list[Token]:
    """What an object content ending at ``last`` still runs on to, when the parser hangs it elsewhere:
    the possessed noun after a dangling "'s" (dates and numbers between), a parenthesis the cue's own
    clause opens and the phrase after it, a "while …" clause right after (no comma). Each part is
    the verb's or the next few words', so the look stays within the phrase."""
    doc = verb.doc
    tail: list[Token] = []
    end = last.i
    if last.tag_ == "POS":  # "the treaty's" + "February 5, 2026, expiration"
        for token in doc[end + 1 : min(len(doc), end + 9)]:
            if token.pos_ not in _MODIFIER_POS or token.is_sent_start:
                break
            if token.pos_ == "NOUN":
                tail += list(doc[end + 1 : token.i + 1])
                end = token.i
                break
    for child in verb.children:
        if child.i <= end or child.dep_ not in {"ccomp", "advcl", "acl", "xcomp"}:
            continue
        opens = doc[child.left_edge.i]
        gap = doc[end + 1 : child.left_edge.i]
        parenthesis = opens.text == "(" and not len(gap)
        continuing = marked(child, *CONTINUING_MARKS) and child.tag_ == "VBG" and not len(gap)
        if parenthesis or continuing:
            tail += subtree(child)
            end = child.right_edge.i
    return tail


def before_frame(verb: Token, clause: Token) -> list[Token]:
    """What a frame after its content reports ("…, she said"): ``clause`` and the verb's other
    clauses before it ("The strike could end, but the drivers want guarantees, she said" hangs
    two), asides and contrasts within them included ("…, whereas wages stayed flat, …";
    "Stroyput, one of five bidders, …"): everything up to the frame is the speaker's."""
    clauses = [c for c in verb.children if c.dep_ == clause.dep_ and c.i < verb.i] or [clause]
    start = min(c.left_edge.i for c in clauses)
    end = max(c.right_edge.i for c in clauses)
    return list(verb.doc[start : end + 1])


def without_trailing_aside(tokens: list[Token]) -> list[Token]:
    """Cut a comma-set aside that closes the content: "…pneumonia, which forced her to leave",
    "…Mr. Trump, the presumed favorite", "…in 2012, arguing that …". It is the writer's
    addition (or a report of its own), not part of what was said."""
    if len(tokens) < 4:
        return tokens
    first, last = tokens[0].i, tokens[-1].i
    doc = tokens[0].doc
    for token in tokens:
        edge = token.left_edge.i
        if edge <= first + 1 or doc[edge - 1].text != "," or token.right_edge.i < last - 1:
            continue
        relative = token.dep_ == "relcl" and token.left_edge.lower_ in {"which", "who", "whom", "whose"}
        participle = token.dep_ in {"advcl", "acl"} and token.tag_ == "VBG"
        # "the treaty's March 3, 2027, expiration": a date before its noun, which the parser makes an apposition
        dated = (
            token.dep_ == "appos"
            and token.head.ent_type_ == "DATE"
            and token.pos_ == "NOUN"
            and not any(c.dep_ == "det" for c in token.children)  # "…, a milestone" is an aside
        )
        if relative or participle or token.dep_ == "appos" and not dated:
            return [t for t in tokens if t.i < edge - 1]
    return tokens


_CLAUSE_MARKS = ("that", "whether", "if")


class SentenceRules:
    """Apply the rules to sentences of one parsed section of a document."""

    def __init__(
        self,
        lexicon: Lexicon,
        text: str,
        offset: int,
        quotes: list[Span],
        known: dict[tuple[int, int, int], bool] | None = None,
    ) -> None:
        self.lex = lexicon
        # (part of speech, lemma, form) -> whether a word is a cue: kept across sections by the caller
        self.known = {} if known is None else known
        self.text = text  # the section's text (what the spaCy Doc was made from)
        self.offset = offset  # where the section starts in the document
        self.quotes = quotes  # absolute spans of quotations in this section
        self.index = QuoteIndex(quotes)  # so a cue looks at the quotations in its sentence only
        self._titles: dict[Span, bool] = {}
        self._may_fire: np.ndarray | None = None  # the parse's tokens a rule can start from

    # -- helpers -------------------------------------------------------------------------
    def span(self, tokens: Sequence[Token]) -> Span | None:
        return char_span(tokens, self.offset, self.text)

    def token_span(self, token: Token) -> Span:
        return Span(token.idx + self.offset, token.idx + len(token) + self.offset)

    def cue_span(self, verb: Token, *extra: Token) -> Span:
        # "pointed out", but not "show Clinton up": a particle past the object is the content's
        parts = [verb, *extra, *(c for c in verb.children if c.dep_ == "prt" and c.i == verb.i + 1)]
        start = min(t.idx for t in parts)
        end = max(t.idx + len(t) for t in parts)
        return Span(start + self.offset, end + self.offset)

    @staticmethod
    def reports_clause(verb: Token) -> bool:
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        return clause is not None and marked(clause, "that", "whether", "if")

    @staticmethod
    def through_colon(tokens: list[Token]) -> list[Token]:
        """A clause that ends at a colon goes on past it: "noted that X: 70 percent believe …"."""
        if not tokens:
            return tokens
        last = tokens[-1]
        doc = last.doc
        if last.i + 1 < len(doc) and doc[last.i + 1].text == ":" and doc[last.i + 1].sent == last.sent:
            end = last.sent.end
            return list(doc[tokens[0].i : end])
        return tokens

    def verb_between(self, doc: Doc, start: int, end: int) -> bool:
        """A verb of its own between a frame and a quotation ("accused him of sexism, he warned,
        “…”"): the quotation is the other verb's."""
        between = doc.char_span(start - self.offset, end - self.offset, alignment_mode="contract")
        return between is not None and any(t.pos_ == "VERB" for t in between)

    def quoted_within(self, token: Token) -> bool:
        """A quotation opens inside ``token``'s subtree."""
        start = token.left_edge.idx + self.offset
        end = token.right_edge.idx + len(token.right_edge) + self.offset
        return any(q.start < end for q in self.index.starting_in(start, end))

    def in_quote(self, token: Token) -> bool:
        at = token.idx + self.offset
        return any(q.start < at < q.end for q in self.index.touching(Span(at, at)))

    def is_title(self, quote: Span) -> bool:
        """:func:`looks_like_title` for a quotation of this section, worked out once per quotation."""
        if quote not in self._titles:
            self._titles[quote] = looks_like_title(Span(quote.start - self.offset, quote.end - self.offset), self.text)
        return self._titles[quote]

    def subject_of(self, verb: Token) -> Token | None:
        """The verb's subject, or the subject it shares with the verb it hangs from."""
        seen = 0
        while verb is not None and seen < 4:
            if subjects := [child for child in verb.children if child.dep_ in SUBJECTS]:
                return _nearest_subject(subjects, verb)
            before = verb.doc[verb.i - 1] if verb.i > verb.sent.start else None
            if seen == 0 and before is not None and before.ent_type_ == "PERSON" and before.dep_ in {"appos", "pobj"}:
                # "In her interview on Radio Valdor, Anna Petrova said": the small model hangs the
                # name on the place as an apposition and leaves the verb without a subject
                return before
            if seen == 0 and (described := self.described_speaker(verb)) is not None:
                return described
            if seen == 0 and verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in {"NOUN", "PROPN"}:
                return verb.head  # "pastors supporting Mr. Cruz": the noun the participle describes
            if verb.dep_ in {"advcl", "conj", "xcomp"} and verb.head.i != verb.i:
                verb = verb.head
                seen += 1
                continue
            if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in {"VERB", "AUX"}:
                # "Kasich has taken to urging voters …": the subject of the verb the phrase hangs from
                verb = verb.head.head
                seen += 1
                continue
            return None
        return None

    @staticmethod
    def described_speaker(verb: Token) -> Token | None:
        """``— Brendan Buck, a spokesman for Ryan, told POLITICO that …``: the small model often
        leaves a finite verb after a described name without a subject. The speaker is the phrase
        between the previous break (dash, colon, semicolon, sentence start) and the verb's comma,
        when that phrase has no verb of its own and names someone."""
        doc = verb.doc
        # past or third person only: "Minister, thank you for joining us" is an address, not a speaker
        if verb.tag_ not in {"VBD", "VBZ"} or verb.i == 0 or doc[verb.i - 1].text != ",":
            return None
        start = verb.i - 1
        while start > verb.sent.start and doc[start - 1].text not in {"—", "–", "--", ":", ";", "\n"}:
            start -= 1
            if doc[start].pos_ in {"VERB", "AUX"} or doc[start].is_quote or verb.i - start > 14:
                return None
        phrase = doc[start : verb.i - 1]
        if not any(t.ent_type_ in {"PERSON", "ORG", "NORP"} or t.pos_ == "PROPN" for t in phrase):
            return None
        roots = [t for t in phrase if not (start <= t.head.i < verb.i - 1) and t.pos_ != "PUNCT"]
        return roots[0] if len(roots) == 1 else None

    def source_span(self, subject: Token, cue: Token) -> tuple[Span | None, Span | None]:
        """The subject as written, and for a relative pronoun the phrase it stands for."""
        # the whole noun phrase, appositions and relative clauses included, as annotators mark it,
        # but not the cue's own phrase when it describes the subject ("pastors supporting Mr. Cruz")
        words = subtree(subject)
        if words[0].i <= cue.i <= words[-1].i:
            words = [t for t in words if t.i < cue.left_edge.i]
        # the other "subjects" the small model splits a hyphenated title into ("co", "-" of
        # "Nordlink co-founder Mira Castell") belong to the phrase when nothing breaks it in between
        doc = subject.doc
        while words and words[0].i > subject.sent.start:
            before = doc[words[0].i - 1]
            if before.head.i != subject.head.i or before.dep_ not in SUBJECTS or before.text in BREAKS:
                break
            words = subtree(before) + words
        # a quotation mark hung on the subject is not part of it ("“…,” Sarandon, 69, told MSNBC")
        marks = [t.i for t in words if t.is_quote and t.dep_ == "punct"]
        start = max((i + 1 for i in marks if i < subject.i), default=0)
        end = min((i for i in marks if i > subject.i), default=len(subject.doc))
        words = [t for t in words if start <= t.i < end]
        source = self.span(words)
        antecedent = None
        if subject.lower_ in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
            noun = subject.head.head
            antecedent = self.span(subtree(noun, frozenset({"relcl", "acl", "appos", "punct", "prep"})))
        return source, antecedent

    def adjacent_quote(
        self, verb: Token, frame: Span, sentence: Span, clause: Token | None, has_object: bool
    ) -> Span | None:
        """A quotation that ends just before the ``X said`` frame or starts just after it.

        A quotation before the frame must read as unfinished (``"…," she said``) unless
        the cue has no clause of its own: ``"We are done." She said the talks…`` is two statements.
        A quotation after the frame is not its content when the cue's own clause comes first:
        ``Trump asserted that France had lost its identity: “…,” he claimed``.
        """
        has_clause = clause is not None
        # only a clause after the cue competes with a quotation after it ("Asked if …, Trump replied, “…”")
        clause_start = clause.left_edge.idx + self.offset if clause is not None and clause.i > verb.i else None
        before = after = None
        # only quotations that end or start within the sentence can qualify: look at those alone
        for quote in self.index.ending_in(sentence.start - 1, frame.start):
            if self.is_title(quote):
                continue
            gap = self.text[quote.end - self.offset : frame.start - self.offset]
            body_end = inner(Span(quote.start - self.offset, quote.end - self.offset), self.text).end
            last = self.text[body_end - 1 : body_end]
            unfinished = last in {",", "?", "!", "—", "–", "-"} or gap.lstrip().startswith(",")
            # a finished quotation before the sentence belongs to it only when the frame is all
            # that follows ("… anyway." She said.), not "She called the statement “…”"
            # words before the quotation make it the end of a reported clause ("She will play the
            # "woman card," he said"): the clause is the content, not the quotation alone
            lead = self.text[sentence.start - self.offset : max(sentence.start, quote.start) - self.offset]
            opens_sentence = not any(ch.isalnum() for ch in lead) or lead.rstrip().endswith(
                ("-", "—", "–", "(", ":", ";")
            )  # "Clinton suggested that … - "Again, we need to get into the details," she said - and …"
            if _GAP_BEFORE_FRAME.match(gap) and opens_sentence and (unfinished or not has_clause and not has_object):
                before = quote
        for quote in self.index.starting_in(frame.end, sentence.end + 1):
            if self.is_title(quote) or not (clause_start is None or clause_start >= quote.start):
                continue
            gap = self.text[frame.end - self.offset : quote.start - self.offset]
            if (
                _GAP_AFTER_FRAME.match(gap)
                and not self.verb_between(verb.doc, frame.end, quote.start)
                and (gap.rstrip().endswith((",", ":", "—", "-")) or not gap.strip())
            ):
                after = quote
                break
        # '"A," she said, "B."' starts at A; the extractor joins B on
        return before or after

    def lemma(self, token: Token) -> str:
        """The token's lemma, mended where the small model's lemmatizer strips a cue verb to
        another word ("hopes" -> "hop", "retweeted" -> "retweete", "tweeting")."""
        lemma = token.lemma_.lower()
        if token.pos_ != "VERB" or lemma in self.lex.speech_verbs:
            return lemma
        for stem in stems(token.lower_):
            if len(stem) > 2 and stem in self.lex.speech_verbs:
                return stem
        return lemma

    # -- rules ---------------------------------------------------------------------------
    def _is_cue(self, pos: int, lemma: int, form: int, doc: Doc) -> bool:
        """Whether a verb or noun with these ids may be a cue :meth:`apply` reads as one: a verb
        whose lemma (mended as :meth:`lemma` mends it) is a speech verb, a cue noun."""
        key = (pos, lemma, form)
        found = self.known.get(key)
        if found is None:
            strings = doc.vocab.strings
            word = strings[lemma].lower()
            if pos == NOUN:
                lex = self.lex
                found = word in lex.speech_nouns or word in lex.noun_prepositions or word in lex.intent_nouns
            else:
                lex = self.lex
                found = (
                    word in lex.speech_verbs
                    or word in lex.phrasal_verbs
                    or word in lex.estimate_verbs
                    or any(len(stem) > 2 and stem in lex.speech_verbs for stem in stems(strings[form]))
                )
            if len(self.known) < 500_000:  # bounded: past it, a new word is worked out each time
                self.known[key] = found
        return found

    def _starts(self, sent: SpacySpan) -> Iterator[Token]:
        """The tokens of ``sent`` the rules below may start from, found for the whole parse at
        once: a cue verb or noun, a verb with a clause marked "that", "whether" or "if",
        "according", and "in" as a preposition. Every other token would pass through
        :meth:`apply` untouched."""
        doc = sent.doc
        if self._may_fire is None:
            self._may_fire = self._may_start(doc)
        found = self._may_fire
        for i in found[np.searchsorted(found, sent.start) : np.searchsorted(found, sent.end)].tolist():
            yield doc[i]

    def _may_start(self, doc: Doc) -> np.ndarray:
        if not len(doc):
            return np.zeros(0, dtype=np.intp)
        strings = doc.vocab.strings
        table = doc.to_array([POS, LEMMA, LOWER, DEP, HEAD])
        pos, lower, dep = table[:, 0], table[:, 2], table[:, 3]  # table[:, 1]: the lemma
        head = np.arange(len(doc)) + table[:, 4].astype(np.int64)  # spaCy keeps a head as an offset
        # (comparisons, not np.isin: its own cost would weigh on the short runs of a selective parse)
        verb_or_noun = (pos == VERB) | (pos == AUX) | (pos == NOUN)
        cue = np.zeros(len(doc), dtype=bool)
        for i, (p, lem, form) in zip(
            np.flatnonzero(verb_or_noun).tolist(), table[verb_or_noun, :3].tolist(), strict=True
        ):
            cue[i] = self._is_cue(p, lem, form, doc)
        # a verb with a clause marked "that", "whether" or "if" (:meth:`reports_clause`)
        marking = (lower == strings.add(_CLAUSE_MARKS[0])) | (lower == strings.add(_CLAUSE_MARKS[1]))
        marking |= lower == strings.add(_CLAUSE_MARKS[2])
        marks = np.flatnonzero((dep == strings.add("mark")) & marking)
        clauses = head[marks]
        clauses = clauses[dep[clauses] == strings.add("ccomp")]
        cue[head[clauses][pos[head[clauses]] == VERB]] = True
        cue |= lower == strings.add("according")
        cue |= (lower == strings.add("in")) & (dep == strings.add("prep"))
        return np.flatnonzero(cue)

    def apply(self, sent: SpacySpan) -> Iterator[Candidate]:
        for cand in self._apply(sent):
            # a content read around its frame (:func:`rest_of_clause`) holds its cue only when the
            # frame stands inside it; any other content that holds its cue is a misparse
            cand.framed = (
                cand.framed
                and cand.cue is not None
                and cand.content.start < cand.cue.start
                and cand.cue.end < cand.content.end
            )
            yield cand

    def _apply(self, sent: SpacySpan) -> Iterator[Candidate]:
        sentence = Span(sent.start_char + self.offset, sent.end_char + self.offset)
        for token in self._starts(sent):
            lemma = self.phrasal(token, self.lemma(token))
            if token.pos_ in {"VERB", "AUX"} and lemma in self.lex.speech_verbs:
                if lemma in self.lex.belief_verbs and self.in_quote(token):
                    continue  # "we want a treaty" inside a quotation is the quoted speaker talking
                yield from self.verb_cues(token, lemma, sentence, ceiling=1.0)
            elif token.pos_ == "VERB" and lemma in self.lex.estimate_verbs and self.estimated_at(token) is not None:
                yield from self.verb_cues(token, lemma, sentence, ceiling=1.0)  # "put the cost at $5 million"
            elif token.pos_ == "VERB" and lemma.isalpha() and lemma not in NOT_CUES and self.reports_clause(token):
                # any verb with a speaker and a "that"/"whether" clause reports a stance, with less certainty
                yield from self.verb_cues(token, lemma, sentence, ceiling=self.lex.confidence["generic"])
            elif lemma == "accord" and token.lower_ == "according":
                yield from self.according_to(token)
            elif token.lower_ == "in" and token.dep_ == "prep":
                yield from self.in_evidence(token)
            elif token.pos_ == "NOUN" and (
                lemma in self.lex.speech_nouns or lemma in self.lex.noun_prepositions or lemma in self.lex.intent_nouns
            ):
                yield from self.noun_cue(token)

    def phrasal(self, verb: Token, lemma: str) -> str:
        """The verb's lemma, or its phrase with the particle that makes it a cue ("ruled it out" -> "rule out")."""
        particles = self.lex.phrasal_verbs.get(lemma)
        if particles is None or verb.pos_ != "VERB":
            return lemma
        particle = next((c.lower_ for c in verb.children if c.dep_ == "prt" and c.lower_ in particles), None)
        return lemma if particle is None else f"{lemma} {particle}"

    @staticmethod
    def estimated_at(verb: Token) -> Token | None:
        """The "at" phrase holding an amount that the verb's object is put at ("put the cost at about
        $5 million", "estimated the damage at 5 million euros"): none for a place or a time
        ("put the suspect in a cell", "put the meeting at 5 pm")."""
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
        if obj is None:
            return None
        for prep in (*verb.children, *obj.children):  # the parser hangs it from either
            if prep.dep_ == "prep" and prep.lower_ == "at" and prep.i > obj.i:
                amount = [t for t in subtree(prep) if t.like_num or t.pos_ == "NUM"]
                if amount and not any(t.ent_type_ in {"TIME", "DATE"} for t in amount):
                    return prep
        return None

    def verb_cues(self, verb: Token, lemma: str, sentence: Span, ceiling: float) -> Iterator[Candidate]:
        """:meth:`verb_cue`'s candidates, marked with the verb's lemma and whether it asserts."""
        said = asserted(verb)
        if verb.dep_ == "xcomp" and any(c.lower_ == "yet" for c in verb.head.children):
            return  # "has yet to issue any response": nothing has been said
        subject = self.subject_of(verb)
        head = source_head(subject) if subject is not None else ""
        for cand in self.verb_cue(verb, lemma, sentence):
            cand.lemma, cand.asserted = lemma, said
            cand.head = cand.head or head
            cand.confidence = min(cand.confidence, ceiling)
            if not said:  # "would say", "refused to say" are right about half the time
                cand.confidence = round(cand.confidence * self.lex.confidence["hedged"], 3)
            yield cand

    def verb_cue(self, verb: Token, lemma: str, sentence: Span) -> Iterator[Candidate]:
        subject = self.subject_of(verb)
        if subject is None or subject.lower_ in {"it", "there"} and not any(c.dep_ == "nsubj" for c in verb.children):
            return
        if subject.dep_ == "nsubjpass" and subject.head.i == verb.i:  # not "was prompted to say"
            yield from self.passive_with_agent(verb, subject)
            return  # "it was said that" has no speaker in the clause
        if self.in_quote(verb) and (lemma in self.lex.belief_verbs or subject.pos_ == "PRON"):
            return  # "I think", "they say" inside a quotation are the quoted speaker's own words
        source, antecedent = self.source_span(subject, verb)
        if source is None:
            return
        if verb.tag_ == "VBN" and verb.dep_ == "advcl" and lemma == "ask" and subject.head.i != verb.i:
            # "Asked if he was bullied, the candidate said no": the question is the unnamed
            # interviewer's, not the answering subject's
            source = antecedent = None
        first_person = subject.lower_ in FIRST_PERSON
        if lemma in self.lex.estimate_verbs and (at := self.estimated_at(verb)) is not None:
            obj = next(c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i)
            end = at.right_edge.i
            for child in verb.children:  # "…at $498 billion, assuming no reduction in output": its assumption
                gap = verb.doc[end + 1 : child.left_edge.i]
                if (
                    child.i > end
                    and child.dep_ in {"advcl", "prep"}
                    and child.tag_ == "VBG"  # "assuming …", "excluding …"
                    and all(t.text == "," for t in gap)
                    # not ", saying the dam would hold", ", citing X": a report of its own
                    and not any(c.dep_ == "ccomp" for c in child.children)
                    and self.lemma(child) not in self.lex.object_content_verbs
                ):
                    end = child.right_edge.i
            content = self.span(verb.doc[obj.left_edge.i : end + 1])
            if content is not None:
                yield Candidate(
                    self.cue_span(verb),
                    source,
                    content,
                    "object",
                    first_person,
                    antecedent,
                    self.lex.confidence["object"],
                )
            return
        # a participle that borrows its subject ("Buchanan said, noting that …") is framed alone
        cue = self.token_span(verb)
        frame = (
            Span(min(source.start, cue.start), max(source.end, cue.end)) if source and subject.head.i == verb.i else cue
        )
        clause = self.clause_of(verb)
        has_object = any(c.dep_ in {"dobj", "oprd", "attr"} for c in verb.children)
        if " " in lemma and has_object and clause is not None and clause.dep_ == "advcl":
            clause = None  # "rule out the idea if you lose": a phrasal cue's object is what was said, not its condition
        # "accused Sanders of …", "blamed X for …": the verb's own object carries the content
        wanted = self.lex.object_prepositions.get(lemma)
        own_content = has_object and any(c.dep_ == "prep" and c.lower_ == wanted for c in verb.children)
        if (
            clause is None
            and not has_object  # "As the Times noted, …", not "as lawmakers accused each other of …"
            and verb.dep_ == "advcl"
            and marked(verb, "as")
        ):
            yield from self.as_clause(verb)
            return
        quote = self.adjacent_quote(verb, frame, sentence, clause, has_object)
        if quote is not None:
            yield Candidate(
                self.cue_span(verb), source, quote, "quote", first_person, antecedent, self.lex.confidence["quote"]
            )
            return
        # "Talks have stalled, she said": the reported clause is the head the cue hangs from
        inverted = clause is None and not own_content and self._is_inverted(verb)
        if inverted or clause is not None:
            around = False  # whether the words were read around the frame
            if inverted:
                # "So, you know, the court …", "I mean": a speaker's aside frames nothing around it
                aside = subject.lower_ in {"i", "we", "you"} and lemma in SPOKEN_ASIDES and verb.tag_ in {"VBP", "VB"}
                words = rest_of_clause(verb.head, frame_of(verb), (lambda _: True) if aside else self.framing)
                around = True
            elif clause is not None and clause.i < verb.i and not self.quote_closes_before(verb, clause):
                words = before_frame(verb, clause)
            else:
                words = self.through_colon(without_trailing_aside(reported(clause, self.lex.speech_verbs)))
                fronted = self.with_fronted(verb, subject, clause, words)
                words, around = fronted, fronted is not words
            if (
                words
                and clause is not None
                and clause.dep_ == "xcomp"
                and (told := next((c for c in verb.children if c.dep_ == "dobj" and c.i < clause.i), None)) is not None
            ):
                # "urged the candidate to dig in": who is urged belongs to what was urged
                words = list(verb.doc[told.left_edge.i : words[-1].i + 1])
            if words and words[0].i < verb.i < words[-1].i and words[0].lower_ in RELATIVE_PRONOUNS:
                # "policies, which he said had harmed the economy": the clause's relative pronoun
                # sits before the frame; what was said is the rest, after it
                words = [t for t in words if t.i > verb.i]
            content = self.span(words)
            if content is not None and (len(content) > 3 or not inverted):
                yield Candidate(
                    self.cue_span(verb),
                    source,
                    content,
                    "clause",
                    first_person,
                    antecedent,
                    self.lex.confidence["clause"],
                    framed=around,
                )
            return
        # "a report that found …": a relative pronoun stands for its noun
        evidence = lemma in self.lex.evidence_verbs and source_head(subject) in self.lex.evidence_nouns
        if lemma in self.lex.clause_only_verbs and not (evidence or own_content):
            return  # "he knows Paris", but "the poll shows Sanders leading", "she sees him as a threat"
        yield from self.object_content(verb, lemma, source, first_person, antecedent)

    def clause_of(self, verb: Token) -> Token | None:
        """The clause a cue reports, if it has one."""
        doc = verb.doc
        clauses = [
            c
            for c in verb.children
            if c.dep_ in {"ccomp", "xcomp"}
            # "emphasizing the shift … (built on tolls) toward …": an aside within the object, not a report
            and not (doc[c.left_edge.i].text == "(" and any(o.dep_ == "dobj" for o in verb.children))
            # a clause before the cue is its content when set off by a comma ("Talks stalled, she
            # said"), not across a colon ("… from all sides: Howard Stern questioned …")
            and not (c.i < verb.i and c.right_edge.i + 1 < len(doc) and doc[c.right_edge.i + 1].text in {":", ";"})
        ]
        # "…, during which she touched on X, Clinton remarked that …": the clause after the cue
        after = next((c for c in clauses if c.i > verb.i), clauses[0] if clauses else None)
        if after is not None:
            return after
        # "calling for his rivals to drop out": spaCy hangs the clause as an advcl marked "for"
        adverbial = next(
            (
                c
                for c in verb.children
                if c.dep_ == "advcl" and c.i > verb.i and marked(c, "for", "that", "if", "whether")
            ),
            None,
        )
        if adverbial is not None:
            return adverbial
        # "said in a statement that …": the parser hangs the clause on the statement
        return next(
            (
                clause
                for prep in verb.children
                if prep.dep_ == "prep" and prep.i > verb.i
                for noun in prep.children
                if noun.dep_ == "pobj"
                and (noun.lemma_.lower() in self.lex.speech_nouns or noun.lemma_.lower() in self.lex.evidence_nouns)
                for clause in noun.children
                if clause.dep_ in {"acl", "ccomp", "relcl"} and marked(clause, "that")
            ),
            None,
        )

    def quote_closes_before(self, verb: Token, clause: Token) -> bool:
        """A quotation closes inside the clause before the frame and words follow it
        (‘“…,” Flynn, a top surrogate, said’, the name hung on the quoted clause): a misparse,
        read as before, not as one content up to the frame."""
        doc = verb.doc
        start = self.token_span(doc[clause.left_edge.i]).start
        end = self.token_span(doc[clause.right_edge.i]).end
        return any(
            q.end < end and any(ch.isalnum() for ch in self.text[q.end - self.offset : end - self.offset])
            for q in self.index.ending_in(start, end)
        )

    def with_fronted(self, verb: Token, subject: Token, clause: Token, words: list[Token]) -> list[Token]:
        """``After months of delays, the committee said on Friday, the bridge will open``: a frame
        set off by commas stands inside its content, and the phrase that opens the sentence is the
        content's, though the parser hangs it on the cue. A phrase that belongs to the frame
        ("In a statement, …", "Asked about it, …") stays out, and so does one without the comma
        after the frame ("On Friday, she said the bridge …" may tell when she said it)."""
        doc = verb.doc
        if not words or clause.i < verb.i or subject.head.i != verb.i or subject.i > verb.i:
            return words
        lead = [c for c in verb.children if c.i < subject.left_edge.i and c.dep_ != "punct"]
        if not lead or min(c.left_edge.i for c in lead) != verb.sent.start:
            return words
        start, end = verb.sent.start, max(c.right_edge.i for c in lead)
        opens = next((t for t in words if not t.is_punct), words[0])
        set_off = doc[end + 1].text == "," and subject.left_edge.i == end + 2 and doc[opens.i - 1].text == ","
        lead_words = doc[start : end + 1]
        if (
            not set_off
            or self.framing(lead_words)
            or any(t.text in BREAKS for t in lead_words)
            or not says_something(lead_words)
            or unmarked_speech(words)
        ):
            return words
        return list(doc[start : words[-1].i + 1])

    def framing(self, tokens: Sequence[Token]) -> bool:
        """Whether a phrase before a frame belongs to the frame, not the content: where or how it
        was said ("In a statement", "according to …", "in the report") or a participle clause
        ("Asked about the delay", "Speaking on Radio Valdor")."""
        return any(
            t.tag_ in {"VBN", "VBG"}
            or t.lower_ == "according"
            or t.lemma_.lower() in self.lex.speech_nouns
            or t.lemma_.lower() in self.lex.evidence_nouns
            for t in tokens
        )

    def passive_with_agent(self, verb: Token, subject: Token) -> Iterator[Candidate]:
        """``The bill, opposed by House Republicans, …`` / ``was first reported by BuzzFeed``."""
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        speaker = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if speaker is None or subject.lower_ in {"it", "there"}:
            return
        source = self.span(subtree(speaker))
        content = self.span(subtree(subject, frozenset({"relcl", "acl", "punct", "appos"})))
        if source and content:
            cand = Candidate(
                self.cue_span(verb), source, content, "object", False, None, self.lex.confidence["generic"]
            )
            cand.head = source_head(speaker)
            yield cand

    def as_clause(self, verb: Token) -> Iterator[Candidate]:
        """``As the Times noted, Clinton raised …``: the main clause is what was noted."""
        head = verb.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or head.i == verb.i:
            return
        content = self.span(rest_of_clause(head, subtree(verb), self.framing))
        source, antecedent = self.source_span(subject, verb)
        if content and source:
            yield Candidate(
                self.cue_span(verb),
                source,
                content,
                "clause",
                subject.lower_ in FIRST_PERSON,
                antecedent,
                self.lex.confidence["clause"],
                framed=True,
            )

    @staticmethod
    def _is_inverted(verb: Token) -> bool:
        """``…, she said`` / ``X, aides said, is …``: the cue hangs off the reported clause, set off by punctuation."""
        if verb.dep_ not in {"parataxis", "ccomp"} or verb.head.i == verb.i:
            return False
        if any(c.dep_ == "mark" for c in verb.children):
            return False
        own = frame_of(verb)
        doc = verb.doc
        marks = {",", "—", "–", "”", '"', "''", ":"}
        before = doc[own[0].i - 1] if own[0].i > 0 else None
        after = doc[own[-1].i + 1] if own[-1].i + 1 < len(doc) else None
        return (
            own[0].text in marks
            or (before is not None and before.text in marks)
            or (after is not None and after.text in {",", ":"} and own[0].i <= verb.head.left_edge.i)
        )

    def object_content(
        self, verb: Token, lemma: str, source: Span, first_person: bool, antecedent: Span | None
    ) -> Iterator[Candidate]:
        objects = [c for c in verb.children if c.dep_ in {"dobj", "attr"}] or self.gerund_object(verb)
        obj = objects[0] if objects else None
        wanted = self.lex.object_prepositions.get(lemma)
        # "described the talks as stalled": the parser makes "as stalled" a clause
        preps = [c for c in verb.children if c.dep_ in {"prep", "oprd"} or self.as_clause_of(c, wanted)]
        if lemma in self.lex.stance_verbs and obj is not None and obj.lemma_.lower() in self.lex.stance_nouns:
            prep = next((c for c in obj.children if c.dep_ in {"prep", "acl"}), None)
            if prep is not None:
                pobj = [t for t in subtree(prep) if t.i > prep.i]
                content = self.span(pobj)
                if content is not None:
                    yield Candidate(
                        self.cue_span(verb, prep),
                        source,
                        content,
                        "stance",
                        first_person,
                        antecedent,
                        self.lex.confidence["object"],
                    )
                return
        if lemma in self.lex.production_verbs and not (obj is not None and self.words(obj)):
            return  # "wrote a book", "released a report", "issued a permit": a thing made, not words said
        given = [c for c in verb.children if c.dep_ in {"oprd", "dobj"} and c.i > verb.i]
        if (
            lemma in self.lex.naming_verbs
            and len(given) > 1
            and given[-1].pos_ == "PROPN"
            and not self.quoted_within(given[-1])
        ):
            return  # "they call him The Birdman": a name given, not "called Clinton a “champion”"
        if lemma in self.lex.object_needs_preposition and not any(
            c.dep_ == "oprd"
            or c.i > verb.i
            and (c.dep_ == "prep" and c.lower_ == wanted or self.as_clause_of(c, wanted))
            for c in verb.children
        ):
            return  # "described the talks in detail": a topic, not what was said of it
        # "called it a disgrace", "called for talks"; a bare "called the minister" is not speech
        if (
            lemma == "call"
            and len(objects) < 2
            and not any(c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "for") for c in verb.children)
            and not (obj is not None and self.quoted_within(obj))  # "called his actions “a crucial step”"
        ):
            return
        if lemma not in self.lex.object_content_verbs and lemma not in self.lex.evidence_verbs and wanted is None:
            return
        pieces: list[Token] = []
        for each in objects:  # "called the drills a provocation" has two
            if each.i < verb.i and each.lower_ in OBJECT_PRONOUNS:
                continue  # "whom he described as “volatile”": what was said follows the verb
            pieces += reported(each, self.lex.speech_verbs)
        for prep in preps:
            # what follows the verb ("the deal as a failure"), not a time before it ("on Sunday tweeted")
            if prep.i > verb.i and (
                prep.dep_ == "oprd"
                or wanted is None
                or prep.lower_ in {wanted, "against", "about", "as"}
                or self.as_clause_of(prep, wanted)
            ):
                pieces += subtree(prep)
        if not pieces:
            return
        if not objects and wanted is None and not any(p.lower_ in self.lex.topic_prepositions for p in preps):
            return  # only where, when or how ("confirming with the referee"): nothing was said
        pieces.sort(key=lambda t: t.i)
        pieces += whole_phrase_tail(verb, pieces[-1])
        if " " in lemma:  # a phrasal cue, as :meth:`phrasal` names it
            # "ruled it out on Monday": a phrasal cue's particle past the object closes what was said
            end = next((c.i for c in verb.children if c.dep_ == "prt" and c.i > pieces[0].i), None)
            pieces = [t for t in pieces if end is None or t.i < end]
        content = self.span(without_trailing_aside(list(verb.doc[pieces[0].i : pieces[-1].i + 1])))
        if content is not None:
            yield Candidate(
                self.cue_span(verb), source, content, "object", first_person, antecedent, self.lex.confidence["object"]
            )

    @staticmethod
    def gerund_object(verb: Token) -> list[Token]:
        """A gerund the parser hangs as a clause where it is the verb's object: "has not ruled out
        running for president" (right after the verb or its particle, not ", saying …")."""
        doc = verb.doc
        after = verb.i + 1
        if after < len(doc) and doc[after].dep_ == "prt" and doc[after].head.i == verb.i:
            after += 1
        return [c for c in verb.children if c.dep_ == "advcl" and c.tag_ == "VBG" and c.left_edge.i == after]

    @staticmethod
    def as_clause_of(child: Token, wanted: str | None) -> bool:
        """A clause marked by the verb's own preposition ("described the talks as stalled")."""
        return wanted is not None and child.dep_ == "advcl" and marked(child, wanted)

    def words(self, obj: Token) -> bool:
        """Whether an object is words someone said: a speech, stance or word noun, a quotation, or a
        noun with a "that" clause ("offered no proof that …")."""
        if any(c.dep_ in {"acl", "ccomp"} and marked(c, "that") for c in obj.children):
            return True
        lemma = obj.lemma_.lower()
        nouns = (self.lex.word_nouns, self.lex.speech_nouns, self.lex.stance_nouns)
        return any(lemma in n or obj.lower_ in n for n in nouns) or self.quoted_within(obj)

    def in_evidence(self, prep: Token) -> Iterator[Candidate]:
        """``In a CNN poll released Monday, 50 percent chose Clinton``: the poll, set before the
        clause, is the source (a trailing "… in the polls" is where someone stands, not a report)."""
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        head = prep.head
        after = prep.right_edge.i + 1
        if (
            pobj is None
            or prep.i > head.i
            or after >= len(prep.doc)
            or prep.doc[after].text != ","
            or pobj.lemma_.lower() not in self.lex.evidence_nouns
            or head.pos_ not in {"VERB", "AUX"}
            or head.lemma_.lower() in self.lex.speech_verbs  # "In a statement, she said …": the verb is the cue
        ):
            return
        source = self.span(subtree(pobj))
        content = self.span(rest_of_clause(head, subtree(prep), self.framing))
        if source is None or content is None:
            return
        yield Candidate(
            self.token_span(prep), source, content, "according", False, None, self.lex.confidence["clause"],
            head=source_head(pobj), framed=True,
        )  # fmt: skip

    def according_to(self, according: Token) -> Iterator[Candidate]:
        to = next((c for c in according.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if pobj is None:
            return
        source = self.span(subtree(pobj, frozenset({"relcl", "acl", "punct"})))
        if according.head.i == according.i:
            return
        content = self.span(rest_of_clause(according.head, subtree(according), self.framing))
        if source is None or content is None:
            return
        cue = Span(according.idx + self.offset, to.idx + len(to) + self.offset)
        yield Candidate(
            cue, source, content, "according", False, None, self.lex.confidence["clause"], head=source_head(pobj),
            framed=True,
        )  # fmt: skip

    def noun_cue(self, noun: Token) -> Iterator[Candidate]:
        holder = next((c for c in noun.children if c.dep_ == "poss"), None)
        if holder is None:
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in {"by", "from", "of"}), None)
            holder = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
        if holder is None:
            return
        if holder.lower_ in {"my", "our"}:
            first_person = True
        else:
            first_person = False
        source = self.span(subtree(holder, frozenset({"case", "relcl"})))
        clause = next(
            (c for c in noun.children if c.dep_ in {"acl", "ccomp", "relcl"} and marked(c, "that")),
            None,
        )
        if clause is None and noun.lemma_.lower() in self.lex.intent_nouns:
            # "his plan to close the border": the infinitive is what is intended
            clause = next(
                (
                    c
                    for c in noun.children
                    if c.dep_ == "acl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                ),
                None,
            )
        if clause is not None:
            content = self.span(subtree(clause))
        elif wanted := next(
            (
                c
                for c in noun.children
                if c.dep_ == "prep" and c.lower_ in self.lex.noun_prepositions.get(noun.lemma_.lower(), ())
            ),
            None,
        ):
            # "Pence's call for a special prosecutor", "his attacks on Mr. Clinton": the preposition's object
            content = self.span([t for c in wanted.children if c.dep_ in {"pobj", "pcomp"} for t in subtree(c)])
        elif noun.lemma_.lower() in {"view", "opinion"} and noun.head.dep_ == "prep" and noun.head.lower_ == "in":
            # "In Petrova's view, the talks have stalled."
            prep = noun.head
            content = self.span(rest_of_clause(prep.head, subtree(prep), self.framing))
        else:
            return
        if source is None or content is None:
            return
        yield Candidate(
            self.token_span(noun), source, content, "noun", first_person, None, self.lex.confidence["noun"],
            cue_lemma=noun.lemma_.lower(), head=source_head(holder), framed=True,
        )  # fmt: skip
