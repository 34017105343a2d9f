"""Time the HTML view at scale: build the page, then open it in headless Chromium.

Pages: the demo graph (`graph/`, capped at 1,000 nodes), and synthetic graphs
(`benchmarks/generate.py`) large enough that `select_network` keeps 500 and 5,000
nodes. Each page is built through the library as `geokg view` builds it (median of
several builds), then loaded in Debian's Chromium, headless, with every non-file request
blocked: the time until `window.geokgStabilized` (physics done and switched off), then
whether the page still answers a call into `window.network`, and how long one frame
takes to draw.

Usage: python benchmarks/bench_view.py [--quick] [--repeat N] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generate import generate
from report import ROOT, machine, verdict, write_section

CHROMIUM = os.environ.get("GEOKG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
STABILIZE_TIMEOUT_S = 120
ANSWER_TIMEOUT_S = 10
HTML_TARGET_MB = 1.5
STABLE_TARGET_S = 5.0
#: Synthetic pages: nodes kept by select_network, and facts generated to have more.
SYNTHETIC = ((500, 1_000), (5_000, 10_000))
# Records when the page sets its flag, in the page's own clock (ms since navigation).
RECORD_STABILIZED = """
Object.defineProperty(window, "geokgStabilized", {
  configurable: true,
  get() { return window.__geokgStabilizedAt !== undefined; },
  set(value) { if (value && window.__geokgStabilizedAt === undefined) {
    window.__geokgStabilizedAt = performance.now(); } },
});
"""
FRAME_MS = """(() => { const times = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); window.network.redraw();
    times.push(performance.now() - t); }
  times.sort((a, b) => a - b); return times[2]; })()"""


@dataclass(frozen=True)
class Built:
    """A page written, and what it took."""

    name: str
    path: Path
    nodes: int
    edges: int
    dropped: int
    network_nodes: int
    build_s: float
    projection_s: float
    html_bytes: int
    triples: int


@dataclass(frozen=True)
class Loaded:
    """A page in the browser: when it stabilised, and whether it answered after."""

    stabilized_s: float | None
    answer_ms: float | None
    frame_ms: float | None
    requests: int
    errors: tuple[str, ...]


def build_page(
    name: str, folder: Path, max_nodes: int, out: Path, repeat: int
) -> Built:
    """Build the page of ``folder`` as `geokg view` does, ``repeat`` times."""
    from geokg.engine import open_engine
    from geokg.network import to_networkx
    from geokg.view import select_network, write_view

    totals, projections = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        engine = open_engine(folder)
        full = to_networkx(engine)
        projected = time.perf_counter()
        net, dropped, summary = select_network(full, max_nodes=max_nodes)
        result = write_view(
            net, out, title=f"geokg {name}", summary=summary, dropped=dropped
        )
        totals.append(time.perf_counter() - start)
        projections.append(projected - start)
    return Built(
        name=name,
        path=out,
        nodes=result.nodes,
        edges=result.edges,
        dropped=dropped,
        network_nodes=full.number_of_nodes(),
        build_s=statistics.median(totals),
        projection_s=statistics.median(projections),
        html_bytes=out.stat().st_size,
        triples=len(engine),
    )


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright (no browser is downloaded)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        raise SystemExit(f"Chromium not found at {CHROMIUM}: install Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def load_page(browser: Any, path: Path) -> Loaded:
    """Open a page, wait for it to stabilise, then check that it answers."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport=VIEWPORT)
    requests: list[str] = []
    errors: list[str] = []

    def route(handle: Any) -> None:
        if handle.request.url.startswith("file://"):
            handle.continue_()
        else:
            requests.append(handle.request.url)
            handle.abort()

    context.route("**/*", route)
    context.add_init_script(RECORD_STABILIZED)
    page = context.new_page()
    page.on("pageerror", lambda err: errors.append(str(err).splitlines()[0]))
    deadline = time.perf_counter() + STABILIZE_TIMEOUT_S
    stabilized_s = answer_ms = frame_ms = None
    try:
        try:
            page.goto(path.as_uri(), timeout=STABILIZE_TIMEOUT_S * 1000)
            left = max(1.0, deadline - time.perf_counter())
            page.wait_for_function(
                "window.geokgStabilized === true", timeout=left * 1000, polling=100
            )
            stabilized_s = page.evaluate("window.__geokgStabilizedAt") / 1000
        except PlaywrightTimeout:
            pass
        start = time.perf_counter()
        try:
            page.wait_for_function(
                "Array.isArray(window.network.getSelectedNodes())",
                timeout=ANSWER_TIMEOUT_S * 1000,
            )
            answer_ms = 1000 * (time.perf_counter() - start)
            if stabilized_s is not None:
                frame_ms = float(page.evaluate(FRAME_MS))
        except PlaywrightTimeout:
            pass
    finally:
        context.close()
    return Loaded(stabilized_s, answer_ms, frame_ms, len(requests), tuple(errors))


def row(built: Built, loaded: Loaded, target: bool) -> str:
    """One line of the table; the 500-node page is held to the issue's targets."""
    mb = built.html_bytes / 1e6
    size = f"{mb:.2f} MB" + (f" ({verdict(mb, HTML_TARGET_MB)})" if target else "")
    if loaded.stabilized_s is None:
        stable = f"**timeout** (> {STABILIZE_TIMEOUT_S} s)"
    else:
        stable = f"{loaded.stabilized_s:.2f} s"
        if target:
            stable += f" ({verdict(loaded.stabilized_s, STABLE_TARGET_S)})"
    answers = (
        f"yes, {loaded.answer_ms:.0f} ms"
        if loaded.answer_ms is not None
        else f"**no** (> {ANSWER_TIMEOUT_S} s)"
    )
    frame = f"{loaded.frame_ms:.0f} ms" if loaded.frame_ms is not None else "-"
    shown = f"{built.nodes:,} of {built.network_nodes:,}"
    return (
        f"| {built.name} | {built.triples:,} | {shown} | {built.edges:,} | {size} | "
        f"{built.build_s:.2f} s ({built.projection_s:.2f} s) | {stable} | {answers} | "
        f"{frame} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="skip the 5,000-node page")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    cases = [(n, f) for n, f in SYNTHETIC if not (args.quick and n > 1_000)]
    rows, problems = [], []
    with tempfile.TemporaryDirectory(prefix="geokg-bench-view-") as tmp:
        scratch = Path(tmp)
        pages = [
            build_page(
                "demo (`graph/`)",
                ROOT / "graph",
                1_000,
                scratch / "demo.html",
                args.repeat,
            )
        ]
        for max_nodes, facts in cases:
            folder = scratch / f"synthetic-{facts}"
            generate(folder, facts)
            page = build_page(
                f"synthetic, {facts:,} facts, `--max-nodes {max_nodes}`",
                folder,
                max_nodes,
                scratch / f"synthetic-{max_nodes}.html",
                args.repeat,
            )
            if page.nodes != max_nodes:
                raise SystemExit(
                    f"{facts} facts gave {page.nodes} nodes, not {max_nodes}"
                )
            pages.append(page)
        with chromium() as browser:
            for page in pages:
                loaded = load_page(browser, page.path)
                rows.append(row(page, loaded, target=page.nodes == 500))
                if loaded.requests or loaded.errors:
                    problems.append(
                        f"{page.name}: {loaded.requests} requests, errors {list(loaded.errors)}"
                    )
    vis_mb = _vis_bytes() / 1e6
    notes = "".join(f"\n- **{p}**" for p in problems)
    body = f"""## View

Machine: {machine()}; Chromium {_chromium_version()}, headless. `benchmarks/bench_view.py`:
each page built through the library as `geokg view` builds it (`open_engine`,
`to_networkx`, `select_network(max_nodes=N)`, `write_view`), median of {args.repeat}
builds, the load and network projection alone in brackets; the synthetic graphs come
from `benchmarks/generate.py` (seed 7, 500 facts a file). Each page is then opened once
in Chromium ({VIEWPORT["width"]}x{VIEWPORT["height"]}, non-file requests blocked):
*stabilised* is the page's own clock (since navigation) when it sets
`window.geokgStabilized` (physics done and switched off; timeout {STABILIZE_TIMEOUT_S} s);
*answers* is how long `window.network.getSelectedNodes()` took to return right after;
*frame* is the median time of `network.redraw()`, one full draw, as panning or zooming
costs. HTML sizes are in 10^6 bytes; {vis_mb:.2f} MB of every page is vis-network's
inlined script and style. Targets (the 500-node page): at most {HTML_TARGET_MB} MB and
interactive within {STABLE_TARGET_S:.0f} s; a 5,000-node page must still be usable.

| page | triples | nodes | edges | HTML | build (load + projection) | stabilised | answers | frame |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
{notes}
"""
    write_section(args.output, "view", body)
    print(body)


def _vis_bytes() -> int:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return sum(
        len((lib / name).read_text(encoding="utf-8").encode("utf-8"))
        for name in ("vis-network.min.js", "vis-network.css")
    )


def _chromium_version() -> str:
    import subprocess

    try:
        out = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "(version unknown)"
    return out.split()[1] if len(out.split()) > 1 else out.strip()


if __name__ == "__main__":
    main()
