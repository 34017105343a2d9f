"""Shared helpers of the benchmarks: timing, machine description, and the report file.

Each benchmark owns one section of docs/benchmarks.md, between
``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``, and rewrites only that section,
so benchmarks can run one at a time.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = """# Benchmarks

Run on demand with `make bench` (or a single script in `benchmarks/`); each script
rewrites its own section below. Figures are medians of several runs on the machine
described in each section. Targets come from the issues; a figure over its target is
marked **over target**.
"""


def machine() -> str:
    """One line describing the machine and the versions that matter."""
    versions = []
    for package in (
        "rdflib",
        "pyshacl",
        "spacy",
        "networkx",
        "pyvis",
        "click",
        "pyoxigraph",
    ):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            continue
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; " + ", ".join(versions)
    )


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``run`` over ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_command(argv: Sequence[str], repeat: int, cwd: Path = ROOT) -> float:
    """The median wall time of a command in a fresh process, in seconds."""

    def run() -> None:
        subprocess.run(list(argv), cwd=cwd, check=True, capture_output=True)

    run()  # warm the file-system cache once
    return median_seconds(run, repeat)


def geokg_command() -> list[str]:
    """The geokg console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "geokg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "geokg"]


def write_section(path: Path, name: str, body: str) -> None:
    """Replace (or append) the section ``name`` of the benchmarks report."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    text = (
        pattern.sub(lambda _: block, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + block + "\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def verdict(value: float, target: float) -> str:
    """'ok' or '**over target**' for a figure and its upper bound."""
    return "ok" if value <= target else "**over target**"
