"""Check a graph against geokg's SHACL shapes with pySHACL, and report readably."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import cache

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from geokg import resources
from geokg.iris import PREFIXES, curie

SH = Namespace("http://www.w3.org/ns/shacl#")
REPORT_FORMATS = ("human", "table", "json", "turtle")


@dataclass(frozen=True, order=True)
class Violation:
    """One failed constraint: where, on which property, with which value, and why."""

    focus: str
    path: str
    value: str
    message: str
    severity: str
    shape: str


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: whether the graph conforms, and every violation."""

    conforms: bool
    violations: tuple[Violation, ...]
    results_graph: Graph

    @property
    def exit_code(self) -> int:
        """0 when the graph conforms, 1 when it does not (pySHACL's contract)."""
        return 0 if self.conforms else 1


@cache
def ontology_graph() -> Graph:
    """Return the parsed ontology (cached for the life of the process)."""
    return Graph().parse(resources.ontology_path(), format="turtle")


@cache
def shapes_graph() -> Graph:
    """Return the parsed SHACL shapes (cached for the life of the process)."""
    return Graph().parse(resources.shapes_path(), format="turtle")


def validate_graph(
    data: Graph,
    *,
    allow_warnings: bool = False,
    focus_nodes: list[URIRef] | None = None,
) -> Report:
    """Validate ``data`` against geokg's shapes, with the ontology mixed in.

    Args:
        data: The graph to check; it is not modified.
        allow_warnings: Count the graph as conforming when only warnings remain.
        focus_nodes: Check only these nodes (an edit checks what it touched).

    Returns:
        A :class:`Report` with every violation, sorted.
    """
    from pyshacl import validate

    conforms, results, _ = validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        allow_warnings=allow_warnings,
        advanced=False,
        focus_nodes=None if focus_nodes is None else list[str | URIRef](focus_nodes),
    )
    assert isinstance(results, Graph)
    violations = tuple(sorted(set(_violations(results, data))))
    return Report(bool(conforms), violations, results)


def _violations(results: Graph, data: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        found.append(
            Violation(
                focus=_show(focus, data),
                path=_show(results.value(result, SH.resultPath), data),
                value=_show(results.value(result, SH.value), data),
                message=str(results.value(result, SH.resultMessage) or ""),
                severity=_local(results.value(result, SH.resultSeverity)),
                shape=_show(_named_shape(results.value(result, SH.sourceShape)), data),
            )
        )
    return found


def _named_shape(shape: Node | None) -> Node | None:
    """The node shape a (blank) property shape belongs to, for a readable report."""
    if isinstance(shape, BNode):
        owner = shapes_graph().value(None, SH.property, shape)
        return owner if owner is not None else shape
    return shape


def _local(node: Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _show(node: Node | None, data: Graph) -> str:
    """A node as a reader wants it: a CURIE (with its label) or a literal's text."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        return (
            repr(str(node))
            if node.datatype is None
            else f"{node}^^{curie(node.datatype)}"
        )
    if isinstance(node, URIRef):
        label = data.value(node, RDFS.label)
        name = curie(node)
        return f"{name} ({label})" if label is not None else name
    return "(a blank node)"


def format_report(report: Report, fmt: str) -> str:
    """Return the report as text in one of :data:`REPORT_FORMATS`.

    Raises:
        ValueError: If ``fmt`` is not a known format.
    """
    if fmt == "human":
        return _human(report)
    if fmt == "table":
        return _table(report)
    if fmt == "json":
        payload = {
            "conforms": report.conforms,
            "violations": [asdict(v) for v in report.violations],
        }
        return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt == "turtle":
        out = Graph(bind_namespaces="none")
        out.bind("sh", SH)
        for prefix, namespace in PREFIXES.items():
            out.bind(prefix, namespace)
        out += report.results_graph
        return out.serialize(format="turtle")
    raise ValueError(f"unknown report format {fmt!r}")


def _human(report: Report) -> str:
    if report.conforms:
        return "The graph conforms to geokg's shapes.\n"
    count = len(report.violations)
    lines = [
        f"The graph does not conform: {count} violation{'s' if count != 1 else ''}."
    ]
    for number, violation in enumerate(report.violations, 1):
        lines.append("")
        lines.append(f"{number}. {violation.message}")
        lines.append(f"   focus: {violation.focus}")
        if violation.path:
            lines.append(f"   property: {violation.path}")
        if violation.value:
            lines.append(f"   value: {violation.value}")
        lines.append(f"   severity: {violation.severity}; shape: {violation.shape}")
    return "\n".join(lines) + "\n"


def _table(report: Report) -> str:
    header = ("severity", "focus", "property", "value", "message")
    rows = [header] + [
        (v.severity, v.focus, v.path, v.value, v.message) for v in report.violations
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


@cache
def _ontology_rules() -> tuple[
    dict[URIRef, URIRef], dict[URIRef, URIRef], dict[URIRef, set[URIRef]]
]:
    """Domains and class ranges of geokg's properties, and each class's superclasses."""
    from rdflib.namespace import OWL

    ontology = ontology_graph()
    geokg = PREFIXES["geokg"]
    domains: dict[URIRef, URIRef] = {}
    ranges: dict[URIRef, URIRef] = {}
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if isinstance(prop, URIRef) and str(prop).startswith(geokg):
            rng = ontology.value(prop, RDFS.range)
            if isinstance(rng, URIRef) and rng != OWL.Thing:
                ranges[prop] = rng
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            domain = ontology.value(prop, RDFS.domain)
            if (
                isinstance(prop, URIRef)
                and str(prop).startswith(geokg)
                and isinstance(domain, URIRef)
                and domain != OWL.Thing
            ):
                domains[prop] = domain
    supers: dict[URIRef, set[URIRef]] = {}
    for cls in set(ontology.subjects(RDF.type, OWL.Class)):
        if isinstance(cls, URIRef):
            supers[cls] = {
                c
                for c in ontology.transitive_objects(cls, RDFS.subClassOf)
                if isinstance(c, URIRef)
            }
    return domains, ranges, supers


def check_domain_range(data: Graph, triples: Graph) -> list[str]:
    """Problems with the domain and range of geokg properties in ``triples``, read
    against ``data`` (where the nodes' types are): one sentence each.

    A subject must have a type within the property's ``rdfs:domain``, an IRI object a
    type within its ``rdfs:range`` (for object properties with a class range).
    """
    domains, ranges, supers = _ontology_rules()
    problems = []
    for s, p, o in sorted(triples):
        if not isinstance(p, URIRef):
            continue
        if p in domains and not _has_type(data, s, domains[p], supers):
            problems.append(
                f"{curie(p)} applies to {_a(_class_name(domains[p]))}, and {_show(s, data)} is {_types_of(data, s)}"
            )
        if (
            p in ranges
            and isinstance(o, URIRef)
            and not _has_type(data, o, ranges[p], supers)
        ):
            problems.append(
                f"{curie(p)} needs {_a(_class_name(ranges[p]))} as its value, and {_show(o, data)} is {_types_of(data, o)}"
            )
    return problems


def _types(data: Graph, node: Node) -> set[URIRef]:
    """The node's types in the data, or in the ontology (statuses are individuals there)."""
    found = set(data.objects(node, RDF.type)) | set(
        ontology_graph().objects(node, RDF.type)
    )
    return {t for t in found if isinstance(t, URIRef)}


def _has_type(
    data: Graph, node: Node, cls: URIRef, supers: dict[URIRef, set[URIRef]]
) -> bool:
    return any(cls in supers.get(t, {t}) for t in _types(data, node))


def _a(name: str) -> str:
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _class_name(cls: URIRef) -> str:
    label = ontology_graph().value(cls, RDFS.label)
    return str(label) if label is not None else curie(cls)


def _types_of(data: Graph, node: Node) -> str:
    names = sorted(_class_name(t) for t in _types(data, node))
    return " and ".join(_a(n) for n in names) if names else "untyped"
