"""What a cue reports, its act: ``say``, ``think``, ``intend`` or ``show`` (see ``model.ACTS``).

The word lists are data in ``data/acts.yaml``. :func:`act_of_cue` takes a cue's lemma (what the
extractor has from spaCy); :func:`act_of_phrase` takes a cue and a source as written (what gold
sets give) and finds their head words first. Both give ``say`` to anything the lists do not name:
most cues report speech, and any quotation is speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml

from onrecord.model import Act

# The head of a source as written ends before these: "a poll of likely voters" -> poll.
_SOURCE_END = re.compile(r"\s(?:of|by|from|in|on|at|for|with|that|which|who|released|published)\s|[,(;:]")


@dataclass(frozen=True, slots=True)
class ActLexicon:
    by_lemma: dict[str, Act]  # think, intend and show words; everything else is say
    thing_sources: frozenset[str]
    irregular: dict[str, str]
    function_words: frozenset[str]


@lru_cache(maxsize=1)
def act_lexicon() -> ActLexicon:
    """The packaged act lists, loaded once."""
    raw = yaml.safe_load((files("onrecord.extract") / "data" / "acts.yaml").read_text("utf-8"))
    by_lemma: dict[str, Act] = {}
    for act in ("show", "intend", "think"):  # a word in two lists takes the first: "find" shows
        for word in raw[act]:
            by_lemma.setdefault(str(word), act)
    return ActLexicon(
        by_lemma=by_lemma,
        thing_sources=frozenset(str(w) for w in raw["thing_sources"]),
        irregular={str(k): str(v) for k, v in raw["irregular"].items()},
        function_words=frozenset(str(w) for w in raw["function_words"]),
    )


def act_of_cue(lemma: str | None, source: str | None = None) -> Act:
    """The act of a cue by its lemma (``believe`` -> think, ``plan`` -> intend, ``say`` -> say); a
    statement without a cue (a bare quotation) says. ``source``, the lemma of the source's head
    word, makes it ``show`` when the source is a thing: "the poll says", "Readings … indicate"."""
    lexicon = act_lexicon()
    if source is not None and source.lower() in lexicon.thing_sources:
        return "show"
    if not lemma:
        return "say"
    return lexicon.by_lemma.get(lemma.lower(), "say")


def act_of_candidate(cue_lemma: str | None, source_head: str | None, quoted: bool) -> Act:
    """The act of a statement the extractor found: a thing as source shows whatever its cue ("the
    report said", "according to the data"); else any quotation says ("I hope," she said "…"); else
    the cue's own act (``wants`` thinks, ``his plan to`` intends, ``according to`` says)."""
    if source_head and source_head.lower() in act_lexicon().thing_sources:
        return "show"
    return "say" if quoted else act_of_cue(cue_lemma)


def lemma_of(word: str) -> str:
    """A word's lemma as far as the act lists need it: irregular forms, then suffixes
    (``believes``, ``worried``, ``planning``, ``hoped``) undone towards a listed lemma; else the word."""
    lexicon = act_lexicon()
    word = word.lower().strip(".,;:!?\"'“”‘’")
    if word in lexicon.irregular:
        return lexicon.irregular[word]
    known = lexicon.by_lemma.keys() | lexicon.thing_sources
    if word in known:
        return word
    candidates = []
    for suffix, endings in (("ies", ("y",)), ("ied", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ed", ("", "e")),
                            ("ing", ("", "e")), ("d", ("",))):  # fmt: skip
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            candidates += [stem + e for e in endings]
            if len(stem) > 2 and stem[-1] == stem[-2]:  # planned, planning
                candidates.append(stem[:-1])
    return next((c for c in candidates if c in known), word)


def act_of_phrase(cue: str | None, source: str | None = None) -> Act:
    """The act of a cue and a source as written ("has decided", "a new poll of voters"): the cue's
    first word that is not an auxiliary or an adverb in -ly, and the source's head word, by
    :func:`act_of_cue`."""
    lexicon = act_lexicon()
    head = None
    if source:
        before = _SOURCE_END.split(f" {source.strip()} ", maxsplit=1)[0].split()
        head = lemma_of(before[-1].removesuffix("'s").removesuffix("’s")) if before else None
    words = re.findall(r"[\w'’-]+", (cue or "").lower().replace("’", "'"))
    content = [w for w in words if w not in lexicon.function_words and not (w.endswith("ly") and len(w) > 4)]
    return act_of_cue(lemma_of(content[0]) if content else None, head)
