"""Project the RDF graph onto a networkx MultiDiGraph of entities and facts.

Entities are nodes. Each fact becomes a directed, labelled edge from its subject to its
object, keyed by the fact's IRI so two relations between the same pair both survive.
Facts whose object is text (statements, proposals, stances on a course of action)
become nodes of their own, linked from their subject and to the entities they are
about: a statement then reads as "speaker -> what was said -> what it is about".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from geokg.iris import GEOKG
from geokg.schema import ENTITY_TYPES, RELATIONS

_CLASS_TO_TYPE = {GEOKG[t.class_name]: t.name for t in ENTITY_TYPES.values()}
_CLASS_TO_RELATION = {GEOKG[r.class_name]: r.name for r in RELATIONS.values()}


@dataclass(frozen=True, order=True)
class Evidence:
    """A sentence a fact rests on, with the source it comes from."""

    text: str
    source: str
    source_date: str
    start: int
    end: int


def _label(graph: Graph, node: URIRef) -> str:
    label = graph.value(node, RDFS.label)
    return str(label) if label is not None else str(node).rsplit("/", 1)[-1]


def _entity_type(graph: Graph, node: URIRef) -> str:
    for cls in sorted(graph.objects(node, RDF.type), key=str):
        if isinstance(cls, URIRef) and cls in _CLASS_TO_TYPE:
            return _CLASS_TO_TYPE[cls]
    return "entity"


def _evidence(graph: Graph, fact: URIRef) -> list[Evidence]:
    found = []
    for sentence in graph.objects(fact, PROV.wasDerivedFrom):
        source = graph.value(sentence, GEOKG.inDocument)
        title = graph.value(source, DCTERMS.title) if source is not None else None
        date = graph.value(source, DCTERMS.date) if source is not None else None
        found.append(
            Evidence(
                text=str(graph.value(sentence, GEOKG.text) or ""),
                source=str(title or source or ""),
                source_date=str(date or ""),
                start=int(str(graph.value(sentence, GEOKG.startOffset) or 0)),
                end=int(str(graph.value(sentence, GEOKG.endOffset) or 0)),
            )
        )
    return sorted(found)


def _add_entity_node(net: nx.MultiDiGraph, graph: Graph, node: URIRef) -> str:
    key = str(node)
    if key not in net:
        wikidata = graph.value(node, GEOKG.wikidata)
        net.add_node(
            key,
            label=_label(graph, node),
            type=_entity_type(graph, node),
            aliases=sorted(str(a) for a in graph.objects(node, SKOS.altLabel)),
            wikidata=str(wikidata).rsplit("/", 1)[-1] if wikidata is not None else "",
        )
    return key


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Return the network projection of a geokg graph.

    Node attributes: ``label``, ``type`` (entity type, or "statement" ... for text
    facts), ``aliases``, ``wikidata``. Edge attributes: ``relation``, ``label``,
    ``status``, ``claimant``, ``date``, ``manual`` and ``evidence`` (a list of
    :class:`Evidence`); the edge key is the fact's IRI.
    """
    net = nx.MultiDiGraph()
    facts: dict[URIRef, str] = {}
    for cls, relation in _CLASS_TO_RELATION.items():
        for fact in graph.subjects(RDF.type, cls):
            if isinstance(fact, URIRef):
                facts[fact] = relation
    for fact in sorted(facts):
        _add_fact(net, graph, fact, facts[fact])
    return net


def _fact_attributes(graph: Graph, fact: URIRef, relation: str) -> dict[str, Any]:
    status = graph.value(fact, GEOKG.status)
    claimant = graph.value(fact, GEOKG.claimant)
    date = graph.value(fact, GEOKG.date)
    generated = graph.value(fact, PROV.wasGeneratedBy)
    manual = generated is not None and (generated, RDF.type, GEOKG.ManualEdit) in graph
    return {
        "relation": relation,
        "label": relation,
        "status": str(status).rsplit("#", 1)[-1].lower() if status is not None else "",
        "claimant": _label(graph, claimant) if isinstance(claimant, URIRef) else "",
        "date": str(date) if isinstance(date, Literal) else "",
        "manual": manual,
        "evidence": _evidence(graph, fact),
        "fact": str(fact),
    }


def _add_fact(net: nx.MultiDiGraph, graph: Graph, fact: URIRef, relation: str) -> None:
    subject = graph.value(fact, GEOKG.subject)
    if not isinstance(subject, URIRef):
        return
    source = _add_entity_node(net, graph, subject)
    attributes = _fact_attributes(graph, fact, relation)
    obj = graph.value(fact, GEOKG.object)
    if isinstance(obj, URIRef):
        net.add_edge(
            source, _add_entity_node(net, graph, obj), key=str(fact), **attributes
        )
        return
    text = str(graph.value(fact, GEOKG.objectText) or "")
    node = str(fact)
    net.add_node(
        node,
        label=text,
        type=_TEXT_NODE_TYPES.get(relation, "claim"),
        aliases=[],
        wikidata="",
    )
    net.add_edge(source, node, key=str(fact), **attributes)
    related = defaultdict(set)
    for prop in (GEOKG.about, GEOKG.addressee):
        for target in graph.objects(fact, prop):
            if isinstance(target, URIRef):
                related[str(prop).rsplit("#", 1)[-1]].add(target)
    for role in sorted(related):
        for target in sorted(related[role]):
            net.add_edge(
                node,
                _add_entity_node(net, graph, target),
                key=f"{fact}#{role}-{target}",
                **{**attributes, "relation": role, "label": role},
            )


_TEXT_NODE_TYPES = {
    "statesThat": "statement",
    "proposes": "proposal",
    "opposes": "stance",
    "supports": "stance",
    "threatTo": "stance",
    "threatensSanctions": "stance",
    "imposesSanctions": "stance",
}
