"""Time the command line: `geokg --help` and `geokg stats` on the demo graph.

Usage: python benchmarks/bench_cli.py [--repeat N] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from report import ROOT, geokg_command, machine, time_command, verdict, write_section

HELP_TARGET_MS = 150


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    geokg = geokg_command()
    graph = ROOT / "graph"
    help_ms = 1000 * time_command([*geokg, "--help"], args.repeat)
    stats_ms = 1000 * time_command(
        [*geokg, "--graph", str(graph), "stats"], args.repeat
    )
    body = f"""## Command line

Machine: {machine()}. Median of {args.repeat} runs, each in a fresh process
(`benchmarks/bench_cli.py`).

| command | median | target | |
|---|---|---|---|
| `geokg --help` | {help_ms:.0f} ms | {HELP_TARGET_MS} ms | {verdict(help_ms, HELP_TARGET_MS)} |
| `geokg stats` on the demo graph (`graph/`) | {stats_ms:.0f} ms | | |
"""
    write_section(args.output, "cli", body)
    print(body)


if __name__ == "__main__":
    main()
