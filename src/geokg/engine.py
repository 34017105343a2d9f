"""Query engines: Oxigraph (the default) and rdflib (the fallback and test oracle).

Both load the graph folder's files, run SPARQL with parameters bound as RDF terms
before evaluation (rdflib's ``initBindings``; Oxigraph's ``substitutions``, after
SEP-0007), and return rdflib terms, so writers and tests see the same values whatever
the engine. Both merge the files into one graph, a set of triples: an entity described
in several files is one set of triples. (Oxigraph's union of named graphs is a bag, so a
triple in k files would match k times; files are loaded into its default graph instead.)

SEP-0007 asks that a SELECT query project the variables it binds, so named queries
list their parameters first in the projection; columns whose names start with "_"
(parameters, by the BASIL convention) are not shown.
"""

from __future__ import annotations

import logging
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Identifier, Node

from geokg.errors import InputError

if TYPE_CHECKING:
    import pyoxigraph

    from geokg.index import Index
    from geokg.queries import QueryResult, QuerySpec

ENGINES = ("oxigraph", "rdflib")
log = logging.getLogger(__name__)


class Engine(ABC):
    """A loaded graph that answers SPARQL queries."""

    name: str

    @abstractmethod
    def run(
        self,
        spec: QuerySpec,
        bindings: Mapping[str, Identifier],
        limit: int | None,
        with_labels: bool = True,
    ) -> QueryResult:
        """Run a query with its parameters bound; see :func:`geokg.queries.run_query`.

        ``with_labels=False`` skips looking up the labels of the IRIs in the rows, for
        callers that read the labels themselves (the network projection).
        """

    @abstractmethod
    def names(self) -> dict[str, set[URIRef]]:
        """Every label and alias (case-folded) with the entities it names."""

    @abstractmethod
    def exact_names(self, text: str) -> set[URIRef]:
        """The entities whose label or alias is exactly ``text`` (a fast first look,
        before :meth:`names` reads every name of the graph)."""

    @abstractmethod
    def describes(self, iri: URIRef) -> bool:
        """Whether the graph says anything about ``iri``."""

    @abstractmethod
    def labels(self, iris: Iterable[URIRef]) -> dict[str, str]:
        """The rdfs:label of each IRI that has one (the smallest, should it have
        several, so that both engines agree)."""

    def __len__(self) -> int:  # pragma: no cover - each engine counts
        raise NotImplementedError


def fold(text: str) -> str:
    """Case-fold a name for lookups (apostrophes unified)."""
    return " ".join(text.replace("\u2019", "'").casefold().split())


def visible(variables: list[str]) -> list[int]:
    """The positions of the columns to show: not the "_" parameter columns."""
    return [i for i, name in enumerate(variables) if not name.startswith("_")]


# ---- rdflib ---------------------------------------------------------------------------


class RdflibEngine(Engine):
    """rdflib's in-memory SPARQL engine over one merged graph."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def __len__(self) -> int:
        return len(self.graph)

    def run(
        self,
        spec: QuerySpec,
        bindings: Mapping[str, Identifier],
        limit: int | None,
        with_labels: bool = True,
    ) -> QueryResult:
        from geokg.queries import QueryResult, prepare

        result = self.graph.query(prepare(spec), initBindings=dict(bindings))
        if result.type == "ASK":
            return QueryResult("ASK", boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            out = Graph()
            for triple in result:
                out.add(triple)  # type: ignore[arg-type]
            return QueryResult(result.type, graph=out)
        variables = [str(v) for v in result.vars or []]
        rows: list[tuple[Node | None, ...]] = [tuple(row) for row in _checked(result)]
        return _select(self, variables, rows, limit, with_labels)

    def exact_names(self, text: str) -> set[URIRef]:
        return {
            s
            for predicate in (RDFS.label, SKOS.altLabel)
            for s in self.graph.subjects(predicate, Literal(text))
            if isinstance(s, URIRef)
        }

    def names(self) -> dict[str, set[URIRef]]:
        found: dict[str, set[URIRef]] = {}
        for predicate in (RDFS.label, SKOS.altLabel):
            for subject, label in self.graph.subject_objects(predicate):
                if isinstance(subject, URIRef):
                    found.setdefault(fold(str(label)), set()).add(subject)
        return found

    def describes(self, iri: URIRef) -> bool:
        return (iri, None, None) in self.graph

    def labels(self, iris: Iterable[URIRef]) -> dict[str, str]:
        found = {}
        for iri in iris:
            labels = [str(label) for label in self.graph.objects(iri, RDFS.label)]
            if labels:
                found[str(iri)] = min(labels)
        return found


# ---- Oxigraph -------------------------------------------------------------------------


class OxigraphEngine(Engine):
    """Oxigraph's SPARQL engine over a store whose default graph is the merged graph:
    the folder's persistent index (:mod:`geokg.index`), or an in-memory store."""

    name = "oxigraph"

    def __init__(self, store: pyoxigraph.Store, index: Index | None = None) -> None:
        self.store = store
        self.index = index

    def __len__(self) -> int:
        if self.index is None:
            return len(self.store)
        # The index also holds each file's named graph: count the union, in Rust.
        import pyoxigraph as ox

        result = self.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(result, ox.QuerySolutions)
        [row] = list(result)
        return int(row[0].value)

    def close(self) -> None:
        """Release the index (and its lock), if the engine reads one."""
        if self.index is not None:
            self.index.close()
            self.index = None

    @classmethod
    def from_folder(cls, folder: Path, use_index: bool | None = None) -> OxigraphEngine:
        """Load every graph file of a folder: through its persistent index, updated for
        the files that changed (the default unless ``GEOKG_INDEX=0``), or into memory.

        Raises:
            InputError: If a file cannot be read or parsed (rdflib names its line).
        """
        from geokg.index import IndexUnavailable, index_enabled, open_index
        from geokg.store import source_files

        files = source_files(folder)
        if index_enabled() if use_index is None else use_index:
            try:
                index = open_index(folder, files)
            except IndexUnavailable as err:
                log.info("%s: loading the graph into memory", err)
            else:
                return cls(index.store, index)
        return cls(_memory_store(files))

    def run(
        self,
        spec: QuerySpec,
        bindings: Mapping[str, Identifier],
        limit: int | None,
        with_labels: bool = True,
    ) -> QueryResult:
        import pyoxigraph as ox

        from geokg.queries import QueryResult

        substitutions = {
            ox.Variable(name): to_oxigraph(term) for name, term in bindings.items()
        }
        try:
            result = self.store.query(
                spec.text,
                substitutions=substitutions or None,
            )
        except SyntaxError as err:
            raise InputError(_syntax_message(spec.name, str(err))) from err
        except RuntimeError as err:
            missing = re.search(r"variable \?(\w+) in its SELECT projection", str(err))
            if missing is not None:
                raise InputError(
                    f"query {spec.name!r}: a SELECT query must list its parameter ?{missing.group(1)} "
                    f"in its projection (SELECT ?{missing.group(1)} ...): parameters are bound "
                    "before evaluation (SEP-0007)"
                ) from err
            raise InputError(
                f"query {spec.name!r}: {str(err).splitlines()[0]}; fix the query"
            ) from err
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ASK", boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            out = Graph()
            for triple in result:
                parts = [
                    from_oxigraph(t)
                    for t in (triple.subject, triple.predicate, triple.object)
                ]
                out.add((parts[0], parts[1], parts[2]))  # type: ignore[arg-type]
            return QueryResult(
                spec.kind if spec.kind in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT",
                graph=out,
            )
        variables = [v.value for v in result.variables]
        rows = [
            tuple(from_oxigraph(solution[index]) for index in range(len(variables)))
            for solution in _checked(result)
        ]
        return _select(self, variables, rows, limit, with_labels)

    def exact_names(self, text: str) -> set[URIRef]:
        import pyoxigraph as ox

        return {
            URIRef(quad.subject.value)
            for predicate in (str(RDFS.label), str(SKOS.altLabel))
            for quad in self.store.quads_for_pattern(
                None, ox.NamedNode(predicate), ox.Literal(text), ox.DefaultGraph()
            )
            if isinstance(quad.subject, ox.NamedNode)
        }

    def names(self) -> dict[str, set[URIRef]]:
        import pyoxigraph as ox

        found: dict[str, set[URIRef]] = {}
        for predicate in (str(RDFS.label), str(SKOS.altLabel)):
            for quad in self.store.quads_for_pattern(
                None, ox.NamedNode(predicate), None, ox.DefaultGraph()
            ):
                if isinstance(quad.subject, ox.NamedNode) and isinstance(
                    quad.object, ox.Literal
                ):
                    found.setdefault(fold(quad.object.value), set()).add(
                        URIRef(quad.subject.value)
                    )
        return found

    def describes(self, iri: URIRef) -> bool:
        import pyoxigraph as ox

        return (
            next(
                iter(
                    self.store.quads_for_pattern(
                        ox.NamedNode(str(iri)), None, None, ox.DefaultGraph()
                    )
                ),
                None,
            )
            is not None
        )

    def labels(self, iris: Iterable[URIRef]) -> dict[str, str]:
        import pyoxigraph as ox

        label = ox.NamedNode(str(RDFS.label))
        found: dict[str, str] = {}
        for iri in iris:
            for quad in self.store.quads_for_pattern(
                ox.NamedNode(str(iri)), label, None, ox.DefaultGraph()
            ):
                if isinstance(quad.object, ox.Literal):
                    found[str(iri)] = min(
                        found.get(str(iri), quad.object.value), quad.object.value
                    )
                    break
        return found


def _memory_store(files: list[Path]) -> pyoxigraph.Store:
    """An in-memory store with every file's triples in its default graph."""
    import pyoxigraph as ox

    from geokg.store import read_file

    store = ox.Store()
    for path in files:
        fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.TURTLE
        try:
            data = path.read_bytes()
            base_iri = path.resolve().as_uri()
            if fmt == ox.RdfFormat.TRIG:
                # A TriG file's named graphs are merged too, as rdflib does.
                store.extend(
                    ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
                    for q in ox.parse(data, format=fmt, base_iri=base_iri)
                )
            else:
                store.bulk_load(input=data, format=fmt, base_iri=base_iri)
        except (SyntaxError, ValueError, OSError):
            read_file(path)  # raises the error with the file and line
            raise
    return store


def _syntax_message(name: str, message: str) -> str:
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if match is None:
        return f"query {name!r}: SPARQL syntax error: {message.splitlines()[0]}; fix the query"
    detail = match.group(3).splitlines()[0]
    if len(detail) > 80:
        detail = detail[:77] + "..."
    return (
        f"query {name!r}: SPARQL syntax error at line {match.group(1)}, column {match.group(2)}: "
        f"{detail}; fix the query"
    )


def to_oxigraph(term: Identifier) -> Any:
    """An rdflib term as a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot bind {term!r}")


def from_oxigraph(term: Any) -> Node | None:
    """A pyoxigraph term as an rdflib term (None stays None)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term {term!r}")


def _checked(rows: Iterable[Any]) -> Iterator[Any]:
    """The rows, checking the thread's query deadline between them (so a query run
    outside the main thread, where no alarm can interrupt it, stops at its timeout)."""
    from geokg.queries import check_deadline

    for count, row in enumerate(rows):
        if count % 64 == 0:
            check_deadline()
        yield row


def _select(
    engine: Engine,
    variables: list[str],
    rows: list[tuple[Node | None, ...]],
    limit: int | None,
    with_labels: bool = True,
) -> QueryResult:
    from geokg.queries import QueryResult

    keep = visible(variables)
    shown = [variables[i] for i in keep]
    terms = [tuple(row[i] for i in keep) for row in rows]
    truncated = limit is not None and len(terms) > limit
    if limit is not None:
        terms = terms[:limit]
    labels = {}
    if with_labels:
        iris = {t for row in terms for t in row if isinstance(t, URIRef)}
        labels = engine.labels(sorted(iris))
    return QueryResult("SELECT", shown, terms, labels=labels, truncated=truncated)


def open_engine(
    folder: str | os.PathLike[str], name: str = "oxigraph", index: bool | None = None
) -> Engine:
    """Load a graph folder into an engine.

    ``index`` chooses, for Oxigraph, between the persistent index (fast to open, for
    selective queries) and a store in memory (faster to scan the whole graph, as the
    network projection does); None follows ``GEOKG_INDEX``.

    Raises:
        InputError: If the folder is missing, a file is unreadable, or the engine unknown.
    """
    from geokg.store import graph_dir, load_graph

    if name not in ENGINES:
        raise InputError(f"unknown engine {name!r}: use one of {', '.join(ENGINES)}")
    path = graph_dir(folder)
    if name == "rdflib":
        return RdflibEngine(load_graph(path))
    return OxigraphEngine.from_folder(path, use_index=index)
