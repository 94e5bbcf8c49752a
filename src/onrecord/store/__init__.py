"""Store: the only place that writes SQL. Documents and statements in SQLite or PostgreSQL.

Fourth layer of the flow; takes plain data from ``onrecord.model`` and never imports
the extractor or the resolver.
"""

from onrecord.store.store import Query, Store, open_store, sqlite_file

__all__ = ["Query", "Store", "open_store", "sqlite_file"]
