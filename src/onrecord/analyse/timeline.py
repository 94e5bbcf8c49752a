"""A speaker's dated record: statements grouped by topic, and a chart of how often they spoke on each."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from onrecord.model import DEFAULT_ACTS, StoredStatement
from onrecord.store import Query, Store

UNTOPICAL = "(no topic)"
UNPLACED = "(no subject)"


@dataclass(frozen=True, slots=True)
class Timeline:
    speaker: str
    by_topic: dict[str, list[StoredStatement]]  # topic (or subject) -> statements in date order; busiest first

    @property
    def statements(self) -> int:
        return len({r.id for records in self.by_topic.values() for r in records})

    def monthly(self, top: int = 6) -> tuple[list[str], dict[str, list[int]]]:
        """Months (YYYY-MM, every month from first to last) and per-topic statement counts, busiest topics."""
        counts: dict[str, Counter[str]] = {
            topic: Counter(r.document.date[:7] for r in records if r.document.date)
            for topic, records in list(self.by_topic.items())[:top]
        }
        months = sorted({m for c in counts.values() for m in c})
        if not months:
            return [], {}
        span = months_between(months[0], months[-1])
        return span, {topic: [c.get(m, 0) for m in span] for topic, c in counts.items()}


def timeline(
    store: Store,
    speaker: str,
    *,
    topic: str | None = None,
    since: str | None = None,
    until: str | None = None,
    acts: tuple[str, ...] | None = DEFAULT_ACTS,
    by: str = "topic",
) -> Timeline:
    """A speaker's statements by topic, or (``by="subject"``) by subject (see ``analyse.subjects``);
    ``acts`` the acts shown (None: all; see ``model.visible``)."""
    records = store.statements(Query(identity=speaker, topic=topic, since=since, until=until, acts=acts))
    grouped: dict[str, list[StoredStatement]] = defaultdict(list)
    if by == "subject":
        placed = store.subject_of([r.id for r in records])
        for record in records:
            grouped[placed[record.id][1] if record.id in placed else UNPLACED].append(record)
    else:
        for record in records:
            for name in [t for t, _ in record.topics] or [UNTOPICAL]:
                if topic is None or name == topic:
                    grouped[name].append(record)
    order = sorted(grouped, key=lambda t: (t in {UNTOPICAL, UNPLACED}, -len(grouped[t]), t))
    return Timeline(speaker, {t: grouped[t] for t in order})


def months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def plot(line: Timeline, target: str | Path | IO[Any], top: int = 6, format: str | None = None) -> str | Path | IO[Any]:
    """Statements per topic per month as lines, into a file (SVG or PNG by its suffix) or a stream
    (``format``, default SVG). Drawn locally, no network; the speaker's name stays out of the
    drawing, so an SVG carries no text from documents."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if isinstance(target, str | Path):
        target = Path(target)
        format = format or target.suffix.lstrip(".").lower()
    format = format or "svg"
    months, series = line.monthly(top)
    figure, axes = plt.subplots(figsize=(10, 4), dpi=110)
    for topic, counts in series.items():
        axes.plot(range(len(months)), counts, marker="o", markersize=3, linewidth=1.6, label=topic)
    step = max(1, len(months) // 12)
    axes.set_xticks(range(0, len(months), step), months[::step], rotation=45, ha="right", fontsize=8)
    axes.set_ylabel("statements per month")
    axes.spines[["top", "right"]].set_visible(False)
    if series:
        axes.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    # No creation date in an SVG: the same data gives the same file.
    figure.savefig(target, format=format, metadata={"Date": None} if format == "svg" else {})
    plt.close(figure)
    return target
