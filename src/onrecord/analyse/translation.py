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
   words of either language, and which way an amount goes: "less" for «больше» is a changed quantity), negation,
   names (a name on one side with no counterpart on the other, romanized or translated), times (and an order turned
   around: "after" for «перед»), how much a claim covers ("all", "only" the source has none of), other comparisons
   turned around ("slower" for «быстрее»), and clauses the report adds (a clause whose removal brings the
   two texts closer has no counterpart on the other side). A clause the report leaves out is a trim,
   shown as a note but no change (issue 15 counts a trimmed translation as faithful).

A third question, *is the report's claim the speaker's?*, is asked word by word in ``analyse/alignment.py``
(its words rendered in the source, the same one acting, "this" pointing to the same thing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

from onrecord.extract.english_words import known_english
from onrecord.extract.russian_words import russian_words, word_forms
from onrecord.extract.syntax import ParsedWord
from onrecord.resolve.names import transliterate
from onrecord.text import between, normal, words

if TYPE_CHECKING:  # alignment.py reads this module's word lists: the type only, to compare negations over its links
    from onrecord.analyse.alignment import Alignment

# TRANSLATED and CONCEPT_OVERLAP by one rule over translations.yaml, translations_dev.yaml and translations_heldout.yaml
# together (not fitted to one set; translations_blind.yaml left out): the values where the lowest per-class accuracy
# is highest, then the mean, taken at the middle of the range that reaches it (0.8675-0.885 and 0.37-0.38). The
# others were tuned on translations_dev.yaml.
TRANSLATED = 0.875  # cosine plus margin from which the best sentence is the source
NEIGHBOURS = 3  # the speaker's next-nearest sentences the margin is taken over
PAIR_PENALTY = 0.01  # a pair of sentences is the source only when it beats each alone by this much
CLAUSE_GAIN = 0.02  # similarity a clause's removal must add for the clause to be added or dropped
NAME_SIMILARITY = 0.88  # cosine of two single words from which a name has its counterpart
NAME_SPELLING = 70  # rapidfuzz ratio of romanized spellings from which two names are one
CONCEPT_OVERLAP = 0.375  # cosine of the latent terms (embed's ``concepts``) a translation shares with its source
CHANGES = 1  # kinds of change (numbers, negation, names, time, certainty, a clause added) a translation may make

WordVectors = Callable[[list[str]], np.ndarray]  # words -> unit vectors, one row each

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
NEGATION = frozenset({
    *("not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "without", "unable"),
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
# number words by value: English as written, Russian by lemma (pymorphy), so that every case form counts
# («двенадцати», «двумя», «полутора», «вторых»)
_UNITS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
]
_UNITS += ["seventeen", "eighteen", "nineteen"]
_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_RUSSIAN_UNITS = [
    "один",
    "два",
    "три",
    "четыре",
    "пять",
    "шесть",
    "семь",
    "восемь",
    "девять",
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
]
_RUSSIAN_UNITS += ["четырнадцать", "пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"]
_RUSSIAN_ORDINALS = [
    "первый",
    "второй",
    "третий",
    "четвёртый",
    "пятый",
    "шестой",
    "седьмой",
    "восьмой",
    "девятый",
    "десятый",
]
_RUSSIAN_TENS = ["двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят", "девяносто"]
_RUSSIAN_HUNDREDS = ["сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот", "девятьсот"]
NUMBER_WORDS: dict[str, float] = {
    **{w: n for n, w in enumerate(_UNITS, 1)},
    **{w: n for n, w in enumerate(_ORDINALS, 1)},
    **{w: 10 * n for n, w in enumerate(_TENS, 2)},
    **{w: n for n, w in enumerate(_RUSSIAN_UNITS, 1)},
    **{w: n for n, w in enumerate(_RUSSIAN_ORDINALS, 1)},
    **{w: 10 * n for n, w in enumerate(_RUSSIAN_TENS, 2)},
    **{w: 100 * n for n, w in enumerate(_RUSSIAN_HUNDREDS, 1)},
    "четвертый": 4, "полтора": 1.5, "полторы": 1.5, "dozen": 12,
    # how many times over, in one word: "three times" is 3 already, so "threefold", "tripled", «трижды», «втрое» are too
    **dict.fromkeys(("twice", "twofold", "doubled", "дважды", "вдвое", "удвоить", "удвоиться"), 2),
    **dict.fromkeys(("thrice", "threefold", "tripled", "трижды", "втрое", "утроить", "утроиться"), 3),
    **dict.fromkeys(("fourfold", "quadrupled", "четырежды", "вчетверо", "учетверить"), 4),
    **dict.fromkeys(("fivefold", "пятикратно", "впятеро"), 5),
    **dict.fromkeys(("tenfold", "десятикратно", "вдесятеро"), 10),
}  # fmt: skip
# "hundred" multiplies the words before it within a group; the others close the group: "three thousand
# four hundred" is 3,400; abbreviations as the press writes them ("1,5 млрд", "$1.5bn", "5k", "$3m")
MULTIPLIERS: dict[str, float] = {
    **dict.fromkeys(("hundred", "hundreds", "сотня"), 100),
    **dict.fromkeys(("thousand", "thousands", "k", "тысяча", "тыс"), 1_000),
    **dict.fromkeys(("million", "millions", "m", "mln", "mn", "миллион", "млн"), 1_000_000),
    **dict.fromkeys(("billion", "billions", "bn", "миллиард", "млрд"), 10**9),
    **dict.fromkeys(("trillion", "trillions", "tn", "триллион", "трлн"), 10**12),
}
# the abbreviations written onto digits ("5k", "$1.5bn"); a single letter is a multiplier only so ("5 m" is metres)
_SUFFIX = "|".join(sorted((w for w in MULTIPLIERS if w.isascii() and len(w) <= 3), key=len, reverse=True))
# digits: groups of three after a comma or a space are thousands ("12,000", "12 000"), with a decimal part after a
# point or a comma that is not their separator ("1,500.5", «1 500,5»); else a point or a comma before other digits is
# a decimal mark ("$1.5", "1,5")
_GROUPED = r"\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:[\u00a0\u202f ]\d{3})+,\d+|\d{1,3}(?:[,\u00a0\u202f ]\d{3})+"
_DIGITS = rf"(?:{_GROUPED})(?!\d|[.,]\d)|\d+(?:[.,]\d+)?"
# an English ordinal or a decade written onto digits is their number: "the 15th", "the 1990s"
_DIGITS_ENDING = r"(?:st|nd|rd|th|['’]?s)"
_NUMBER_TOKEN = re.compile(
    rf"(?<![\w.,])(?:(?P<digits>{_DIGITS})(?:(?P<suffix>{_SUFFIX})|{_DIGITS_ENDING})?|(?P<word>[^\W\d_]+))(?!\w)"
)


@lru_cache(maxsize=1)
def _russian_number_starts() -> tuple[str, ...]:
    """The first three letters (ё as е) of every form pymorphy inflects for each Russian number word («дву» of
    «двух», «двум»; «наи» of «наипервейший», which is «первый»): a word starting otherwise cannot read as a number,
    and is not given to pymorphy."""
    keys = [key for key in (*NUMBER_WORDS, *MULTIPLIERS, *_FRACTIONS) if _CYRILLIC.match(key)]
    return tuple(sorted({form.replace("ё", "е")[:3] for key in keys for form in word_forms(key) | {key}}))


def _number_lemma(lower: str) -> str:
    """The lemma of a lower-case word when it could be a number word of either language, else the word itself."""
    could_be = not _CYRILLIC.match(lower) or lower.replace("ё", "е").startswith(_russian_number_starts())
    return _lemma(lower) if could_be else lower


# a Russian adjective compounded of a count and a measure is its count, as the English "five-year" is five:
# «пятилетний», «двадцатипятилетний», «трёхдневный», «стопроцентный» («десятилетие», a decade, is no count)
_COMPOUND_COUNTS: dict[str, float] = {
    **{unit[:-1] + "и": n for n, unit in enumerate(_RUSSIAN_UNITS, 1) if unit[-1] == "ь" and n != 8},  # «пяти»
    **{tens[:-1] + "и": 10 * n for n, tens in enumerate(_RUSSIAN_TENS, 2) if tens.endswith("ь")},  # «двадцати»
    **{"одно": 1, "двух": 2, "трёх": 3, "трех": 3, "четырёх": 4, "четырех": 4, "восьми": 8, "сорока": 40},
    **{"пятидесяти": 50, "шестидесяти": 60, "семидесяти": 70, "восьмидесяти": 80, "девяноста": 90, "девяносто": 90},
    **{"сто": 100, "двухсот": 200, "трёхсот": 300, "трехсот": 300, "четырёхсот": 400, "пятисот": 500},
    **{"шестисот": 600, "семисот": 700, "восьмисот": 800, "девятисот": 900},
}  # fmt: skip
_COUNT_STEM = re.compile("|".join(sorted(_COMPOUND_COUNTS, key=len, reverse=True)))  # longest first
_COMPOUND = re.compile(
    f"(?P<counts>(?:{_COUNT_STEM.pattern})+)"
    r"(?:летн|дневн|месячн|недельн|часов|минутн|секундн|процентн|кратн|этажн|тонн|местн|комнатн|годичн|разов|классн)"
)


def _compound_count(lower: str) -> float | None:
    """The count a Russian compound adjective opens with (:data:`_COMPOUND`), else None."""
    found = _COMPOUND.match(lower)
    return sum(_COMPOUND_COUNTS[m.group()] for m in _COUNT_STEM.finditer(found.group("counts"))) if found else None


def _number_value(word: str) -> tuple[str, float] | None:
    """("n", value) of a number word, ("x", factor) of a multiplier, None for any other word."""
    lower = word.lower()
    key = _number_lemma(lower)
    if key in NUMBER_WORDS:
        return "n", NUMBER_WORDS[key]
    if key in MULTIPLIERS and len(key) > 1:
        return "x", MULTIPLIERS[key]
    count = _compound_count(lower) if _CYRILLIC.match(lower) else None
    return None if count is None else ("n", count)


def _digits_value(raw: str) -> float:
    """The value of a run of digits :data:`_DIGITS` matched: "12,000" and «12 000» 12000, "1,500.5" and «1 500,5»
    1500.5, "1,5" 1.5."""
    grouped = re.fullmatch(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?P<decimal>[.,]\d+)?", raw)
    if grouped:
        decimal = grouped.group("decimal") or ""
        return float(re.sub(r"\D", "", raw[: len(raw) - len(decimal)]) + decimal.replace(",", "."))
    return float(raw.replace(",", "."))


# a share of a whole, by lemma: "a quarter of its electricity" and «четверть электроэнергии» are both 0.25
_FRACTIONS: dict[str, float] = {
    **dict.fromkeys(("half", "halves", "половина"), 1 / 2),
    **dict.fromkeys(("third", "thirds", "треть"), 1 / 3),
    **dict.fromkeys(("quarter", "quarters", "четверть"), 1 / 4),
}
# English "third" and "quarter" are a share only after a count and before "of" or the clause's end ("a third of the
# staff", "cut by a quarter"): else "a third term", "in the first quarter", "for three quarters in a row"
_ENGLISH_SHARE_ONLY_SO = {"third", "thirds", "quarter", "quarters"}
_ORDINAL_WORDS = frozenset({*_ORDINALS, *_RUSSIAN_ORDINALS, "четвертый", "last", "next", "this", "that", "each"})
# what a share of time is measured in: "half an hour", «четверть века», "a quarter of a century" are durations
_TIME_UNITS = frozenset({
    *("second", "minute", "hour", "day", "week", "month", "year", "decade", "century"),
    *("seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "centuries", "past"),
    *("секунда", "минута", "час", "день", "неделя", "месяц", "год", "десятилетие", "век", "столетие"),
})  # fmt: skip
_FRACTION_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?|\d+(?:[.,]\d+)?")
# how a fraction's word begins in any form (and «пол» of «полмиллиона»): the others are not read further
_FRACTION_START = re.compile(r"(?i)half|third|quarter|пол|трет|четверт")


def _count(token: str) -> float | None:
    """How many wholes a word or digits before a fraction count: "a", "one", "two", «две», "3"; None for others."""
    lower = token.lower()
    if lower in ("a", "an"):
        return 1.0
    if lower[0].isdigit():
        return None if "." in lower or "," in lower else float(lower)
    key = _number_lemma(lower)
    return float(NUMBER_WORDS[key]) if key in NUMBER_WORDS and key not in _ORDINAL_WORDS else None


def _shares(text: str) -> str:
    """``text`` with each fraction it states written in digits, for :func:`numbers` to read: "two thirds" and «две
    трети» as 0.666667, "half a million" and «полмиллиона» as 0.5 million, "one and a half" and «два с половиной» as
    1.5 and 2.5. A half or a quarter after an ordinal is a period ("the second half of 2027", «во второй половине
    года»), before a unit of time a duration ("half an hour", «четверть века»), in a compound a word ("half-hearted"):
    none is a number."""
    if not _FRACTION_START.search(text):
        return text
    tokens = list(_FRACTION_TOKEN.finditer(text))
    lowers = [t.group().lower() for t in tokens]
    edits: list[tuple[int, int, float]] = []  # start, end, value: what the span is written as
    for i, token in enumerate(tokens):
        lower = lowers[i]
        hyphened = re.fullmatch(r"(\w+)-(half|halves|thirds?|quarters?)", lower)  # "two-thirds", "one-quarter"
        if hyphened and (count := _count(hyphened.group(1))) is not None:
            edits.append((token.start(), token.end(), count * _FRACTIONS[_lemma(hyphened.group(2))]))
            continue
        if not _FRACTION_START.match(lower):
            continue
        whole = re.fullmatch(r"пол-?(\w+)", lower)
        if whole and _number_lemma(whole.group(1)) in MULTIPLIERS:  # «полмиллиона», «пол-миллиона»
            edits.append((token.start(), token.start() + len(lower) - len(whole.group(1)), 0.5))
            continue
        key = _number_lemma(lower)
        if key not in _FRACTIONS or text[token.end() : token.end() + 1] == "-":
            continue
        before = [_number_lemma(w) for w in lowers[max(0, i - 3) : i]]
        after = [_lemma(w) for w in lowers[i + 1 : i + 4]]
        if before[-1:] and before[-1] in _ORDINAL_WORDS:
            continue
        rest = [w for w in after if w not in ("of", "a", "an", "the")][:1]
        if rest and rest[0] in _TIME_UNITS:
            continue
        start, value = token.start(), _FRACTIONS[key]
        counts = [_count(lowers[i - n]) if n <= len(before) else None for n in (1, 2, 3)]  # one, two, three words back
        if before[-2:] in (["and", "a"], ["and", "one"]) and counts[2] is not None:
            start, value = tokens[i - 3].start(), counts[2] + value  # "two and a half"
        elif before[-1:] == ["с"] and counts[1] is not None:
            start, value = tokens[i - 2].start(), counts[1] + value  # «два с половиной»
        elif before[-2:] == ["and", "a"]:
            continue  # "a year and a half": a duration
        elif counts[0] is not None:
            start, value = tokens[i - 1].start(), counts[0] * value  # "a third", «две трети»
        elif key in _ENGLISH_SHARE_ONLY_SO:
            continue
        if key in _ENGLISH_SHARE_ONLY_SO and not (
            after[:1] == ["of"] or re.match(r"\s*(?:[.,;:!?)]|$)", text[token.end() :])
        ):
            continue
        end = token.end()
        # "half a million", "a quarter of a billion": the article goes with the fraction; "half a dozen" is 6
        tail = re.match(r"(?i)(?:\s+of)?(?:\s+an?)?\s+(\w+)", text[end:])
        if tail and tail.group(1).lower() == "dozen":
            end, value = end + tail.end(), value * NUMBER_WORDS["dozen"]
        elif tail and _number_lemma(tail.group(1).lower()) in MULTIPLIERS:
            end += tail.start(1) - len(re.search(r"\s*$", tail.group()[: tail.start(1)]).group())
        edits.append((start, end, value))
    for start, end, value in reversed(edits):
        written = f"{value:.6f}".rstrip("0").rstrip(".")
        text = text[:start] + written + " " * text[end : end + 1].isalpha() + text[end:]  # «0.5 миллиона»
    return text


def numbers(text: str) -> list[float]:
    """The numbers a text states, in digits or in words of either language, in any case form ("три тысячи",
    "двенадцати тысяч" and "12,000" are 3000 and 12000; "1,5 млрд" and "$1.5 billion" both 1.5e9; "пятого
    апреля" and "April 5" both hold 5), sorted. "One" and "first" in words are left out: they are as often
    no count ("one of", "for the first time", «ещё одну партию» for "another batch"). A share is its fraction's
    value (:func:`_shares`): "a quarter" and «четверть» 0.25, "two thirds" 0.666667. A percentage is its figure, so
    "a quarter" is not "25 percent" (25), nor is "one in four" (4, "one" left out): a report that turns a share into
    a percentage is flagged, for a reader to judge whether the figure was kept."""
    text = _shares(text)
    # (value, said in digits or with more than the word "one", its multiplier when it ends in one, start, end)
    found: list[tuple[float, bool, float, int, int]] = []
    total = group = 0.0
    started = digits = last_digits = False
    last_end = first = -1
    factor = 0.0
    smaller: float | None = None  # the last number word's value: the next one compounds with it only when smaller

    def close() -> None:
        value = total + group
        found.append((value, digits or value != 1, factor if not group else 0.0, first, last_end))

    for m in _NUMBER_TOKEN.finditer(text):
        if m.group("word"):
            read = _number_value(m.group("word"))
            if read is None:
                continue
        elif _DESIGNATION.search(text, max(0, m.start() - 8), m.start()):
            continue  # digits in a designation ("the M-4 motorway", «Су-35», "Covid-19") are its name, no count
        else:
            read = None
        # anything else between ends a number, and so do digits after digits ("April 5 2026") and a number word no
        # smaller than the one before it, which does not compound with it: «два-три дня» is two or three days, "the
        # first nine months" nine, where "twenty-one" and «сто двадцать» are one number
        after_word = read is not None and read[0] == "n" and smaller is not None and read[1] >= smaller
        if started and (text[last_end : m.start()].strip(" -") or (read is None and last_digits) or after_word):
            close()
            total = group = 0.0
            started = digits = False
        if not started:
            first, factor, smaller = m.start(), 0.0, None
        smaller = read[1] if read is not None and read[0] == "n" else None  # a multiplier opens the next group
        last_digits = read is None
        if read is None:  # digits
            raw = m.group("digits")
            group += _digits_value(raw)
            digits = True
            if m.group("suffix"):
                total += group * MULTIPLIERS[m.group("suffix")]
                group, factor = 0.0, MULTIPLIERS[m.group("suffix")]
        elif read[0] == "n":
            group += read[1]
            digits = digits or read[1] != 1  # "one hundred" counts
        else:
            if read[1] == 100:
                group = (group or 1) * read[1]
            else:
                total += (group or 1) * read[1]
                group, factor = 0.0, read[1]
            digits = True
        started = True
        last_end = m.end()
    if started:
        close()
    # a range says its multiplier once, after both ends, the lower end first: "from 2.1 to 2.6 billion", «с 2,1 до
    # 2,6 миллиарда» ("5 regions and 3 million people" is no range)
    values = [v for v, *_ in found]
    for i, ((low, _, own, _, end), (high, _, then, start, _)) in enumerate(zip(found, found[1:], strict=False)):
        if not own and then and low < high / then and _RANGE.fullmatch(text[end:start]):
            values[i] *= then
    return sorted(round(v, 6) for v, (_, counted, *_) in zip(values, found, strict=True) if counted)


# a short capitalised word hyphened onto digits makes a designation of them: "M-4", «Су-35», "Covid-19"
_DESIGNATION = re.compile(r"(?<![\w-])[A-ZА-ЯЁ][^\W\d_]{0,5}-$")
# what joins the two ends of a range: "2 to 3 million", "between 2 and 3 million", «от 2 до 3 млн», "2-3 million"
_RANGE = re.compile(r"(?i)\s*(?:[-–—]|to|and|or|до|и|или)\s*[$€£]?\s*")


# verbs that negate what follows them: "we will stop selling grain" says that it will not be sold, "they failed to
# agree" that they did not («не смогли договориться»), "refused to pay" that they would not («отказались платить»)
_STOPPING = re.compile(
    r"(?i)(?<!\w)(?:stop|stops|stopped|stopping|cease[sd]?|ceasing|halt|halts|halted|halting"
    r"|fail|fails|failed|failing|refuse[sd]?|refusing"
    r"|переста\w*|прекрат\w*|прекращ\w*|отказа\w*|отказыва\w*)(?!\w)"
)


# words that say something is lacking: a negation in meaning, however each language puts it, so that "we are
# short of nurses" and "нам не хватает медсестёр" (literally "it does not suffice us") both negate
_LACKING = re.compile(
    r"(?i)(?<!\w)(?:lack|lacks|lacked|lacking|short\s+of|shortage|shortages|insufficient|insufficiently"
    r"|недоста\w*|нехватк\w*)(?!\w)"
)


# a double negative that affirms: «нельзя не», «не могу не» (one must), "cannot help": neither a negation nor, for its
# modal, a hedge
_MUST = (
    r"нельзя\s+не|не\s+мо(?:гу|жем|жет|гут|г|гла|гли)\s+не"
    r"|(?:can\s*not|can['’]t|could\s+not|couldn['’]t)\s+(?:help|but)"
)
# not ruling something out says it may be: a hedge, not a negation («не исключаю», "we do not rule out")
_NOT_RULED_OUT = r"не\s+исключа\w*|не\s+исключ[её]н\w*|(?:not|n['’]t)\s+(?:rule[sd]?|ruling)\s+(?:\w+\s+)?out"
# a negated degree says how much, not whether: "rose, but not much" is "rose slightly", «не так много» "few"
_DEGREE = (
    r"не\s+(?:очень|слишком|сильно|особо|особенно|намного|существенно|значительно"
    r"|так\s+(?:уж\s+)?(?:много|сильно|быстро))|not\s+(?:very|too|much|so\s+much|that\s+much|particularly|significantly)"
)
# a reply opening a sentence («Нет, завод продолжит работать», "No, no, the plant will keep working") answers the
# question; it denies nothing the sentence says
_REPLY = (
    r"(?:^|(?<=[.!?…:]\s)|(?<=[.!?…:]))[\s\"«“]*(?:(?:ну|да)[\s,]+)?(?:нет|no)(?:[\s,!—–-]+(?:нет|no))*(?=\s*[,!.—–])"
)
# phrases built with a negative word that say nothing negative: "not only … but also", "no secret",
# "no fewer than" (at least), «не раз» (more than once), «не менее» (at least), «нельзя не» (one must); a negated
# comparative bounds («не выше двух процентов», "no later than May": :func:`bounds` and :func:`directions` read them)
_NOT_NEGATING = re.compile(
    r"(?i)(?<!\w)(?:not\s+(?:only|just|least)|no\s+secret|(?:no|not)\s+(?:fewer|less|more)\s+than"
    r"|(?:no|not)\s+(?:higher|lower|later|earlier|sooner|older|younger|greater)\s+than"
    r"|не\s+только|(?:ни\s+для\s+кого\s+)?не\s+секрет|не\s+раз|не\s+однажды|не\s+(?:менее|меньше|более|больше|свыше)"
    r"|не\s+(?:выше|ниже|позднее|позже|ранее|раньше|старше|моложе|младше|дороже|дешевле)"
    rf"|не\s+без|{_MUST}|{_NOT_RULED_OUT}|{_DEGREE}|{_REPLY})(?!\w)"
)
_AFFIRMING = re.compile(rf"(?i)(?<!\w)(?:{_MUST})(?!\w)")
# words that negate in meaning without a negative word: "barely changed" for «почти не изменились», "X rather than Y"
# for «X, а не Y», "instead of" / «вместо»
_NEGATING = re.compile(r"(?i)(?<!\w)(?:barely|hardly|scarcely|rather\s+than|instead\s+of|вместо)(?!\w)")


def negated(text: str) -> bool:
    """Whether a text negates: a negative word (not in a phrase that only looks negative), a verb that stops
    what follows, one that says it lacks, or a word that negates in meaning ("barely", "rather than")."""
    text = _NOT_NEGATING.sub(" ", text)
    return (
        bool(NEGATION & set(words(text)))
        or "n't" in normal(text).lower()
        or bool(_STOPPING.search(text) or _LACKING.search(text) or _NEGATING.search(text))
    )


# -- negation word by word: which words a negation bears on, so that two texts that both negate are compared predicate
# by predicate («не проводим и не планируем» against "not conducting but was planning"), and a negation in a part of the
# source the report does not render is part of the trim («Восемь месяцев — это не так, средний срок …»)
# the words a negation reaches through: a modal, an auxiliary or a copula bears no claim, what it governs does ("cannot
# respect", «не сможет превышать», "was not enough", "is not about pay")
_THROUGH = frozenset({
    *("be", "have", "do", "can", "could", "will", "would", "may", "might", "must", "shall", "should", "able"),
    *("быть", "мочь", "смочь", "стать", "являться", "уметь", "суметь"),
})  # fmt: skip
_AUXILIARY = frozenset({"aux", "auxpass", "aux:pass", "cop"})
_GOVERNED = frozenset({"xcomp", "acomp", "attr", "oprd", "ccomp", "csubj"})
_EXISTENCE = frozenset({"nsubj", "obj", "nmod", "nsubj:pass"})  # what «нет» says is not there (not where: "obl")
_PREPOSITIONS = frozenset({"without", "без", "вместо"})  # a negation of the noun after them
_NEGATING_ALONE = frozenset({"не", "нет", "без", "нельзя"})  # Russian negative words that do not agree with another
_LACKING_WORD = re.compile(r"(?i)lack\w*|shortages?|insufficient\w*|недоста\w*|нехватк\w*")
# a word that says something is lacking or only something is there, by its counterpart: «дефицит» is a "shortage" and
# a budget's "deficit"
_LACKING_IF_ITS_COUNTERPART_IS = frozenset({"дефицит"})


def predicate(parse: Sequence[ParsedWord], n: int, spans: Sequence[tuple[int, int]] = ()) -> int:
    """The index of the predicate heading word ``n``'s clause: the nearest verb or auxiliary up its heads (a verb
    itself), else the highest head inside its clause (``spans``: the text's clauses, :func:`clauses`; a verbless clause
    is its own, not a part of a verbless one beside it: «очередь … три года» in «Это не так, очередь … три года»):
    "enough" in "was not enough" is "was"'s, «Дефицита» in «Дефицита нет» «нет»'s."""
    clause = next(((a, b) for a, b in spans if a <= parse[n].start < b), None)
    seen = set()
    while parse[n].head >= 0 and not (
        parse[n].pos == "VERB" or parse[n].pos == "AUX" and parse[n].rel not in _AUXILIARY
    ):  # an auxiliary is its verb's ("not a single one was closed": "closed")
        head = parse[parse[n].head]
        # a verb takes its subject across a comma ("his deputy, Kirill Avdeenko, had …"); a verbless predicate in
        # another clause is another claim's
        if clause is not None and not clause[0] <= head.start < clause[1] and head.pos not in ("VERB", "AUX"):
            break
        seen.add(n)
        n = parse[n].head
        if n in seen:  # a parser's cycle («двух тысяч медсестёр»): the sentence's root
            return next((k for k, w in enumerate(parse) if w.head < 0), n)
    return n


def negation_counts(text: str, parse: Sequence[ParsedWord]) -> dict[int, int]:
    """For each predicate (:func:`predicate`) of a parsed ``text`` that negations bear on, how many do: the languages
    put one negation on different words ("no power cuts", «Отключений не будет»; "made him no offer", «предложения не
    делал»), the predicate of each is the same. "not" and «не» bear on the word they depend on (through a modal or a
    copula to what it governs: "cannot respect", «не сможет превышать»), «нет» on what it says is not there
    («Дефицита нет»), "no" on its noun, "without" and «без» on theirs, a verb that stops on what it stops, "barely" on
    its head; a word that says something is lacking ("shortage", «нехватка») is a negation too. A negative word inside a
    phrase that only looks negative ("not only", «не менее», :data:`_NOT_NEGATING`) or denying a number it corrects
    ("not by ten, but by six": :func:`claimed_numbers`) bears on none. A negative word said again bears once
    ("nobody, nobody"), and Russian negates once however many negative words agree («никто не срывал»), but each «не»
    counts («не могу не уважать» affirms)."""
    skipped = [(m.start(), m.end()) for m in _NOT_NEGATING.finditer(text)] + _corrections(text)
    bears: dict[int, list[str]] = {}  # predicate -> what bears on it
    spans = clauses(text)

    def bear(n: int, key: str) -> None:
        bears.setdefault(predicate(parse, n, spans), []).append(key)

    def children(n: int, rels: frozenset[str] | None = None) -> list[int]:
        return [k for k, w in enumerate(parse) if w.head == n and k != n and (rels is None or w.rel in rels)]

    def reach(n: int, key: str) -> None:  # a word, or what it governs when it bears no claim of its own
        governed = children(n, _GOVERNED) if parse[n].lemma in _THROUGH or parse[n].pos == "AUX" else []
        for k in governed or [n]:
            bear(k, key)

    def next_content(n: int) -> int | None:
        return next((k for k in range(n + 1, len(parse)) if parse[k].pos in ("NOUN", "PROPN", "VERB", "ADJ")), None)

    for n, word in enumerate(parse):
        lower = word.text.lower()
        if any(a <= word.start < b for a, b in skipped):
            continue
        if (
            _LACKING_WORD.fullmatch(word.lemma)
            or (
                lower == "short"  # "short of nurses", "2,400 teachers short"
                and (
                    (parse[n + 1 : n + 2] and parse[n + 1].text.lower() == "of")
                    or (n >= 2 and parse[n - 1].pos == "NOUN" and parse[n - 2].pos == "NUM")
                )
            )
        ):
            bear(n, f"lacking {n}")
        key = "agreeing" if _CYRILLIC.match(lower) and lower not in _NEGATING_ALONE else lower
        if lower in _PREPOSITIONS or (
            lower in ("instead", "rather") and parse[n + 1 : n + 2] and parse[n + 1].text.lower() in ("of", "than")
        ):
            if (k := next_content(n)) is not None:
                bear(k, lower)
        elif lower == "нет":
            for k in children(n, _EXISTENCE) or ([n] if word.head < 0 else [word.head]):
                bear(k, lower)
        elif lower in ("unable", "нельзя"):
            for k in children(n, frozenset({"xcomp"})) or ([word.head] if word.head >= 0 else [n]):
                bear(k, lower)
        elif _STOPPING.fullmatch(lower):
            for k in children(n, frozenset({"xcomp", "obj", "dobj", "pcomp", "ccomp"})):
                bear(k, lower)
        elif (lower in NEGATION or lower == "n't" or lower in ("barely", "hardly", "scarcely")) and word.head >= 0:
            reach(word.head, "not" if lower == "n't" else key)
    counts = {}
    for n, keys in bears.items():
        alone = [k for k in keys if k in _NEGATING_ALONE]
        others = {k for k in keys if k not in _NEGATING_ALONE and k != "agreeing"}
        counts[n] = keys.count("не") + len(set(alone) - {"не"}) + len(others) + ("agreeing" in keys and not alone)
    return counts


def _corrections(text: str) -> list[tuple[int, int]]:
    """Where a text denies a number to correct it ("not by ten, but by 6.4"; "a day before, not two days", «за
    сутки, а не за два дня»): the denied part's span."""
    before = [(m.start(), m.end()) for m in _CORRECTED.finditer(text) if _corrects(m)]
    return sorted(before + [m.span() for m in _CORRECTED_AFTER.finditer(text) if numbers(m.group("denied"))])


def _contrasted(parse: Sequence[ParsedWord]) -> list[int]:
    """The predicates of a parsed text that a contrast sets another against: X in «не X, а Y» and "not X but Y": the
    next «а» or "but" after X, before any other verb, joins a word after it (the parsers hang the mark on either
    conjunct, or make Y a sentence's second root)."""
    found = []
    for n, word in enumerate(parse):
        for m in range(n + 1, len(parse)):
            mark = parse[m]
            if mark.pos in ("VERB", "AUX"):
                break
            if mark.rel == "cc" and mark.text.lower() in ("а", "but"):
                joined = (
                    mark.head
                    if mark.head not in (n, -1)
                    else next((k for k, w in enumerate(parse) if w.head == n and w.rel == "conj" and k > m), None)
                )
                if joined is not None and joined > m and parse[joined].start > word.start:
                    found.append(n)
                break
    return found


def negation_by_word(
    report: str, source: str, alignment: Alignment, left_out: Sequence[tuple[int, int]] = ()
) -> tuple[list[str], list[str], list[str], list[str]]:
    """The report's negation against the source's predicate by predicate, over the links of the ``alignment`` (a report
    word and the source word it renders; the model's guesses across parts of speech left out): a negated predicate
    whose words have counterparts on predicates none of which is negated (as "the report negates: X" or "the source
    negates: Y", a linked word of each); the report's negated predicates none of whose words has a counterpart; the
    source's such, in a clause of which the report renders some word; and the source's in a clause of which it
    renders none, or in ``left_out`` (spans of the source the report does not render): a trim's."""
    ours = negation_counts(report, alignment.report_parse)
    theirs = negation_counts(source, alignment.source_parse)
    parses = alignment.report_parse, alignment.source_parse
    at = [{id(w): n for n, w in enumerate(parse)} for parse in parses]
    inside = [not any(a <= w.start < b for a, b in left_out) for w in alignment.source_parse]
    # a predicate the source denies to put another in its place («не продаёт, а покупает») is the trim's when the
    # report renders the other and not it: its subject and object, shared with the other, are no counterpart of it
    rendered_words = {id(link.source) for link in alignment.links}
    for n in _contrasted(alignment.source_parse):
        if id(alignment.source_parse[n]) not in rendered_words:
            inside[n] = False
    spans = clauses(report), clauses(source)
    pairs = []  # (report word, source word) and their predicates
    lacking = set()  # the source's predicates where «дефицит» is rendered as "shortage": it lacks, as "deficit" not
    for link in alignment.links:
        r, s = at[0].get(id(link.report)), at[1].get(id(link.source))
        # the model's guess across parts of speech ("Maximum" for «превышать») is no counterpart to compare
        if r is None or s is None or (link.by == "meaning" and link.report.pos != link.source.pos):
            continue
        pr, ps = predicate(parses[0], r, spans[0]), predicate(parses[1], s, spans[1])
        if inside[s] and inside[ps]:
            pairs.append((r, s, pr, ps))
        if link.source.lemma in _LACKING_IF_ITS_COUNTERPART_IS and _LACKING_WORD.fullmatch(link.report.lemma):
            lacking.add(ps)
    for n in lacking:
        theirs[n] = theirs.get(n, 0) + 1
    # each negated predicate against the predicates its words' counterparts hang on: rendered when one of those is
    # negated too (the parsers hang a word on another predicate than its counterpart's, "his deputy, Kirill Avdeenko,
    # had nothing to do with …" against «Мой заместитель … никакого отношения … не имеет», and a word may link to two:
    # "intend" and "raise" both to «собираемся»), changed when none is
    across: tuple[dict[int, set[int]], dict[int, set[int]]] = ({}, {})  # predicate -> the other side's linked to it
    said: tuple[dict[int, str], dict[int, str]] = ({}, {})  # predicate -> a word of it that is linked, to name it
    for r, s, pr, ps in pairs:
        across[0].setdefault(pr, set()).add(ps)
        across[1].setdefault(ps, set()).add(pr)
        said[0].setdefault(pr, parses[0][r].text)
        said[1].setdefault(ps, parses[1][s].text)
    differ = [
        f"the report negates: {said[0][n]}"
        for n, others in across[0].items()
        if ours.get(n, 0) % 2 and not any(theirs.get(m, 0) % 2 for m in others)
    ] + [
        f"the source negates: {said[1][n]}"
        for n, others in across[1].items()
        if theirs.get(n, 0) % 2 and not any(ours.get(m, 0) % 2 for m in others)
    ]
    linked = set(across[0]), set(across[1])
    own = [parses[0][n].text for n, c in ours.items() if c % 2 and n not in linked[0]]
    cut = spans[1] or [(0, len(source))]
    rendered = {k for k, (a, b) in enumerate(cut) for _, n, _, _ in pairs if a <= parses[1][n].start < b}
    own_source, trimmed = [], []
    for n, c in theirs.items():
        word = parses[1][n]
        if not c % 2 or n in linked[1]:
            continue
        clause = next((k for k, (a, b) in enumerate(cut) if a <= word.start < b), None)
        (own_source if inside[n] and (clause is None or clause in rendered) else trimmed).append(word.text)
    return differ, own, own_source, trimmed


# the verbs a report commits a speaker with ("promised that …", «пообещал»): a claim the speaker may only have allowed
# («Я не исключаю, что …») or declined to promise («обещать … я не буду»)
COMMITMENTS = re.compile(
    r"(?i)(?<!\w)(?:promis\w*|pledg\w*|vow\w*|guarant\w*|assur\w*|commit(?:s|ted|ting|ments?)?|swear\w*|swor[en]"
    r"|(?:по)?обещ\w*|гарантир\w*|(?:по)?кл(?:я|я?н)\w*|завер[ия]\w*|обязал\w*|обязу\w*)(?!\w)"
)
# the flag of a report that commits the speaker to what the source only allows or declines to promise: not the
# speaker's claim (``translation_verdict.cascade``), whatever else it renders
UNPROMISED = "the source does not promise"


def unpromised(cue: str | None, report: str, source: str, parse: Sequence[ParsedWord]) -> str | None:
    """Why a report whose ``cue`` commits the speaker ("promised", "guaranteed", "vowed", «пообещал») says more than
    the ``source`` (``parse``: its words parsed), or None: the source declines the commitment (a commitment word it
    negates: «обещать … я не буду», "I cannot guarantee") or only allows what the report promises (a possibility it
    hedges with and the report does not: «Я не исключаю, что …»)."""
    if not cue or not COMMITMENTS.search(cue) or negated(cue):  # "did not promise" commits to nothing
        return None
    counts = negation_counts(source, parse)
    declined = [w.text for n, w in enumerate(parse) if COMMITMENTS.fullmatch(w.text) and counts.get(n, 0) % 2]
    if declined:
        return f"{UNPROMISED}: it declines to ({', '.join(declined)})"
    if "possibility" in hedges(source) - hedges(report):
        return f"{UNPROMISED}: it only allows it"
    return None


# words that make a statement a possibility or a condition rather than a fact: "may", "able to", "perhaps", "if" / «может»,
# «возможно», «если»
_HEDGE = re.compile(
    r"(?<!\w)(?:may|might|could|can|cannot|(?i:able|unable|possible|possibly|perhaps|maybe|probably|likely|unlikely|if|unless|provided)"
    r"|(?i:с?мо(?:жет|гут|жем|жете|гу|г|гла|гли|гло)|можно|возможно|вероятно|наверное|наверно|видимо"
    r"|по-видимому|скорее\s+всего|не\s+исключено|пожалуй|предположительно|если|при\s+условии"
    r"|(?:i|we)\s+(?:think|believe|suppose|expect|guess)|(?:я|мы)\s+(?:думаю|думаем|полагаю|полагаем)|мне\s+кажется"
    r"|apparently|presumably|по\s+всей\s+видимости|судя\s+по\s+всему"
    r"|in\s+case|in\s+the\s+event|в\s+случае|при\s+необходимости"
    rf"|думается|{_NOT_RULED_OUT}))(?!\w)"
)
# a modal or a condition that hedges nothing: what was achieved ("were able to", «смогли», «удалось» is none), a
# superlative ("as soon as possible", «как можно скорее»), a frame of saying ("I can tell you", «можно сказать», «могу
# вас заверить», «если честно»)
_NOT_HEDGING = re.compile(
    r"(?i)(?<!\w)(?:(?:was|were|has\s+been|have\s+been|had\s+been)\s+able|смог(?:ла|ли|ло)?(?!\s+бы)(?=\s)"
    r"|as\s+\w+\s+as\s+possible|как\s+можно\s+\w+"
    r"|(?:i|we)\s+(?:can|could)\s+(?:tell\s+you|say|assure\s+you|confirm)|можно\s+(?:так\s+)?сказать"
    r"|(?:я\s+|мы\s+)?мо(?:гу|жем)\s+(?:вам\s+|вас\s+)?(?:сказать|заверить|подтвердить|ответить|констатировать)"
    r"|если\s+(?:честно|коротко|откровенно|хотите|угодно|можно\s+так\s+(?:сказать|выразиться)))(?!\w)"
)


_CONDITION = re.compile(
    r"(?i)if|unless|provided|in\s+case|in\s+the\s+event|если|при\s+условии|в\s+случае|при\s+необходимости"
)
# an ability denied says that something will not be, not that it may: "cannot respect", "could not attend", "unable to",
# «не сможет превышать», «не могу уважать» are negations (:func:`negated`), no hedge
_ABILITY = re.compile(r"(?i)can|could|able|с?мо(?:жет|гут|жем|жете|гу|г|гла|гли|гло)|можно")
_ABILITY_DENIED = re.compile(
    r"(?i)(?<!\w)(?:can\s*not|can['’]t|could\s+not|couldn['’]t|unable|(?:not|never)\s+(?:be\s+)?able"
    r"|не\s+(?:с?мо(?:жет|гут|жем|жете|гу|г|гла|гли|гло)|в\s+состоянии))(?!\w)"
)


def hedges(text: str, ability: bool = True) -> set[str]:
    """How a text hedges: "condition" ("if", «если») and "possibility" (a modal verb, a hedging adverb, a belief, not
    ruling out), each apart, so that a report keeping the "if" and dropping the «возможно» is seen; the modal of a
    double negative that affirms («не могу не сказать», "I cannot help saying") is none, and so is an ability denied
    ("I cannot respect", «не сможет превышать»: a negation). ``ability``: whether a modal of ability ("can", «может»)
    counts, for comparing a text with one that denies it ("cannot come" for «могут приехать» changes one thing, the
    negation)."""
    plain = _NOT_HEDGING.sub(" ", _ABILITY_DENIED.sub(" ", normal(_AFFIRMING.sub(" ", text))))
    found = (m.group() for m in _HEDGE.finditer(plain))
    return {
        "condition" if _CONDITION.fullmatch(w) else "possibility" for w in found if ability or not _ABILITY.fullmatch(w)
    }


def denies_ability(text: str) -> bool:
    """Whether a text says something cannot be done ("cannot respect", «не сможет превышать»), not in a double
    negative that affirms («не могу не»)."""
    return bool(_ABILITY_DENIED.search(normal(_AFFIRMING.sub(" ", text))))


def hedged(text: str) -> bool:
    """Whether a text says something may be so, or is so on a condition, rather than that it is (:func:`hedges`)."""
    return bool(hedges(text))


# words that bound a number from below or from above: "at least 300" / «не менее 300», "only 300" / «лишь 300»
_BOUND = re.compile(
    r"(?i)(?<!\w)(?:(?P<lower>at\s+least|(?:no|not)\s+(?:fewer|less|lower)\s+than|more\s+than|over|upwards\s+of"
    r"|не\s+(?:менее|меньше|ниже)|более|больше|свыше|как\s+минимум|по\s+меньшей\s+мере)"
    r"|(?P<upper>only|just|at\s+most|(?:no|not)\s+(?:more|higher)\s+than|fewer\s+than|less\s+than|up\s+to"
    r"|лишь|только|всего|не\s+(?:более|больше|свыше|выше)|менее|меньше|максимум))\s+(?=[\d$€£]|[^\W\d_]+)"
)

# a negation of the verb a bound follows, within its clause: "must not take more than", «не должна занимать больше»
_NEGATED_VERB_BEFORE = re.compile(r"(?i)(?<!\w)(?:не|not|n['’]t|never|никогда\s+не)\s+(?:[^\W\d_]+\s+){1,3}$")


def bounds(text: str) -> dict[float, str]:
    """The numbers a text bounds, each with its bound ("lower" or "upper"): "at least 300" is {300: "lower"}."""
    found = {}
    for m in _BOUND.finditer(text):
        after = numbers(" ".join(text[m.end() :].split()[:3]))
        if after:
            # a negated verb just before turns the bound round: «не должна занимать больше сорока минут» is at most 40
            turned = _NEGATED_VERB_BEFORE.search(text, max(0, m.start() - 40), m.start()) is not None
            found[after[0]] = "lower" if bool(m.group("lower")) != turned else "upper"
    return found


# «до» before an amount bounds it from above ("up to 1.5 million" for «до полутора миллионов»), but it is also "until"
# and the end of a range or a change ("from 2.1 to 2.6", «снизил до 7,25%»): :func:`bounds` leaves it out, and it is
# read only against a report that bounds the same amount from below
_UP_TO = re.compile(r"(?i)(?<![\w-])до\s+")
# what makes «до» a time: a month, a year or a unit of time among the words after the number
_TIME_AFTER = re.compile(r"(?i)(?<!\w)(?:год\w*|г\.|час\w*|минут\w*|дн(?:я|ей)|недел\w*|месяц\w*|лет|век\w*)(?!\w)")


def bound_turned(report: str, source: str) -> list[float]:
    """The amounts a report bounds from below ("at least 30 tonnes") that the source bounds from above with «до» («до
    30 тонн») and by no word of :func:`bounds`: not where «до» says "until" (a month, a year or a unit of time
    follows: «до 1 мая», «до 2030 года») or ends a range («с 2,1 до 2,6»)."""
    lower = {n for n, bound in bounds(report).items() if bound == "lower"}
    if not lower:
        return []
    found, bounded = [], bounds(source)
    for m in _UP_TO.finditer(source):
        after = " ".join(source[m.end() :].split()[:3])
        values = numbers(" ".join(after.split()[:2]))
        if not values or any(time_word(w) for w in after.split()) or _TIME_AFTER.search(after):
            continue
        if re.search(r"(?i)(?<!\w)(?:с|от)\s+\S+(?:\s+\S+)?\s*$", source[: m.start()]):  # «с 2,1 до 2,6»: a range
            continue
        found += [v for v in values if v in lower and v not in bounded]
    return sorted(set(found))


# which way a comparison or a change goes: an amount up or down ("more", "rose", «больше», «сократить») and an order in
# time ("before", «после»). The dense vectors put "less than last winter" as near «больше, чем прошлой зимой» as its
# translation. Russian verbs and nouns by lemma, comparatives as written (pymorphy gives «больше» the lemma «большой»)
_UP, _DOWN, _BEFORE, _AFTER = ("amount", "up"), ("amount", "down"), ("order", "before"), ("order", "after")
_ENGLISH_DIRECTIONS = (
    (
        _UP,
        r"more|higher|greater|larger|bigger|dearer|rise[sn]?|rising|rose|raise[sd]?|raising|increas\w*|grow(?:s|n|ing|th)?"
        r"|grew|exceed\w*|surg\w+|climb\w*|expand\w*|boost\w*|went\s+up|go(?:es|ing)?\s+up|gone\s+up",
    ),
    (
        _DOWN,
        r"less|fewer|lower(?:s|ed|ing)?|smaller|cheaper|fall(?:s|en|ing)?|fell|drop(?:s|ped|ping)?|declin\w+"
        r"|decreas\w+|cuts?|cutting|reduc\w+|shr[iau]nk\w*|slash\w*|went\s+down|go(?:es|ing)?\s+down|gone\s+down"
        r"|c[oa]m(?:e|es|ing)\s+down",
    ),
    (_BEFORE, r"before|earlier|sooner|prior\s+to"),
    (_AFTER, r"after|later|afterwards"),
)
_RUSSIAN_COMPARATIVES = {
    **dict.fromkeys(("больше", "более", "выше", "дороже", "сильнее"), _UP),
    **dict.fromkeys(("меньше", "менее", "ниже", "дешевле", "слабее"), _DOWN),
    **dict.fromkeys(("раньше", "ранее", "прежде", "перед"), _BEFORE),
    **dict.fromkeys(("позже", "позднее", "после", "спустя"), _AFTER),
}
_RUSSIAN_DIRECTIONS = {
    **dict.fromkeys((
        "рост", "расти", "вырасти", "возрасти", "возрастать", "повысить", "повышать", "повыситься", "повышаться",
        "повышение", "увеличить", "увеличивать", "увеличиться", "увеличиваться", "увеличение", "подорожать",
        "дорожать", "подорожание", "превысить", "превышать", "прирост"), _UP),
    **dict.fromkeys((
        "снизить", "снижать", "снизиться", "снижаться", "снижение", "сократить", "сокращать", "сократиться",
        "сокращаться", "сокращение", "упасть", "падать", "падение", "уменьшить", "уменьшать", "уменьшиться",
        "уменьшаться", "уменьшение", "подешеветь", "дешеветь", "понизить", "понижать", "понижение", "спад"), _DOWN),
}  # fmt: skip
_DIRECTION = re.compile(
    "|".join(f"(?P<d{n}>(?<!\\w)(?:{pattern})(?!\\w))" for n, (_, pattern) in enumerate(_ENGLISH_DIRECTIONS))
    + r"|(?P<word>[^\W\d_]+)",
    re.IGNORECASE,
)
# a negated comparison says the other way round: "no earlier than autumn" is after it at the soonest, «не больше»
# at most; a negated change is no change the other way («цены не вырастут» is not a fall): the negation check's
_ENGLISH_COMPARATIVES = frozenset({
    *("more", "less", "fewer", "higher", "lower", "greater", "larger", "bigger", "smaller", "cheaper", "dearer"),
    *("before", "earlier", "sooner", "after", "later"),
})  # fmt: skip
_TURNED = {_UP: _DOWN, _DOWN: _UP, _BEFORE: _AFTER, _AFTER: _BEFORE}
_NEGATED_BEFORE = re.compile(r"(?i)(?<!\w)(?:no|not|не)\s+$")


def directions(text: str) -> set[tuple[str, str]]:
    """Which ways a text's comparisons and changes go: ("amount", "up") for "more", "rose", «выше», «повышение»;
    ("amount", "down"), ("order", "before") for "before", «раньше», ("order", "after"). A comparison bounding a
    number ("more than 300", «не менее 300») is left to :func:`bounds`; a negated comparative turns ("no earlier than"
    is after), a negated change goes no way («не вырастут»: :func:`negated`)."""
    found = set()
    for m in _DIRECTION.finditer(text):
        word = m.group()
        lower = word.lower()
        if m.group("word"):
            if not _CYRILLIC.match(lower):
                continue
            way = _RUSSIAN_COMPARATIVES.get(lower) or _RUSSIAN_DIRECTIONS.get(_lemma(lower))
            comparative = lower in _RUSSIAN_COMPARATIVES
        else:
            way = next(w for n, (w, _) in enumerate(_ENGLISH_DIRECTIONS) if m.group(f"d{n}"))
            comparative = lower in _ENGLISH_COMPARATIVES
        # "more slowly", "less often": how, not how much
        if way in (_UP, _DOWN) and re.match(r"\s+\w+ly(?!\w)", text[m.end() :]):
            continue
        if way is None or numbers(" ".join(re.sub(r"(?i)^[\s,]*(?:than|чем)\s", " ", text[m.end() :]).split()[:1])):
            continue
        if not _NEGATED_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
            found.add(way)
        elif comparative:
            found.add(_TURNED[way])
    return found


def turned(report: str, source: str, read: Callable[[str], set[tuple[str, str]]] = directions) -> dict[str, str]:
    """The comparisons a report turns around, by axis ("amount", "order" of :func:`directions`, or the axes another
    ``read`` gives): where both texts say which way and no way agrees ("less than last winter" for «больше, чем
    прошлой зимой»), what each says, the axes in order. One side alone is no change: a translation may say it another
    way ("prices went up" for «бензин подорожал» is a rise whichever words carry it)."""
    ours, theirs = read(report), read(source)
    found = {}
    for axis in sorted({a for a, _ in ours} & {a for a, _ in theirs}):
        said = sorted(w for a, w in ours if a == axis), sorted(w for a, w in theirs if a == axis)
        if not set(said[0]) & set(said[1]):
            found[axis] = f"{'/'.join(said[0])} in the report, {'/'.join(said[1])} in the source"
    return found


# -- how much of a thing a claim covers, and comparisons the amounts and times do not hold. A report that says "all
# tenders" for «тендеры», "only for children" for «для детей» or "slower" for «быстрее» keeps every number, name and
# negation, and the dense vectors put it as near its source as a translation.
# how much a claim covers, by kind: everything, nothing but the thing, most of it. English as written, Russian by
# lemma. A Russian word counts for its kind generously (the source's side of an added quantifier: «никто» covers
# "all … not", «по пять человек» "five people each"); an English one only where it says how much (``_NOT_SCOPE``)
_SCOPE_ENGLISH = re.compile(
    r"(?i)(?<!\w)(?:(?P<all>all|every|everyone|everybody|everything|everywhere|entire|whole|always)"
    r"|(?P<only>only|solely|exclusively|sole)|(?P<most>majority))(?!\w)"
)
_SCOPE_RUSSIAN = {
    **dict.fromkeys((
        "весь", "все", "всё", "каждый", "любой", "всякий", "целый", "полный", "полностью", "целиком", "всегда", "везде",
        "всюду", "повсюду", "повсеместно", "оба", "никто", "ничто", "никогда", "никакой", "нигде", "постоянно",
        "неизменно", "сплошь", "поголовно", "ежедневно", "ежегодно", "ежемесячно", "еженедельно"), "all"),
    **dict.fromkeys(("только", "лишь", "исключительно", "единственный", "сугубо", "кроме", "один"), "only"),
    **dict.fromkeys(("большинство", "преимущественно", "основном", "почти"), "most"),
}  # fmt: skip
# phrases with a quantifier's word that say nothing of how much ("above all", "at all", "on the whole", "not only …
# but", "only if": a condition, the certainty check's), and a quantifier the other checks hold: before a unit of time
# ("every day", "all winter": how often and how long, :func:`times`) or bounding a number ("only 300": :func:`bounds`)
_NOT_SCOPE = re.compile(
    r"(?i)(?<!\w)(?:(?:at|above|after|first\s+of|in|for|once\s+and\s+for)\s+all|all\s+(?:but|the\s+same|in\s+all|right"
    r"|too|along|over)|(?:not|if)\s+only|only\s+(?:if|when|just|once|after|until|till|then)|(?:on|as)\s+(?:the|a)"
    r"\s+whole|(?:all|every|whole|entire|each)\s+(?:(?:the|of\s+the|single)\s+)?(?:\w+\s+)?(?:"
    + "|".join(sorted({w for w in _TIME_UNITS if w.isascii()} | {"spring", "summer", "autumn", "winter", "fall"}))
    + r")|only\s+(?:\$|[\d]|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|half|twice|a\s+few)(?!\w)))"
)

# «всё» and «всего» in phrases that say nothing of how much: «всё-таки» (still), «всё равно» (anyway), «всё ещё»,
# «всё больше» (more and more), «прежде всего» (above all); and «всего» before a number (only, in total: ``_ALL_OF``)
_NOT_SCOPE_RUSSIAN = re.compile(
    r"(?i)(?<!\w)(?:вс[её](?:-таки|\s+(?:таки|равно|ещё|еще|же|больше|меньше|чаще|реже|сильнее))|прежде\s+всего)(?!\w)"
)
_ALL_OF = re.compile(r"(?i)(?<!\w)всего\s+(?P<next>\S+)")
_DETERMINING = frozenset({"amod", "det", "nsubj", "nsubjpass", "dobj", "pobj"})  # "most" of a noun, or standing for one


def scope(text: str, parse: Sequence[ParsedWord] = ()) -> set[str]:
    """How much a text's claims cover, by kind: "all" ("all", "every", "always", «все», «каждый», «всегда»), "only"
    ("only", «только», «лишь») and "most" ("the majority", «большинство»). English "most" says how much only as a
    determiner ("most farmers", not "most important"), and "each" only before its noun ("each region", not "ten
    crowns each", which renders «по десять крон»): with the text's ``parse``, these are read too."""
    if _CYRILLIC.search(text):
        text = _NOT_SCOPE_RUSSIAN.sub(" ", text)
        text = _ALL_OF.sub(lambda m: m.group() if not numbers(m.group("next")) else m.group("next"), text)
        found = {_SCOPE_RUSSIAN[w] for w in map(_lemma, re.findall(r"[^\W\d_]+", text)) if w in _SCOPE_RUSSIAN}
        if re.search(r"(?i)(?<!\w)по\s+(?:\d|[^\W\d_]+\s)", text) and numbers(text):  # «по пять человек»: each
            found.add("all")
        return found
    text = _NOT_SCOPE.sub(" ", text)
    found = {kind for m in _SCOPE_ENGLISH.finditer(text) for kind, said in m.groupdict().items() if said}
    for word in parse:
        lower = text[word.start : word.end].lower()  # blank where the caller blanked it
        superlative = re.search(r"(?i)(?:the|at)\s+$", text[: word.start])  # "the most votes", "at most"
        if lower == "most" and word.pos != "ADV" and word.rel in _DETERMINING and not superlative:
            found.add("most")
        elif lower == "each" and word.rel == "det" and not _NOT_SCOPE.match(f"each {text[word.end :]}"):
            found.add("all")
    return found


# what a source says "only" with, strictly (the side of a dropped "only": «не только … но и», «только что» (just now),
# «как только» (as soon as), «только если» (a condition) and a bound number, «лишь 300», say no such thing)
_ONLY_RUSSIAN = re.compile(
    r"(?i)(?<![\w-])(?<!не\s)(?<!как\s)(?:только|лишь|исключительно)(?!\s+(?:что|если|бы|\d)(?!\w))(?!\w)"
)
# what a report may render such an "only" with
_ONLY_ENGLISH = re.compile(
    r"(?i)(?<!\w)(?:only|just|solely|exclusively|sole|alone|merely|purely|nothing\s+but|limited|restricted|except"
    r"|but|not\s+(?:until|till|before)|no\s+(?:earlier|sooner)\s+than|as\s+late\s+as)(?!\w)"
)


def exclusive(text: str) -> bool:
    """Whether a Russian text restricts a claim to one thing («только», «лишь», «исключительно»), strictly: not in
    «не только», «только что», «как только», «только если», nor bounding a number (:func:`bounds` reads those), nor
    before a verb."""
    for m in _ONLY_RUSSIAN.finditer(text):
        after = text[m.end() :].split()[:1]
        # before a verb it is as often "just" («я только хочу сказать», "I just want to say"), a hedge of no scope
        if after and not numbers(after[0]) and not {w.pos for w in russian_words(after[0])} & {"VERB", "INFN"}:
            return True
    return False


def scope_differs(
    report: str, source: str, rendered: str | None = None, parse: Sequence[ParsedWord] = ()
) -> str | None:
    """What a report changes in how much a claim covers, or None: a quantifier the ``source`` has none of its kind for
    ("all tenders" for «тендеры», "only for children" for «для детей», "most farmers" for «фермеры»), or the source's
    «только» in the part the report renders (``rendered``, else the whole) that the report renders by no word of
    restriction. A quantifier dropped otherwise is not read (a report may leave «все» unsaid: «как все знают», "as is
    known"). ``parse``: the report's words parsed (:func:`scope`)."""
    ours, theirs = scope(report, parse), scope(source)
    added = sorted(ours - theirs)
    if added:
        said = {"all": '"all"', "only": '"only"', "most": '"most"'}
        return f"scope differs: {', '.join(said[k] for k in added)} in the report, none in the source"
    if exclusive(rendered or source) and not _ONLY_ENGLISH.search(report):
        return "scope differs: none in the report, «только» in the source"
    return None


# comparisons other than of an amount or an order in time (:func:`directions` holds those), by axis: each way of it
# in English as written and Russian comparatives as written or verbs by lemma. "Slower than last year" for «быстрее,
# чем в прошлом году» keeps every number and the dense vectors put it as near as the translation
_COMPARISONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    ("pace", "up"): (
        r"faster|quicker|more\s+quickly|accelerat\w*|speed(?:s|ed|ing)?\s+up|sped\s+up",
        frozenset({"быстрее", "ускорить", "ускорять", "ускориться", "ускоряться", "ускорение"}),
    ),
    ("pace", "down"): (
        r"slower|more\s+slowly|slow(?:s|ed|ing)?\s+down|slowdown|decelerat\w*",
        frozenset({"медленнее", "замедлить", "замедлять", "замедлиться", "замедляться", "замедление"}),
    ),
    ("quality", "up"): (
        r"better|improv\w*",
        frozenset({"лучше", "улучшить", "улучшать", "улучшиться", "улучшаться", "улучшение"}),
    ),
    ("quality", "down"): (
        r"worse|worsen\w*|deteriorat\w*",
        frozenset({"хуже", "ухудшить", "ухудшать", "ухудшиться", "ухудшаться", "ухудшение"}),
    ),
    ("ease", "up"): (r"easier|simpler", frozenset({"легче", "проще"})),
    ("ease", "down"): (r"harder|more\s+difficult|tougher", frozenset({"труднее", "сложнее", "тяжелее"})),
    ("frequency", "up"): (r"more\s+(?:often|frequently)|oftener", frozenset({"чаще"})),
    ("frequency", "down"): (r"less\s+(?:often|frequently)|more\s+rarely|rarer", frozenset({"реже"})),
    ("length", "up"): (r"(?<!no\s)(?<!any\s)longer", frozenset({"дольше", "длиннее"})),
    ("length", "down"): (r"shorter", frozenset({"короче"})),
    ("strength", "up"): (r"stronger|strengthen\w*", frozenset({"сильнее", "укрепить", "укрепиться", "укрепление"})),
    ("strength", "down"): (r"weaker|weaken\w*", frozenset({"слабее", "ослабить", "ослабнуть", "ослабление"})),
    ("age", "up"): (r"older", frozenset({"старше"})),
    ("age", "down"): (r"younger", frozenset({"моложе", "младше"})),
    ("warmth", "up"): (r"warmer", frozenset({"теплее"})),
    ("warmth", "down"): (r"colder|cooler", frozenset({"холоднее"})),
}
_COMPARISON = re.compile(
    "|".join(f"(?P<c{n}>(?<!\\w)(?:{english})(?!\\w))" for n, (english, _) in enumerate(_COMPARISONS.values()))
    + r"|(?P<word>[^\W\d_]+)",
    re.IGNORECASE,
)
_RUSSIAN_COMPARED = {word: way for way, (_, russian) in _COMPARISONS.items() for word in russian}


def comparisons(text: str) -> set[tuple[str, str]]:
    """The ways a text's comparisons go, by axis (:data:`_COMPARISONS`): ("pace", "down") for "slower" and
    «медленнее», ("quality", "up") for "improved" and «улучшение»; a negated comparative the other way ("no faster",
    «не быстрее»)."""
    found = set()
    ways = list(_COMPARISONS)
    for m in _COMPARISON.finditer(text):
        if m.group("word"):
            lower = m.group().lower()
            way = _RUSSIAN_COMPARED.get(lower) or (
                _RUSSIAN_COMPARED.get(_lemma(lower)) if _CYRILLIC.match(lower) else None
            )
        else:
            way = next(ways[n] for n in range(len(ways)) if m.group(f"c{n}"))
        if way is None:
            continue
        if _NEGATED_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
            way = (way[0], "down" if way[1] == "up" else "up")
        found.add(way)
    return found


def comparison_differs(report: str, source: str) -> str | None:
    """A comparison the report turns around, or None: where both texts compare on one axis (:func:`comparisons`) and
    no way agrees ("slower" for «быстрее», "worse" for «улучшилась»). One side alone is none: a translation may put it
    in other words."""
    found = turned(report, source, comparisons)
    axis = next(iter(found), None)
    return None if axis is None else f"comparison differs: {axis} {found[axis]}"


# when a thing happens, as a month, a weekday or a time counted from now ("next year", «в следующем году», "by the
# end of the month", «до конца года»): numbers do not hold these, and the dense vectors blur them
_MONTHS = (
    *("january", "february", "march", "april", "may", "june", "july", "august", "september", "october"),
    *("november", "december"),
)
_RUSSIAN_MONTHS = (
    *("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь"),
    "декабрь",
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RUSSIAN_WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
# the units a relative time counts in, each language's words by lemma
TIME_UNITS: dict[str, str] = {
    **{w: w for w in ("year", "month", "week", "spring", "summer", "autumn", "winter", "decade", "century")},
    "day": "day", "день": "day", "fall": "autumn", "год": "year", "месяц": "month", "неделя": "week", "весна": "spring", "лето": "summer",
    "осень": "autumn", "зима": "winter", "десятилетие": "decade", "век": "century",
    # a season said as an adverb («этой зимой») is its own lemma
    "зимой": "winter", "весной": "spring", "летом": "summer", "осенью": "autumn",
}  # fmt: skip
# the words that place a unit relative to now ("next", «следующий», «будущий»)
TIME_RELATIONS: dict[str, str] = {
    "next": "next", "coming": "next", "following": "next", "last": "last", "past": "last", "previous": "last",
    "this": "this", "current": "this", "следующий": "next", "будущий": "next", "грядущий": "next", "прошлый": "last",
    "прошедший": "last", "минувший": "last", "этот": "this", "это": "this", "нынешний": "this", "текущий": "this", "сей": "this",
    "every": "every", "each": "every", "каждый": "every",  # how often: "every day", «каждую неделю»
}  # fmt: skip
# how often, in one word: "daily" and «ежедневно» are "every day"
FREQUENCIES: dict[str, str] = {
    **dict.fromkeys(("daily", "ежедневно", "ежедневный"), "every day"),
    **dict.fromkeys(("weekly", "еженедельно", "еженедельный"), "every week"),
    **dict.fromkeys(("monthly", "ежемесячно", "ежемесячный"), "every month"),
    **dict.fromkeys(("yearly", "annually", "annual", "ежегодно", "ежегодный"), "every year"),
}
TIME_WORDS: dict[str, str] = {
    **{w: f"month {n}" for n, w in enumerate(_MONTHS, 1)},
    **{w: f"month {n}" for n, w in enumerate(_RUSSIAN_MONTHS, 1)},
    **{w: f"day {n}" for n, w in enumerate(_WEEKDAYS, 1)},
    **{w: f"day {n}" for n, w in enumerate(_RUSSIAN_WEEKDAYS, 1)},
    "воскресение": "day 7",  # pymorphy's lemma of «воскресенье» in every form
}


def _lemma(word: str) -> str:
    lower = word.lower()
    return russian_words(lower)[0].base if _CYRILLIC.match(lower) else lower


def time_word(word: str) -> str | None:
    """The time a month or weekday names ("month 10" for "October" and «октябре», "day 6" for "Saturdays" and «по
    субботам»), None for any other word: an English weekday in the plural says how often, as «по субботам» does."""
    lemma = _lemma(word)
    if lemma not in TIME_WORDS and lemma.endswith("s") and lemma[:-1] in _WEEKDAYS:
        lemma = lemma[:-1]
    return TIME_WORDS.get(lemma)


def times(text: str) -> set[str]:
    """The times a text names: months and weekdays ("month 12" for "December" and «декабря»), units of time
    counted from now ("next year" for "next year" and «в следующем году», "this month" for «в этом месяце»), and how
    often ("every day" for "daily", "every day" and «ежедневно»). "May"
    is a month when capitalised inside a sentence or before a day ("in May", "May 5"), else the modal."""
    found = set()
    tokens = [m.group() for m in re.finditer(r"[^\W\d_]+|\d+", text)]
    lemmas = [_lemma(t) for t in tokens]
    for i, (token, lemma) in enumerate(zip(tokens, lemmas, strict=True)):
        if when := time_word(token):
            # the modal opens no sentence in a capital but mid-sentence, nor does the month, save before its day
            if lemma == "may" and not (token == "May" and (i or tokens[i + 1 : i + 2] and tokens[i + 1].isdigit())):
                continue
            found.add(when)
        elif lemma in FREQUENCIES:
            found.add(FREQUENCIES[lemma])
        elif lemma in TIME_UNITS and i and lemmas[i - 1] in TIME_RELATIONS:
            found.add(f"{TIME_RELATIONS[lemmas[i - 1]]} {TIME_UNITS[lemma]}")
    return found


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
    *("я", "мы", "меня", "мне", "мной", "мною", "нас", "нам", "нами"),
    # "our" in every case form: a report names whose it is ("Lorvania's stations" for «наших заправках»)
    *("мой", "моя", "моё", "мое", "мои", "моего", "моей", "моему", "моим", "моём", "моем", "мою", "моих", "моими"),
    *("наш", "наша", "наше", "наши", "нашу", "нашей", "нашего", "нашему", "нашим", "нашем", "наших", "нашими"),
})  # fmt: skip


def names(text: str) -> list[str]:
    """The names a text mentions: runs of capitalised words ("Northern Lake"), the word opening a
    sentence (see :func:`openers`), "I", months and weekdays (times, :func:`times` compares them) left out."""
    found = []
    for m in _NAME.finditer(text):
        parts = m.group().split()
        if _SENTENCE_START.search(text[: m.start()]):
            parts = parts[1:]
        parts = [_POSSESSIVE.sub("", p) for p in parts if p != "I" and len(p) > 1]
        parts = [p for p in parts if time_word(p) is None]
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
        if (
            _SENTENCE_START.search(text[: m.start()])
            and len(first) > 1
            and first.lower() not in OPENING_WORDS
            and time_word(first) is None
        ):
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


def spelled_alike(a: str, b: str) -> bool:
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
    opening = [w for w in openers(text) if any(spelled_alike(w, n) for n in elsewhere) or not ordinary_word(w)]
    found = list(dict.fromkeys([*names(text), *opening]))
    # a compound's parts too: "Студенты-медики" has its counterpart in "students"
    candidates = list(dict.fromkeys(p for w in re.findall(r"[^\W\d_][\w'’-]*", other) for p in {w, *w.split("-")} if p))
    if not found:
        return []
    if not candidates:
        return found
    unmatched = [n for n in found if not any(spelled_alike(p, w) for p in n.split() for w in candidates)]
    if not unmatched:
        return []
    parts = sorted({p.lower() for n in unmatched for p in n.split()})
    best = dict(zip(parts, (vectors(parts) @ vectors([w.lower() for w in candidates]).T).max(axis=1), strict=True))
    missing = [n for n in unmatched if max(best[p.lower()] for p in n.split()) < NAME_SIMILARITY]
    # an abbreviation abbreviates the words of its language: "GDP" for «ВВП», "EU" for «ЕС» are spelled alike in neither
    # script, so one has its counterpart in an abbreviation of the other
    if _ABBREVIATION.search(other):
        missing = [n for n in missing if not _ABBREVIATION.fullmatch(n)]
    # a report names who "we" are, where it or the source's other mentions say "we" fewer times: "Ruritania would
    # invite…" for «Мы пригласим…», "Kaldoria was against … our waters" for «мы против … наши воды», and whose "our"
    # is: "Lorvania's stations" for «на наших заправках»
    if missing and _first_person(text) < _first_person(other):
        missing = missing[1:]
    return missing


_ABBREVIATION = re.compile(r"(?<!\w)[A-ZА-ЯЁ]{2,6}(?!\w)")


def _first_person(text: str) -> int:
    return sum(w in FIRST_PERSON for w in words(text))


_CLAUSE = re.compile(r"\s*(?:,(?!\d)|[;:]|\s[—–]|(?<=[.!?…])\s)\s*")


def clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of a text's clauses, cut at commas, semicolons, colons, dashes and sentence ends."""
    return [(a, b) for a, b in between(_CLAUSE, text) if len(words(text[a:b])) >= 2]


# what a speaker says to hold the floor or link his sentences, with no content of its own: a clause of these alone
# is not one a report adds or drops («Ну, смотрите», «Кроме того», "Well, you know")
FILLERS = frozenset({
    *("ну", "вот", "так", "сказать", "скажем", "в", "общем", "смотрите", "знаете", "понимаете", "значит", "кроме",
      "того", "впрочем", "кстати", "конечно", "то", "есть", "давайте", "слушайте", "это", "самое", "вообще", "же",
      "во-первых", "во-вторых", "наконец", "итак", "да", "и", "а", "но", "ещё", "раз", "повторю", "честно"),
    *("well", "so", "you", "know", "i", "mean", "look", "listen", "let", "me", "say", "besides", "moreover",
      "also", "and", "but", "of", "course", "first", "secondly", "finally", "anyway", "frankly", "yes", "again"),
})  # fmt: skip


def _filler(text: str) -> bool:
    """Whether a text is only words that hold the floor or link sentences (:data:`FILLERS`)."""
    found = [w.lower() for w in words(text)]
    return bool(found) and all(w in FILLERS for w in found)


_COMPLEMENT = re.compile(r"(?i)[\s,;:—–]*(?:что|чтобы|that)(?!\w)")


def _frame(text: str, clause: tuple[int, int]) -> bool:
    """Whether a clause frames the one after it («Нельзя не отметить, что …», "It is no secret that …"): the frame
    carries no content of its own to add or drop (what it changes, a negation or a hedge, the other flags see),
    and the dense vectors weigh it erratically."""
    return bool(_COMPLEMENT.match(text, clause[1]))


def unmatched_clauses(
    report: str, source: str, embed: Callable[[list[str], str], np.ndarray], similarity: float
) -> tuple[list[str], list[str]]:
    """The clauses the report adds and those it drops: each clause whose removal from its side brings
    the two texts closer, by :data:`CLAUSE_GAIN` or more, than the ``similarity`` of the whole."""

    def without(text: str, spans: list[tuple[int, int]]) -> list[str]:
        return [(text[:a] + text[b:]).strip(" ,;:—–") for a, b in spans]

    def content(text: str) -> list[tuple[int, int]]:
        cut = clauses(text)
        return [c for c in cut if not _frame(text, c) and not _filler(text[c[0] : c[1]])] if len(cut) > 1 else []

    report_clauses, source_clauses = content(report), content(source)
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


# a number the speaker denies and corrects is not his: «не на десять процентов, а на шесть», "not ten but six", "not by
# ten, by six"
_CORRECTED = re.compile(
    r"(?i)(?<!\w)(?:не|not)\s+(?:(?:на|в|до|by|to|at)\s+)?(?P<denied>[^,;:—–]+?)(?:\s*,\s*|\s+(?=(?:а|but)(?!\w)))"
    r"(?=(?P<after>[^,;:—–]*))"
)

# the correction the other way round, the claim first: "a day before the exam, not two days", «за сутки, а не за два
# дня»
_CORRECTED_AFTER = re.compile(
    r"(?i),\s*(?:а\s+не|(?:and\s+|but\s+)?not)\s+(?:(?:на|в|до|за|by|to|at|in|for)\s+)?(?P<denied>[^,;:—–.!?]+)"
)


# 24 hours are a day, which Russian says in a word without a number («сутки», «суточные смены» for "24-hour shifts")
_A_DAY = re.compile(r"(?i)(?<![\w.,])24(?=\s*-?\s*(?:hours?|час\w*)(?!\w))")


def claimed_numbers(text: str) -> list[float]:
    """The numbers a text states (:func:`numbers`), save those it denies to correct them ("not by ten, but by 6.4
    percent" claims 6.4) and the 24 of 24 hours (a day, :data:`_A_DAY`)."""
    days = [(m.start(), m.end()) for m in _A_DAY.finditer(text)]
    for start, end in [*_corrections(text), *days]:  # blanked in place, so that the rest keeps its offsets
        text = text[:start] + " " * (end - start) + text[end:]
    return numbers(text)


def _corrects(m: re.Match[str]) -> bool:
    """Whether a match of :data:`_CORRECTED` denies a number and says another after it in its place."""
    first = m.group("denied").split()[:1]
    return bool(first and numbers(first[0]) and numbers(m.group("after")))


def _left_out(report: Sequence[float], source: Sequence[float]) -> list[float]:
    """The source's numbers a report leaves out when it states some of them and none of its own (a trim), else []."""
    rest = list(source)
    for value in report:
        if value not in rest:
            return []
        rest.remove(value)
    return rest if report else []


def _blanked(text: str, parts: Sequence[str]) -> str:
    """``text`` with each of ``parts`` found in it blanked in place, so that the rest keeps its offsets."""
    for part in parts:
        if (at := text.find(part)) >= 0:
            text = text[:at] + " " * len(part) + text[at + len(part) :]
    return text


def _shown(values: Sequence[float]) -> str:
    return "[" + ", ".join(f"{v:,.0f}" if v == int(v) else f"{v:,g}" for v in values) + "]" if values else "none"


def flags(
    report: str,
    source: str,
    vectors: WordVectors | None = None,
    embed: Callable[[list[str], str], np.ndarray] | None = None,
    similarity: float | None = None,
    known: Sequence[str] = (),
    rendered: str | None = None,
    alignment: Alignment | None = None,
    cue: str | None = None,
) -> tuple[str, ...]:
    """What a translation changed that meaning-vectors gloss over: numbers and negation always; names
    with ``vectors`` (single words; ``known``: names the speaker uses elsewhere, for the words opening a
    sentence); clauses added with ``embed`` and the pair's ``similarity``, and those the report leaves out as a note
    (:data:`TRIMMED`, no change). What a left-out clause holds (a number, a negation, a name) is part of the trim: the
    rest is compared with what remains of the source, save certainty: a condition or a hedge left out makes a claim
    of what the speaker said might be. ``rendered``: where the source is two sentences and the report one clause, the
    sentence it renders; the negation is that sentence's (a one-clause report lies near any pair holding its sentence,
    and a negation in the other sentence would hide one it drops or adds).
    ``alignment``: the report's words linked to the source's (``alignment.align``), to compare negation word by word
    (:func:`negation_by_word`). ``cue``: the verb the report is told with; its hedge is the report's ("did not rule
    out"), and a commitment of what the source does not promise is flagged (:func:`unpromised`). A quantifier the source
    lacks (:func:`scope_differs`), a comparison turned around (:func:`comparison_differs`) and a «до» bound read from
    below (:func:`bound_turned`) are flagged too."""
    found = []
    added: list[str] = []
    dropped: list[str] = []
    whole = source
    if embed is not None and similarity is not None:
        added, dropped = unmatched_clauses(report, source, embed, similarity)
        for clause in dropped:
            source = source.replace(clause, " ", 1)
    pair = claimed_numbers(report), claimed_numbers(source)
    left_out = _left_out(pair[0], pair[1])
    if left_out:  # the report states some of the source's numbers and no others: it leaves out the rest's clause
        dropped.append(f"the numbers {_shown(left_out)}")
    elif pair[0] != pair[1]:
        found.append(f"numbers differ: {_shown(pair[0])} in the report, {_shown(pair[1])} in the source")
    # a number the speaker denies to correct it, stated as the claim ("fell by almost ten percent" for «не на десять
    # процентов, а примерно на шесть»), turns the denial around as well as the number
    denied = sorted({n for a, b in _corrections(source) for n in numbers(source[a:b])} & set(pair[0]) - set(pair[1]))
    if denied:
        found.append(f"negation differs: the report states what the source denies, {_shown(denied)}")
    limits = bounds(report), bounds(source)
    opposite = sorted(n for n in limits[0].keys() & limits[1].keys() if limits[0][n] != limits[1][n])
    if opposite and pair[0] == pair[1]:
        found.append(
            "numbers differ: "
            + ", ".join(
                f"{limits[0][n]} bound {_shown([n])} in the report, {limits[1][n]} in the source" for n in opposite
            )
        )
    # an amount that goes the other way is a changed quantity (a rise of 12% is +12, a fall -12), an order the other
    # way a changed time: each is counted with its kind, not as one more kind of change
    way = turned(report, source)
    if "amount" in way:
        found.append(f"numbers differ: the amount goes {way['amount']}")
    ability = not (denies_ability(report) or denies_ability(whole))  # else what changed is the negation's to say
    # a report may hedge in its cue ("did not rule out a cut", "conceded that it might"): the claim is hedged so.
    # The hedges and times are the whole source's even where the report renders one sentence of a pair: taken from
    # that sentence alone they cost faithful reports on both validation sets (docs/translation-verdicts.md)
    told = f"{cue} {report}" if cue else report
    hedge = hedges(told, ability), hedges(whole, ability)
    if hedge[0] != hedge[1]:
        ours, theirs = (", ".join(sorted(h)) for h in hedge)
        said = f"both hedge, the report ({ours}), the source ({theirs})" if ours and theirs else None
        found.append("certainty differs: " + (said or ("the report hedges" if ours else "the source hedges")))
    if alignment is not None:
        found += _negation_flags(report, whole, alignment, dropped, rendered)
        if promise := unpromised(cue, report, whole, alignment.source_parse):
            found.append(promise)
    else:
        negation = negated(report), negated(source if rendered is None else rendered)
        if negation[0] != negation[1]:
            found.append("negation differs: " + ("the report negates" if negation[0] else "the source negates"))
    if vectors is not None:
        only = missing_names(report, source, vectors, known), missing_names(source, report, vectors, known)
        if only[0] or only[1]:
            found.append(
                f"names differ: {', '.join(only[0]) or 'none'} in the report, {', '.join(only[1]) or 'none'} in the source"
            )
    when = times(report), times(source)
    if alignment is not None and when[0] < when[1] and times_rendered(whole, alignment, dropped) <= when[0]:
        # the times the report leaves out are said of what it does not render: part of the trim
        dropped.append(f"the time {', '.join(sorted(when[1] - when[0]))}")
        when = when[0], when[0]
    if when[0] != when[1]:
        pair_times = sorted(when[0]), sorted(when[1])
        found.append(
            f"time differs: {', '.join(pair_times[0]) or 'none'} in the report, "
            f"{', '.join(pair_times[1]) or 'none'} in the source"
        )
    if "order" in way:
        found.append(f"time differs: {way['order']}")
    if not any(f.startswith("numbers differ") for f in found) and (upper := bound_turned(report, whole)):
        found.append(f"numbers differ: lower bound {_shown(upper)} in the report, «до» (upper) in the source")
    # a quantifier in a phrase the report adds is that phrase's change, one where a number differs the number's
    own = _blanked(report, [*added, *(alignment.added if alignment is not None else ())])
    if not any(f.startswith("numbers differ") for f in found) and (
        change := scope_differs(own, whole, rendered or source, alignment.report_parse if alignment else ())
    ):
        found.append(change)
    # a comparative the alignment finds swapped for its opposite ("worsened" for «улучшилось») is that swap's change
    swapped = alignment is not None and any(comparisons(s.report.text) for s in alignment.swaps)
    if not swapped and (change := comparison_differs(report, whole)):
        found.append(change)
    found += [f"the report adds: {c}" for c in added]
    found += [f"{TRIMMED} {c}" for c in dropped]
    return tuple(found)


def times_rendered(source: str, alignment: Alignment, left_out: Sequence[str] = ()) -> set[str]:
    """The times the ``source`` (the text the ``alignment`` parsed) names on the predicates the report renders
    (:func:`predicate`; rendered: the predicate's own word has a counterpart, or a word the report swaps for it), outside
    the clauses it leaves out (``left_out``): «в октябре» in «Третья фаза завершилась в октябре, …» is no time of a
    report that renders the phase and not that it ended. A report leaving out such a time leaves out what it is said
    of, as a trim does."""
    parse = alignment.source_parse
    linked = {id(link.source) for link in alignment.links} | {id(swap.source) for swap in alignment.swaps}
    cut = [(at, at + len(c)) for c in left_out if (at := source.find(c)) >= 0]
    spans = clauses(source)
    heads = [predicate(parse, n, spans) for n in range(len(parse))]
    kept = [
        w.text if id(parse[heads[n]]) in linked and not any(a <= w.start < b for a, b in cut) else "x"
        for n, w in enumerate(parse)
    ]
    return times(" ".join(kept))  # "x" keeps apart two words that are not side by side ("next" and "year")


def _negation_flags(
    report: str, source: str, alignment: Alignment, dropped: Sequence[str], rendered: str | None
) -> list[str]:
    """The negation's flag, word by word over the alignment's links (:func:`negation_by_word`): a linked word one side
    negates and the other does not is a change; a negated word with no counterpart is one when only the report has
    such (it negates what the source does not say); only the source's are part of what the report leaves out (a note),
    as are negations in the clauses it drops and, where the source is a pair, in the sentence it does not render."""
    left_out = [(at, at + len(c)) for c in dropped if (at := source.find(c)) >= 0]
    if rendered is not None and (at := source.find(rendered)) >= 0:
        left_out += [(0, at), (at + len(rendered), len(source))]
    differ, ours, theirs, trimmed = negation_by_word(report, source, alignment, left_out)
    notes = [f"{TRIMMED} the negation of {', '.join(trimmed)}"] if trimmed else []
    if differ:
        return [f"negation differs: {differ[0]}", *notes]
    if ours and not theirs:
        return [f"negation differs: the report negates: {', '.join(ours)}", *notes]
    if theirs and not ours:
        return [f"negation differs: the source negates: {', '.join(theirs)}", *notes]
    return notes


FLAGS = (
    *("numbers differ", "negation differs", "certainty differs", "names differ", "time differs"),
    "the report adds",
    "words differ",  # a word swapped for a near one of another sense (``alignment.Swap``)
    "scope differs",  # a quantifier added, or «только» dropped (:func:`scope_differs`)
    "comparison differs",  # a comparison turned around (:func:`comparison_differs`)
)
# a report that renders part of the source faithfully is a trimmed translation (issue 15's labelled set counts "trimmed"
# among the faithful kinds): what it leaves out is shown as a note beside the flags, never a change. A condition or a
# hedge it leaves out the certainty check still flags.
TRIMMED = "trimmed: leaves out"


def flag_mark(flag: str) -> str:
    """The mark a flag is shown with: ⚑ for a change (:data:`FLAGS`), ✂ for what a trim leaves out, · for any
    other note (whom the report quotes, why the nearest words are no translation)."""
    return "⚑" if flag.startswith(FLAGS) else "✂" if flag.startswith(TRIMMED) else "·"


def changes(found: Sequence[str]) -> int:
    """How many kinds of change (:data:`FLAGS`) the flags of a translation name (a trim's note is none): past
    :data:`CHANGES`, the report says something else with the speaker's words (an invented claim), not a
    translation."""
    return sum(any(f.startswith(kind) for f in found) for kind in FLAGS)
