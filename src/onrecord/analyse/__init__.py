"""Analyse: what the stored statements add up to — identities across documents, topics,
timelines, shifts in position and briefs. Reads the store (and writes derived data to it);
never parses documents itself."""
