"""Time extraction: the model load, sentences/s and articles/s, and a 5 MB article.

Usage: python benchmarks/bench_extract.py [--shared ../shared] [--repeat 5] [--quick]
                                          [--output docs/benchmarks.md]

Loads the pipeline once, timing the import of geokg.extract apart from
geokg.extract.nlp.pipeline() (the spaCy model and the lexicon's rulers). Then runs
extract_facts on the seed article and the dev articles of the shared corpus, after one
untimed warm-up pass, and takes the median of --repeat passes. The 5 MB article (the dev
texts repeated) runs once in a fresh process, whose peak RSS is that of loading and
extracting alone. The process is pinned to one CPU where the OS allows it, because the
target is per core. --quick runs one pass and skips the 5 MB article, for smoke runs;
it still rewrites the "extract" section of --output, marked as a quick run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from report import ROOT, machine, write_section

SENTENCES_TARGET = 200  # per second, on one core, after the load
LARGE_BYTES = 5_000_000
LARGE_TIMEOUT_S = 3600


@dataclass(frozen=True)
class Article:
    """An article of the corpus, with the number of sentences spaCy finds in it."""

    corpus: str  # "seed" or "dev"
    name: str
    text: str
    sentences: int


@dataclass(frozen=True)
class Timing:
    """Median wall time of one article's extraction, and its number of facts."""

    article: Article
    seconds: float
    facts: int


@dataclass(frozen=True)
class Large:
    """The 5 MB article, extracted in a fresh process."""

    size: int
    copies: int
    load_s: float
    extract_s: float
    facts: int
    rss_load_mb: float
    rss_peak_mb: float


def pin_to_one_cpu() -> bool:
    """Pin this process (and its children) to one CPU; False where that is unsupported."""
    if not hasattr(os, "sched_setaffinity"):
        return False
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    return True


def load_pipeline() -> tuple[float, float]:
    """Import geokg.extract and build the spaCy pipeline: (import s, pipeline s)."""
    start = time.perf_counter()
    importlib.import_module("geokg.extract")
    nlp = importlib.import_module("geokg.extract.nlp")
    imported = time.perf_counter()
    nlp.pipeline()
    return imported - start, time.perf_counter() - imported


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (ru_maxrss: KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def corpus_texts(shared: Path) -> list[tuple[str, str, str]]:
    """(corpus, name, text) of the seed articles, then of the dev ones, by file name.

    Raises:
        SystemExit: With a one-line error and status 2 if a corpus folder is missing.
    """
    texts = []
    for corpus in ("seed", "dev"):
        folder = shared / "corpus" / corpus
        if not folder.is_dir():
            print(
                f"Error: {folder} not found: pass --shared DIR, the folder holding "
                "corpus/seed and corpus/dev",
                file=sys.stderr,
            )
            raise SystemExit(2)
        for path in sorted(folder.glob("*.txt")):
            texts.append((corpus, path.stem, path.read_text(encoding="utf-8")))
    return texts


def count_sentences(text: str) -> int:
    """The number of sentences spaCy finds in the text, as extraction parses it."""
    from geokg.extract.nlp import parse

    return sum(len(list(paragraph.doc.sents)) for paragraph in parse(text))


def extract(text: str) -> int:
    """Extract the facts of one article; return how many there are."""
    from geokg.articles import make_document
    from geokg.extract import extract_facts

    return len(extract_facts(make_document(text)))


def timed_pass(articles: list[Article], run: Callable[[str], object]) -> list[float]:
    """The wall time of ``run`` on each article's text, in seconds."""
    times = []
    for article in articles:
        start = time.perf_counter()
        run(article.text)
        times.append(time.perf_counter() - start)
    return times


def time_articles(
    articles: list[Article], repeat: int
) -> tuple[list[Timing], float, float]:
    """Per-article median times, and the median time of a pass over all articles, of
    extraction and of spaCy's parse alone (in alternate passes, so drift hits both)."""
    from geokg.extract.nlp import parse

    facts = [extract(a.text) for a in articles]  # warm-up: lazy imports and caches
    extracts, parses = [], []
    for _ in range(repeat):
        extracts.append(timed_pass(articles, extract))
        parses.append(timed_pass(articles, parse))
    medians = [statistics.median(column) for column in zip(*extracts, strict=True)]
    timings = [
        Timing(a, s, n) for a, s, n in zip(articles, medians, facts, strict=True)
    ]
    total = statistics.median(sum(times) for times in extracts)
    return timings, total, statistics.median(sum(times) for times in parses)


def time_plain_model(articles: list[Article], repeat: int) -> float:
    """The median time of the plain English model (no geokg component) over the
    articles' lines: the bound any pipeline on this model and machine stays under."""
    from geokg.extract.nlp import load_model, paragraphs

    nlp = load_model()
    lines = [line for a in articles for _, line, _ in paragraphs(a.text)]
    list(nlp.pipe(lines, batch_size=1000))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        list(nlp.pipe(lines, batch_size=1000))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def large_text(texts: list[str]) -> tuple[str, int]:
    """The dev texts repeated until the article reaches LARGE_BYTES: (text, copies)."""
    unit = "\n\n".join(t.strip("\n") for t in texts) + "\n\n"
    copies = -(-LARGE_BYTES // len(unit.encode("utf-8")))
    return unit * copies, copies


def large_child(shared: Path) -> None:
    """In a fresh process: load, extract the 5 MB article, print the figures as JSON."""
    dev = [text for corpus, _, text in corpus_texts(shared) if corpus == "dev"]
    text, copies = large_text(dev)
    start = time.perf_counter()
    load_pipeline()
    loaded = time.perf_counter()
    rss_load = peak_rss_mb()
    facts = extract(text)
    figures = {
        "size": len(text.encode("utf-8")),
        "copies": copies,
        "load_s": loaded - start,
        "extract_s": time.perf_counter() - loaded,
        "facts": facts,
        "rss_load_mb": rss_load,
        "rss_peak_mb": peak_rss_mb(),
    }
    print(json.dumps(figures, sort_keys=True))


def time_large(shared: Path) -> Large | None:
    """Run large_child in a fresh process; None if it takes over LARGE_TIMEOUT_S."""
    argv = [sys.executable, __file__, "--large-child", "--shared", str(shared)]
    try:
        done = subprocess.run(
            argv,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
            timeout=LARGE_TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return None
    return Large(**json.loads(done.stdout))


def at_least(value: float, target: float) -> str:
    """'ok' or '**below target**' for a figure and its lower bound."""
    return "ok" if value >= target else "**below target**"


def per_second(count: float, seconds: float) -> str:
    """A rate with a precision that suits its size."""
    rate = count / seconds
    return f"{rate:.0f}" if rate >= 10 else f"{rate:.2f}"


def articles_table(timings: list[Timing], total_s: float) -> str:
    """One row per article, and the pass over all of them."""
    rows = [
        "| article | characters | sentences | facts | median | sentences/s |",
        "|---|---|---|---|---|---|",
    ]
    for t in timings:
        a = t.article
        rows.append(
            f"| {a.name} | {len(a.text)} | {a.sentences} | {t.facts} "
            f"| {1000 * t.seconds:.0f} ms | {per_second(a.sentences, t.seconds)} |"
        )
    sentences = sum(t.article.sentences for t in timings)
    characters = sum(len(t.article.text) for t in timings)
    facts = sum(t.facts for t in timings)
    rows.append(
        f"| all {len(timings)} articles | {characters} | {sentences} | {facts} "
        f"| {1000 * total_s:.0f} ms | {per_second(sentences, total_s)} |"
    )
    return "\n".join(rows)


def large_rows(large: Large | None, unit_sentences: int) -> list[str]:
    """The figures rows of the 5 MB article."""
    if large is None:
        return [f"| 5 MB article | did not finish in {LARGE_TIMEOUT_S} s | | |"]
    sentences = large.copies * unit_sentences
    what = (
        f"5 MB article ({large.size:,} bytes: the dev texts {large.copies} times, "
        f"{sentences:,} sentences, {large.facts} facts after merging)"
    )
    return [
        f"| {what}: extraction, after a load of {large.load_s:.1f} s "
        f"| {large.extract_s:.0f} s | | |",
        f"| 5 MB article: sentences/s | {per_second(sentences, large.extract_s)} "
        f"| ≥ {SENTENCES_TARGET} | {at_least(sentences / large.extract_s, SENTENCES_TARGET)} |",
        f"| 5 MB article: peak RSS (after the load alone) | {large.rss_peak_mb:.0f} MB "
        f"({large.rss_load_mb:.0f} MB) | | |",
    ]


@dataclass(frozen=True)
class Results:
    """Everything the section reports."""

    import_s: float
    pipeline_s: float
    timings: list[Timing]
    total_s: float
    parse_s: float
    large: Large | None
    repeat: int
    quick: bool
    pinned: bool
    model_s: float = 0.0


def section(r: Results) -> str:
    """The "extract" section of the benchmarks report."""
    sentences = sum(t.article.sentences for t in r.timings)
    dev_sentences = sum(
        t.article.sentences for t in r.timings if t.article.corpus == "dev"
    )
    rate = sentences / r.total_s
    how = "pinned to one CPU" if r.pinned else "not pinned to one CPU"
    passes = "one pass" if r.repeat == 1 else f"median of {r.repeat} passes"
    note = " Quick run: the 5 MB article is skipped." if r.quick else ""
    rows = [
        "| figure | value | target | |",
        "|---|---|---|---|",
        f"| load: `import geokg.extract` | {1000 * r.import_s:.0f} ms | | |",
        f"| load: `geokg.extract.nlp.pipeline()` (spaCy model, lexicon rulers) "
        f"| {r.pipeline_s:.2f} s | | |",
        f"| sentences/s, {len(r.timings)} articles, after the load | {rate:.0f} "
        f"| ≥ {SENTENCES_TARGET} | {at_least(rate, SENTENCES_TARGET)} |",
        f"| articles/s | {per_second(len(r.timings), r.total_s)} | | |",
        f"| of the time, spaCy's parse alone (`nlp.parse`) "
        f"| {100 * r.parse_s / r.total_s:.0f}% | | |",
        f"| the plain `en_core_web_sm` model alone, no geokg component: sentences/s "
        f"(the bound on this machine) | {sentences / r.model_s:.0f} | | |",
    ]
    if not r.quick:
        rows += large_rows(r.large, dev_sentences)
    return f"""## Extraction

Machine: {machine()}. `benchmarks/bench_extract.py`, {how}: `extract_facts(make_document(text))`
on the seed and dev articles of the shared corpus, {passes} after one untimed
warm-up pass; sentences are those spaCy finds. The 5 MB article runs once in a
fresh process. A throughput under its target is marked **below target**.{note}

{chr(10).join(rows)}

{articles_table(r.timings, r.total_s)}
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--large-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    shared = args.shared.resolve()
    if args.large_child:
        large_child(shared)
        return
    texts = corpus_texts(shared)
    pinned = pin_to_one_cpu()
    import_s, pipeline_s = load_pipeline()
    articles = [
        Article(corpus, name, text, count_sentences(text))
        for corpus, name, text in texts
    ]
    repeat = 1 if args.quick else args.repeat
    timings, total_s, parse_s = time_articles(articles, repeat)
    model_s = time_plain_model(articles, repeat)
    large = None if args.quick else time_large(shared)
    body = section(
        Results(
            import_s,
            pipeline_s,
            timings,
            total_s,
            parse_s,
            large,
            repeat,
            args.quick,
            pinned,
            model_s,
        )
    )
    write_section(args.output, "extract", body)
    print(body)


if __name__ == "__main__":
    main()
