"""The selective parse against the full parse (issue 17): cost, and what it changes.

    python benchmarks/bench_parse.py --shared ../shared/data [--articles 200] [--transcripts 200]
        [--cost-only | --equality-only]

Cost: CPU seconds of extraction (parse, rules and speaker resolution) with ``--parse full`` and
``--parse selective``, each over CPU seconds of a plain full ``nlp.pipe`` of the same texts by the
stock pipeline, in one run: PolNeAR train articles and trump-campaign transcripts. Also the plain
parse with the matrix products onrecord uses (numpy's, ``extract.nlp.numpy_products``), and the
selective parse over that: what the selection saves by itself. CPU time of this process, not wall
time, and the four taken in turn over chunks of ten documents, so the ratios hold on a shared
machine.

The stand-ins (``onrecord.extract.components``, numpy's matrix products): every token's annotation
(tag, part of speech, morphology, lemma, dependency, head, entity) compared with the stock
pipeline's (blis, the original attribute ruler and lemmatizer) on the same sets.

Equality: every statement of both parses compared whole (span, kind, speaker, mention, cue,
act, confidence, what it is nested in; not its index), on PolNeAR dev, GUM, onrecord's own gold sets and the transcripts;
and P/R/F1 at 50% both ways where there is gold.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import spacy

from onrecord import evaluate as ev
from onrecord.extract import Extractor
from onrecord.extract.components import components
from onrecord.extract.nlp import CANDIDATES, load_nlp, numpy_products, one_blas_thread
from onrecord.ingest import from_text, read
from onrecord.model import Document
from onrecord.pipeline import default_extractor, process

GOLD = Path(__file__).parents[1] / "tests" / "gold"
MODES = ("full", "selective")


def use(mode: str) -> None:
    os.environ["ONRECORD_PARSE"] = mode


def transcripts(shared: Path, limit: int) -> list[Document]:
    files = sorted((shared / "trump-campaign" / "text").glob("*.txt"))[:limit]
    return [doc for f in files for doc in read(str(f))]


def stock_pipeline() -> spacy.language.Language:
    """The English pipeline as it is installed, without onrecord's own line-break component."""
    for name in CANDIDATES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit(f"none of {', '.join(CANDIDATES)} is installed")


def cpu(work: Iterator[object]) -> float:
    start = time.process_time()
    for _ in work:
        pass
    return time.process_time() - start


def numpy_pipe(nlp: spacy.language.Language, texts: list[str]) -> Iterator[object]:
    with one_blas_thread():
        yield from nlp.pipe(texts, batch_size=32)


def cost(name: str, documents: list[Document], chunk: int = 10) -> None:
    """The four ways, taken in turn over chunks of ``chunk`` documents: the machine's load then
    weighs on each alike."""
    stock = stock_pipeline()
    products = stock_pipeline()
    numpy_products(products)
    extractors = {}
    for mode in MODES:
        # each its own pipeline, as the plain parse has: none reads words another has met (spaCy
        # keeps what it learnt of each new word in its vocabulary)
        extractors[mode] = Extractor(load_nlp.__wrapped__(), selective=mode == "selective")
        list(process(documents[:2], extractors[mode]))  # warm up
    list(stock.pipe([d.text for d in documents[:2]]))
    list(numpy_pipe(products, [d.text for d in documents[:2]]))
    seconds = dict.fromkeys(["plain", "numpy", *MODES], 0.0)
    for k in range(0, len(documents), chunk):
        part = documents[k : k + chunk]
        seconds["plain"] += cpu(stock.pipe([d.text for d in part], batch_size=32))
        seconds["numpy"] += cpu(numpy_pipe(products, [d.text for d in part]))
        for mode in MODES:
            seconds[mode] += cpu(process(part, extractors[mode]))
    plain = seconds["plain"]
    full, selective = seconds["full"] / plain, seconds["selective"] / plain
    print(
        f"| {name} | {plain:.0f} s | {seconds['numpy']:.0f} s ({seconds['numpy'] / plain:.3f}) "
        f"| {seconds['full']:.0f} s ({full:.3f}) | {seconds['selective']:.0f} s ({selective:.3f}) "
        f"| {seconds['selective'] / seconds['numpy']:.3f} | {seconds['full'] / seconds['selective']:.2f}x |",
        flush=True,
    )


def statements(documents: list[Document]) -> list[set[str]]:
    """Each document's statements, each whole but for its position (one statement more or fewer
    moves every later index): what it is nested in is named by that statement's content span."""
    found = []
    for item in process(documents, default_extractor()):
        spans = [s.content_span.as_list() for s in item.statements]
        found.append(
            {
                repr(
                    sorted(
                        {
                            **s.to_dict(),
                            "index": None,
                            "nested_in": spans[s.nested_in] if s.nested_in is not None else None,
                        }.items()
                    )
                )
                for s in item.statements
            }
        )
    return found


def tokens_alike(name: str, texts: list[str]) -> None:
    nlp = default_extractor().nlp
    stock = stock_pipeline()  # blis, the original attribute ruler and lemmatizer
    stock.add_pipe("onrecord_paragraph_breaks", before="parser")

    def annotated(pipeline: spacy.language.Language, components: list[tuple[str, object]]) -> Iterator[list[tuple]]:
        for text in texts:
            doc = pipeline.make_doc(text)
            with one_blas_thread():
                for _, component in components:
                    doc = component(doc)  # type: ignore[operator]
            yield [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for t in doc]

    tokens = differ = 0
    for original, standing_in in zip(annotated(stock, stock.pipeline), annotated(nlp, components(nlp)), strict=True):
        tokens += len(original)
        differ += sum(a != b for a, b in zip(original, standing_in, strict=True))
    print(f"| {name} | {len(texts)} | {tokens} | {differ} |", flush=True)


def equality(name: str, golds: list[ev.GoldDocument] | None, documents: list[Document]) -> None:
    found, f1 = {}, {}
    for mode in MODES:
        use(mode)
        found[mode] = statements(documents)
        if golds is not None:
            score = ev.evaluate(iter(golds))["both50"]
            f1[mode] = f"{score.precision:.4f} / {score.recall:.4f} / {score.f1:.4f}"
    differ = 0
    for full, selective in zip(found["full"], found["selective"], strict=True):
        differ += len(full - selective)  # a changed statement counts once, as the full parse had it
    total = sum(map(len, found["full"]))
    scores = f"{f1['full']} | {f1['selective']}" if f1 else "— | —"
    print(f"| {name} | {len(documents)} | {total} | {differ} ({differ / max(1, total):.1%}) | {scores} |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared/data"))
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument("--cost-only", action="store_true")
    parser.add_argument("--equality-only", action="store_true")
    parser.add_argument("--no-gold", action="store_true", help="compare on the transcripts only")
    args = parser.parse_args()
    polnear = args.shared / "polnear"
    if not polnear.is_dir():
        print(f"PolNeAR not found at {polnear}; pass --shared", file=sys.stderr)
        return 1
    if not args.equality_only:
        print(
            "| texts | plain nlp.pipe | the same, numpy's products (ratio) | extraction, full parse (ratio) "
            "| selective parse (ratio) | selective over numpy's plain parse | speed-up |"
        )
        print("|---|---|---|---|---|---|---|")
        articles = [from_text(p.read_text("utf-8")) for p in sorted((polnear / "train" / "text").glob("*.txt"))]
        if args.articles:  # 0: not measured
            cost(f"{args.articles} PolNeAR train articles", articles[: args.articles])
        if args.transcripts:
            cost(f"{args.transcripts} trump-campaign transcripts", transcripts(args.shared, args.transcripts))
    if not args.cost_only:
        print("\n| set | texts | tokens | tokens the stand-ins annotate otherwise |\n|---|---|---|---|")
        dev = list(ev.read_polnear(polnear / "dev"))
        tokens_alike("PolNeAR dev", [g.text for g in dev])
        tokens_alike(
            f"trump-campaign ({args.transcripts})", [d.text for d in transcripts(args.shared, args.transcripts)]
        )
        print(
            "\n| set | documents | statements (full) | not alike in the selective parse | P / R / F1 full | P / R / F1 selective |"
        )
        print("|---|---|---|---|---|---|")
        sets: list[tuple[str, list[ev.GoldDocument]]] = [
            ("PolNeAR dev", dev),
            ("GUM", list(ev.read_gum(args.shared / "gum"))),
            *((f"own gold: {p.name}", list(ev.read_gold_yaml(p))) for p in sorted(GOLD.glob("*.yaml"))),
        ]
        for name, golds in [] if args.no_gold else sets:
            equality(name, golds, [from_text(g.text, source=g.name, **g.meta) for g in golds])
        equality(f"trump-campaign ({args.transcripts})", None, transcripts(args.shared, args.transcripts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
