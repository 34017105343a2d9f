"""One graph from many articles: extracted entities become the graph's entities.

An article's extraction knows only that article. Before its facts are written, each
entity is matched against the entities the graph already holds, of the same type: by
IRI, by Wikidata id, then by label or alias (case-folded). A match takes the graph's
IRI and label (the extracted label becomes an alias), and drops the attributes the
graph already gives it, so the new file agrees with the others: Turkey from one
article and "Türkiye" from another are one node, and the same fact read in both is
one fact with two sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from rdflib import Graph, URIRef

from geokg.catalog import GraphEntity, graph_entities, name_index
from geokg.engine import fold
from geokg.iris import GEOKG
from geokg.model import Entity, Fact

#: Entity attributes and the property that holds them once per entity.
_SINGLE = {
    "wikidata": GEOKG.wikidata,
    "iso_code": GEOKG.isoCode,
    "of_state": GEOKG.ofState,
    "designation": GEOKG.designation,
    "official_name": GEOKG.officialName,
    "category": GEOKG.category,
    "role_name": GEOKG.roleName,
}


class Reconciler:
    """Maps extracted entities onto a graph's entities (built once per graph)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        entities = graph_entities(graph)
        self.by_iri = {e.iri: e for e in entities}
        self.by_qid = {e.wikidata: e for e in entities if e.wikidata}
        self.by_name = name_index(entities)
        self._seen: dict[Entity, Entity] = {}

    def entity(self, entity: Entity) -> Entity:
        """The entity as the graph knows it (or unchanged if the graph does not)."""
        if entity not in self._seen:
            self._seen[entity] = self._map(entity)
        return self._seen[entity]

    def fact(self, fact: Fact) -> Fact:
        """The fact with every participant mapped."""
        return replace(
            fact,
            subject=self.entity(fact.subject),
            object=self.entity(fact.object) if fact.object is not None else None,
            claimant=self.entity(fact.claimant) if fact.claimant is not None else None,
            roles=tuple((role, self.entity(e)) for role, e in fact.roles),
        )

    def _map(self, entity: Entity) -> Entity:
        from geokg.build import entity_iri

        holds = self.entity(entity.holds) if entity.holds is not None else None
        entity = replace(entity, holds=holds)
        match = self._match(entity, entity_iri(entity))
        if match is None:
            return entity
        aliases = set(entity.aliases) | {entity.label}
        known: dict[str, str | None] = {
            attr: None
            for attr, prop in _SINGLE.items()
            if self.graph.value(match.iri, prop) is not None
        }
        if entity.type == "post":
            known.update(self._post_attributes(match.iri))
        return replace(
            entity,
            label=match.label,
            aliases=tuple(sorted(aliases - {match.label})),
            iri=str(match.iri),
            **known,  # type: ignore[arg-type]
        )

    def _post_attributes(self, iri: URIRef) -> dict[str, str | None]:
        """A post's role name and container as the graph gives them: a post is always
        written with both, so they are taken from the graph rather than dropped."""
        from geokg.catalog import entity_type_of, graph_entity
        from geokg.iris import ORG

        found: dict[str, str | None] = {}
        role = self.graph.value(iri, GEOKG.roleName)
        if role is not None:
            found["role_name"] = str(role)
        container = self.graph.value(iri, ORG.postIn)
        holder = (
            graph_entity(self.graph, container)
            if isinstance(container, URIRef)
            else None
        )
        if holder is not None:
            found["post_in"] = holder.label
            found["post_in_type"] = entity_type_of(self.graph, holder.iri)
        return found

    def _match(self, entity: Entity, iri: URIRef) -> GraphEntity | None:
        found = self.by_iri.get(iri)
        if found is not None and found.type == entity.type:
            return found
        if entity.wikidata and entity.wikidata in self.by_qid:
            candidate = self.by_qid[entity.wikidata]
            if candidate.type == entity.type:
                return candidate
        for name in (entity.label, *entity.aliases):
            same = [
                e for e in self.by_name.get(fold(name), []) if e.type == entity.type
            ]
            if len(same) == 1:
                return same[0]
        return None


def reconcile(facts: Iterable[Fact], graph: Graph) -> list[Fact]:
    """The facts with their entities mapped onto ``graph``'s (see the module text)."""
    reconciler = Reconciler(graph)
    return [reconciler.fact(fact) for fact in facts]
