"""The entities and facts of a graph as Python records, and finding them by name.

Edits (:mod:`geokg.edits`) and the read-only listings use these to turn what a person
types ("Ankara", "Su-35", "Q43", "state:turkey", "fact:acquires-5bfd") into the node it
stands for, with an error that lists the closest names when nothing matches.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from geokg.engine import fold
from geokg.errors import NotFoundError
from geokg.iris import GEOKG, ID_BASE, PREFIXES, WD, curie
from geokg.schema import ENTITY_TYPES, RELATIONS

CLASS_TO_TYPE = {GEOKG[t.class_name]: t.name for t in ENTITY_TYPES.values()}
CLASS_TO_RELATION = {GEOKG[r.class_name]: r.name for r in RELATIONS.values()}
QID = re.compile(r"^Q[1-9][0-9]*$")


@dataclass(frozen=True)
class GraphEntity:
    """An entity as the graph describes it."""

    iri: URIRef
    type: str
    label: str
    aliases: tuple[str, ...]
    wikidata: str | None

    @property
    def names(self) -> tuple[str, ...]:
        """The label and every alias."""
        return (self.label, *self.aliases)


def expand_name(text: str) -> URIRef | None:
    """A full IRI or a CURIE with one of geokg's prefixes as an IRI; else None."""
    text = text.strip()
    if re.match(r"^https?://\S+$", text):
        return URIRef(text)
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and local and not re.search(r"\s", text):
        return URIRef(PREFIXES[prefix] + local)
    return None


def entity_type_of(graph: Graph, iri: URIRef) -> str | None:
    """The geokg entity type of a node ("state", "person" ...), or None."""
    for cls in graph.objects(iri, RDF.type):
        if cls in CLASS_TO_TYPE:
            return CLASS_TO_TYPE[cls]  # type: ignore[index]
    return None


def graph_entity(graph: Graph, iri: URIRef) -> GraphEntity | None:
    """The entity ``iri`` as ``graph`` describes it, or None if it is no entity."""
    kind = entity_type_of(graph, iri)
    if kind is None:
        return None
    labels = sorted(str(label) for label in graph.objects(iri, RDFS.label))
    aliases = sorted(
        {str(a) for a in graph.objects(iri, SKOS.altLabel)} - set(labels[:1])
    )
    wikidata = graph.value(iri, GEOKG.wikidata)
    qid = str(wikidata)[len(str(WD)) :] if wikidata is not None else None
    return GraphEntity(
        iri, kind, labels[0] if labels else str(iri), tuple(aliases), qid
    )


def graph_entities(
    graph: Graph, types: Iterable[str] | None = None
) -> list[GraphEntity]:
    """Every entity of ``graph`` (optionally of some types), sorted by label then IRI."""
    wanted = set(types) if types is not None else None
    found = []
    for cls, kind in CLASS_TO_TYPE.items():
        if wanted is not None and kind not in wanted:
            continue
        for iri in set(graph.subjects(RDF.type, cls)):
            if isinstance(iri, URIRef):
                entity = graph_entity(graph, iri)
                if entity is not None and entity.type == kind:
                    found.append(entity)
    return sorted(found, key=lambda e: (e.label.casefold(), str(e.iri)))


def name_index(entities: Iterable[GraphEntity]) -> dict[str, list[GraphEntity]]:
    """Case-folded label, alias and Wikidata id -> the entities with it."""
    index: dict[str, list[GraphEntity]] = defaultdict(list)
    for entity in entities:
        keys = {fold(name) for name in entity.names}
        if entity.wikidata:
            keys.add(fold(entity.wikidata))
        for key in keys:
            index[key].append(entity)
    return index


def find_entity(
    graph: Graph, name: str, types: Iterable[str] | None = None
) -> GraphEntity:
    """The entity a name stands for: an IRI or CURIE, a Wikidata id, a label or alias,
    or a capital or demonym of a state the graph holds ("Ankara", "Turkish").

    Args:
        graph: The graph to look in.
        name: What the user typed.
        types: Only entities of these types.

    Raises:
        NotFoundError: If nothing or several entities have that name; the message lists
            the closest names, or the IRIs to choose from.
    """
    return match_entity(name, graph_entities(graph), types)


def match_entity(
    name: str, entities: Iterable[GraphEntity], types: Iterable[str] | None = None
) -> GraphEntity:
    """The one of ``entities`` a name stands for, as :func:`find_entity` finds it.

    Raises:
        NotFoundError: If nothing or several entities have that name.
    """
    wanted = set(types) if types is not None else None
    every = {entity.iri: entity for entity in entities}
    kept = [e for e in every.values() if wanted is None or e.type in wanted]
    iri = expand_name(name)
    if iri is not None and str(iri).startswith(str(WD)):
        name, iri = str(iri)[len(str(WD)) :], None  # a Wikidata IRI: look up its QID
    if iri is not None:
        if iri in every and (wanted is None or every[iri].type in wanted):
            return every[iri]
        raise NotFoundError(
            f"{name!r} is not an entity of the graph{_types_hint(wanted)}: check the IRI"
        )
    index = name_index(kept)
    found = index.get(fold(name), [])
    if not found:
        found = _by_lexicon(every, name, wanted)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        choices = ", ".join(sorted(curie(e.iri) for e in found))
        raise NotFoundError(
            f"{name!r} names several entities ({choices}): give one of these IRIs instead"
        )
    close = difflib.get_close_matches(fold(name), list(index), n=5, cutoff=0.6)
    labels = sorted({index[key][0].label for key in close})
    hint = f"; closest names: {', '.join(labels)}" if labels else ""
    kind = next(iter(wanted)) if wanted and len(wanted) == 1 else "TYPE"
    raise NotFoundError(
        f"no entity named {name!r} in the graph{_types_hint(wanted)}{hint}. "
        f'Add it with: geokg add entity {kind} "{name}"'
    )


def _types_hint(wanted: set[str] | None) -> str:
    return f" of type {' or '.join(sorted(wanted))}" if wanted else ""


def _by_lexicon(
    entities: dict[URIRef, GraphEntity], name: str, wanted: set[str] | None
) -> list[GraphEntity]:
    from geokg.build import entity_iri
    from geokg.extract.lexicon import default_lexicon

    entry = default_lexicon().lookup(name, wanted)
    if entry is None:
        return []
    entity = entities.get(entity_iri(entry.entity))
    return [entity] if entity is not None else []


def fact_nodes(graph: Graph) -> dict[URIRef, str]:
    """Every fact node of ``graph`` with its relation name."""
    found: dict[URIRef, str] = {}
    for cls, relation in CLASS_TO_RELATION.items():
        for node in graph.subjects(RDF.type, cls):
            if isinstance(node, URIRef):
                found[node] = relation
    return found


def find_fact(graph: Graph, name: str) -> tuple[URIRef, str]:
    """The fact an id stands for: its IRI, its CURIE ("fact:acquires-5bfda1fe8b06") or
    its local name ("acquires-5bfda1fe8b06"); returns it with its relation.

    Raises:
        NotFoundError: If no fact has that id; the message lists the closest ids.
    """
    facts = fact_nodes(graph)
    text = name.strip()
    iri = expand_name(text) or URIRef(f"{ID_BASE}fact/{text}")
    if iri in facts:
        return iri, facts[iri]
    ids = sorted(curie(node) for node in facts)
    close = difflib.get_close_matches(curie(iri), ids, n=3, cutoff=0.6)
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise NotFoundError(
        f"no fact {text!r} in the graph{hint}. List fact ids with: geokg facts"
    )
