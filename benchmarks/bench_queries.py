"""Time the named queries: each on the demo graph (warm, median) and one cold command.

Usage: python benchmarks/bench_queries.py [--repeat N] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from report import (
    ROOT,
    geokg_command,
    machine,
    median_seconds,
    time_command,
    verdict,
    write_section,
)

WARM_TARGET_MS = 50
COLD_TARGET_MS = 700
EXAMPLE_PARAMS = {
    "entity": {"name": "Turkey"},
    "between": {"a": "Turkey", "b": "United States"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()

    from geokg.engine import open_engine
    from geokg.queries import list_queries, run_query

    graph = open_engine(ROOT / "graph", "oxigraph")
    rdflib_graph = open_engine(ROOT / "graph", "rdflib")
    rows = []
    for spec in list_queries():
        params = EXAMPLE_PARAMS.get(spec.name, {})
        run_query(graph, spec, params)  # warm: imports
        run_query(rdflib_graph, spec, params)
        ms = 1000 * median_seconds(
            lambda spec=spec, params=params: run_query(graph, spec, params), args.repeat
        )
        slow = 1000 * median_seconds(
            lambda spec=spec, params=params: run_query(rdflib_graph, spec, params),
            max(3, args.repeat // 3),
        )
        rows.append(
            f"| `{spec.name}` | {ms:.1f} ms | {slow:.0f} ms | {WARM_TARGET_MS} ms | {verdict(ms, WARM_TARGET_MS)} |"
        )
    cold_ms = 1000 * time_command(
        [*geokg_command(), "--graph", str(ROOT / "graph"), "query", "alliance-members"],
        args.repeat,
    )
    body = f"""## Queries

Machine: {machine()}. `benchmarks/bench_queries.py`: each named query on the demo graph
(`graph/`, {len(graph)} triples), median of {args.repeat} warm runs in one process with
Oxigraph (the default engine) and of at least 3 with rdflib (`--engine rdflib`), the
parameters bound and the query parsed on each run as `geokg query` does; and the whole
command `geokg query alliance-members` in a fresh process (Python start, imports, loading
the graph, the query), median of {args.repeat} runs.

| query | Oxigraph (warm) | rdflib (warm) | target | |
|---|---|---|---|---|
{chr(10).join(rows)}
| `geokg query alliance-members`, cold process | {cold_ms:.0f} ms | | {COLD_TARGET_MS} ms | {verdict(cold_ms, COLD_TARGET_MS)} |
"""
    write_section(args.output, "queries", body)
    print(body)


if __name__ == "__main__":
    main()
