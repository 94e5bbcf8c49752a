"""Batch: the same pipeline over corpora bigger than one machine, on Dask.

The input is cut into shards (groups of files, a JSONL file, a Parquet file); each shard is one
task that streams its documents through :func:`onrecord.pipeline.process` and writes Parquet. A
manifest records each finished shard with the hash of its input and the extractor's version, so a
re-run does only what is new or failed. No logic of its own beyond that: the layers do the work.
"""

from onrecord.batch.run import BatchSummary, load_into, run_batch
from onrecord.batch.shards import Shard, plan

__all__ = ["BatchSummary", "Shard", "load_into", "plan", "run_batch"]
