"""Shifts in position: where a speaker's new statement on a topic or subject departs from what they said before.

Three kinds, each with the dated statements that show it:

- ``reversal``: a statement close in meaning to an earlier one (sentence embeddings) whose
  stance, polarity or modality flips (``will not leave`` / ``ready to leave``, ``no intention`` / ``ready to``);
- ``new claim``: after a record on the topic, a statement unlike any earlier one;
- ``dropped``: a line repeated earlier that the speaker's later statements on the topic no longer carry.

Nothing is flagged without evidence: every shift names the statements it rests on. A shift
needs two occasions: statements of one document (one article, one interview) are never compared
with one another, so two sentences of one paragraph are not a reversal and an article's later
paragraphs are not "new" against its first; two interviews on the same day can be. Statements are
compared within a topic and within a subject (:mod:`.subjects`), so a statement outside every
topic is compared too. Stance is read from opposite frames (``leave`` / ``stay in``, ``will never
X`` / ``is ready to X``; :mod:`.stance`) before negators, and the conditions a statement states
(``if the dispute is not settled``) are shown with its shift.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from onrecord.analyse import stance
from onrecord.analyse.embed import Embed, embed_cached
from onrecord.analyse.topics import Taxonomy, load_taxonomy
from onrecord.model import DEFAULT_ACTS, StoredStatement
from onrecord.store import Query, Store
from onrecord.text import sentences, words

SAME_SUBJECT = 0.55  # similarity at which two statements speak of the same thing
IN_SUBJECT = 0.45  # ... within one subject's statements, which share what they are about by construction
SAME_POINT = 0.60  # ... at which a negation alone (no stance frame) can flip one into the other
REPEATED = 0.70  # ... at which the second repeats the first
SAME_CLAIM = 0.75  # a change of modality alone ("will" / "might") counts only this close
NEW_CLAIM = 0.35  # below this against every earlier statement, a statement is new
RECORD = 0.35  # median similarity of the earlier statements that makes them a record (a line held)
RECORD_WINDOW = 12  # the latest earlier statements that make the record
MIN_RECORD = 3  # earlier statements on a topic before "new" or "dropped" means anything
MIN_REPEATS = 2  # occurrences that make a line
MIN_AFTER = 3  # later statements on the topic without the line before it counts as dropped
MIN_OCCASIONS = 2  # occasions (documents) a record, or what follows a line, must span
SHARED_WORDS = 0.50  # share of wording two statements need for a negation alone to flip one into the other
SHORT = 10  # words: in statements this short a negation is most of what they say, whatever they share
LONG = 300  # characters: a statement longer than this is compared sentence by sentence

# A negator makes a statement negative ("no intention", "refuse to", "rule out" read as "will not");
# "no longer" marks a change of position by itself.
_NEGATORS = re.compile(
    r"\b(?:not|no|never|nothing|nobody|none|neither|nor|cannot|refuse[sd]?|refusing|rule[sd]? out|"
    r"reject(?:s|ed)?|oppose[sd]?|without)\b|n't\b",
    re.IGNORECASE,
)
# "They must pay" and "they are not paying" are one view (a demand and a complaint), not a flip.
_DEONTIC = re.compile(r"\b(?:must|have to|has to|had to|need|needs|should|ought to|want|wants)\b", re.IGNORECASE)
_NO_LONGER = re.compile(r"\b(?:no longer|not any ?more|any longer)\b", re.IGNORECASE)
_CERTAIN = re.compile(r"\b(?:will|must|shall|definitely|certainly|always|ready|determined|insist)\b", re.IGNORECASE)
_TENTATIVE = re.compile(
    r"\b(?:may|might|could|perhaps|possibly|maybe|consider(?:ing)?|open to|if|unless|would)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Said:
    """One dated statement of a speaker, as the shift finder sees it."""

    id: int
    date: str
    text: str
    topics: tuple[str, ...] = ()
    source: str | None = None  # outlet or document, for showing the evidence
    occasion: int | None = None  # the document it was said in (None: a statement of its own)
    subject: str | None = None  # the subject it belongs to (see :mod:`.subjects`)

    @property
    def on(self) -> int | tuple[str, int]:
        """What tells occasions apart: the document, else the statement itself."""
        return self.occasion if self.occasion is not None else ("statement", self.id)


@dataclass(frozen=True, slots=True)
class Shift:
    kind: str  # reversal | new claim | dropped
    topic: str | None
    statement: Said  # where the shift shows (for "dropped": the first later statement without the line)
    evidence: tuple[Said, ...]  # the earlier statements it departs from
    score: float
    why: str
    later: tuple[Said, ...] = field(default=())  # for "dropped": the later statements without the line
    subject: str | None = None  # the subject the statements share, when they were compared in one
    condition: str | None = None  # what the new statement makes its position depend on ("if …")

    def to_dict(self) -> dict[str, object]:
        def said(s: Said) -> dict[str, object]:
            return {"id": s.id, "date": s.date, "text": s.text, "source": s.source}

        return {
            "kind": self.kind,
            "topic": self.topic,
            "subject": self.subject,
            "condition": self.condition,
            "score": round(self.score, 3),
            "why": self.why,
            "statement": said(self.statement),
            "evidence": [said(s) for s in self.evidence],
            "later": [said(s) for s in self.later],
        }


def polarity(text: str) -> int:
    """-1 when the statement is negated (``we will not``, ``no intention``), else +1."""
    return -1 if _NEGATORS.search(text) else 1


def _polarity_flip(before: str, now: str) -> bool:
    """A negation added or removed *inside* what the two statements share: ``we [will not] leave
    the talks`` / ``we [are ready to] leave the talks``. A negation in a clause only one of them has
    (``…, and Putin has no respect for her``) is not a flip."""
    if bool(_NO_LONGER.search(now)) != bool(_NO_LONGER.search(before)):
        return True
    before, now = stance.without_fixed(before), stance.without_fixed(now)
    if len(_NEGATORS.findall(before)) == len(_NEGATORS.findall(now)):
        return False  # as many negations on both sides: one moved, none was added or taken away
    a, b = words(before), words(now)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for n, (tag, a1, a2, b1, b2) in enumerate(opcodes):
        inside = 0 < n < len(opcodes) - 1  # an equal block on both sides
        if tag != "equal" and inside:
            block_before, block_now = " ".join(a[a1:a2]), " ".join(b[b1:b2])
            negated_before = bool(_NEGATORS.search(block_before))
            negated_now = bool(_NEGATORS.search(block_now))
            if negated_before != negated_now and not _DEONTIC.search(block_now if negated_before else block_before):
                return True
    return False


def modality(text: str) -> str:
    if _TENTATIVE.search(text):
        return "tentative"
    return "certain" if _CERTAIN.search(text) else "plain"


def find_shifts(
    said: Sequence[Said],
    embed: Embed,
    topic: str | None = None,
    *,
    subject: str | None = None,
    in_subject: bool = False,
) -> list[Shift]:
    """Shifts in one speaker's statements on one topic (or all given, when ``topic`` is None); ``subject``
    names the group the statements were given as (it is put on each shift). Statements of one
    occasion (``Said.occasion``) are never compared with one another.

    ``in_subject``: the statements are one subject's (:mod:`.subjects`), so they share what they are
    about by construction. Opposite stances count from ``IN_SUBJECT`` similarity on, and what is
    new or repeated is judged on what they say about it: the phrases most of them share (``the
    regional council``) are taken out before the comparison."""
    ordered = sorted((s for s in said if topic is None or topic in s.topics), key=lambda s: (s.date, str(s.on), s.id))
    if len({s.on for s in ordered}) < 2:
        return []
    vectors = embed([s.text for s in ordered])
    similarity = vectors @ vectors.T
    said_about = similarity
    if in_subject:
        residual = embed(_without_shared([s.text for s in ordered]))
        said_about = residual @ residual.T
    same_subject = IN_SUBJECT if in_subject else SAME_SUBJECT
    found: list[Shift] = []
    for j in range(1, len(ordered)):
        earlier = [i for i in range(j) if ordered[i].on != ordered[j].on]  # before it, on another occasion
        if not earlier:
            continue
        reversal = _reversal(ordered, similarity, earlier, j, topic, same_subject)
        if reversal:
            found.append(replace(reversal, subject=subject))
            continue
        if (
            len(earlier) >= MIN_RECORD
            and len({ordered[i].on for i in earlier}) >= MIN_OCCASIONS
            and _coherent(said_about, earlier)
        ):
            closest = max(earlier, key=lambda i: said_about[i, j])
            if said_about[closest, j] < NEW_CLAIM:
                nearest = sorted(earlier, key=lambda i: -said_about[i, j])[:2]
                found.append(
                    Shift(
                        "new claim",
                        topic,
                        ordered[j],
                        tuple(ordered[i] for i in nearest),
                        float(1 - said_about[closest, j]),
                        f"unlike all {len(earlier)} earlier statements on the {'topic' if topic else 'subject'} "
                        f"(closest similarity {said_about[closest, j]:.2f})",
                        subject=subject,
                    )
                )
    found.extend(replace(shift, subject=subject) for shift in _dropped(ordered, said_about, topic))
    return found


def _coherent(similarity: np.ndarray, earlier: list[int]) -> bool:
    """The earlier statements make a record: what they say agrees (the median of the pairwise
    similarities of the latest ``RECORD_WINDOW`` of them reaches ``RECORD``), so that a statement
    unlike all of them is a new line and not one more of a speaker's many remarks."""
    latest = earlier[-RECORD_WINDOW:]
    if len(latest) < 2:
        return False
    block = similarity[np.ix_(latest, latest)]
    return float(np.median(block[np.triu_indices(len(latest), 1)])) >= RECORD


def _without_shared(texts: list[str]) -> list[str]:
    """The texts without the phrases at least half of them (and two) share: what each says about
    the subject rather than the subject's name."""
    from onrecord.analyse.subjects import phrase_pattern, phrases  # a sibling that itself needs no shifts

    counts = Counter(p.lower() for t in texts for p in dict.fromkeys(q.lower() for q in phrases(t)))
    # a Russian phrase is held in one form and said in any case: the pattern matches each
    pattern = phrase_pattern(p for p, n in counts.items() if n >= max(2, len(texts) / 2))
    if pattern is None:
        return texts
    return [pattern.sub(" ", t) for t in texts]


def _flip(before: str, now: str, similarity: float) -> str | None:
    """How ``now`` turns against ``before`` (two statements on the same subject), or None.

    Opposite sides of a stance frame first (``ready to leave`` / ``will stay in``); then, unless the
    two take the same side of a frame (``will never leave`` / ``will stay in``), a negation inside
    what they share; then a change of modality alone, between near-identical statements."""
    frame = stance.opposed(before, now)
    if frame:
        return f"stance ({frame})"
    if (
        similarity >= SAME_POINT
        and not stance.agreed(before, now)
        and (_overlap(before, now) >= SHARED_WORDS or max(len(words(before)), len(words(now))) <= SHORT)
        and _polarity_flip(before, now)
    ):
        return "polarity"
    if _modal_flip(before, now) and similarity >= SAME_CLAIM:
        return "modality"
    return None


def _reversal(
    ordered: Sequence[Said],
    similarity: np.ndarray,
    earlier: list[int],
    j: int,
    topic: str | None,
    same_subject: float = SAME_SUBJECT,
) -> Shift | None:
    now = ordered[j].text
    same = [i for i in earlier if similarity[i, j] >= same_subject]
    if not same:
        return None
    how = {i: _flip(ordered[i].text, now, float(similarity[i, j])) for i in same}
    flipped = [i for i in same if how[i]]
    if not flipped:
        return None
    # The latest earlier occasion decides: a speaker who already changed back is not shifting again.
    last = max(same, key=lambda i: (ordered[i].date, str(ordered[i].on), i))
    latest = [i for i in same if ordered[i].on == ordered[last].on]
    if not any(how[i] for i in latest):
        return None
    decisive = max((i for i in latest if how[i]), key=lambda i: similarity[i, j])
    evidence = sorted(flipped, key=lambda i: -similarity[i, j])[:3]
    if decisive not in evidence:
        evidence = [decisive, *evidence[:2]]
    conditions = stance.conditions(now)
    condition = "; ".join(conditions) if conditions else None
    return Shift(
        "reversal",
        topic,
        ordered[j],
        tuple(ordered[i] for i in evidence),
        float(similarity[decisive, j]),
        f"{how[decisive]} flips against a statement of {ordered[decisive].date} on the same subject "
        f"(similarity {similarity[decisive, j]:.2f})" + (f"; on condition: {condition}" if condition else ""),
        condition=condition,
    )


@lru_cache(maxsize=65536)
def _overlap(before: str, now: str) -> float:
    """How much of their wording two statements share (difflib's ratio over words): a negation
    flips one into the other only when it is most of what differs."""
    return difflib.SequenceMatcher(None, words(before), words(now), autojunk=False).ratio()


def _modal_flip(before: str, now: str) -> bool:
    return {modality(before), modality(now)} == {"certain", "tentative"}


def _dropped(ordered: Sequence[Said], similarity: np.ndarray, topic: str | None) -> list[Shift]:
    """Lines said on at least ``MIN_REPEATS`` occasions, then absent from ``MIN_AFTER`` later statements
    of later occasions (at least ``MIN_OCCASIONS``)."""
    found: list[Shift] = []
    used: set[int] = set()
    for i in range(len(ordered)):
        if i in used:
            continue
        line = [k for k in range(i, len(ordered)) if similarity[i, k] >= REPEATED]
        occasions = {ordered[k].on for k in line}
        if len(occasions) < MIN_REPEATS:
            continue
        used.update(line)
        after = [a for a in range(line[-1] + 1, len(ordered)) if ordered[a].on not in occasions]
        if len(after) < MIN_AFTER or len({ordered[a].on for a in after}) < MIN_OCCASIONS:
            continue
        if max(similarity[k, a] for k in line for a in after) >= REPEATED:
            continue
        found.append(
            Shift(
                "dropped",
                topic,
                ordered[after[0]],
                tuple(ordered[k] for k in line),
                float(len(occasions) / (len(occasions) + 1)),
                f"said on {len(occasions)} occasions until {ordered[line[-1]].date}, "
                f"absent from the {len(after)} statements on the {'topic' if topic else 'subject'} since",
                tuple(ordered[a] for a in after),
            )
        )
    return found


def said_of(
    records: Sequence[StoredStatement],
    taxonomy: Taxonomy | None = None,
    search: str | None = None,
    subjects: dict[int, tuple[str, re.Pattern[str] | None]] | None = None,
) -> list[Said]:
    """The dated statements of stored records (undated ones cannot be placed in time and are left out),
    each with its document as its occasion and, from ``subjects`` (statement id -> subject name and
    the pattern of its leading phrases), its subject.

    A long statement (a whole answer or speech) is cut into its sentences on the subject: those
    with the ``search`` words, or those with a keyword of one of its topics or a phrase of its
    subject. Comparing a rally speech with another as wholes says little; its sentences on NATO say
    what was said on NATO.
    """
    wanted = re.compile("|".join(rf"\b{re.escape(w)}" for w in search.split()), re.IGNORECASE) if search else None
    patterns = (
        {t.name: t.pattern for t in taxonomy.topics} if taxonomy else {}
    )  # a topic of an earlier taxonomy has none
    subjects = subjects or {}
    found = []
    for r in records:
        if not r.document.date:
            continue
        text, topics = r.statement.content, tuple(t for t, _ in r.topics)
        source = r.document.outlet or r.document.source
        subject, phrase = subjects.get(r.id, (None, None))
        if len(text) <= LONG:
            found.append(Said(r.id, r.document.date, text, topics, source, r.document.id, subject))
            continue
        for a, b in sentences(text):
            piece = text[a:b]
            on_subject = subject if phrase is not None and phrase.search(piece) else None
            if wanted is not None:
                if wanted.search(piece):
                    found.append(Said(r.id, r.document.date, piece, topics, source, r.document.id, on_subject))
                continue
            kept = tuple(t for t in topics if (pattern := patterns.get(t)) and pattern.search(piece))
            if kept or on_subject:
                found.append(Said(r.id, r.document.date, piece, kept, source, r.document.id, on_subject))
    return found


def speaker_shifts(
    store: Store,
    speaker: str,
    *,
    topic: str | None = None,
    subject: str | None = None,
    since: str | None = None,
    search: str | None = None,
    latest: int | None = None,
    embed: Embed | None = None,
    acts: tuple[str, ...] | None = DEFAULT_ACTS,
) -> list[Shift]:
    """Shifts of one speaker (an identity), newest first. Statements are compared within each topic
    and within each subject (:mod:`.subjects`), so a statement outside every topic is compared with
    the others on its subject; with ``search``, all statements with the words are compared with one
    another, whatever their topic. ``topic``, ``subject``: only that topic or subject (by name);
    ``since`` keeps shifts from that date on (earlier statements still count as what was said
    before); ``latest`` looks only at the speaker's latest statements (for pages that must answer
    fast); ``acts``: the acts compared (None: all), so a change of plan or belief is a shift only
    when asked for."""
    records = store.statements(Query(identity=speaker, topic=topic, search=search, acts=acts))
    if latest is not None:
        records = records[-latest:]
    own = [r for r in records if r.statement.kind != "author" or r.document.author == speaker]
    said = said_of(own, load_taxonomy(), search, _subjects_of(store, speaker, [r.id for r in own]))
    vectors = _cached(store, embed)
    groups: list[tuple[str | None, str | None, list[Said]]] = []
    if search:
        groups.append((None, search, said))
    else:
        if subject is None:
            topics = [topic] if topic else sorted({t for s in said for t in s.topics})
            groups += [(t, None, said) for t in topics]
        by_subject: dict[str, list[Said]] = {}
        for s in said:
            if s.subject is not None and (subject is None or s.subject == subject):
                by_subject.setdefault(s.subject, []).append(s)
        groups += [(None, name, members) for name, members in by_subject.items() if len({m.on for m in members}) > 1]
    in_subject = not search
    best: dict[tuple[int, str], Shift] = {}  # one shift per statement and kind, from its best comparison
    for t, name, members in groups:
        for shift in find_shifts(members, vectors, t, subject=name, in_subject=in_subject and t is None):
            key = (shift.statement.id, shift.kind)
            if key not in best or shift.score > best[key].score:
                best[key] = shift
    found = [s for s in best.values() if not since or s.statement.date >= since]
    return sorted(found, key=lambda s: (s.statement.date, s.score), reverse=True)


def _subjects_of(store: Store, speaker: str, ids: list[int]) -> dict[int, tuple[str, re.Pattern[str] | None]]:
    """Statement id -> (subject name, pattern of the subject's leading phrases), for ``said_of``."""
    placed = getattr(store, "subject_of", None)
    if placed is None or not ids:
        return {}
    of = placed(ids)
    if not of:
        return {}
    from onrecord.analyse.subjects import phrase_pattern  # a sibling that itself needs no shifts

    patterns = {info.id: phrase_pattern(info.phrases) for info in store.subjects(speaker)}
    return {i: (name, patterns.get(sid)) for i, (sid, name) in of.items()}


def _cached(store: Store, embed: Embed | None) -> Embed:
    return lambda texts: embed_cached(store, texts, embed)
