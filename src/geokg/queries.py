"""Named SPARQL queries: discovery, headers, parameter binding and execution.

A named query is a file ``queries/NAME.rq``: valid SPARQL 1.1 that opens with grlc-style
``#+ key: value`` comment lines (``summary``, ``description``, ``params``, ``tags``).
Parameters are declared in the header and bound as RDF terms (never pasted into the
text), under BASIL variable names that say their type: ``?_buyer_iri`` (an entity or
IRI), ``?_since_date`` (an xsd:date), ``?_count_integer``, ``?_name`` (a string).

Example header::

    #+ summary: Arms acquisitions by one buyer
    #+ description: Each acquisition with its supplier, weapon system and evidence.
    #+ params:
    #+   - name: buyer
    #+     type: entity
    #+     default: Turkey
    #+     description: The state (or other actor) that acquires.
    #+ tags: arms, CQ2
"""

from __future__ import annotations

import difflib
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from geokg import resources
from geokg.dates import check_iso_date
from geokg.errors import GeokgError, InputError, NotFoundError
from geokg.iris import PREFIXES, curie

if TYPE_CHECKING:
    from geokg.engine import Engine

PARAM_TYPES = ("entity", "iri", "string", "date", "integer")
_SUFFIX = {
    "entity": "_iri",
    "iri": "_iri",
    "string": "",
    "date": "_date",
    "integer": "_integer",
}
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")


class QueryTimeout(GeokgError):
    """A query ran longer than its time limit."""

    exit_code = 1


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    default: str | None = None
    description: str = ""

    @property
    def variable(self) -> Variable:
        """The BASIL variable the parameter binds: ``?_buyer_iri``."""
        return Variable(f"_{self.name}{_SUFFIX[self.type]}")


@dataclass(frozen=True)
class QuerySpec:
    """A query with its header: name, text, summary, parameters, tags."""

    name: str
    text: str
    summary: str = ""
    description: str = ""
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = ()
    path: Path | None = None

    @property
    def kind(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE, read from the query text."""
        return query_kind(self.text)


@dataclass
class QueryResult:
    """The outcome of a query, as plain Python values and as rdflib terms.

    Attributes:
        kind: SELECT, ASK, CONSTRUCT or DESCRIBE.
        variables: The projected variable names (SELECT).
        terms: The rows as rdflib terms (None for unbound).
        boolean: The answer of an ASK.
        graph: The graph of a CONSTRUCT or DESCRIBE.
        labels: Labels of the IRIs that occur in the rows, from the data graph.
        truncated: Whether ``limit`` cut rows off.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    terms: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    labels: dict[str, str] = field(default_factory=dict)
    truncated: bool = False

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows as dicts of plain values: IRIs as strings, literals as Python values."""
        return [
            {name: _plain(term) for name, term in zip(self.variables, row, strict=True)}
            for row in self.terms
        ]

    def labelled(self) -> list[dict[str, str]]:
        """The rows as text for people: IRIs replaced by their labels."""
        return [
            {
                name: self.display(term)
                for name, term in zip(self.variables, row, strict=True)
            }
            for row in self.terms
        ]

    def display(self, term: Node | None) -> str:
        """A term as a person reads it: a label, a CURIE, or a literal's text."""
        if term is None:
            return ""
        if isinstance(term, URIRef):
            return self.labels.get(str(term)) or curie(term)
        return str(term)


def _plain(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        if term.datatype in (
            XSD.integer,
            XSD.int,
            XSD.long,
            XSD.decimal,
            XSD.double,
            XSD.boolean,
        ):
            return term.toPython()
        return str(term)
    return str(term)


# ---- discovery and headers ------------------------------------------------------------


def query_kind(text: str) -> str:
    """The form of a query (SELECT, ASK, CONSTRUCT, DESCRIBE), ignoring its prologue."""
    body = re.sub(r"#[^\n]*", " ", text)
    body = re.sub(r"(?is)\b(PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", " ", body)
    match = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body)
    return match.group(1).upper() if match else "SELECT"


def parse_header(text: str, name: str = "query") -> dict[str, Any]:
    """Read the ``#+`` header of a query: scalar keys, ``tags`` and a ``params`` list.

    Raises:
        InputError: If a parameter is malformed (no name, unknown type).
    """
    header: dict[str, Any] = {"params": []}
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    current: dict[str, str] | None = None
    in_params = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        nested = (
            len(line) - len(line.lstrip()) > 1
        )  # "#+   - name: x" under "#+ params:"
        item = re.match(r"-\s*(\w+)\s*:\s*(.*)$", stripped)
        pair = re.match(r"(\w+)\s*:\s*(.*)$", stripped)
        if in_params and nested and item:
            current = {item.group(1): item.group(2).strip()}
            header["params"].append(current)
            continue
        if in_params and nested and pair and current is not None:
            current[pair.group(1)] = pair.group(2).strip()
            continue
        in_params = False
        if pair:
            key, value = pair.group(1), pair.group(2).strip()
            if key == "params":
                in_params = True
                current = None
            else:
                header[key] = value
    header["params"] = tuple(_param(p, name) for p in header["params"])
    tags = header.get("tags", "")
    header["tags"] = tuple(t.strip() for t in tags.split(",") if t.strip())
    return header


def _param(raw: dict[str, str], query: str) -> Param:
    name = raw.get("name", "")
    kind = raw.get("type", "string")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise InputError(
            f"query {query!r}: parameter name {name!r} must be lower-case letters, digits, _"
        )
    if kind not in PARAM_TYPES:
        raise InputError(
            f"query {query!r}: parameter {name!r} has type {kind!r}: use one of {', '.join(PARAM_TYPES)}"
        )
    default = raw.get("default")
    return Param(
        name,
        kind,
        default if default not in (None, "") else None,
        raw.get("description", ""),
    )


def spec_from_text(text: str, name: str, path: Path | None = None) -> QuerySpec:
    """A query spec from a query's text and name."""
    header = parse_header(text, name)
    return QuerySpec(
        name=name,
        text=text,
        summary=header.get("summary", ""),
        description=header.get("description", ""),
        params=header["params"],
        tags=header["tags"],
        path=path,
    )


def query_files(folder: Path | None = None) -> list[Path]:
    """The named query files, sorted by name (``checks/`` excluded)."""
    folder = folder or resources.queries_dir()
    return sorted(folder.glob("*.rq"))


def list_queries(folder: Path | None = None) -> list[QuerySpec]:
    """Every named query with its header."""
    return [
        spec_from_text(p.read_text(encoding="utf-8"), p.stem, p)
        for p in query_files(folder)
    ]


def load_query(
    source: str, folder: Path | None = None, stdin_text: str | None = None
) -> QuerySpec:
    """A query given by name, by the path of a ``.rq`` file, or as "-" (standard input).

    Raises:
        NotFoundError: If no such named query or file exists; the message lists the names.
    """
    if source == "-":
        text = stdin_text if stdin_text is not None else sys.stdin.read()
        return spec_from_text(text, "stdin")
    path = Path(source)
    if path.suffix in (".rq", ".sparql") or path.is_file():
        if not path.is_file():
            raise NotFoundError(f"query file {source} does not exist: check the path")
        return spec_from_text(path.read_text(encoding="utf-8"), path.stem, path)
    folder = folder or resources.queries_dir()
    candidate = folder / f"{source}.rq"
    if NAME_PATTERN.fullmatch(source) and candidate.is_file():
        return spec_from_text(candidate.read_text(encoding="utf-8"), source, candidate)
    names = [p.stem for p in query_files(folder)]
    close = difflib.get_close_matches(source, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise NotFoundError(
        f"no query named {source!r}: {hint}run `geokg queries` to list them ({', '.join(names)})"
    )


def render_docs(specs: list[QuerySpec]) -> str:
    """``docs/queries.md``: every named query's summary, description, parameters and text."""
    lines = [
        "# Named queries",
        "",
        "Generated from the headers of `queries/*.rq` by `geokg queries --markdown`",
        "(`make docs`); a test fails when this file is stale. Run one with",
        "`geokg query NAME -p PARAM=VALUE`.",
        "",
        "| query | summary | parameters |",
        "|---|---|---|",
    ]
    for spec in specs:
        params = ", ".join(f"`{p.name}` ({p.type})" for p in spec.params)
        lines.append(f"| [`{spec.name}`](#{spec.name}) | {spec.summary} | {params} |")
    for spec in specs:
        lines += ["", f"## {spec.name}", "", spec.summary + ".", ""]
        if spec.description:
            lines += [spec.description, ""]
        if spec.params:
            lines += [
                "| parameter | type | default | description |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| `{p.name}` | {p.type} | {p.default or ''} | {p.description} |"
                for p in spec.params
            ]
            lines.append("")
        if spec.tags:
            lines += [f"Tags: {', '.join(spec.tags)}.", ""]
        example = " ".join(
            [
                "geokg query",
                spec.name,
                *(f'-p {p.name}="{p.default}"' for p in spec.params if p.default),
            ]
        )
        lines += [
            "```sh",
            example,
            "```",
            "",
            "```sparql",
            spec.text.rstrip("\n"),
            "```",
        ]
    return "\n".join(lines) + "\n"


# ---- parameters -----------------------------------------------------------------------


def parse_param_options(options: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings as a dict.

    Raises:
        InputError: If one has no "=".
    """
    found: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip():
            raise InputError(
                f"bad parameter {option!r}: write it as NAME=VALUE, e.g. -p buyer=Turkey"
            )
        found[name.strip()] = value
    return found


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").casefold().split())


def resolve_entity(
    engine: Engine, value: str, names: dict[str, set[URIRef]] | None = None
) -> URIRef:
    """The entity a name stands for: a label, an alias, a CURIE or a full IRI.

    A name the graph does not know is looked up in the lexicon (capitals and demonyms
    such as "Ankara" or "American" name their state).

    Raises:
        NotFoundError: If nothing or several entities have that name; the message lists
            the closest names.
    """
    text = value.strip()
    if re.match(r"^https?://", text):
        return URIRef(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and local and " " not in text:
        return URIRef(PREFIXES[prefix] + local)
    names = names if names is not None else engine.names()
    found = names.get(_fold(text), set())
    if not found:
        found = _lexicon_entity(engine, text)
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        choices = ", ".join(sorted(curie(iri) for iri in found))
        raise NotFoundError(
            f"{text!r} names several entities ({choices}): give one of these instead"
        )
    close = difflib.get_close_matches(_fold(text), list(names), n=5, cutoff=0.6)
    hint = f" Closest names: {', '.join(close)}." if close else ""
    raise NotFoundError(
        f"no entity named {text!r} in the graph.{hint} Add it with `geokg add entity`, or check the spelling"
    )


def _lexicon_entity(engine: Engine, text: str) -> set[URIRef]:
    from geokg.build import entity_iri
    from geokg.extract.lexicon import default_lexicon

    entry = default_lexicon().lookup(text)
    if entry is None:
        return set()
    iri = entity_iri(entry.entity)
    return {iri} if engine.describes(iri) else set()


def bind_params(
    spec: QuerySpec, engine: Engine, given: Mapping[str, str]
) -> dict[Variable, Identifier]:
    """The RDF terms to bind, from the values given (or the defaults).

    Raises:
        InputError: If a parameter is unknown, missing, or not of its type.
        NotFoundError: If an entity name is unknown or ambiguous.
    """
    declared = {p.name: p for p in spec.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        valid = ", ".join(declared) or "none"
        raise InputError(
            f"query {spec.name!r} has no parameter {unknown[0]!r}: its parameters are {valid}"
        )
    bindings: dict[Variable, Identifier] = {}
    names: dict[str, set[URIRef]] | None = None
    for param in spec.params:
        value = given.get(param.name, param.default)
        if value is None:
            raise InputError(
                f"query {spec.name!r} needs -p {param.name}=<{param.type}> ({param.description or 'no default'})"
            )
        if param.type == "entity":
            exact = engine.exact_names(value.strip())
            if len(exact) == 1:  # most names: no need to read every name
                bindings[param.variable] = next(iter(exact))
                continue
            names = names if names is not None else engine.names()
            bindings[param.variable] = resolve_entity(engine, value, names)
        elif param.type == "iri":
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", value):
                raise InputError(
                    f"parameter {param.name}: {value!r} is not an IRI (e.g. https://example.org/x)"
                )
            bindings[param.variable] = URIRef(value)
        elif param.type == "date":
            from geokg.dates import date_literal

            check_iso_date(value)
            bindings[param.variable] = date_literal(value)
        elif param.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise InputError(f"parameter {param.name}: {value!r} is not an integer")
            bindings[param.variable] = Literal(int(value), datatype=XSD.integer)
        else:
            bindings[param.variable] = Literal(value)
    return bindings


# ---- reading a query's text ----------------------------------------------------------

#: Strings, IRIs and comments of a SPARQL text: what may mention a keyword or a
#: variable without being one.
NON_CODE = (
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\s]*>|#[^\n]*'
)
_NON_CODE = re.compile(NON_CODE)


def uses_keyword(text: str, *keywords: str) -> bool:
    """Whether a SPARQL text uses one of the keywords outside strings, IRIs and
    comments ("SERVICE", "LOAD")."""
    pattern = re.compile(
        rf"\b(?:{'|'.join(map(re.escape, keywords))})\b", re.IGNORECASE
    )
    return pattern.search(_NON_CODE.sub(" ", text)) is not None


# ---- running --------------------------------------------------------------------------


#: The deadline of the query this thread runs, where no alarm can interrupt it.
_deadline = threading.local()


def check_deadline() -> None:
    """Raise :class:`QueryTimeout` if this thread's query deadline has passed."""
    at = getattr(_deadline, "at", None)
    if at is not None and time.monotonic() > at:
        raise QueryTimeout(
            f"the query ran longer than {_deadline.seconds:g} s: raise --timeout or "
            "narrow the query"
        )


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`QueryTimeout` if the block runs longer than ``seconds``.

    Uses SIGALRM in the main thread of a Unix process; elsewhere the engines check
    the deadline between result rows (:func:`check_deadline`).
    """
    if seconds is None:
        yield
        return
    if not hasattr(signal, "setitimer") or (
        threading.current_thread() is not threading.main_thread()
    ):
        # No alarm here: the engines check this deadline between result rows.
        _deadline.at = time.monotonic() + seconds
        _deadline.seconds = seconds
        try:
            yield
        finally:
            _deadline.at = None
        return

    def expire(signum: int, frame: Any) -> None:
        raise QueryTimeout(
            f"the query ran longer than {seconds:g} s: raise --timeout or narrow the query"
        )

    previous = signal.signal(signal.SIGALRM, expire)
    # Repeat the alarm: code that swallows exceptions (a __del__, a broad except in a
    # library) could otherwise eat the only one and let the query run on.
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
        yield
    finally:
        while True:  # a repeat alarm may land here too: disarm until it holds
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                break
            except QueryTimeout:
                continue
        signal.signal(signal.SIGALRM, previous)


def run_query(
    source: Graph | Engine,
    spec: QuerySpec,
    params: Mapping[str, str] | None = None,
    *,
    limit: int | None = None,
    timeout: float | None = None,
) -> QueryResult:
    """Run a query, with its parameters bound as RDF terms before evaluation.

    Args:
        source: An engine (:func:`geokg.engine.open_engine`), or an rdflib graph, which
            runs on rdflib's engine.
        spec: The query.
        params: Parameter values as text (``{"buyer": "Ankara"}``); defaults fill in.
        limit: Keep at most this many rows (SELECT) after the query's own order.
        timeout: Give up after this many seconds (see :func:`time_limit`).

    Raises:
        InputError: On a syntax error (with line and column) or a bad parameter.
        QueryTimeout: If the time limit is reached.
    """
    from geokg.engine import Engine, RdflibEngine

    engine = source if isinstance(source, Engine) else RdflibEngine(source)
    bindings = bind_params(spec, engine, params or {})
    with time_limit(timeout):
        return engine.run(spec, {str(k): v for k, v in bindings.items()}, limit)


def prepare(spec: QuerySpec) -> Any:
    """Parse a query once (rdflib's algebra), or fail with the line and column.

    Raises:
        InputError: If the query is not valid SPARQL 1.1.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        return prepareQuery(spec.text, initNs=dict(PREFIXES))
    except QueryTimeout:
        raise
    except ParseException as err:
        raise InputError(
            f"query {spec.name!r}: SPARQL syntax error at line {err.lineno}, column {err.col}: "
            f"{_first(err.msg)}; fix the query"
        ) from err
    except (
        Exception
    ) as err:  # rdflib reports unknown prefixes and the like as Exception
        raise InputError(
            f"query {spec.name!r}: {_first(str(err))}; fix the query"
        ) from err


def _first(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "invalid query"
