"""Extract: Document -> attributed statements (unresolved). spaCy stays inside this package.

Second layer of the flow. :class:`Extractor` owns the loaded pipeline; the cue lexicon is
data in ``data/cues.yaml``.
"""

from onrecord.extract.budget import Deadline, OverBudget
from onrecord.extract.extractor import VERSION, Extractor, batched, sections_of
from onrecord.extract.nlp import load_nlp
from onrecord.extract.quotes import find_quotes
from onrecord.extract.russian import LANG as _RUSSIAN
from onrecord.extract.russian import VERSION as RUSSIAN_VERSION
from onrecord.extract.select import parse_mode

# the rules that find statements, by document language: each stored document records its own, so that
# `onrecord reextract` finds the documents of one language when only that language's rules changed
VERSIONS = {"en": VERSION, _RUSSIAN: RUSSIAN_VERSION}


def version_for(lang: str) -> str:
    """The version of the rules that extract documents in ``lang`` (English rules for any other)."""
    return VERSIONS.get(lang, VERSION)


__all__ = [
    "RUSSIAN_VERSION",
    "VERSION",
    "VERSIONS",
    "Deadline",
    "Extractor",
    "OverBudget",
    "batched",
    "find_quotes",
    "load_nlp",
    "parse_mode",
    "sections_of",
    "version_for",
]
