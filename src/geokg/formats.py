"""Output formats by short name and MIME type, and the writers geokg owns."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Dataset, Graph, URIRef

from geokg.errors import InputError
from geokg.iris import PREFIXES


@dataclass(frozen=True)
class Format:
    """An output format: its short name, other names, MIME type and rdflib plugin."""

    name: str
    mime: str
    rdflib_name: str
    aliases: tuple[str, ...] = ()


RDF_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle", "turtle", ("ttl",)),
        Format("nt", "application/n-triples", "nt", ("ntriples", "n-triples")),
        Format("jsonld", "application/ld+json", "json-ld", ("json-ld",)),
        Format("trig", "application/trig", "trig", ()),
    )
}


def resolve_format(value: str, formats: dict[str, Format]) -> str:
    """Return the short name of a format given by short name, alias or MIME type.

    Raises:
        InputError: If nothing matches; the message lists the valid names.
    """
    wanted = value.strip().lower()
    for fmt in formats.values():
        if wanted in (fmt.name, fmt.mime, *fmt.aliases):
            return fmt.name
    raise InputError(
        f"unknown format {value!r}: use one of {', '.join(formats)} (or a MIME type)"
    )


def serialize_rdf(graph: Graph, fmt: str) -> str:
    """Return ``graph`` in an RDF format of :data:`RDF_FORMATS`, deterministically.

    N-Triples lines are sorted; Turtle goes through the graph writer's sorted output.
    """
    from geokg.store import serialize_turtle

    if fmt == "turtle":
        return serialize_turtle(graph)
    if fmt == "nt":
        lines = graph.serialize(format="nt").splitlines()
        return "".join(f"{line}\n" for line in sorted(set(lines)) if line.strip())
    if fmt == "jsonld":
        return _jsonld(graph)
    if fmt == "trig":
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, override=True, replace=True)
        named = dataset.graph(URIRef(PREFIXES["graph"] + "all"))
        named += graph
        return dataset.serialize(format="trig")
    raise InputError(f"unknown RDF format {fmt!r}: use one of {', '.join(RDF_FORMATS)}")


def _jsonld(graph: Graph) -> str:
    import json

    context = {prefix: namespace for prefix, namespace in sorted(PREFIXES.items())}
    raw = json.loads(
        graph.serialize(format="json-ld", context=context, auto_compact=True)
    )
    nodes = raw.get("@graph", [raw] if "@id" in raw else [])
    ordered = sorted(nodes, key=lambda node: str(node.get("@id", "")))
    payload = {"@context": context, "@graph": ordered}
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
