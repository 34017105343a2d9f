"""Time geokg at scale: synthetic graphs of about 10k, 100k and 1M triples.

For each size (`benchmarks/generate.py`, cached under `build/bench-scale/`, keyed by the
number of facts and a hash of the generator and the geokg code it writes through):

- the load time and peak RSS of geokg's Oxigraph engine (in memory, and through the
  persistent index where `geokg.index` exists), of plain pyoxigraph and of plain
  rdflib, each in a fresh process that reports its own peak RSS (`VmHWM`);
- every named query of `queries/*.rq`, run through `geokg.queries.run_query` on
  Oxigraph and on rdflib, with parameter values picked from the graph (the entity with
  the most facts in the query's role), and the ratio rdflib/Oxigraph;
- the command line: `geokg --help`, a cold `geokg query` on the demo graph, a cold
  `geokg query` on the 1M graph twice (the first run may build the persistent index),
  and `geokg view --focus ... --depth 2` and `geokg view --max-nodes 500` on the 1M graph.

The figures are set against the issue's targets ("Speed and scale"), with the measured
parts of each miss. Queries get a time limit (--timeout, 30 s); a query that timed out
on rdflib at one size is not run again at a larger one (it cannot get faster on more
data). Slow runs are not repeated (loads and commands over 10 s, queries over 2 s), and
rdflib loads the largest graph once, which keeps the whole run near 20 minutes on a
2-core machine (the first run adds about 90 s to generate the 1M graph). It rewrites
the "scale" section of docs/benchmarks.md; --quick (10k and 100k only) just prints.

Usage: python benchmarks/bench_scale.py [--repeat N] [--timeout S] [--quick]
                                        [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata, util
from pathlib import Path
from typing import Any

from report import ROOT, geokg_command, write_section

#: Nominal size, and the facts that give about that many distinct triples.
SIZES: tuple[tuple[str, int], ...] = (("10k", 600), ("100k", 6_000), ("1M", 60_000))
CACHE = ROOT / "build" / "bench-scale"
SEED = 7
PER_FILE = 500

LOAD_TARGETS_S = {"100k": 1.5, "1M": 10.0}
RSS_TARGET_MB = {"1M": 1200.0}
QUERY_TARGETS_MS = {"100k": 50.0, "1M": 1000.0}
RATIO_TARGET = 10.0
RATIO_SIZES = ("100k", "1M")
VIEW_TARGET_S = 5.0
HELP_TARGET_S = 0.15
VIEW_TARGET_MB = 2.0
#: Stop repeating a load or a command once one run has taken this long, seconds;
#: and a query once one run has taken LONG_QUERY_S (keeps the run near 20 minutes).
LONG_RUN_S = 10.0
LONG_QUERY_S = 2.0
CHILD_TIMEOUT_S = 3600

ENGINES = ("oxigraph", "index", "pyoxigraph", "rdflib")
ENGINE_NAMES = {
    "oxigraph": "geokg Oxigraph engine, in memory (`GEOKG_INDEX=0`)",
    "index": "geokg Oxigraph engine, persistent index",
    "pyoxigraph": "plain pyoxigraph (`Store().bulk_load` of each file)",
    "rdflib": "plain rdflib (`Graph().parse` of each file)",
}

PREFIXES = """PREFIX geokg: <https://w3id.org/geokg/ns#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
#: For each query with parameters, a SPARQL query over the graph whose first row gives
#: the values: the entity (or pair) with the most facts in the query's role. Variables
#: are named after the parameters; ties go to the smallest IRI.
PICKERS: dict[str, str] = {
    "acquisitions": """SELECT ?buyer (COUNT(*) AS ?n)
        WHERE { ?f a geokg:ArmsAcquisition ; geokg:buyer ?buyer } GROUP BY ?buyer""",
    "alliance-members": """SELECT ?alliance (COUNT(*) AS ?n)
        WHERE { ?f a geokg:Membership ; org:organization ?alliance ; org:member ?m .
            ?m a geokg:State }
        GROUP BY ?alliance""",
    "between": """SELECT ?a ?b (COUNT(*) AS ?n)
        WHERE { ?f geokg:subject ?a ; geokg:object ?b FILTER(?a != ?b) }
        GROUP BY ?a ?b""",
    "deliveries": """SELECT ?recipient (COUNT(*) AS ?n)
        WHERE { ?f a geokg:ArmsDelivery ; geokg:recipient ?recipient }
        GROUP BY ?recipient""",
    "entity": """SELECT ?name (COUNT(*) AS ?n)
        WHERE { ?f geokg:subject|geokg:object ?name } GROUP BY ?name""",
    "evidence-for": """SELECT ?subject ?relation ?object (COUNT(*) AS ?n)
        WHERE { ?f a geokg:SanctionThreat ; geokg:subject ?subject ;
            geokg:object ?object BIND("threatensSanctions" AS ?relation) }
        GROUP BY ?subject ?relation ?object""",
    "members-using-foreign-weapons": """SELECT ?alliance ?origin (COUNT(*) AS ?n)
        WHERE { ?ms a geokg:Membership ; org:organization ?alliance ; org:member ?m .
            ?m a geokg:State .
            ?o a geokg:CountryOfOrigin ; geokg:weaponSystem ?w ; geokg:country ?origin .
            ?op a geokg:SystemOperation ; geokg:operator ?m ; geokg:weaponSystem ?w }
        GROUP BY ?alliance ?origin""",
    "opposition": """SELECT ?target (COUNT(*) AS ?n)
        WHERE { ?f a geokg:Opposition ; geokg:object ?target } GROUP BY ?target""",
    "proposals": """SELECT ?proposer (COUNT(*) AS ?n)
        WHERE { ?f a geokg:Proposal ; geokg:proposer ?proposer } GROUP BY ?proposer""",
    "refusals": """SELECT ?recipient (COUNT(*) AS ?n)
        WHERE { ?f a geokg:RefusalToSell ; geokg:recipient ?recipient }
        GROUP BY ?recipient""",
    "sanction-conditions": """SELECT ?target (COUNT(*) AS ?n)
        WHERE { ?f geokg:condition ?c ; geokg:sanctionTarget ?target }
        GROUP BY ?target""",
    "sanction-threats": """SELECT ?target (COUNT(*) AS ?n)
        WHERE { ?f a geokg:SanctionThreat ; geokg:sanctionTarget ?target }
        GROUP BY ?target""",
    "statements-by": """SELECT ?speaker (COUNT(*) AS ?n)
        WHERE { ?f a geokg:Statement ; geokg:speaker ?speaker } GROUP BY ?speaker""",
    "system-threats": """SELECT ?system (COUNT(*) AS ?n)
        WHERE { { ?f a geokg:ThreatAssessment ; geokg:threatSource ?system }
            UNION { ?f a geokg:InteroperabilityAssessment ; geokg:weaponSystem ?system }
            ?system a geokg:WeaponSystem }
        GROUP BY ?system""",
}
#: The query of the cold command-line runs on the 1M graph.
CLI_QUERY = "acquisitions"
DEMO_QUERY = "alliance-members"


# ---- the child process: one engine, one graph ------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB (10^6 bytes)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def emit(record: dict[str, Any]) -> None:
    """One JSON line to the parent, at once: a killed child still leaves its results."""
    print(json.dumps(record, sort_keys=True), flush=True)


def load(engine: str, folder: Path) -> tuple[Any, int]:
    """Load ``folder`` with ``engine``; return the loaded object and its triple count."""
    if engine in ("oxigraph", "index"):
        from geokg.engine import open_engine

        loaded: Any = open_engine(folder, "oxigraph")
        used_index = getattr(loaded, "index", None) is not None
        if (engine == "index") != used_index:
            raise SystemExit(f"{engine}: the engine did not use the expected store")
        triples = len(loaded.store) if engine == "oxigraph" else -1
        return loaded, triples
    files = sorted(folder.glob("*.ttl"))
    if engine == "pyoxigraph":
        import pyoxigraph as ox

        store = ox.Store()
        for path in files:
            store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        return store, len(store)
    from rdflib import Graph

    from geokg.engine import RdflibEngine

    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return RdflibEngine(graph), len(graph)


def child(args: argparse.Namespace) -> None:
    """Load one graph with one engine; with --queries, then run every named query."""
    for module in ("geokg.engine", "geokg.queries", "pyoxigraph", "rdflib"):
        importlib.import_module(module)  # imports are not load time

    rss_imports = peak_rss_mb()
    start = time.perf_counter()
    loaded, triples = load(args.engine, args.folder)
    load_s = time.perf_counter() - start
    emit(
        {
            "kind": "load",
            "load_s": load_s,
            "rss_mb": peak_rss_mb(),
            "rss_imports_mb": rss_imports,
            "triples": triples,
        }
    )
    if not args.queries:
        return
    params = json.loads(args.params) if args.params else pick_params(loaded)
    emit({"kind": "params", "params": params})
    run_queries(loaded, params, args)
    emit({"kind": "end", "rss_mb": peak_rss_mb()})


def pick_params(engine: Any) -> dict[str, dict[str, str]]:
    """Parameter values for every named query, picked from the graph (see PICKERS).

    Entities are given by label, as a user types them, unless the label names
    several entities; then by IRI.
    """
    from rdflib import URIRef

    from geokg.errors import NotFoundError
    from geokg.queries import list_queries, resolve_entity, spec_from_text

    names = engine.names()
    chosen: dict[str, dict[str, str]] = {}
    for spec in list_queries():
        if not spec.params:
            continue
        if spec.name not in PICKERS:
            if all(p.default for p in spec.params):
                continue  # the defaults, if the graph has them
            raise SystemExit(
                f"query {spec.name!r} has parameters without defaults: add a picker "
                "for it to PICKERS in benchmarks/bench_scale.py"
            )
        text = f"{PREFIXES}{PICKERS[spec.name]}\nORDER BY DESC(?n) LIMIT 1"
        picked = engine.run(spec_from_text(text, f"pick-{spec.name}"), {}, None)
        if not picked.terms:
            raise SystemExit(f"no values in the graph for query {spec.name!r}")
        row = dict(zip(picked.variables, picked.terms[0], strict=True))
        values: dict[str, str] = {}
        for param in spec.params:
            term = row[param.name]
            if isinstance(term, URIRef):
                label = engine.labels([term]).get(str(term))
                try:
                    same = (
                        label is not None
                        and resolve_entity(engine, label, names) == term
                    )
                except NotFoundError:
                    same = False
                values[param.name] = label if same and label else str(term)
            else:
                values[param.name] = str(term)
        chosen[spec.name] = values
    return chosen


def run_queries(
    engine: Any, params: dict[str, dict[str, str]], args: argparse.Namespace
) -> None:
    """Time every named query (median of up to --repeat runs), with a breakdown on
    Oxigraph: binding the parameters, Oxigraph's own evaluation, and the rest
    (converting the rows to rdflib terms and looking up their labels)."""
    from geokg.errors import GeokgError
    from geokg.queries import (
        QueryTimeout,
        bind_params,
        list_queries,
        run_query,
        spec_from_text,
    )

    skip = set(args.skip.split(",")) if args.skip else set()
    warm = spec_from_text("SELECT ?s WHERE { ?s a <urn:geokg:none> }", "warm-up")
    run_query(engine, warm, {})
    for spec in list_queries():
        given = params.get(spec.name, {})
        record: dict[str, Any] = {"kind": "query", "name": spec.name, "params": given}
        if spec.name in skip:
            emit({**record, "skipped": True})
            continue
        totals, binds, evals = [], [], []
        rows = 0
        timed_out = False
        error = None
        for _ in range(args.repeat):
            start = time.perf_counter()
            try:
                result = run_query(engine, spec, given, timeout=args.timeout)
            except QueryTimeout:
                timed_out = True
                break
            except GeokgError as err:  # a query being edited: report it, go on
                error = str(err).splitlines()[0]
                break
            totals.append(time.perf_counter() - start)
            rows = (
                len(result.terms)
                if result.kind == "SELECT"
                else len(result.graph or ())
            )
            if hasattr(engine, "store"):
                start = time.perf_counter()
                bindings = bind_params(spec, engine, given)
                binds.append(time.perf_counter() - start)
                evals.append(oxigraph_eval(engine, spec, bindings))
            if totals[-1] > LONG_QUERY_S:
                break
        record.update(
            {
                "timed_out": timed_out,
                "error": error,
                "runs": len(totals),
                "total_s": statistics.median(totals) if totals else None,
                "bind_s": statistics.median(binds) if binds else None,
                "eval_s": statistics.median(evals) if evals else None,
                "rows": rows,
            }
        )
        emit(record)


def oxigraph_eval(engine: Any, spec: Any, bindings: dict[Any, Any]) -> float:
    """Oxigraph's own time for a query: evaluate it and read every value, no more."""
    import pyoxigraph as ox

    from geokg.engine import to_oxigraph

    substitutions = {ox.Variable(str(k)): to_oxigraph(v) for k, v in bindings.items()}
    start = time.perf_counter()
    result = engine.store.query(spec.text, substitutions=substitutions or None)
    if isinstance(result, ox.QuerySolutions):
        width = len(result.variables)
        for solution in result:
            for index in range(width):
                solution[index]  # reading each value is part of the cost
    elif not isinstance(result, ox.QueryBoolean):
        for _ in result:
            pass
    return time.perf_counter() - start


# ---- the parent: graphs, children, commands, the report --------------------------------


@dataclass
class Size:
    """One synthetic graph and what was measured on it."""

    name: str
    facts: int
    folder: Path
    files: int = 0
    written: int = 0
    triples: int = 0
    reused: bool = False
    loads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    queries: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    end_rss: dict[str, float] = field(default_factory=dict)
    params: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    load_average: float = 0.0


def generator_key() -> str:
    """A hash of the generator, the geokg modules it writes through, and the lexicon:
    a cached graph is reused only if all of them are unchanged."""
    import generate

    digest = hashlib.sha256()
    sources = {Path(generate.__file__).resolve()}
    for name, module in sorted(sys.modules.items()):
        source = getattr(module, "__file__", None)
        if (name == "geokg" or name.startswith("geokg.")) and source:
            sources.add(Path(source).resolve())
    from geokg.resources import lexicons_dir

    sources.add((lexicons_dir() / "states.tsv").resolve())
    for path in sorted(sources):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(f"seed={SEED} per_file={PER_FILE}".encode())
    return digest.hexdigest()[:12]


def ensure_graph(name: str, facts: int, key: str) -> Size:
    """The cached synthetic graph of ``facts`` facts, generated if missing or stale."""
    from generate import generate

    folder = CACHE / "graphs" / f"{facts}-facts-{key}"
    meta = folder.with_suffix(".json")
    reused = folder.is_dir() and meta.is_file()
    if not reused:
        for stale in (CACHE / "graphs").glob(f"{facts}-facts-*"):
            if stale.is_dir():
                shutil.rmtree(stale)
            else:
                stale.unlink()
        scratch = CACHE / "graphs" / f".{facts}-facts-{key}.tmp"
        shutil.rmtree(scratch, ignore_errors=True)
        start = time.perf_counter()
        written = generate(scratch, facts, per_file=PER_FILE, seed=SEED)
        took = time.perf_counter() - start
        os.replace(scratch, folder)
        meta.write_text(
            json.dumps({"facts": facts, "written": written, "generate_s": took}) + "\n"
        )
        print(
            f"generated {folder} ({written:,} triples) in {took:.0f} s", file=sys.stderr
        )
    data = json.loads(meta.read_text())
    return Size(
        name,
        facts,
        folder,
        files=len(list(folder.glob("*.ttl"))),
        written=data["written"],
        reused=reused,
    )


def child_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("GEOKG_ENGINE", "GEOKG_GRAPH", "GEOKG_INDEX", "GEOKG_CACHE_DIR")
    }
    env.update(extra)
    return env


def run_child(
    engine: str,
    folder: Path,
    env: dict[str, str],
    *,
    queries: bool = False,
    params: dict[str, Any] | None = None,
    skip: Sequence[str] = (),
    repeat: int = 3,
    timeout: float = 30.0,
) -> list[dict[str, Any]]:
    """Run one child process; return its records (as many as it wrote if it failed)."""
    argv = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        "--engine",
        engine,
        "--folder",
        str(folder),
        "--repeat",
        str(repeat),
        "--timeout",
        str(timeout),
    ]
    if queries:
        argv.append("--queries")
    if params is not None:
        argv += ["--params", json.dumps(params, sort_keys=True)]
    if skip:
        argv += ["--skip", ",".join(sorted(skip))]
    try:
        done = subprocess.run(
            argv,
            env=env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
            cwd=ROOT,
        )
        out, err, code = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as expired:
        out = _text(expired.stdout)
        err, code = f"killed after {CHILD_TIMEOUT_S} s", -9
    records = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    if code != 0:
        last = (err.strip().splitlines() or ["no message"])[-1]
        records.append({"kind": "failed", "message": f"exit {code}: {last}"})
        print(f"{engine} on {folder.name} failed: {err}", file=sys.stderr)
    return records


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data.decode() if isinstance(data, bytes) else data


def measure_size(
    size: Size, args: argparse.Namespace, timed_out: set[str], has_index: bool
) -> None:
    """Load and query one graph with every engine, each run in a fresh process."""
    size.load_average = os.getloadavg()[0]
    scratch = Path(tempfile.mkdtemp(prefix="geokg-bench-scale-"))
    try:
        memory = child_env(GEOKG_INDEX="0")
        records = run_child(
            "oxigraph",
            size.folder,
            memory,
            queries=True,
            repeat=args.repeat,
            timeout=args.timeout,
        )
        take(size, "oxigraph", records)
        size.params = next((r["params"] for r in records if r["kind"] == "params"), {})
        for _ in range(args.repeat - 1):
            take(size, "oxigraph", run_child("oxigraph", size.folder, memory))
        for _ in range(args.repeat):
            take(size, "pyoxigraph", run_child("pyoxigraph", size.folder, memory))
        if has_index:
            build_s = 0.0
            for run in range(args.repeat):
                if run == 0 or build_s <= LONG_RUN_S:
                    cache = scratch / f"cache-{run}"
                    env = child_env(GEOKG_INDEX="1", GEOKG_CACHE_DIR=str(cache))
                    records = run_child("index", size.folder, env)
                    take(size, "index-build", records)
                    loads = [r["load_s"] for r in records if r["kind"] == "load"]
                    if not loads:
                        break
                    build_s = loads[0]
                elif run == 1:
                    size.notes.append(
                        f"The index of the {size.name} graph was built once only "
                        f"({build_s:.0f} s); it was reopened {args.repeat} times."
                    )
                take(
                    size,
                    "index",
                    run_child(
                        "index",
                        size.folder,
                        env,
                        queries=run == 0,
                        params=size.params,
                        repeat=args.repeat,
                        timeout=args.timeout,
                    ),
                )
        skip = sorted(timed_out)
        records = run_child(
            "rdflib",
            size.folder,
            memory,
            queries=True,
            params=size.params,
            skip=skip,
            repeat=args.repeat,
            timeout=args.timeout,
        )
        take(size, "rdflib", records)
        first = size.loads["rdflib"][0]["load_s"] if size.loads.get("rdflib") else 0
        if first > 3 * LONG_RUN_S:
            size.notes.append(
                f"rdflib loaded the {size.name} graph once only ({first:.0f} s)."
            )
        else:
            for _ in range(args.repeat - 1):
                take(size, "rdflib", run_child("rdflib", size.folder, memory))
        for name, record in size.queries.get("rdflib", {}).items():
            if record.get("timed_out"):
                timed_out.add(name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def take(size: Size, engine: str, records: list[dict[str, Any]]) -> None:
    """File a child's records under its engine."""
    for record in records:
        if record["kind"] == "load":
            size.loads.setdefault(engine, []).append(record)
            if record["triples"] > 0:
                size.triples = record["triples"]
        elif record["kind"] == "query":
            size.queries.setdefault(engine, {})[record["name"]] = record
            if record.get("error"):
                size.notes.append(
                    f"`{record['name']}` failed on {engine} at {size.name}: "
                    f"{record['error']}"
                )
        elif record["kind"] == "end":
            size.end_rss[engine] = record["rss_mb"]
        elif record["kind"] == "failed":
            size.notes.append(
                f"{ENGINE_NAMES.get(engine, engine)}: {record['message']}"
            )


@dataclass(frozen=True)
class Command:
    """A command run in a fresh process: wall times, peak RSS, output size."""

    seconds: list[float]
    rss_mb: list[float]
    output_bytes: int = 0
    failed: str = ""

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def run_command(
    argv: Sequence[str], env: dict[str, str], repeat: int, output: Path | None = None
) -> Command:
    """Run a command ``repeat`` times; time each run and read its peak RSS (wait4)."""
    seconds: list[float] = []
    rss: list[float] = []
    for _ in range(repeat):
        with tempfile.TemporaryFile() as sink, tempfile.TemporaryFile() as errors:
            start = time.perf_counter()
            process = subprocess.Popen(
                list(argv), cwd=ROOT, env=env, stdout=sink, stderr=errors
            )
            timer = threading.Timer(CHILD_TIMEOUT_S, process.kill)
            timer.start()
            _, status, usage = os.wait4(process.pid, 0)
            timer.cancel()
            elapsed = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                errors.seek(0)
                last = errors.read().decode(errors="replace").strip().splitlines()
                return Command(
                    seconds,
                    rss,
                    failed=f"exit {process.returncode}: {last[-1] if last else ''}",
                )
            seconds.append(elapsed)
            rss.append(usage.ru_maxrss * 1024 / 1e6)
            size = output.stat().st_size if output else sink.tell()
        if elapsed > LONG_RUN_S:
            break
    return Command(seconds, rss, output_bytes=size)


# ---- formatting -------------------------------------------------------------------------


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    value = 1000 * seconds
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def judge(value: float, target: float, unit: str, show: Any = None) -> str:
    """'met (x% under)' or '**missed** by d (+x%)' for a figure and its upper bound."""
    shown = show or (lambda v: f"{v:,.2f} {unit}")
    if value < target:
        return f"met ({100 * (target - value) / target:.0f}% under)"
    return f"**missed** by {shown(value - target)} (+{100 * (value - target) / target:.0f}%)"


def median_of(records: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(r[key] for r in records))


def machine_lines() -> list[str]:
    """CPU model, cores, RAM, OS, and the versions that matter."""
    cpu = platform.processor() or platform.machine()
    ram = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    try:
        release = platform.freedesktop_os_release()
        system = f"{release.get('PRETTY_NAME', '')}, {system}"
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("geokg", "pyoxigraph", "rdflib")
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM: {ram}",
        f"- OS: {system}",
        f"- Python {platform.python_version()}; {versions}",
    ]


def parts_of(record: dict[str, Any]) -> dict[str, float]:
    """A query's time on Oxigraph in parts: binding, evaluation, the rest."""
    total = record["total_s"] or 0.0
    bind = record["bind_s"] or 0.0
    evaluation = record["eval_s"] or 0.0
    return {
        "binding": bind,
        "evaluation": evaluation,
        "conversion": max(total - bind - evaluation, 0.0),
    }


PART_NAMES = {
    "binding": "binding the parameters",
    "evaluation": "Oxigraph's evaluation",
    "conversion": "converting rows to rdflib terms and looking up labels",
}


def breakdown_rows(size: Size, target_s: float) -> list[str]:
    """Where the time of each query over its target went, on each store."""
    lines = []
    for name in sorted(size.queries.get("oxigraph", {})):
        for engine in ("oxigraph", "index"):
            record = size.queries.get(engine, {}).get(name)
            if not record or record.get("total_s") is None:
                continue
            if record["total_s"] < target_s or record.get("eval_s") is None:
                continue
            parts = parts_of(record)
            store = "memory" if engine == "oxigraph" else "index"
            lines.append(
                f"| {size.name} | `{name}` | {store} | {ms(record['total_s'])} | "
                f"{ms(parts['binding'])} | {ms(parts['evaluation'])} | "
                f"{ms(parts['conversion'])} | {record['rows']:,} |"
            )
    return lines


def query_summary(size: Size, target_s: float, over: list[str]) -> str:
    """Why queries miss their target at one size, from the measured parts."""
    memory = size.queries.get("oxigraph", {})
    index = size.queries.get("index", {})
    in_memory = [q for q in over if (memory[q].get("total_s") or 0.0) >= target_s]
    largest: dict[str, list[str]] = {key: [] for key in PART_NAMES}
    for query in over:
        record = size.queries[slowest_engine(query, size)][query]
        if record.get("eval_s") is None:
            continue
        parts = parts_of(record)
        largest[max(parts, key=lambda key: parts[key])].append(query)
    slower = [
        index[q]["total_s"] / memory[q]["total_s"]
        for q in over
        if q in index and index[q].get("total_s") and memory[q].get("total_s")
    ]
    text = f"At {size.name}, {len(over)} queries are over {ms(target_s)}"
    if index:
        names = ", ".join(f"`{q}`" for q in in_memory)
        text += f"; {len(in_memory)} of them in memory too" + (
            f" ({names})" if names else ""
        )
    if slower:
        text += (
            ". On the persistent index these queries take "
            f"{statistics.median(slower):.1f}x their in-memory time (median)"
        )
    shares = [
        f"{PART_NAMES[key]} for {len(found)}" for key, found in largest.items() if found
    ]
    return (
        text
        + ". The largest part, on the slower store, is "
        + ", ".join(shares)
        + " (the breakdown above; binding resolves each label through "
        "`engine.names()`, which reads every label of the graph)."
    )


def write_report(
    sizes: list[Size],
    commands: list[Timed],
    view_whys: list[str],
    args: argparse.Namespace,
    has_index: bool,
    wall_s: float,
) -> str:
    averages = ", ".join(f"{size.name} {size.load_average:.1f}" for size in sizes)
    lines = [
        "## Scale",
        "",
        "`benchmarks/bench_scale.py` (run by `make bench`; it took "
        f"{wall_s / 60:.0f} min here). Machine:",
        "",
        *machine_lines(),
        f"- Load average (1 min) as each size began: {averages}; at the end "
        f"{os.getloadavg()[0]:.1f}. The machine is shared: trust ratios more than "
        "absolute times.",
        "",
        f"Synthetic graphs from `benchmarks/generate.py` (seed {SEED}, {PER_FILE} facts a "
        "file), cached in `build/bench-scale/graphs/` by number of facts and a hash of the "
        "generator and the geokg code it writes through. *Triples* is the merged graph "
        "(an entity described in several files counts once); *written* sums the files.",
        "",
        "| size | facts | files | triples written | triples |",
        "|---|---|---|---|---|",
    ]
    for size in sizes:
        lines.append(
            f"| {size.name} | {size.facts:,} | {size.files} | {size.written:,} | "
            f"{size.triples:,} |"
        )
    lines += [
        "",
        "### Load",
        "",
        f"Each load in a fresh process, median of {args.repeat} (fewer where noted); peak "
        "RSS is the process's `VmHWM` after the load (Python, imports and the graph; "
        "the imports alone in brackets), in MB of 10^6 bytes. The persistent index is "
        "timed twice per run: built from nothing in a fresh cache folder, then reopened.",
        "",
        "| size | engine | load | peak RSS | runs |",
        "|---|---|---|---|---|",
    ]
    labels = {
        **ENGINE_NAMES,
        "index-build": "geokg Oxigraph engine, persistent index: first open (builds it)",
        "index": "geokg Oxigraph engine, persistent index: reopened",
    }
    order = ("oxigraph", "index-build", "index", "pyoxigraph", "rdflib")
    for size in sizes:
        for engine in order:
            records = size.loads.get(engine)
            if not records:
                continue
            lines.append(
                f"| {size.name} | {labels[engine]} | {secs(median_of(records, 'load_s'))} | "
                f"{median_of(records, 'rss_mb'):,.0f} MB "
                f"({median_of(records, 'rss_imports_mb'):,.0f} MB) | {len(records)} |"
            )
    if not has_index:
        lines += ["", "The persistent index (`geokg.index`) is not in this checkout."]

    targets, whys = target_rows(sizes, args.timeout)
    lines += ["", "### Queries", ""]
    lines += [
        "Every named query through `geokg.queries.run_query`, as `geokg query` runs it "
        "(binding the parameters, which resolves labels through `engine.names()`; the "
        "query; rows converted to rdflib terms; labels looked up), after one warm-up "
        f"query; median of up to {args.repeat} runs in the process of the load above (one "
        f"run when a run took over {LONG_QUERY_S:.0f} s). Parameters: the entity with the "
        "most facts in the query's role (a hub, as the states of the news are), given by "
        f"label; see the last table. rdflib has a limit of {args.timeout:.0f} s a query; a "
        "query that timed out at one size is not run at a larger one. *rows* are "
        "Oxigraph's. The target column holds the slower Oxigraph store (memory or index).",
    ]
    for size in sizes:
        lines += query_table(size, args.timeout)
    breakdown = [
        row
        for size in sizes
        if size.name in QUERY_TARGETS_MS
        for row in breakdown_rows(size, QUERY_TARGETS_MS[size.name] / 1000)
    ]
    if breakdown:
        lines += [
            "",
            "Where the time goes, for each query over its target: binding the "
            "parameters (`bind_params`), Oxigraph's own evaluation (the same query "
            "straight on the store, every value read), and the rest of `run_query` "
            "(converting the rows to rdflib terms, looking up their labels); medians, "
            "measured in the same process.",
            "",
            "| size | query | store | total | binding | evaluation | rest | rows |",
            "|---|---|---|---|---|---|---|---|",
            *breakdown,
        ]
    lines += ["", "Parameters (picked from each graph):", ""]
    lines += ["| size | query | parameters |", "|---|---|---|"]
    for size in sizes:
        for name in sorted(size.params):
            shown = ", ".join(f"{k}={v}" for k, v in sorted(size.params[name].items()))
            lines.append(f"| {size.name} | `{name}` | {shown} |")

    lines += ["", "### Command line and view", ""]
    lines += [
        "Each command in a fresh process: wall time, and the process's peak RSS (from "
        "`wait4`). `GEOKG_CACHE_DIR` points to a fresh, empty folder for the whole "
        "table, so the first run of the query on the largest graph finds no persistent "
        "index and the second finds the one the first left (where the index exists); "
        "the views run after them. *median (runs)*: after one unmeasured run; "
        f"{args.view_repeat} runs of each view. The output is what the command printed "
        "or the HTML file it wrote.",
        "",
        "| command | first run | second run | median (runs) | peak RSS | output |",
        "|---|---|---|---|---|---|",
    ]
    lines += command_rows(commands)
    lines += ["", "### Targets", ""]
    lines += ["| target | figure | |", "|---|---|---|"]
    lines += targets + command_targets(commands)
    notes = [note for size in sizes for note in size.notes]
    whys = whys + [why for why in view_whys if why]
    if whys or notes:
        lines += ["", "Why:", ""]
        lines += [f"- {why}" for why in whys]
        lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def query_table(size: Size, timeout: float) -> list[str]:
    target = QUERY_TARGETS_MS.get(size.name)
    ox = size.queries.get("oxigraph", {})
    ix = size.queries.get("index", {})
    rd = size.queries.get("rdflib", {})
    head = "| query | rows | Oxigraph (memory) | Oxigraph (index) | rdflib | rdflib / Oxigraph |"
    rule = "|---|---|---|---|---|---|"
    if target is not None:
        head += f" < {target:,.0f} ms |"
        rule += "---|"
    lines = ["", f"{size.name} ({size.triples:,} triples):", "", head, rule]
    for name in sorted(ox):
        cells = [f"`{name}`", f"{ox[name]['rows']:,}"]
        cells.append(time_cell(ox[name], timeout))
        cells.append(time_cell(ix.get(name), timeout))
        cells.append(time_cell(rd.get(name), timeout))
        cells.append(ratio_cell(ox[name], rd.get(name), timeout))
        if target is not None:
            worst = slowest(name, size)
            cells.append(
                judge(worst * 1000, target, "ms", lambda v: f"{v:,.0f} ms")
                if worst is not None
                else "-"
            )
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def time_cell(record: dict[str, Any] | None, timeout: float) -> str:
    if record is None:
        return "-"
    if record.get("skipped"):
        return f"> {timeout:.0f} s (not run: timed out on a smaller graph)"
    if record.get("timed_out"):
        return f"> {timeout:.0f} s (timed out)"
    if record.get("error"):
        return "**error**"
    runs = record["runs"]
    return ms(record["total_s"]) + ("" if runs > 1 else " (1 run)")


def ratio_cell(ox: dict[str, Any], rd: dict[str, Any] | None, timeout: float) -> str:
    value = ratio(ox, rd, timeout)
    if value is None:
        return "-"
    if rd and (rd.get("timed_out") or rd.get("skipped")):
        return f"> {value:,.0f}x"
    return f"{value:,.1f}x"


def ratio(
    ox: dict[str, Any], rd: dict[str, Any] | None, timeout: float
) -> float | None:
    """rdflib's time over Oxigraph's (a lower bound where rdflib timed out)."""
    if rd is None or not ox.get("total_s"):
        return None
    if rd.get("timed_out") or rd.get("skipped"):
        return timeout / float(ox["total_s"])
    return rd["total_s"] / ox["total_s"] if rd.get("total_s") else None


def slowest(name: str, size: Size) -> float | None:
    times = [
        size.queries[engine][name]["total_s"]
        for engine in ("oxigraph", "index")
        if name in size.queries.get(engine, {})
        and size.queries[engine][name].get("total_s") is not None
    ]
    return max(times) if times else None


def slowest_engine(name: str, size: Size) -> str:
    """The Oxigraph store (memory or index) on which a query took longer."""
    times = {
        engine: size.queries[engine][name]["total_s"] or 0.0
        for engine in ("oxigraph", "index")
        if name in size.queries.get(engine, {})
    }
    return max(sorted(times), key=lambda engine: times[engine])


def target_rows(sizes: list[Size], timeout: float) -> tuple[list[str], list[str]]:
    """The issue's targets, met or missed and by how much, with why for each miss."""
    rows, whys = [], []
    by_name = {size.name: size for size in sizes}
    for name, target in LOAD_TARGETS_S.items():
        size = by_name.get(name)
        if size is None:
            continue
        for engine, label in (("oxigraph", "in memory"), ("index", "index reopened")):
            records = size.loads.get(engine)
            if not records:
                continue
            value = median_of(records, "load_s")
            verdict = judge(value, target, "s")
            rows.append(
                f"| load {name} triples < {target:g} s ({label}) | {secs(value)} | {verdict} |"
            )
            if value >= target:
                raw = size.loads.get("pyoxigraph")
                build = size.loads.get("index-build")
                why = f"Loading {name} {label} takes {secs(value)}"
                if raw:
                    why += (
                        f"; plain pyoxigraph's `bulk_load` of the same files takes "
                        f"{secs(median_of(raw, 'load_s'))}, so "
                        + (
                            "Turtle parsing and indexing in Oxigraph are most of it"
                            if median_of(raw, "load_s") > 0.6 * value
                            else "most of it is geokg's own work around the load"
                        )
                    )
                if engine == "index" and build:
                    why += (
                        f" (building the index took {secs(median_of(build, 'load_s'))})"
                    )
                whys.append(why + ".")
    for name, target in RSS_TARGET_MB.items():
        size = by_name.get(name)
        if size is None:
            continue
        for engine, label in (("oxigraph", "in memory"), ("index", "index")):
            records = size.loads.get(engine)
            if not records:
                continue
            value = max(median_of(records, "rss_mb"), size.end_rss.get(engine, 0.0))
            rows.append(
                f"| peak RSS at {name} < {target / 1000:g} GB ({label}, load and every "
                f"named query) | {value:,.0f} MB | "
                f"{judge(value, target, 'MB', lambda v: f'{v:,.0f} MB')} |"
            )
            if value >= target:
                load_rss = median_of(records, "rss_mb")
                imports = median_of(records, "rss_imports_mb")
                whys.append(
                    f"Peak RSS at {name} ({label}) is {value:,.0f} MB: {imports:,.0f} MB "
                    f"after the imports, {load_rss:,.0f} MB after the load "
                    f"({(load_rss - imports) * 1e6 / max(size.triples, 1):,.0f} bytes a "
                    "triple), the rest while running the queries."
                )
    for name, target_ms in QUERY_TARGETS_MS.items():
        size = by_name.get(name)
        if size is None or "oxigraph" not in size.queries:
            continue
        worst = {q: slowest(q, size) for q in size.queries["oxigraph"]}
        over = sorted(
            q for q, t in worst.items() if t is not None and t * 1000 >= target_ms
        )
        top = max(worst, key=lambda q: worst[q] or 0.0)
        figure = f"{len(over)} of {len(worst)} over; slowest `{top}` {ms(worst[top])}"
        verdict = (
            "met"
            if not over
            else f"**missed** by {len(over)} queries, the slowest by "
            f"{ms((worst[top] or 0) - target_ms / 1000)}"
        )
        rows.append(
            f"| every named query < {target_ms:,.0f} ms at {name} | {figure} | {verdict} |"
        )
        if over:
            whys.append(query_summary(size, target_ms / 1000, over))
    for name in RATIO_SIZES:
        size = by_name.get(name)
        if size is None or "rdflib" not in size.queries:
            continue
        ratios = {
            q: ratio(
                size.queries["oxigraph"][q], size.queries["rdflib"].get(q), timeout
            )
            for q in size.queries["oxigraph"]
        }
        known = {q: r for q, r in ratios.items() if r is not None}
        under = sorted(q for q, r in known.items() if r < RATIO_TARGET)
        low = min(known, key=lambda q: known[q])
        figure = (
            f"{len(known) - len(under)} of {len(known)} queries at >= {RATIO_TARGET:g}x; "
            f"lowest `{low}` {known[low]:.1f}x; median {statistics.median(known.values()):.0f}x"
        )
        verdict = "met" if not under else f"**missed** on {len(under)} queries"
        rows.append(
            f"| rdflib beaten >= {RATIO_TARGET:g}x on joins (every named query) at {name} "
            f"| {figure} | {verdict} |"
        )
        if under:
            own, slow = [], []
            for query in under:
                record = size.queries["oxigraph"][query]
                parts = parts_of(record)
                shown = f"`{query}` {known[query]:.1f}x ({ms(record['total_s'])})"
                if parts["evaluation"] >= parts["binding"] + parts["conversion"]:
                    slow.append(shown)
                else:
                    own.append(shown)
            why = f"Under {RATIO_TARGET:g}x at {name}: "
            if own:
                why += (
                    "; ".join(own) + ": most of the Oxigraph time is geokg's own work "
                    "outside the evaluation (binding, conversion, labels), while rdflib, "
                    "which binds the parameter before evaluation, reads only the "
                    "entity's facts. "
                )
            if slow:
                why += "; ".join(slow) + ": Oxigraph's evaluation itself is most of it."
            whys.append(why.strip())
    return rows, whys


@dataclass(frozen=True)
class Timed:
    """A row of the command-line table: one command timed over several runs, or the
    first and the second run of a command that may build an index on its first run."""

    label: str
    runs: tuple[Command, ...]
    target_s: float | None = None
    target_mb: float | None = None


def command_rows(rows: list[Timed]) -> list[str]:
    lines = []
    for row in rows:
        failed = [run.failed for run in row.runs if run.failed]
        if failed:
            lines.append(f"| {row.label} | **failed**: {failed[0]} | | | | |")
            continue
        rss = max(mb for run in row.runs for mb in run.rss_mb)
        last = row.runs[-1]
        output = (
            f"{last.output_bytes / 1e6:.2f} MB"
            if row.target_mb is not None
            else f"{last.output_bytes / 1e3:,.1f} kB"
        )
        if len(row.runs) == 2:
            first, second = (secs(run.median_s) for run in row.runs)
            median = ""
        else:
            first = second = ""
            median = f"{secs(last.median_s)} ({len(last.seconds)})"
        lines.append(
            f"| {row.label} | {first} | {second} | {median} | {rss:,.0f} MB | {output} |"
        )
    return lines


def command_targets(rows: list[Timed]) -> list[str]:
    lines = []
    for row in rows:
        last = row.runs[-1]
        if last.failed:
            continue
        if row.target_s is not None:
            value = last.median_s
            lines.append(
                f"| {row.label} < {row.target_s:g} s | {secs(value)} | "
                f"{judge(value, row.target_s, 's')} |"
            )
        if row.target_mb is not None:
            value = last.output_bytes / 1e6
            lines.append(
                f"| {row.label}: HTML < {row.target_mb:g} MB | {value:.2f} MB | "
                f"{judge(value, row.target_mb, 'MB')} |"
            )
    return lines


#: geokg functions whose share of a profiled `geokg view` explains where it spends.
PROFILED = {
    "open_engine": "`open_engine`",
    "to_networkx": "`to_networkx`",
    "from_oxigraph": "`from_oxigraph` (rows to rdflib terms, within the projection)",
    "select_network": "`select_network`",
    "write_view": "`write_view`",
}


def profile_command(tail: Sequence[str], env: dict[str, str]) -> dict[str, Any]:
    """Run `python -m geokg TAIL` once under cProfile: the profiled time, each function
    of PROFILED's cumulative time, and what the command printed."""
    import pstats

    with tempfile.TemporaryDirectory(prefix="geokg-bench-scale-profile-") as tmp:
        out = Path(tmp) / "command.prof"
        argv = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "geokg", *tail]
        done = subprocess.run(
            argv,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S,
        )
        if done.returncode != 0 or not out.is_file():
            return {}
        stats: Any = pstats.Stats(str(out))
        found: dict[str, Any] = {"total_s": stats.total_tt, "stdout": done.stdout}
        for (filename, _, function), row in stats.stats.items():
            if function in PROFILED and "geokg" in filename:
                found[function] = max(found.get(function, 0.0), row[3])
        return found


def view_why(row: Timed, profile: dict[str, Any]) -> str:
    """Where a view over its targets spends, from one profiled run of the command."""
    if not profile:
        return ""
    total = profile["total_s"]
    parts = ", ".join(
        f"{label} {100 * profile[name] / total:.0f}%"
        for name, label in PROFILED.items()
        if name in profile
    )
    drawn = re.search(r"\((\d+) nodes, (\d+) edges\)", profile["stdout"])
    page = (
        f" The page has {int(drawn.group(1)):,} nodes and {int(drawn.group(2)):,} edges."
        if drawn
        else ""
    )
    return (
        f"{row.label}: {secs(row.runs[-1].median_s)}. One more run under cProfile "
        f"({secs(total)} profiled; the profiler slows Python code, so read the shares): "
        f"{parts}.{page}"
    )


def measure_commands(
    sizes: list[Size], args: argparse.Namespace
) -> tuple[list[Timed], list[str]]:
    """`geokg --help`, the cold queries and the views at scale; and why for each view
    over its targets."""
    geokg = geokg_command()
    cache = Path(tempfile.mkdtemp(prefix="geokg-bench-scale-cache-"))
    env = child_env(GEOKG_CACHE_DIR=str(cache))
    rows: list[Timed] = []
    whys: list[str] = []
    try:
        help_argv = [*geokg, "--help"]
        run_command(help_argv, env, 1)
        rows.append(
            Timed(
                "`geokg --help`",
                (run_command(help_argv, env, args.cli_repeat),),
                target_s=HELP_TARGET_S,
            )
        )
        demo = [*geokg, "--graph", "graph", "query", DEMO_QUERY]
        run_command(demo, env, 1)
        rows.append(
            Timed(
                f"`geokg --graph graph query {DEMO_QUERY}` (demo graph)",
                (run_command(demo, env, args.cli_repeat),),
            )
        )
        big = sizes[-1]
        values = sorted(big.params.get(CLI_QUERY, {}).items())
        query = [*geokg, "--graph", str(big.folder), "query", CLI_QUERY]
        for name, value in values:
            query += ["-p", f"{name}={value}"]
        shown = "".join(f' -p {name}="{value}"' for name, value in values)
        first = run_command(query, env, 1)
        second = run_command(query, env, 1)
        rows.append(
            Timed(
                f"`geokg --graph <{big.name}> query {CLI_QUERY}{shown}`",
                (first, second),
            )
        )
        focus = big.params.get("entity", {}).get("name")
        views: list[dict[str, Any]] = [
            {"focus": focus, "depth": 2, "max_nodes": 1000, "slug": "focus"},
            {"focus": None, "depth": 1, "max_nodes": 500, "slug": "max-nodes-500"},
        ]
        for view in views:
            out = CACHE / f"view-{view['slug']}.html"
            tail = ["--graph", str(big.folder), "view", "-o", str(out)]
            if view["focus"]:
                tail += ["--focus", view["focus"], "--depth", str(view["depth"])]
                shown = f'--focus "{view["focus"]}" --depth {view["depth"]}'
            else:
                tail += ["--max-nodes", str(view["max_nodes"])]
                shown = f"--max-nodes {view['max_nodes']}"
            row = Timed(
                f"`geokg --graph <{big.name}> view {shown}`",
                (run_command([*geokg, *tail], env, args.view_repeat, output=out),),
                target_s=VIEW_TARGET_S,
                target_mb=VIEW_TARGET_MB,
            )
            rows.append(row)
            last = row.runs[-1]
            over = last.median_s >= VIEW_TARGET_S
            if not last.failed and (over or last.output_bytes / 1e6 >= VIEW_TARGET_MB):
                whys.append(view_why(row, profile_command(tail, env)))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return rows, whys


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each load and query"
    )
    parser.add_argument(
        "--cli-repeat", type=int, default=5, help="runs of each command"
    )
    parser.add_argument("--view-repeat", type=int, default=3, help="runs of each view")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds an rdflib query may take"
    )
    parser.add_argument(
        "--quick", action="store_true", help="10k and 100k only; print, do not write"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument("--skip", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return
    started = time.perf_counter()
    has_index = util.find_spec("geokg.index") is not None
    key = generator_key()
    sizes = [
        ensure_graph(name, facts, key)
        for name, facts in (SIZES[:2] if args.quick else SIZES)
    ]
    timed_out: set[str] = set()
    for size in sizes:
        print(f"measuring {size.name} ({size.folder.name})", file=sys.stderr)
        measure_size(size, args, timed_out, has_index)
    print("timing commands", file=sys.stderr)
    commands, view_whys = measure_commands(sizes, args)
    body = write_report(
        sizes, commands, view_whys, args, has_index, time.perf_counter() - started
    )
    if not args.quick:
        write_section(args.output, "scale", body)
    print(body)


if __name__ == "__main__":
    main()
