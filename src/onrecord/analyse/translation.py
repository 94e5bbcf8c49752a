"""Whether a text in one language is a translation of a text in another, and what it changed (issue 15).

Used by trace (``analyse/trace.py``) once the words of a report have not settled it: the report is
compared with the speaker's sentences in the other script through multilingual embeddings
(``analyse/embed.py``). Two questions, answered apart:

1. *Is it a translation at all?* Multilingual similarities sit high for any two sentences on one
   subject (0.80-0.88 for an invented claim against the nearest thing the speaker said), so the raw
   cosine cannot separate an invented claim from a translation that changed a word. The score is
   the margin-based one used to mine parallel sentences (Artetxe and Schwenk, 2019): the cosine
   with the best sentence plus how far that stands above the speaker's next-nearest sentences. A
   translation stands out from the speaker's other sentences; a claim on the same subjects lies
   about as near to several of them. And the best sentence must share the report's concepts: the
   cosine of their sparse latent terms (the model's features that hold across languages) from
   :data:`CONCEPT_OVERLAP`. A claim built from the speaker's own words (his names and nouns, with
   another predicate or another subject) lies as near as a translation by the dense vectors, which
   blur what is done by whom, but shares few of the source's concepts.
2. *What did it change?* What meaning-vectors gloss over is flagged: numbers (digits and number
   words of either language), negation, names (a name on one side with no counterpart on the
   other, romanized or translated), and clauses one side adds or drops (a clause whose removal
   brings the two texts closer has no counterpart on the other side).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from onrecord.extract.english_words import known_english
from onrecord.extract.russian_words import russian_words
from onrecord.resolve.names import transliterate
from onrecord.text import between, normal, words

# Tuned on tests/analyse/data/translations_dev.yaml only, so translations.yaml stays a test.
TRANSLATED = 0.895  # cosine plus margin from which the best sentence is the source
NEIGHBOURS = 3  # the speaker's next-nearest sentences the margin is taken over
PAIR_PENALTY = 0.01  # a pair of sentences is the source only when it beats each alone by this much
CLAUSE_GAIN = 0.02  # similarity a clause's removal must add for the clause to be added or dropped
NAME_SIMILARITY = 0.88  # cosine of two single words from which a name has its counterpart
NAME_SPELLING = 70  # rapidfuzz ratio of romanized spellings from which two names are one
CONCEPT_OVERLAP = 0.37  # cosine of the latent terms (embed's ``concepts``) a translation shares with its source
CHANGES = 1  # kinds of change (numbers, negation, names, a clause added, one dropped) a translation may make

WordVectors = Callable[[list[str]], np.ndarray]  # words -> unit vectors, one row each

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
NEGATION = frozenset({
    *("not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "without"),
    *("не", "нет", "ни", "никогда", "ничего", "никто", "нельзя", "без"),
})  # fmt: skip


def cyrillic(text: str) -> bool:
    """Whether at least 40% of ``text``'s letters are Cyrillic (the script a document is told by)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(_CYRILLIC.match(c)) for c in letters) >= 0.4 * len(letters)


# -- 1. is it a translation ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Candidate:
    """One sentence (or pair) of the speaker's: ``group`` and ``start``/``end`` place it, so that the
    sentences inside the best one are not counted as its neighbours."""

    group: int
    start: int
    end: int
    single: bool  # one sentence (the margin's neighbours are single sentences)
    pair: bool = False  # two sentences


def margin_score(similarity: np.ndarray, candidates: Sequence[Candidate]) -> tuple[int, float]:
    """The best candidate and its score: its cosine plus its margin over the mean of the
    :data:`NEIGHBOURS` most similar single sentences that do not overlap it (none: no margin)."""
    # a one-sentence report lies near any pair holding its sentence, and a pair may hide what changed
    # (a negation the report adds matches one in the next sentence)
    best = int(np.argmax(similarity - PAIR_PENALTY * np.array([c.pair for c in candidates])))
    b = candidates[best]
    others = sorted(
        (
            float(similarity[i])
            for i, c in enumerate(candidates)
            if c.single and not (c.group == b.group and c.start < b.end and b.start < c.end)
        ),
        reverse=True,
    )[:NEIGHBOURS]
    cosine = float(similarity[best])
    return best, cosine + (cosine - float(np.mean(others)) if others else 0.0)


# -- 2. what it changed --------------------------------------------------------------------------------------
_NUMBER_WORDS = [  # (pattern of a whole word, value); Russian in every case and as ordinals, English cardinals
    (r"один|одна|одно|одного|одной|одну|первый|первого|первое|первая|первой|one|first", 1),
    (r"два|две|двух|двум|второго|второе|второй|two|second", 2),
    (r"три|трёх|трех|трём|трем|третьего|третье|третий|третьей|треть|трети|three|third", 3),
    (r"четыре|четырёх|четырех|четвёртого|четвертого|четвёртое|четвертое|four|fourth", 4),
    (r"пять|пяти|пятью|пятого|пятое|пятый|пятой|five|fifth", 5),
    (r"шесть|шести|шестого|шестое|six|sixth", 6),
    (r"семь|семи|седьмого|седьмое|seven|seventh", 7),
    (r"восемь|восьми|восьмого|восьмое|eight|eighth", 8),
    (r"девять|девяти|девятого|девятое|nine|ninth", 9),
    (r"десять|десяти|десятого|десятое|ten|tenth", 10),
    (r"одиннадцат\w*|eleven", 11), (r"двенадцат\w*|twelve", 12), (r"тринадцат\w*|thirteen", 13),
    (r"четырнадцат\w*|fourteen", 14), (r"пятнадцат\w*|fifteen", 15), (r"шестнадцат\w*|sixteen", 16),
    (r"семнадцат\w*|seventeen", 17), (r"восемнадцат\w*|eighteen", 18), (r"девятнадцат\w*|nineteen", 19),
    (r"двадцат\w*|twenty", 20), (r"тридцат\w*|thirty", 30), (r"сорок\w*|forty", 40),
    (r"пятьдесят|пятидесяти|fifty", 50), (r"шестьдесят|шестидесяти|sixty", 60),
    (r"семьдесят|семидесяти|seventy", 70), (r"восемьдесят|восьмидесяти|eighty", 80),
    (r"девяносто|девяноста|ninety", 90), (r"сто|ста", 100), (r"двести|двухсот", 200),
    (r"триста|трёхсот|трехсот", 300), (r"четыреста|четырёхсот|четырехсот", 400), (r"пятьсот|пятисот", 500),
    (r"шестьсот|шестисот", 600), (r"семьсот|семисот", 700), (r"восемьсот|восьмисот", 800),
    (r"девятьсот|девятисот", 900),
]  # fmt: skip
# "hundred" multiplies the words before it within a group; the others close the group: "three thousand
# four hundred" is 3,400
_MULTIPLIERS = [
    (r"hundred|hundreds|сотни|сотен", 100),
    (r"тысяч\w*|thousand", 1_000),
    (r"миллион\w*|million", 1_000_000),
    (r"миллиард\w*|billion", 10**9),
]
_NUMBER_WORD = re.compile(
    r"(?i)(?<!\w)(?:(?P<digits>\d[\d,\u00a0]*\d|\d)|"
    + "|".join(f"(?P<w{i}>{p})" for i, (p, _) in enumerate(_NUMBER_WORDS))
    + "|"
    + "|".join(f"(?P<m{i}>{p})" for i, (p, _) in enumerate(_MULTIPLIERS))
    + r")(?!\w)"
)


def numbers(text: str) -> list[int]:
    """The numbers a text states, in digits or in words of either language ("три тысячи" and "3,000"
    are both 3000; "четыреста" and "four hundred" 400; "пятого апреля" and "April 5" both hold 5), sorted."""
    found: list[int] = []
    total = group = 0
    started = False
    last_end = -1
    for m in _NUMBER_WORD.finditer(text):
        if started and text[last_end : m.start()].strip(" -"):  # anything else between ends a number
            found.append(total + group)
            total = group = 0
            started = False
        kind = m.lastgroup or ""
        if kind == "digits":
            group += int(re.sub(r"[,\u00a0]", "", m.group()))
        elif kind.startswith("w"):
            group += _NUMBER_WORDS[int(kind[1:])][1]
        else:
            factor = _MULTIPLIERS[int(kind[1:])][1]
            if factor == 100:
                group = (group or 1) * factor
            else:
                total += (group or 1) * factor
                group = 0
        started = True
        last_end = m.end()
    if started:
        found.append(total + group)
    return sorted(found)


# verbs that negate what follows them: "we will stop selling grain" says that it will not be sold
_STOPPING = re.compile(
    r"(?i)(?<!\w)(?:stop|stops|stopped|stopping|cease[sd]?|ceasing|halt|halts|halted|halting"
    r"|переста\w*|прекрат\w*|прекращ\w*)(?!\w)"
)


# words that say something is lacking: a negation in meaning, however each language puts it, so that "we are
# short of nurses" and "нам не хватает медсестёр" (literally "it does not suffice us") both negate
_LACKING = re.compile(
    r"(?i)(?<!\w)(?:lack|lacks|lacked|lacking|short\s+of|shortage|shortages|insufficient|insufficiently"
    r"|недоста\w*|нехватк\w*)(?!\w)"
)


def negated(text: str) -> bool:
    """Whether a text negates: a negative word, a verb that stops what follows, or one that says it lacks."""
    return (
        bool(NEGATION & set(words(text)))
        or "n't" in normal(text).lower()
        or bool(_STOPPING.search(text) or _LACKING.search(text))
    )


_NAME = re.compile(r"(?<![\w'’])[A-ZА-ЯЁ][\w'’-]*(?:\s+[A-ZА-ЯЁ][\w'’-]*)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:]\s*[\"“«„'‘]?\s*|[\"“«„]\s*)$")


# words that open sentences and are never names (a capital there says nothing)
OPENING_WORDS = frozenset({
    *("a", "an", "the", "this", "that", "these", "those", "there", "here", "it", "its", "we", "our", "ours", "they",
      "their", "he", "his", "she", "her", "you", "your", "my", "i", "in", "on", "at", "by", "for", "from", "to",
      "with", "of", "as", "and", "but", "or", "so", "if", "when", "while", "after", "before", "since", "all",
      "some", "no", "not", "every", "each", "any", "none", "what", "who", "how", "why", "where", "yes", "also"),
    *("мы", "наш", "наша", "наше", "наши", "нашу", "нам", "нас", "я", "мне", "вы", "ваш", "он", "она", "оно",
      "они", "его", "её", "ее", "их", "это", "этот", "эта", "эти", "этом", "там", "здесь", "в", "во", "на", "у",
      "с", "со", "к", "по", "за", "из", "от", "до", "для", "при", "о", "об", "и", "а", "но", "или", "если",
      "когда", "как", "что", "кто", "все", "всё", "никто", "ничего", "не", "нет", "да", "также", "уже"),
})  # fmt: skip
_POSSESSIVE = re.compile(r"['’]s?$")
FIRST_PERSON = frozenset({
    *("i", "we", "me", "us", "my", "our", "ours"),
    *("я", "мы", "меня", "мне", "нас", "нам", "нами", "мой", "моя", "наш", "наша", "наше", "наши", "нашу", "нашей"),
})  # fmt: skip


def names(text: str) -> list[str]:
    """The names a text mentions: runs of capitalised words ("Northern Lake"), the word opening a
    sentence (see :func:`openers`) and "I" left out."""
    found = []
    for m in _NAME.finditer(text):
        parts = m.group().split()
        if _SENTENCE_START.search(text[: m.start()]):
            parts = parts[1:]
        parts = [_POSSESSIVE.sub("", p) for p in parts if p != "I" and len(p) > 1]
        if parts:
            found.append(" ".join(parts))
    return found


def openers(text: str) -> list[str]:
    """The capitalised words opening a sentence, function words left out ("Valdor", "Vaccination"): a
    capital there does not tell a name from an ordinary word, so :func:`missing_names` takes one for a
    name only when it is a name elsewhere."""
    found = []
    for m in _NAME.finditer(text):
        first = _POSSESSIVE.sub("", m.group().split()[0])
        if _SENTENCE_START.search(text[: m.start()]) and len(first) > 1 and first.lower() not in OPENING_WORDS:
            found.append(first)
    return found


def ordinary_word(word: str) -> bool:
    """Whether the dictionary of the word's language knows it as an ordinary word, not a name: pymorphy's
    for Russian ("Прививка" is, "Вальдор" is not), WordNet's (spaCy's lemmatizer tables) for English."""
    if _CYRILLIC.match(word):
        parts = [w for part in word.split("-") for w in russian_words(part)]  # "Студенты-медики": each part
        return bool(parts) and all(p.known and not p.name for p in parts if p.pos != "PNCT")
    return known_english(word)


def _sound(word: str) -> str:
    """A Soundex-like key of a romanized word, so that spellings of one name across scripts meet:
    ``Asia`` and ``Азию`` (``Aziyu``) are both ``a2``."""
    codes = {**dict.fromkeys("bfpv", "1"), **dict.fromkeys("cgjkqsxz", "2"), **dict.fromkeys("dt", "3")}
    codes |= {"l": "4", "m": "5", "n": "5", "r": "6"}
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return ""
    key, last = word[0], codes.get(word[0], "")
    for ch in word[1:]:
        code = codes.get(ch, "")
        if code and code != last:
            key += code
        last = code
    return key


def _spelled_alike(a: str, b: str) -> bool:
    """Two names in any scripts, romanized: ``Nordmark`` and ``Нордмарком``, ``Asia`` and ``Азию``."""
    a, b = transliterate(a).lower(), transliterate(b).lower()
    if min(len(a), len(b)) >= 4 and (a.startswith(b[:5]) or b.startswith(a[:5])):
        return True  # a case ending: Нордмарком, Nordmark
    return fuzz.ratio(a, b) >= NAME_SPELLING or (min(len(a), len(b)) >= 3 and _sound(a) == _sound(b))


def missing_names(text: str, other: str, vectors: WordVectors, known: Sequence[str] = ()) -> list[str]:
    """The names of ``text`` with no counterpart among the words of ``other``: no word of the name
    spelled alike once romanized, nor a translation of one (a single-word cosine from
    :data:`NAME_SIMILARITY`: a place is translated, not romanized, "Geneva" for "Женеве", and a name of
    several words is translated word by word, "Northern Lake" for "Северном озере"). A word opening a
    sentence is a name when it is spelled alike with a name elsewhere: in either text or among ``known``
    names (those the speaker's other sentences mention), "Nordmark" opening a sentence for "из Нордмарка";
    or when no dictionary of its language knows it (:func:`ordinary_word`), "Вальдор поставит…"."""
    elsewhere = [p for n in [*names(text), *names(other), *known] for p in n.split()]
    opening = [w for w in openers(text) if any(_spelled_alike(w, n) for n in elsewhere) or not ordinary_word(w)]
    if FIRST_PERSON & set(words(other)) and not FIRST_PERSON & set(words(text)):
        opening = []  # a report names who "we" are: "Ruritania would invite…" for "Мы пригласим…"
    found = list(dict.fromkeys([*names(text), *opening]))
    # a compound's parts too: "Студенты-медики" has its counterpart in "students"
    candidates = list(dict.fromkeys(p for w in re.findall(r"[^\W\d_][\w'’-]*", other) for p in {w, *w.split("-")} if p))
    if not found:
        return []
    if not candidates:
        return found
    unmatched = [n for n in found if not any(_spelled_alike(p, w) for p in n.split() for w in candidates)]
    if not unmatched:
        return []
    parts = sorted({p.lower() for n in unmatched for p in n.split()})
    best = dict(zip(parts, (vectors(parts) @ vectors([w.lower() for w in candidates]).T).max(axis=1), strict=True))
    return [n for n in unmatched if max(best[p.lower()] for p in n.split()) < NAME_SIMILARITY]


_CLAUSE = re.compile(r"\s*(?:[,;:]|\s[—–]|(?<=[.!?…])\s)\s*")


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of a text's clauses, cut at commas, semicolons, colons, dashes and sentence ends."""
    return [(a, b) for a, b in between(_CLAUSE, text) if len(words(text[a:b])) >= 2]


def unmatched_clauses(
    report: str, source: str, embed: Callable[[list[str], str], np.ndarray], similarity: float
) -> tuple[list[str], list[str]]:
    """The clauses the report adds and those it drops: each clause whose removal from its side brings
    the two texts closer, by :data:`CLAUSE_GAIN` or more, than the ``similarity`` of the whole."""

    def without(text: str, spans: list[tuple[int, int]]) -> list[str]:
        return [(text[:a] + text[b:]).strip(" ,;:—–") for a, b in spans]

    report_clauses = clauses(report) if len(clauses(report)) > 1 else []
    source_clauses = clauses(source) if len(clauses(source)) > 1 else []
    if not report_clauses and not source_clauses:
        return [], []
    query, passage = embed([report], "query")[0], embed([source], "passage")[0]
    added = []
    if report_clauses:
        gains = embed(without(report, report_clauses), "query") @ passage - similarity
        added = [report[a:b] for (a, b), g in zip(report_clauses, gains, strict=True) if g >= CLAUSE_GAIN]
    dropped = []
    if source_clauses:
        gains = embed(without(source, source_clauses), "passage") @ query - similarity
        dropped = [source[a:b] for (a, b), g in zip(source_clauses, gains, strict=True) if g >= CLAUSE_GAIN]
    return added, dropped


def flags(
    report: str,
    source: str,
    vectors: WordVectors | None = None,
    embed: Callable[[list[str], str], np.ndarray] | None = None,
    similarity: float | None = None,
    known: Sequence[str] = (),
) -> tuple[str, ...]:
    """What a translation changed that meaning-vectors gloss over: numbers and negation always; names
    with ``vectors`` (single words; ``known``: names the speaker uses elsewhere, for the words opening a
    sentence); clauses added or dropped with ``embed`` and the pair's ``similarity``."""
    found = []
    pair = numbers(report), numbers(source)
    if pair[0] != pair[1]:
        found.append(f"numbers differ: {pair[0] or 'none'} in the report, {pair[1] or 'none'} in the source")
    negation = negated(report), negated(source)
    if negation[0] != negation[1]:
        found.append("negation differs: " + ("the report negates" if negation[0] else "the source negates"))
    if vectors is not None:
        only = missing_names(report, source, vectors, known), missing_names(source, report, vectors, known)
        if only[0] or only[1]:
            found.append(
                f"names differ: {', '.join(only[0]) or 'none'} in the report, {', '.join(only[1]) or 'none'} in the source"
            )
    if embed is not None and similarity is not None:
        added, dropped = unmatched_clauses(report, source, embed, similarity)
        found += [f"the report adds: {c}" for c in added]
        found += [f"the report drops: {c}" for c in dropped]
    return tuple(found)


FLAGS = ("numbers differ", "negation differs", "names differ", "the report adds", "the report drops")


def changes(found: Sequence[str]) -> int:
    """How many kinds of change (:data:`FLAGS`) the flags of a translation name: past :data:`CHANGES`,
    the report says something else with the speaker's words (an invented claim), not a translation."""
    return sum(any(f.startswith(kind) for f in found) for kind in FLAGS)
