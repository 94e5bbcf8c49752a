"""One exception tree for onrecord. Every message names the cause and what to do next.

OnrecordError
 ├── InputError            a file or record that cannot be read as a document
 │    (``path`` names it; the rest of a batch still goes in)
 ├── ModelNotFoundError    no English spaCy pipeline is installed
 ├── OutputError           a file onrecord was asked to write and will not (exists, is the database)
 ├── StoreError            the database cannot be opened or written
 │    └── NotFoundError    a document or statement that is not in the store
 └── EvaluationError       a gold set that cannot be read
"""

from __future__ import annotations


class OnrecordError(Exception):
    """Base of every error onrecord raises on purpose."""


class InputError(OnrecordError):
    """A file or record that cannot become a document."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class ExtractionError(InputError):
    """The extractor failed on one document; the others are unaffected."""


class ModelNotFoundError(OnrecordError):
    """No English spaCy pipeline can be loaded."""


class OutputError(OnrecordError):
    """A file onrecord refuses to write: it exists (without --force) or is the database itself."""


class StoreError(OnrecordError):
    """The database cannot be opened, migrated or written."""


class NotFoundError(StoreError):
    """A document or statement that is not in the store."""


class EvaluationError(OnrecordError):
    """A gold set that cannot be read."""
