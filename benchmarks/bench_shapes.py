"""Cost per character of extraction + resolution for pathological input shapes (issue 12).

    python benchmarks/bench_shapes.py --shared ../shared/data [--sizes 10,100,1000] [--timeout 900]

One row per shape and size: CPU seconds per MB of text (CPU time, so a busy machine skews it
less than wall time), peak resident memory, and the ratio of CPU seconds per MB to ordinary
news (PolNeAR articles, one document each) at the same size. The
target is a ratio of at most 2 for every shape, and seconds per MB that stay flat as the size
grows (linear cost). Each measurement runs in a fresh process, so peak memory is its own; the
model is loaded and warmed up before the clock starts, and "over model" is the peak minus the
memory of the loaded model.

Shapes, all made from PolNeAR training articles (deterministic):

- ``news``: ordinary articles, one document each (the reference);
- ``unpunctuated``: one document of words without punctuation or line breaks;
- ``paragraph``: one document, the articles as one huge paragraph (punctuation kept);
- ``quotes``: one document of short quotations, thousands of quotation marks;
- ``names``: one document naming hundreds of people, with titles, appositions and surnames;
- ``transcript``: campaign transcripts joined into one document of thousands of turns.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

SHAPES = ("news", "unpunctuated", "paragraph", "quotes", "names", "transcript")
FIRST = ("Anna", "Viktor", "Maria", "John", "Elena", "Tomas", "Sara", "Peter", "Laura", "Mark", "Irene", "David")
ROLES = ("foreign minister", "spokesman", "senator", "governor", "campaign manager", "mayor", "pollster")
PLACES = ("Valdor", "Nordmark", "Ruritania", "Ohio", "Iowa", "Texas", "Florida", "Maine")


def _articles(shared: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((shared / "polnear" / "train" / "text").glob("*.txt"))]


def _cut(text: str, size: int) -> str:
    """``text`` repeated to at least ``size`` characters, then cut at a word boundary."""
    text = (text + " ") * (size // max(len(text), 1) + 1)
    cut = text.rfind(" ", 0, size)
    return text[: cut if cut > 0 else size].strip()


def _names(size: int) -> str:
    """Hundreds of people, each introduced with a title or an apposition, then quoted by surname,
    by title and by pronoun."""
    rng = random.Random(0)
    syllables = ("ka", "lo", "mi", "ren", "sto", "va", "dri", "nel", "po", "tur", "bes", "gor")
    surnames = [(syllables[i % 12] + syllables[i // 12 % 12] + syllables[i // 144 % 12]).title() for i in range(400)]
    people = [(rng.choice(FIRST), name) for name in surnames]
    parts: list[str] = []
    total = 0
    while total < size:
        first, last = rng.choice(people)
        role, place = rng.choice(ROLES), rng.choice(PLACES)
        other = rng.choice(people)[1]
        paragraph = (
            f"{role.title()} {first} {last} of {place} said on Monday that talks with {other} had stalled. "
            f"{last}, the {role} of {place}, warned that {other} would lose support. "
            f'"We will not back down," the {role} said. "{other} knows it," {last} added.\n\n'
        )
        parts.append(paragraph)
        total += len(paragraph)
    return _cut("".join(parts), size)


def _quotes(words: list[str], size: int) -> str:
    """Short quotations three words long, most claimed by a speaker, in paragraphs of ten."""
    rng = random.Random(0)
    parts: list[str] = []
    total = 0
    i = 0
    while total < size:
        chunk = " ".join(words[i : i + 3])
        i = (i + 3) % (len(words) - 3)
        piece = rng.choice((f'"{chunk}," she said. ', f'"{chunk}" ', f'He called it "{chunk}." ', f"“{chunk}” "))
        parts.append(piece)
        total += len(piece)
        if len(parts) % 10 == 0:
            parts.append("\n\n")
    return _cut("".join(parts), size)


def make(shape: str, size: int, shared: Path) -> list[str]:
    """The texts (one per document) of ``shape`` at about ``size`` characters in all."""
    articles = _articles(shared)
    if shape == "news":
        texts, total = [], 0
        for text in articles * (size // sum(map(len, articles)) + 1):
            if total >= size:
                break
            texts.append(text)
            total += len(text)
        return texts
    joined = " ".join(articles)
    if shape == "unpunctuated":
        return [_cut(re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", joined)), size)]
    if shape == "paragraph":
        return [_cut(re.sub(r"\s+", " ", joined), size)]
    if shape == "quotes":
        return [_quotes(re.sub(r"[^\w\s]", " ", joined).split(), size)]
    if shape == "names":
        return [_names(size)]
    if shape == "transcript":
        files = sorted((shared / "trump-campaign" / "text").glob("*.txt"))
        transcripts = [f.read_text(encoding="utf-8") for f in files[:200]]
        text = "\n\n".join(t for t in transcripts if re.search(r"^[A-Z][A-Z .'-]+: ", t, re.MULTILINE))
        cut = text.rfind("\n", 0, size)
        return [text[: cut if cut > 0 else size]]
    raise ValueError(shape)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(shape: str, size: int, shared: Path) -> None:
    """Measure one shape at one size in this process; print one JSON line."""
    from onrecord.ingest import from_text
    from onrecord.pipeline import default_extractor, process

    extractor = default_extractor()
    list(process([from_text(t) for t in make("news", 20_000, shared)], extractor))  # load and warm up
    texts = make(shape, size, shared)
    documents = [from_text(t) for t in texts]
    base = _peak_mb()
    start, cpu = time.perf_counter(), time.process_time()
    statements = sum(len(p.statements) for p in process(documents, extractor))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    chars = sum(map(len, texts))
    turns = sum(len(d.turns) for d in documents)
    print(
        json.dumps(
            {
                "chars": chars,
                "seconds": seconds,
                "cpu": cpu,
                "peak": _peak_mb(),
                "base": base,
                "statements": statements,
                "turns": turns,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sizes", default="10,100,1000", help="sizes in thousands of characters")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--timeout", type=float, default=900, help="wall seconds before a run counts as runaway")
    parser.add_argument("--child", nargs=2, metavar=("SHAPE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]), args.shared)
        return 0
    if not (args.shared / "polnear" / "train" / "text").is_dir():
        print(f"PolNeAR not found under {args.shared}; pass --shared", file=sys.stderr)
        return 1
    sizes = [int(s) * 1000 for s in args.sizes.split(",")]
    shapes = args.shapes.split(",")
    news: dict[int, float] = {}
    print("| shape | size | statements | CPU s | wall s | CPU s/MB | peak MB | MB over model | ratio to news |")
    print("|---|---|---|---|---|---|---|---|---|")
    for shape in ["news", *(s for s in shapes if s != "news")]:
        for size in sizes:
            command = [sys.executable, __file__, "--shared", str(args.shared), "--child", shape, str(size)]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout, check=False)
            except subprocess.TimeoutExpired:
                print(f"| {shape} | {size // 1000} KB | – | – | > {args.timeout:.0f} | – | – | – | – |", flush=True)
                continue
            if done.returncode != 0 or not done.stdout.strip():
                reason = (done.stderr.strip().splitlines() or ["no output"])[-1][:60]
                print(f"| {shape} | {size // 1000} KB | failed: {reason} | | | | | | |", flush=True)
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            per_mb = row["cpu"] / row["chars"] * 1e6
            if shape == "news":
                news[size] = per_mb
            ratio = f"{per_mb / news[size]:.2f}" if size in news else "–"
            print(
                f"| {shape} | {row['chars'] // 1000} KB | {row['statements']} | {row['cpu']:.1f} | {row['seconds']:.1f} "
                f"| {per_mb:.1f} | {row['peak']:.0f} | {row['peak'] - row['base']:.0f} | {ratio} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
