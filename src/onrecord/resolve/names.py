"""Name forms: strip titles and possessives, compare surnames. Plain string rules, no model."""

from __future__ import annotations

import re
from functools import lru_cache

HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "gen",
    "col",
    "lt",
    "capt",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "president",
    "vice",
    "prime",
    "minister",
    "foreign",
    "secretary",
    "chancellor",
    "premier",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "ambassador",
    "mayor",
    "judge",
    "justice",
    "chairman",
    "chairwoman",
    "chair",
    "speaker",
    "leader",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "general",
    "admiral",
    "commissioner",
    "deputy",
    "defense",
    "defence",
    "interior",
    "finance",
    "former",
    "state",
    "attorney",
    "director",
    "ceo",
    "chief",
    "top",
    "diplomat",
    "candidate",
    "nominee",
    "u.s.",
    "us",
}
MALE = {"mr", "sir", "lord", "king", "prince", "he", "him", "his", "chairman", "spokesman"}
FEMALE = {"mrs", "ms", "miss", "dame", "lady", "queen", "princess", "she", "her", "chairwoman", "spokeswoman"}
PRONOUNS = {"he", "she", "him", "her", "his", "they", "them", "their", "it", "its", "i", "we", "me", "us", "my", "our"}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
PARTICLES = {"de", "van", "von", "al", "bin", "la", "le", "der", "da", "di", "du", "del", "ben", "ibn"}
# words after which a name is not the phrase's head: "a spokesman for Petrova", "an expert who writes
# about the Kremlin", "Professor Kaur of Valdor University"
DEPENDENT = {
    "of", "at", "for", "about", "from", "in", "with", "to", "on", "by", "into", "over", "under", "against",
    "between", "among", "near", "like", "than", "as", "who", "whom", "whose", "which", "that", "when", "where",
    "while", "after", "before", "since", "says", "said", "told",
}  # fmt: skip
_OCCUPATION = re.compile(r"(?:er|or|ist|ian|ant|ent|ic|ect|ot)$")  # "Astronomer", "Economist", "Historian"
_APPOSITION = re.compile(r"(,|\s+(?:--|—|–)\s*)")  # "Kall -- co-editor of …", "Lorne Fitch, a …"
_WORD = re.compile(r"\S+")
# Capitalised, but a date, not a name: "a poll released Monday", "a report in March" ("May" is
# left out: it is a surname as often as a month).
_CALENDAR = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "today", "yesterday", "tomorrow",
}  # fmt: skip
_PARENTHESIS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_CREDIT = re.compile(r"\s*/\s*[A-Z]")  # "Karin Holm / Nordvale Herald", "(Karin Holm/Reuters)"
_CREDIT_LEAD = re.compile(r"(?i)\b(?:photo(?:graph)?s?|image|picture|video|credit)\s*(?:by|:)\s*$")


def tokens(name: str) -> list[str]:
    # str.split() cuts at the same Unicode whitespace as re's \s, without a regex per call
    return name.split()


def strip_name(mention: str) -> str:
    """``Foreign Minister Anna Petrova's`` -> ``Anna Petrova``; ``the Kremlin`` -> ``Kremlin``."""
    words = tokens(_POSSESSIVE.sub("", mention.strip()))
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def surname(name: str) -> str:
    words = tokens(name)
    return words[-1].lower() if words else ""


def is_proper(mention: str) -> bool:
    """A mention that names someone: its words after the article are capitalised."""
    words = tokens(strip_name(mention))
    return bool(words) and all(
        w[:1].isupper() or w.lower() in {"de", "van", "von", "al", "bin", "la", "le", "der"} for w in words
    )


@lru_cache(maxsize=1)
def _first_names():  # type: ignore[no-untyped-def]
    import gender_guesser.detector  # a name list shipped in the package: no network

    class Detector(gender_guesser.detector.Detector):  # type: ignore[misc]
        """The package's detector, its list read line by line with ``open``: the package reads it
        with ``codecs.open``, twice as slow, and every worker process and every refresh reads it."""

        def _parse(self, filename: str) -> None:
            self.names = {}
            with open(filename, encoding="utf-8") as lines:
                for line in lines:
                    self._eat_name_line(line.strip())

    return Detector(case_sensitive=False)


def gender_of(mention: str) -> str | None:
    """``m``/``f`` from an honorific (``Mr.``, ``Ms.``) or a first name that is clearly one or
    the other (``Anna``, ``Viktor``); None when unsure."""
    words = tokens(mention)
    first = words[0].lower().rstrip(".") if words else ""
    if first in MALE:
        return "m"
    if first in FEMALE:
        return "f"
    if len(words) >= 2 and words[0][:1].isupper() and words[0].isalpha():
        return {"male": "m", "female": "f"}.get(_first_names().get_gender(words[0]))
    return None


def is_first_name(word: str) -> bool:
    """Whether ``word`` is a known given name (of either gender): ``Marco`` yes, ``Corrupt`` no."""
    return word[:1].isupper() and word.isalpha() and _first_names().get_gender(word) != "unknown"


def same_person(short: str, full: str) -> bool:
    """``Petrova`` or ``A. Petrova`` is a shorter form of ``Anna Petrova``."""
    a, b = tokens(short.lower()), tokens(full.lower())
    if not a or not b or a[-1] != b[-1]:
        return False
    return all(any(w == v or (w.endswith(".") and v.startswith(w[:-1])) for v in b) for w in a[:-1])


def is_title(mention: str) -> bool:
    """A mention made only of titles: ``Minister``, ``the foreign minister``."""
    words = [w.lower().rstrip(".") for w in tokens(mention) if w.lower() not in {"the", "a", "an"}]
    return bool(words) and all(w in HONORIFICS for w in words)


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit() and any(c.isupper() for c in word))


def _possessive(word: str) -> bool:
    return len(word) > 2 and _POSSESSIVE.search(word) is not None


@lru_cache(maxsize=4096)
def head_name(mention: str, people: tuple[tuple[int, int], ...] = ()) -> tuple[int, int] | None:
    """Where, in ``mention``, the proper name at the head of the phrase is, or None.

    A phrase's head is its name, never a possessor or a name inside a dependent phrase: in
    "Campbell's partner, Jason Louth" it is the appositive "Jason Louth"; in "oil and gas worker
    Mike Wipf" the name that ends the phrase; in "Lorne Fitch, a retired biologist" the name
    that starts it; in "Tatiana Stanovaya, an expert who writes about the Kremlin" not the
    Kremlin. The first part (up to a comma or a dash) is read first, an appositive only when the first
    part names nobody, and only a name that starts it ("the minister's aide, Karin Holm"). ``people`` are where the tagger found
    persons in the mention: one that ends the phrase is its head even after a preposition
    ("Ambassador to the United States Hamdullah Mohib")."""
    # parentheses ("(WHO)", "[sic]") are blanked, not removed, so offsets stay those of the mention
    plain = _PARENTHESIS.sub(lambda m: " " * len(m.group(0)), mention)
    start = 0
    for n, part in enumerate(_APPOSITION.split(plain)):
        if n % 2:  # a separator
            start += len(part)
            continue
        if n == 0 and part.strip().isupper() and len(part.split()) == 1 and len(plain) > len(part):
            start += len(part)  # a dateline: "WASHINGTON -- President Obama"
            continue
        inside = tuple((a - start, b - start) for a, b in people if start <= a and b <= start + len(part))
        found = _part_head(part, inside, appositive=n > 0)
        if found is not None:
            return found[0] + start, found[1] + start
        start += len(part)
    return None


def _part_head(part: str, people: tuple[tuple[int, int], ...], appositive: bool) -> tuple[int, int] | None:
    words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(part)]
    while words and words[0][2].lower() in {"the", "a", "an"}:
        words = words[1:]
    if not words:
        return None
    runs: list[list[tuple[int, int, str]]] = []  # maximal runs of capitalised words, a possessive ending one
    current: list[tuple[int, int, str]] = []
    for word in words:
        w = word[2]
        # "Council on American - Islamic Relations": a spaced hyphen or "&" joins one name
        if _capitalised(w) or (current and (w.lower() in PARTICLES or w in {"-", "–", "&"})):
            current.append(word)
            if _possessive(w):
                runs.append(current)
                current = []
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    runs = [
        r for r in runs if not _possessive(r[-1][2]) and not all(w.lower().strip(".,") in _CALENDAR for _, _, w in r)
    ]
    if not runs:
        return None

    def dependent(run: list[tuple[int, int, str]]) -> bool:
        before = [w for w in words if w[1] <= run[0][0]]
        while before and before[-1][2].lower() in {"the", "a", "an"}:
            before.pop()
        return bool(before) and before[-1][2].lower().rstrip(",") in DEPENDENT | {"and", "or", "&"}

    last, first = runs[-1], runs[0]
    if appositive:
        last = first  # "…, Jason Louth": an appositive names someone at its start, if at all
    if last[-1] is words[-1] and not dependent(last):
        return last[0][0], last[-1][1]  # head-final: "oil and gas worker Mike Wipf"
    if last[-1] is words[-1] and not appositive:
        # "director of the Council of Lake Fishermen Ines Albrecht", "Undersecretary for Education
        # Mr. Toccafondi": a person's name (a tagged one, a given name, an honorific) ends the phrase
        for i in range(1, len(last)):
            word = last[i][2].lower().rstrip(".")
            if all(w[2].lower().rstrip(".") in HONORIFICS for w in last[:i]):
                continue  # "language from Mr. Obama": a title does not free the name from "from"
            if any(a == last[i][0] and b == last[-1][1] for a, b in people) or (
                i < len(last) - 1 and (is_first_name(last[i][2]) or word in MALE | FEMALE | {"dr", "prof"})
            ):
                return last[i][0], last[-1][1]
    if first[0] is words[0] and first[-1][2].lower().rstrip(".") not in HONORIFICS:
        # a run ending in a title is an office ("Afghan Ambassador to the United States"), not a name
        after = [w for w in words if w[0] >= first[-1][1]]
        if not after or after[0][2].lower() in DEPENDENT:
            return first[0][0], first[-1][1]  # "Anna Petrova of Ruritania", "Petrova"
    return None


@lru_cache(maxsize=4096)
def proper_name(mention: str) -> str:
    """The proper name only: ``Mathematician Hermann Weyl`` and ``Valdor Governor Ilse Varga`` ->
    the person's name; ``World Health Organisation (WHO)`` -> ``World Health Organisation``;
    titles and possessives off as in :func:`strip_name`. Words before a given name and a surname
    are a description when the last is a title, or the one is an occupation ("Astronomer"); not
    otherwise ("Aung San Suu Kyi", "Lake Valdor Commission")."""
    words = tokens(strip_name(_PARENTHESIS.sub(" ", mention)))
    for i in range(1, len(words) - 1):
        if is_first_name(words[i]) and (
            words[i - 1].lower().rstrip(".") in HONORIFICS
            or (i == 1 and _OCCUPATION.search(words[0]) is not None and not is_first_name(words[0]))
        ):
            words = words[i:]
            break
    return " ".join(words).strip(" ,;:")


def is_credit(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is a picture or story credit, not someone in the story:
    ``Karin Holm / Nordvale Herald``, ``Photo: Karin Holm``."""
    line_start = text.rfind("\n", 0, start) + 1
    return (
        "/" in text[start:end]
        or _CREDIT.match(text, end) is not None
        or _CREDIT_LEAD.search(text, line_start, start) is not None
    )


# -- Cyrillic names in Latin letters (issue 15) ------------------------------------------------------
# BGN/PCGN romanization of Russian: "Сергей Лавров" -> "Sergey Lavrov", "Мария Захарова" -> "Mariya
# Zakharova". Identity keys fold its spellings like any other (Sergey/Sergei, Mariya/Maria), so a name
# written in either script is one speaker.
_BGN_PCGN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "ë", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "”", "ы": "y",
    "ь": "’", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_Y_BEFORE = set("аеёиоуыэюяйъь")  # е and ё are ye and yë at the start of a word and after these


def transliterate(text: str) -> str:
    """``text`` with its Cyrillic letters in BGN/PCGN romanization (other characters unchanged):
    ``Сергей Лавров`` -> ``Sergey Lavrov``, ``Ельцин`` -> ``Yel’tsin``, ``Алексей`` -> ``Aleksey``."""
    out = []
    previous = ""
    for ch in text:
        low = ch.lower()
        latin = _BGN_PCGN.get(low)
        if latin is None:
            out.append(ch)
        else:
            if low in "её" and (not previous.isalpha() or previous in _Y_BEFORE):
                latin = "y" + latin
            if ch != low:  # capital: the first letter of its romanization
                latin = latin[:1].upper() + latin[1:]
            out.append(latin)
        previous = low
    return "".join(out)
