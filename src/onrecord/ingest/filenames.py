"""Metadata carried by file names, such as the Trump Campaign Corpus':

    2015-07-26 09.00.00 (Complete, As spoken) Interview with Jake Tapper, 'State of the Union', CNN.txt

gives date 2015-07-26, genre "Interview", participants ["Jake Tapper"], outlet "CNN".
Any name with an ISO date (``2026-03-04-petrova-ntv.txt``) gives at least the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_CORPUS_NAME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})\s+(?P<time>\d{2}\.\d{2}\.\d{2})\s+\((?P<status>[^)]*)\)\s+(?P<rest>.+)$"
)
_US_STATE = re.compile(r"^[A-Z]{2}$")
_ORG_WORDS = {
    "ministry",
    "office",
    "news",
    "radio",
    "network",
    "times",
    "post",
    "press",
    "journal",
    "magazine",
    "television",
    "tv",
    "channel",
    "department",
    "council",
    "university",
    "committee",
    "show",
    "hour",
}


@dataclass(slots=True)
class NameMetadata:
    date: str | None = None
    genre: str | None = None
    outlet: str | None = None
    title: str | None = None
    participants: list[str] = field(default_factory=list)


def _date_like(year: str, month: str, day: str) -> str | None:
    # Month and day in range: meant as a date (an ID such as 1234-56-78 is not). Whether it is in
    # the calendar (no 2026-02-31) is the reader's check, which refuses the file when it is not.
    if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
        return f"{year}-{month}-{day}"
    return None


def parse_name(stem: str) -> NameMetadata:
    """Read what a file name (without its suffix) says about its document."""
    meta = NameMetadata()
    match = _DATE.search(stem)
    if match:
        meta.date = _date_like(*match.groups())
    corpus = _CORPUS_NAME.match(stem)
    if not corpus:
        return meta
    rest = corpus["rest"].strip()
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    head = parts[0]
    if " with " in head:
        genre, first = head.split(" with ", 1)
        meta.genre = genre.strip()
        # people come first, up to the first quoted part, place or outlet
        people = [first.strip()]
        for part in parts[1:]:
            if part.startswith(("'", '"')) or not re.fullmatch(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3}", part):
                break
            if _ORG_WORDS & {w.lower() for w in part.split()}:
                break
            people.append(part)
        meta.participants = people
    else:
        meta.genre = head
    quoted = [p.strip("'\"") for p in parts[1:] if p.startswith(("'", '"'))]
    # a show's name is the title; otherwise what the name says the document is
    meta.title = quoted[0] if quoted else ", ".join(parts[:2]) if " with " not in head and len(parts) > 2 else head
    last = parts[-1]
    if (
        len(parts) > 1
        and not last.startswith(("'", '"'))
        and not _US_STATE.match(last)
        and last not in meta.participants
    ):
        meta.outlet = last
    return meta
