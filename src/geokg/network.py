"""Project the RDF graph onto a networkx MultiDiGraph, and the analytics over it.

Entities are nodes (type, label, aliases, Wikidata id). Each fact becomes a directed,
labelled edge from its subject to its object, keyed by the fact's IRI, so two relations
between the same pair both survive; an n-ary fact collapses to the edge between its two
main participants and keeps its date, status, claimant and evidence. Facts whose object
is text (statements, proposals, stances on a course of action) become nodes of their
own, linked from their subject and to the entities they are about: a statement then
reads as "speaker -> what was said -> what it is about".

The projection is read with SPARQL, so it runs on Oxigraph for large graphs as well as
on rdflib.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Graph

from geokg.engine import Engine, RdflibEngine
from geokg.errors import InputError, NotFoundError
from geokg.iris import GEOKG
from geokg.schema import ENTITY_TYPES, RELATIONS

CLASS_TO_TYPE = {str(GEOKG[t.class_name]): t.name for t in ENTITY_TYPES.values()}
CLASS_TO_RELATION = {str(GEOKG[r.class_name]): r.name for r in RELATIONS.values()}
TEXT_NODE_TYPES = {
    "statesThat": "statement",
    "proposes": "proposal",
    "opposes": "stance",
    "supports": "stance",
    "threatTo": "stance",
    "threatensSanctions": "stance",
    "imposesSanctions": "stance",
}

_PREFIXES = """PREFIX geokg: <https://w3id.org/geokg/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
_FACTS = (
    _PREFIXES
    + """SELECT ?fact ?class ?subject ?object ?objectText ?status ?claimant ?date ?manual
WHERE {
  ?fact geokg:subject ?subject ; geokg:status ?status ; a ?class .
  OPTIONAL { ?fact geokg:object ?object }
  OPTIONAL { ?fact geokg:objectText ?objectText }
  OPTIONAL { ?fact geokg:claimant ?claimant }
  OPTIONAL { ?fact geokg:date ?date }
  OPTIONAL { ?fact prov:wasGeneratedBy ?edit . ?edit a geokg:ManualEdit . BIND(true AS ?manual) }
}"""
)
_RELATED = (
    _PREFIXES
    + """SELECT ?fact ?role ?entity
WHERE { VALUES ?role { geokg:about geokg:addressee } ?fact ?role ?entity . }"""
)
_EVIDENCE = (
    _PREFIXES
    + """SELECT ?fact ?text ?start ?end ?title ?sourceDate ?source
WHERE {
  {
    ?fact prov:wasDerivedFrom ?sentence .
    ?sentence geokg:text ?text ; geokg:startOffset ?start ; geokg:endOffset ?end .
    OPTIONAL { ?sentence geokg:inDocument ?source .
               OPTIONAL { ?source dcterms:title ?title } OPTIONAL { ?source dcterms:date ?sourceDate } }
  } UNION {
    # Evidence typed by hand (geokg add fact --evidence), with the URL it was read at.
    ?fact geokg:evidenceText ?text .
    OPTIONAL { ?fact geokg:sourceUrl ?source }
    BIND(0 AS ?start) BIND(0 AS ?end)
  }
}"""
)
_ENTITIES = (
    _PREFIXES
    + """SELECT ?node ?class ?label ?wikidata
WHERE {
  ?node a ?class .
  FILTER(STRSTARTS(STR(?class), "https://w3id.org/geokg/ns#"))
  OPTIONAL { ?node rdfs:label ?label }
  OPTIONAL { ?node geokg:wikidata ?wikidata }
}"""
)
_ALIASES = _PREFIXES + "SELECT ?node ?alias WHERE { ?node skos:altLabel ?alias }"


@dataclass(frozen=True, order=True)
class Evidence:
    """A sentence a fact rests on, with the source it comes from; sorts in reading order."""

    source: str
    source_date: str
    start: int
    end: int
    text: str


def _select(engine: Engine, text: str) -> list[dict[str, Any]]:
    from geokg.queries import spec_from_text

    result = engine.run(spec_from_text(text, "projection"), {}, None, with_labels=False)
    return [dict(zip(result.variables, row, strict=True)) for row in result.terms]


def _as_engine(source: Graph | Engine) -> Engine:
    return source if isinstance(source, Engine) else RdflibEngine(source)


def to_networkx(source: Graph | Engine) -> nx.MultiDiGraph:
    """Return the network projection of a geokg graph.

    Node attributes: ``label``, ``type`` (entity type, or "statement", "proposal",
    "stance" for text facts), ``aliases``, ``wikidata``. Edge attributes: ``relation``,
    ``status``, ``claimant``, ``date``, ``manual`` and ``evidence`` (sorted
    :class:`Evidence`); the edge key is the fact's IRI (an "about" edge's key adds the
    role and entity).
    """
    engine = _as_engine(source)
    entities = _entities(engine)
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for row in _select(engine, _EVIDENCE):
        evidence[str(row["fact"])].append(
            Evidence(
                text=str(row["text"]),
                source=str(row["title"] or row["source"] or ""),
                source_date=str(row["sourceDate"] or ""),
                start=int(str(row["start"])),
                end=int(str(row["end"])),
            )
        )
    related: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _select(engine, _RELATED):
        related[str(row["fact"])].append(
            (str(row["role"]).rsplit("#", 1)[-1], str(row["entity"]))
        )
    net = nx.MultiDiGraph()
    facts = sorted(
        (
            row
            for row in _select(engine, _FACTS)
            if str(row["class"]) in CLASS_TO_RELATION
        ),
        key=lambda row: str(row["fact"]),
    )
    for row in facts:
        fact = str(row["fact"])
        relation = CLASS_TO_RELATION[str(row["class"])]
        attributes = {
            "relation": relation,
            "status": str(row["status"]).rsplit("#", 1)[-1].lower(),
            "claimant": entities.get(str(row["claimant"]), {}).get("label", "")
            if row["claimant"]
            else "",
            "date": str(row["date"]) if row["date"] is not None else "",
            "manual": row["manual"] is not None,
            "evidence": sorted(evidence.get(fact, [])),
            "fact": fact,
        }
        subject_node = _node(net, entities, str(row["subject"]))
        if row["object"] is not None:
            net.add_edge(
                subject_node,
                _node(net, entities, str(row["object"])),
                key=fact,
                **attributes,
            )
            continue
        text = str(row["objectText"] or "")
        net.add_node(
            fact,
            label=text,
            type=TEXT_NODE_TYPES.get(relation, "claim"),
            aliases=[],
            wikidata="",
        )
        net.add_edge(subject_node, fact, key=fact, **attributes)
        for role, entity in sorted(set(related.get(fact, []))):
            net.add_edge(
                fact,
                _node(net, entities, entity),
                key=f"{fact}#{role}-{entity}",
                **{**attributes, "relation": role},
            )
    return net


def _entities(engine: Engine) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in _select(engine, _ENTITIES):
        node = str(row["node"])
        info = found.setdefault(
            node, {"label": "", "type": "entity", "aliases": [], "wikidata": ""}
        )
        kind = CLASS_TO_TYPE.get(str(row["class"]))
        if kind is not None:
            info["type"] = kind
        if row["label"] is not None:
            info["label"] = str(row["label"])
        if row["wikidata"] is not None:
            info["wikidata"] = str(row["wikidata"]).rsplit("/", 1)[-1]
    for row in _select(engine, _ALIASES):
        node = str(row["node"])
        if node in found:
            found[node]["aliases"].append(str(row["alias"]))
    for info in found.values():
        info["aliases"] = sorted(set(info["aliases"]))
    return found


def _node(net: nx.MultiDiGraph, entities: dict[str, dict[str, Any]], iri: str) -> str:
    if iri not in net:
        info = entities.get(iri) or {
            "label": iri.rsplit("/", 1)[-1],
            "type": "entity",
            "aliases": [],
            "wikidata": "",
        }
        net.add_node(iri, **{**info, "label": info["label"] or iri.rsplit("/", 1)[-1]})
    return iri


# ---- selecting part of the network ----------------------------------------------------


def find_node(net: nx.MultiDiGraph, name: str) -> str:
    """The node a name stands for: a label, an alias or an IRI.

    Raises:
        NotFoundError: If no node (or several) has that name; lists the closest names.
    """
    if name in net:
        return name
    folded = name.casefold().strip()
    matches = sorted(
        node
        for node, data in net.nodes(data=True)
        if data.get("label", "").casefold() == folded
        or folded in (a.casefold() for a in data.get("aliases", []))
    )
    if len(matches) == 1:
        return str(matches[0])
    if len(matches) > 1:
        raise NotFoundError(
            f"{name!r} names several entities ({', '.join(matches)}): give an IRI"
        )
    labels = sorted({data.get("label", "") for _, data in net.nodes(data=True)})
    close = difflib.get_close_matches(name, labels, n=5, cutoff=0.5)
    hint = f": closest names are {', '.join(close)}" if close else ""
    raise NotFoundError(f"no entity named {name!r} in the network{hint}")


def filter_edges(
    net: nx.MultiDiGraph,
    *,
    relations: Iterable[str] = (),
    statuses: Iterable[str] = (),
    since: str | None = None,
    until: str | None = None,
) -> nx.MultiDiGraph:
    """Keep the edges of the given relations and statuses, dated in [since, until].

    An undated edge is kept unless a date bound is given. Nodes left without edges are
    dropped. Relation and status names are checked.

    Raises:
        InputError: If a relation or status name is unknown.
    """
    from geokg.schema import STATUSES

    wanted_relations = set(relations)
    wanted_statuses = set(statuses)
    known = set(RELATIONS) | {"about", "addressee"}
    for relation in sorted(wanted_relations - known):
        raise InputError(
            f"unknown relation {relation!r}: use one of {', '.join(sorted(known))}"
        )
    for status in sorted(wanted_statuses - set(STATUSES)):
        raise InputError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    out = nx.MultiDiGraph()
    for source, target, key, data in net.edges(keys=True, data=True):
        if wanted_relations and data["relation"] not in wanted_relations:
            continue
        if wanted_statuses and data["status"] not in wanted_statuses:
            continue
        date = data.get("date", "")
        if (since or until) and not date:
            continue
        if since and date < since[: len(date)]:
            continue
        if until and date[: len(until)] > until:
            continue
        for node in (source, target):
            if node not in out:
                out.add_node(node, **net.nodes[node])
        out.add_edge(source, target, key=key, **data)
    return out


def ego(net: nx.MultiDiGraph, focus: str, depth: int) -> nx.MultiDiGraph:
    """The part of the network within ``depth`` steps of ``focus``, either direction."""
    near = nx.single_source_shortest_path_length(
        net.to_undirected(as_view=True), focus, cutoff=depth
    )
    return net.subgraph(near).copy()


def centrality(net: nx.MultiDiGraph) -> dict[str, tuple[int, float]]:
    """Each node's degree and PageRank (over the collapsed, directed network)."""
    if net.number_of_nodes() == 0:
        return {}
    simple = nx.DiGraph(net)
    ranks = (
        nx.pagerank(simple)
        if simple.number_of_edges()
        else {n: 1 / len(simple) for n in simple}
    )
    return {
        node: (int(net.degree(node)), float(ranks.get(node, 0.0))) for node in net.nodes
    }


def keep_most_central(
    net: nx.MultiDiGraph, max_nodes: int, pinned: Iterable[str] = ()
) -> tuple[nx.MultiDiGraph, int]:
    """Keep the ``max_nodes`` nodes of highest PageRank (then degree, then IRI).

    Returns:
        The smaller network and how many nodes were dropped.
    """
    if max_nodes < 1:
        raise InputError(f"--max-nodes must be at least 1, not {max_nodes}")
    if net.number_of_nodes() <= max_nodes:
        return net, 0
    scores = centrality(net)
    keep = list(dict.fromkeys(p for p in pinned if p in net))
    ranked = sorted(net.nodes, key=lambda n: (-scores[n][1], -scores[n][0], n))
    for node in ranked:
        if len(keep) >= max_nodes:
            break
        if node not in keep:
            keep.append(node)
    return net.subgraph(keep).copy(), net.number_of_nodes() - len(keep)


def keep_strongest_edges(
    net: nx.MultiDiGraph, max_edges: int, pinned: Iterable[str] = ()
) -> tuple[nx.MultiDiGraph, int]:
    """Keep at most ``max_edges`` edges: those of a pinned node first, then those
    between the most central nodes (sum of their PageRank), then the best attested
    (most evidence sentences), then by fact IRI. Nodes all stay.

    Returns:
        The smaller network and how many edges were dropped.

    Raises:
        InputError: If ``max_edges`` is below 1.
    """
    if max_edges < 1:
        raise InputError(f"--max-edges must be at least 1, not {max_edges}")
    total = net.number_of_edges()
    if total <= max_edges:
        return net, 0
    scores = centrality(net)
    anchors = set(pinned)

    def strength(edge: tuple[str, str, str, dict[str, Any]]) -> tuple[Any, ...]:
        source, target, key, data = edge
        return (
            not ({source, target} & anchors),
            -(scores[source][1] + scores[target][1]),
            -len(data.get("evidence", ())),
            key,
        )

    kept = sorted(net.edges(keys=True, data=True), key=strength)[:max_edges]
    out = nx.MultiDiGraph()
    out.add_nodes_from(net.nodes(data=True))
    for source, target, key, data in sorted(kept, key=lambda e: e[2]):
        out.add_edge(source, target, key=key, **data)
    return out, total - max_edges


# ---- paths and neighbours -------------------------------------------------------------


@dataclass(frozen=True)
class Hop:
    """One fact on a path: from a node to the next, with the fact's evidence."""

    source: str
    target: str
    relation: str
    forward: bool
    status: str
    evidence: tuple[Evidence, ...]


def _best_edge(net: nx.MultiDiGraph, a: str, b: str) -> tuple[dict[str, Any], bool]:
    order = (
        "reported",
        "claimed",
        "expected",
        "possible",
        "threatened",
        "alleged",
        "denied",
    )
    options = [(data, True) for data in net.get_edge_data(a, b, default={}).values()]
    options += [(data, False) for data in net.get_edge_data(b, a, default={}).values()]
    options.sort(
        key=lambda item: (
            order.index(item[0]["status"]) if item[0]["status"] in order else 9,
            not item[1],
            item[0]["relation"],
            item[0]["fact"],
        )
    )
    return options[0]


def shortest_path(net: nx.MultiDiGraph, a: str, b: str) -> list[Hop]:
    """The shortest chain of facts between two nodes, in either direction.

    Among equally short chains the first by node IRI is taken; on each hop, the fact
    the source commits to most (reported before claimed ...).

    Raises:
        NotFoundError: If no chain links them.
    """
    undirected = net.to_undirected(as_view=True)
    try:
        paths = sorted(nx.all_shortest_paths(undirected, a, b))
    except nx.NetworkXNoPath as err:
        raise NotFoundError(
            f"no chain of facts links {net.nodes[a]['label']!r} and {net.nodes[b]['label']!r}"
        ) from err
    nodes = paths[0]
    hops = []
    for left, right in itertools.pairwise(nodes):
        data, forward = _best_edge(net, left, right)
        hops.append(
            Hop(
                left,
                right,
                data["relation"],
                forward,
                data["status"],
                tuple(data["evidence"]),
            )
        )
    return hops


def neighbours(net: nx.MultiDiGraph, node: str, depth: int) -> list[tuple[str, int]]:
    """The nodes within ``depth`` steps of ``node`` (either direction), with their distance,
    sorted by distance then label."""
    lengths = nx.single_source_shortest_path_length(
        net.to_undirected(as_view=True), node, cutoff=depth
    )
    found = [(n, d) for n, d in lengths.items() if n != node]
    return sorted(
        found, key=lambda item: (item[1], net.nodes[item[0]].get("label", ""), item[0])
    )


def format_path(net: nx.MultiDiGraph, hops: list[Hop]) -> str:
    """A path as text: one hop a line, then its evidence sentences indented."""
    lines = []
    for hop in hops:
        source = net.nodes[hop.source]["label"]
        target = net.nodes[hop.target]["label"]
        arrow = (
            f"{source} --{hop.relation}--> {target}"
            if hop.forward
            else f"{source} <--{hop.relation}-- {target}"
        )
        lines.append(f"{arrow}  [{hop.status}]")
        for evidence in hop.evidence:
            where = f" ({evidence.source})" if evidence.source else ""
            lines.append(f"    \u201c{evidence.text}\u201d{where}")
    return "\n".join(lines) + "\n"


def format_neighbours(net: nx.MultiDiGraph, found: list[tuple[str, int]]) -> str:
    """Neighbours as text: distance, type and label, one a line."""
    lines = [
        f"{distance}  {net.nodes[node].get('type', '')}  {net.nodes[node].get('label', node)}"
        for node, distance in found
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def export_network(net: nx.MultiDiGraph, fmt: str) -> str:
    """The projection as GraphML or GEXF, for Gephi and other network tools.

    Lists and evidence become text attributes (evidence sentences joined by " | ").
    """
    import io

    flat = nx.MultiDiGraph()
    for node, data in sorted(net.nodes(data=True)):
        flat.add_node(
            node,
            label=data.get("label", ""),
            type=data.get("type", ""),
            aliases="; ".join(data.get("aliases", [])),
            wikidata=data.get("wikidata", ""),
        )
    for source, target, key, data in sorted(
        net.edges(keys=True, data=True), key=lambda e: e[2]
    ):
        flat.add_edge(
            source,
            target,
            key=key,
            relation=data["relation"],
            status=data["status"],
            claimant=data.get("claimant", ""),
            date=data.get("date", ""),
            manual=bool(data.get("manual")),
            evidence=" | ".join(e.text for e in data.get("evidence", [])),
        )
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(flat, buffer)
    elif fmt == "gexf":
        nx.write_gexf(flat, buffer)
    else:
        raise InputError(f"unknown network format {fmt!r}: use graphml or gexf")
    text = buffer.getvalue().decode("utf-8")
    # GEXF stamps today's date; geokg's output depends on its input only.
    return re.sub(r' lastmodifieddate="[^"]*"', "", text)
