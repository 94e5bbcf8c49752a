"""Speaker turns in interview and debate transcripts.

Recognised turn labels, at the start of a line and followed by a colon:
``DONALD TRUMP:`` (capitals), ``Q:`` / ``A:``, ``Question:`` / ``Answer:`` and
``Name Surname:``; in Russian ``С.В.Лавров:``, ``Сергей Лавров:``, ``ЛАВРОВ:``, ``Вопрос:`` /
``Ответ:`` and ``Ведущий:``. A turn runs until the next label. A text is a transcript when it
has at least two turns and its labels repeat or alternate like a conversation.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from onrecord.model import Span, Turn

_LABEL = re.compile(
    r"^\ufeff?[ \t]*(?P<label>"
    r"[A-Z][A-Z.'’\- ]{0,40}[A-Z.]"  # DONALD TRUMP, BILL O'REILLY, MR. X
    r"|Q|A|Question|Answer"
    r"|[A-Z][a-z'’\-]+(?:\s(?:[A-Z][a-z'’\-]+|[A-Z]\.)){1,3}"  # Anna Petrova
    # Russian (issue 15): С.В.Лавров, С. Лавров, Сергей Лавров, ЛАВРОВ, Вопрос / Ответ, Ведущий
    r"|(?:[А-ЯЁ]\.\s?){1,2}[А-ЯЁ][а-яё\-]+"
    r"|[А-ЯЁ][а-яё\-]+(?:\s[А-ЯЁ][а-яё\-]+){1,2}"
    r"|[А-ЯЁ][А-ЯЁ.\- ]{1,40}[А-ЯЁ.]"
    r"|Вопрос|Ответ|Ведущий|Ведущая|Корреспондент|Журналист"
    r")[ \t]*:[ \t]*",
    re.MULTILINE,
)
# Russian labels for the two sides of an interview (issue 15): who asks, who answers.
ASKING = {"Q", "Question", "Вопрос", "Ведущий", "Ведущая", "Корреспондент", "Журналист"}
ANSWERING = {"A", "Answer", "Ответ"}
# Labels in capitals that are not speakers but headings of an article.
_NOT_SPEAKERS = {"NOTE", "UPDATE", "EDITOR'S NOTE", "SOURCE", "SOURCES", "PHOTO", "WATCH", "READ MORE", "RELATED"}
_UNKNOWN_SPEAKERS = {"UNIDENTIFIED", "UNIDENTIFIED MALE", "UNIDENTIFIED FEMALE", "UNKNOWN", "CROSSTALK"}


# Words that make a capitalised label a headline ("FIX IS IN:"), not a name ("DONALD TRUMP:").
_FUNCTION_WORDS = {
    "is",
    "in",
    "the",
    "of",
    "a",
    "an",
    "on",
    "at",
    "to",
    "and",
    "or",
    "for",
    "with",
    "by",
    "it",
    "as",
    "be",
    "are",
    "was",
    "not",
    "no",
    "new",
    "breaking",
    "exclusive",
    "watch",
    "live",
    "video",
    "report",
    "analysis",
}


def _is_name(label: str) -> bool:
    words = label.split()
    return label.isupper() and 2 <= len(words) <= 4 and not any(w.lower().strip(".") in _FUNCTION_WORDS for w in words)


@lru_cache(maxsize=4096)  # a transcript repeats its few labels on every turn
def display_name(label: str) -> str:
    """``BILL O'REILLY`` -> ``Bill O'Reilly``; mixed-case labels are kept as written."""
    if not label.isupper():
        return label
    words = []
    for word in label.split():
        word = word.capitalize()
        word = re.sub(r"(?<=['’\-])([a-z])", lambda m: m.group(1).upper(), word)
        word = re.sub(r"^(Mc)([a-z])", lambda m: m.group(1) + m.group(2).upper(), word)
        words.append(word)
    return " ".join(words)


def find_turns(text: str, interviewer: str | None = None, interviewee: str | None = None) -> tuple[Turn, ...]:
    """The turns of ``text``, or ``()`` when it does not read as a transcript."""
    matches = [m for m in _LABEL.finditer(text) if m["label"].strip().upper() not in _NOT_SPEAKERS]
    # one speaker throughout (a speech, a statement) counts when the text opens with the label
    opens_with_label = bool(matches) and not text[: matches[0].start()].strip() and _is_name(matches[0]["label"])
    if len(matches) < 2 and not opens_with_label:
        return ()
    labels = Counter(m["label"] for m in matches)
    # Mixed-case "Name Surname:" lines only count when speakers recur, as in a conversation.
    mixed_case_only = not any(label.isupper() or label in ASKING | ANSWERING for label in labels)
    if mixed_case_only and (len(matches) < 3 or max(labels.values()) < 2):
        return ()
    turns = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        # the turn's own text stripped, not the whole text before it: that copy grew with every turn
        content_end = match.end() + len(text[match.end() : end].rstrip())
        label = match["label"]
        label_span = Span(match.start("label"), match.end("label"))
        content = Span(match.end(), content_end)
        turns.append(Turn(label, label_span, content, _speaker_for(label, interviewer, interviewee)))
    return tuple(turns)


def _speaker_for(label: str, interviewer: str | None, interviewee: str | None) -> str | None:
    if label in {"Q", "Question", "Вопрос"}:
        return interviewer
    if label in ANSWERING:
        return interviewee
    if label in ASKING:  # "Ведущий": the host, by name when the document's metadata gives it
        return interviewer or label
    if label.upper() in _UNKNOWN_SPEAKERS:
        return None
    return display_name(label)
