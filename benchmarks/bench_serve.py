"""Load test of `geokg serve` on loopback: concurrent clients running named queries.

Usage: python benchmarks/bench_serve.py [--clients 8] [--requests 400]
                                        [--graph graph] [--output docs/benchmarks.md]

Starts `geokg serve --port 0` on the graph in a subprocess, then runs a bounded number
of requests (--requests, spread over --clients threads, each cycling through every
named query that needs no parameter) and reports throughput, p50 and p99 latency, and
errors. Loopback only; the run stops after --requests or --max-seconds, whichever
comes first.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from report import ROOT, machine, write_section

sys.path.insert(0, str(ROOT / "src"))

from geokg.queries import list_queries


def start_server(graph: Path) -> tuple[subprocess.Popen[str], str]:
    """Start `geokg serve` on a free port; return the process and its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "geokg", "--graph", str(graph), "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if " at " not in line:
        proc.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return proc, line.split(" at ", 1)[1].split("/ ", 1)[0]


def main() -> None:
    """Run the load test and write its section of the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--graph", type=Path, default=ROOT / "graph")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    names = [s.name for s in list_queries() if all(p.default for p in s.params)]
    proc, base = start_server(args.graph)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(args.requests))
    deadline = time.monotonic() + args.max_seconds

    def client() -> None:
        for index in counter:
            if time.monotonic() > deadline:
                return
            url = f"{base}/queries/{names[index % len(names)]}"
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except (urllib.error.URLError, OSError) as err:
                ok = False
                with lock:
                    errors.append(str(err))
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)

    try:
        urllib.request.urlopen(f"{base}/queries/{names[0]}", timeout=30).read()  # warm
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    done = len(latencies)
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000 if ordered else 0.0
    p99 = (
        ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
        if ordered
        else 0.0
    )
    lines = [
        "## SPARQL endpoint under load",
        "",
        f"Machine: {machine()}. `benchmarks/bench_serve.py`: `geokg serve` on the demo "
        f"graph, {args.clients} client threads on loopback cycling through the "
        f"{len(names)} named queries that need no parameter, {done} requests.",
        "",
        "| clients | requests | errors | throughput | p50 | p99 |",
        "|---|---|---|---|---|---|",
        f"| {args.clients} | {done} | {len(errors)} | {done / wall:.0f} requests/s "
        f"| {p50:.0f} ms | {p99:.0f} ms |",
    ]
    if errors:
        lines += ["", f"First error: `{errors[0]}`"]
    write_section(args.output, "serve", "\n".join(lines))
    print("\n".join(lines[-1:]))
    if errors:
        raise SystemExit(f"{len(errors)} requests failed")


if __name__ == "__main__":
    main()
