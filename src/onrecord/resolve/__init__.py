"""Resolve: speaker mentions -> names, within a document (and, later, across documents).

Third layer of the flow; works on plain data from ``onrecord.extract`` and never imports it.
"""

from onrecord.resolve.document import resolve_document
from onrecord.resolve.names import same_person, strip_name

__all__ = ["resolve_document", "same_person", "strip_name"]
