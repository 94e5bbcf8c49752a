"""Extract: Document -> attributed statements (unresolved). spaCy stays inside this package.

Second layer of the flow. :class:`Extractor` owns the loaded pipeline; the cue lexicon is
data in ``data/cues.yaml``.
"""

from onrecord.extract.budget import Deadline, OverBudget
from onrecord.extract.extractor import VERSION, Extractor, batched, sections_of
from onrecord.extract.nlp import load_nlp
from onrecord.extract.quotes import find_quotes
from onrecord.extract.select import parse_mode

__all__ = [
    "VERSION",
    "Deadline",
    "Extractor",
    "OverBudget",
    "batched",
    "find_quotes",
    "load_nlp",
    "parse_mode",
    "sections_of",
]
