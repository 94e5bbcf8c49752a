"""onrecord: the record of what public figures say.

The flow, one package per layer: ``ingest`` -> ``extract`` -> ``resolve`` -> ``store``
(-> analyse -> present). This module is the public Python API.

>>> import onrecord
>>> [s.speaker for s in onrecord.extract('"Talks have stalled," Anna Petrova said.')]
['Anna Petrova']
"""

from onrecord.errors import (
    EvaluationError,
    FetchError,
    InputError,
    ModelNotFoundError,
    NotFoundError,
    OnrecordError,
    StoreError,
)
from onrecord.model import Document, DocumentInfo, Span, SpeakerInfo, Statement, StoredStatement, Turn
from onrecord.pipeline import Processed, extract, process, read_paths
from onrecord.store import Query, Store, open_store

__version__ = "0.1.0"

__all__ = [
    "Document",
    "DocumentInfo",
    "EvaluationError",
    "FetchError",
    "InputError",
    "ModelNotFoundError",
    "NotFoundError",
    "OnrecordError",
    "Processed",
    "Query",
    "SpeakerInfo",
    "Span",
    "Statement",
    "Store",
    "StoreError",
    "StoredStatement",
    "Turn",
    "extract",
    "open_store",
    "process",
    "read_paths",
]
