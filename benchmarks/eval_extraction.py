"""Score geokg's extraction on the shared corpus and write docs/extraction.md.

Usage: python benchmarks/eval_extraction.py [--shared ../shared]
                                            [--output docs/extraction.md]

Runs the shared scorer (`<shared>/tools/score.py --run ... --json`) twice, at the
same time: over the seed and dev folders together, and over dev alone for the dev
micro figures. The report holds no date or absolute path, so the same results give
the same bytes. Exit status: 0 when scored, 1 when the scorer failed or geokg failed
on a document (the report is still written then), 2 when the shared folder or its
scorer is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from report import ROOT, geokg_command

SEED_TARGET_F1 = 0.85
DEV_TARGET_F1 = 0.60
GOLD_SUFFIX = ".gold.tsv"
FACT_COLUMNS = ("subject", "relation", "object", "date", "evidence")

Json = dict[str, Any]


class EvalError(Exception):
    """A failure that ends the evaluation with a one-line message."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Counts:
    """Strict or relaxed true positives, false positives and false negatives."""

    tp: int
    fp: int
    fn: int

    @classmethod
    def of(cls, block: Json) -> Counts:
        """The counts of a scorer JSON block (``{"tp": .., "fp": .., "fn": ..}``)."""
        return cls(block["tp"], block["fp"], block["fn"])

    @classmethod
    def total(cls, counts: Iterable[Counts]) -> Counts:
        """The sum of several counts (micro averaging)."""
        items = list(counts)
        return cls(*(sum(getattr(c, k) for c in items) for k in ("tp", "fp", "fn")))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        """'P=.. R=.. F1=.. (tp=.. fp=.. fn=..)', as the scorer prints it."""
        return (
            f"P={self.precision:.2f} R={self.recall:.2f} F1={self.f1:.2f} "
            f"(tp={self.tp} fp={self.fp} fn={self.fn})"
        )


@dataclass(frozen=True)
class Scope:
    """Micro figures over a set of documents: strict, relaxed and dates."""

    name: str
    documents: int
    strict: Counts
    relaxed: Counts
    dates_agree: int
    dates_checked: int
    target: float | None = None

    def verdict(self) -> str:
        """'ok' or 'below target' (an F1 target is a lower bound); '' without one."""
        if self.target is None:
            return ""
        return "ok" if self.strict.f1 >= self.target else "below target"


def scope_of_documents(name: str, docs: list[Json], target: float | None) -> Scope:
    """Micro figures summed over documents of one scorer run."""
    return Scope(
        name,
        len(docs),
        Counts.total(Counts.of(d) for d in docs),
        Counts.total(Counts.of(d["relaxed"]) for d in docs),
        sum(d["dates"]["agree"] for d in docs),
        sum(d["dates"]["checked"] for d in docs),
        target,
    )


def scope_of_run(name: str, result: Json, target: float | None) -> Scope:
    """Micro figures of a whole scorer run, as the scorer computed them."""
    return Scope(
        name,
        len(result["documents"]),
        Counts.of(result["micro"]),
        Counts.of(result["relaxed"]),
        result["dates"]["agree"],
        result["dates"]["checked"],
        target,
    )


def shown(path: Path | str) -> str:
    """A path as the report shows it: relative to the repository root."""
    return os.path.relpath(path, ROOT)


def scorer_argv(score: Path, geokg: list[str], folders: list[Path]) -> list[str]:
    """The scorer command line, running geokg on the text of every gold file."""
    run = shlex.join(geokg) + " extract {} --format tsv"
    return [sys.executable, str(score), "--run", run, "--json", *map(str, folders)]


def shown_command(score: Path, folders: list[Path]) -> str:
    """The scorer command as the report shows it, with paths relative to the root."""
    geokg = [shown(geokg_command()[0]), *geokg_command()[1:]]
    run = shlex.join(geokg) + " extract {} --format tsv"
    return shlex.join(
        ["python3", shown(score), "--run", run, "--json", *map(shown, folders)]
    )


def run_scorers(runs: dict[str, list[str]]) -> dict[str, Json]:
    """Run several scorer commands at once and parse each one's JSON.

    Raises:
        EvalError: If a scorer exits non-zero or prints no JSON (exit status 1).
    """
    processes = {
        name: subprocess.Popen(
            argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for name, argv in runs.items()
    }
    results: dict[str, Json] = {}
    for name, process in processes.items():
        out, err = process.communicate()
        last = (err.strip().splitlines() or [""])[-1]
        if process.returncode:
            raise EvalError(
                f"the scorer failed on {name} (exit {process.returncode}): {last}", 1
            )
        try:
            results[name] = json.loads(out)
        except json.JSONDecodeError as exc:
            raise EvalError(f"the scorer printed no JSON for {name}: {exc}", 1) from exc
    return results


def gold_names(folder: Path) -> set[str]:
    """The document names of a corpus folder: the stems of its gold files."""
    return {p.name.removesuffix(GOLD_SUFFIX) for p in folder.glob("*" + GOLD_SUFFIX)}


def cell(value: object) -> str:
    """A value as one Markdown table cell: one line, pipes and angle brackets escaped."""
    text = " ".join(str(value).split())
    return text.replace("|", "\\|").replace("<", "&lt;")


def table(header: list[str], rows: Iterable[Iterable[object]]) -> str:
    """A Markdown table of a header and rows."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def figures(counts: Counts) -> list[str]:
    """P, R and F1 with two decimals, as the scorer prints them."""
    return [f"{counts.precision:.2f}", f"{counts.recall:.2f}", f"{counts.f1:.2f}"]


def targets_table(scopes: list[Scope]) -> str:
    """Micro figures and verdicts of the seed, dev and all scopes."""
    header = ["scope", "docs", "tp", "fp", "fn", "P", "R", "F1", "relaxed F1"]
    header += ["dates", "target", ""]
    rows = []
    for s in scopes:
        target = f"F1 ≥ {s.target:.2f}" if s.target is not None else ""
        verdict = s.verdict() if s.verdict() != "below target" else "**below target**"
        dates = f"{s.dates_agree}/{s.dates_checked}"
        counts = [s.strict.tp, s.strict.fp, s.strict.fn, *figures(s.strict)]
        relaxed = f"{s.relaxed.f1:.2f}"
        rows.append([s.name, s.documents, *counts, relaxed, dates, target, verdict])
    return table(header, rows)


def documents_table(docs: list[Json], seed: set[str]) -> str:
    """One row per document: counts, strict P/R/F1, relaxed F1, dates, failures."""
    header = ["document", "set", "gold", "pred", "tp", "fp", "fn", "P", "R", "F1"]
    header += ["relaxed F1", "dates", "note"]
    rows = []
    for d in docs:
        counts = Counts.of(d)
        label = "seed" if d["name"] in seed else "dev"
        numbers = [counts.tp, counts.fp, counts.fn, *figures(counts)]
        relaxed = f"{Counts.of(d['relaxed']).f1:.2f}"
        dates = f"{d['dates']['agree']}/{d['dates']['checked']}"
        note = f"FAILED: {d['error']}" if d["error"] else ""
        rows.append(
            [d["name"], label, d["gold"], d["pred"], *numbers, relaxed, dates, note]
        )
    return table(header, rows)


def relations_table(relations: dict[str, Json]) -> str:
    """One row per relation, summed over all documents (strict)."""
    header = ["relation", "gold", "pred", "tp", "fp", "fn", "P", "R", "F1"]
    rows = []
    for name, block in sorted(relations.items()):
        c = Counts.of(block)
        rows.append([name, c.tp + c.fn, c.tp + c.fp, c.tp, c.fp, c.fn, *figures(c)])
    return table(header, rows)


def facts_section(doc: Json, label: str) -> str:
    """The missed (FN) and wrong (FP) facts of one document, as two tables."""
    missed, wrong = doc["false_negatives"], doc["false_positives"]
    parts = [f"### {doc['name']} ({label}): {len(missed)} missed, {len(wrong)} wrong"]
    for title, facts in (("Missed (FN, in gold)", missed), ("Wrong (FP)", wrong)):
        if facts:
            rows = ([f[c] for c in FACT_COLUMNS] for f in facts)
            parts += [f"{title}:", table(list(FACT_COLUMNS), rows)]
    return "\n\n".join(parts)


def summary_lines(scopes: list[Scope]) -> list[str]:
    """The lines printed to stdout: one per scope, then the dates and relaxed lines."""
    lines = []
    for s in scopes:
        target = (
            f"  target F1 >= {s.target:.2f}: {s.verdict()}"
            if s.target is not None
            else ""
        )
        lines.append(
            f"{s.name:<4} micro {s.strict.line()} over {s.documents} docs{target}"
        )
    everything = scopes[-1]
    lines.append(
        f"dates {everything.dates_agree}/{everything.dates_checked}: matched facts "
        "with a gold date whose predicted date agrees"
    )
    lines.append(f"relaxed {everything.relaxed.line()} (relation name ignored)")
    return lines


INTRO = """# Extraction quality

`make eval` (`benchmarks/eval_extraction.py`) runs `geokg extract` on every article of
the shared corpus that has gold facts, and scores its TSV output against them with the
shared scorer. A strict match needs the same relation, a matching subject, and a
matching object (for `statesThat`, `proposes`, `opposes` and `supports`: overlapping
evidence and a shared object word); names are normalised and aliases resolved as the
scorer's README describes. The relaxed score ignores the relation name. The dates count
covers strict matches whose gold fact has a real date. This file is generated: do not
edit it by hand.

Command (from the repository root), then the same over the dev folder alone:

```sh
{command}
```
"""


def render(all_run: Json, scopes: list[Scope], seed: set[str], command: str) -> str:
    """The whole report, in Markdown."""
    docs = sorted(
        all_run["documents"], key=lambda d: (d["name"] not in seed, d["name"])
    )
    lines = summary_lines(scopes)
    sections = [
        INTRO.replace("{command}", command),
        "## Targets\n\nSeed F1 ≥ 0.85; dev micro F1 ≥ 0.60, strict. Micro figures sum "
        "tp, fp and fn over the documents of each scope.\n\n" + targets_table(scopes),
        "```\n" + "\n".join(lines) + "\n```",
        "## Per document\n\n" + documents_table(docs, seed),
        "## Per relation, summed over all documents\n\n"
        + relations_table(all_run["relations"]),
        "## Missed and wrong facts\n\nWhat to fix: each gold fact no prediction "
        "matched (FN), and each prediction that matched no gold fact (FP).",
        *(facts_section(d, "seed" if d["name"] in seed else "dev") for d in docs),
    ]
    if all_run["skipped"]:
        sections.insert(4, "Skipped (no text): " + ", ".join(all_run["skipped"]))
    return "\n\n".join(s.strip() for s in sections) + "\n"


def check_shared(shared: Path) -> tuple[Path, Path, Path]:
    """The scorer and the seed and dev folders of the shared folder.

    Raises:
        EvalError: If any of them is missing (exit status 2).
    """
    score = shared / "tools" / "score.py"
    seed, dev = shared / "corpus" / "seed", shared / "corpus" / "dev"
    for path in (shared, score, seed, dev):
        if not path.exists():
            raise EvalError(
                f"{path} not found: pass --shared DIR, the folder holding "
                "tools/score.py and corpus/seed and corpus/dev",
                2,
            )
    return score, seed, dev


def evaluate(shared: Path, output: Path) -> int:
    """Score, write the report, print the summary; return the exit status."""
    score, seed_dir, dev_dir = check_shared(shared)
    geokg = geokg_command()
    results = run_scorers(
        {
            "seed and dev": scorer_argv(score, geokg, [seed_dir, dev_dir]),
            "dev": scorer_argv(score, geokg, [dev_dir]),
        }
    )
    all_run, dev_run = results["seed and dev"], results["dev"]
    seed = gold_names(seed_dir)
    seed_docs = [d for d in all_run["documents"] if d["name"] in seed]
    scopes = [
        scope_of_documents("seed", seed_docs, SEED_TARGET_F1),
        scope_of_run("dev", dev_run, DEV_TARGET_F1),
        scope_of_run("all", all_run, None),
    ]
    dev_docs = [d for d in all_run["documents"] if d["name"] not in seed]
    if scope_of_documents("dev", dev_docs, DEV_TARGET_F1) != scopes[1]:
        print(
            "warning: the two runs disagree on dev: is extraction deterministic?",
            file=sys.stderr,
        )
    command = shown_command(score, [seed_dir, dev_dir])
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render(all_run, scopes, seed, command), encoding="utf-8")
    print("\n".join(summary_lines(scopes)))
    print(f"wrote {shown(output)}")
    failed = [
        d["name"] for d in all_run["documents"] + dev_run["documents"] if d["error"]
    ]
    for name in sorted(set(failed)):
        print(f"geokg failed on {name}: scored as no facts", file=sys.stderr)
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "extraction.md")
    args = parser.parse_args()
    try:
        sys.exit(evaluate(args.shared.resolve(), args.output.resolve()))
    except EvalError as err:
        print(f"Error: {err}", file=sys.stderr)
        sys.exit(err.exit_code)


if __name__ == "__main__":
    main()
