"""Counts that summarise a graph: entities by type, facts by relation and status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import RDF

from geokg.iris import GEOKG
from geokg.schema import ENTITY_TYPES, RELATIONS, STATUSES


@dataclass(frozen=True)
class GraphStats:
    """What a graph holds, as sorted (name, count) pairs and totals."""

    entities_by_type: tuple[tuple[str, int], ...]
    facts_by_relation: tuple[tuple[str, int], ...]
    facts_by_status: tuple[tuple[str, int], ...]
    sources: int
    sentences: int
    triples: int

    @property
    def entities(self) -> int:
        """The number of entities of all types."""
        return sum(count for _, count in self.entities_by_type)

    @property
    def facts(self) -> int:
        """The number of facts of all relations."""
        return sum(count for _, count in self.facts_by_relation)


def graph_stats(graph: Graph) -> GraphStats:
    """Count the entities, facts, sources, sentences and triples of ``graph``."""
    entities = Counter(
        {
            entity_type.name: len(
                set(graph.subjects(RDF.type, GEOKG[entity_type.class_name]))
            )
            for entity_type in ENTITY_TYPES.values()
        }
    )
    facts = Counter(
        {
            relation.name: len(
                set(graph.subjects(RDF.type, GEOKG[relation.class_name]))
            )
            for relation in RELATIONS.values()
        }
    )
    statuses = Counter(
        {
            status: len(set(graph.subjects(GEOKG.status, GEOKG[status.capitalize()])))
            for status in STATUSES
        }
    )
    return GraphStats(
        entities_by_type=_nonzero(entities),
        facts_by_relation=_nonzero(facts),
        facts_by_status=_nonzero(statuses),
        sources=len(set(graph.subjects(RDF.type, GEOKG.SourceDocument))),
        sentences=len(set(graph.subjects(RDF.type, GEOKG.Sentence))),
        triples=len(graph),
    )


def _nonzero(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(
        sorted(
            ((name, n) for name, n in counts.items() if n),
            key=lambda item: (-item[1], item[0]),
        )
    )


def format_stats(stats: GraphStats, fmt: str) -> str:
    """Return the stats as text: "table" for people, "json" or "tsv" for programs."""
    if fmt == "json":
        import json

        payload = {
            "entities_by_type": dict(stats.entities_by_type),
            "facts_by_relation": dict(stats.facts_by_relation),
            "facts_by_status": dict(stats.facts_by_status),
            "entities": stats.entities,
            "facts": stats.facts,
            "sources": stats.sources,
            "sentences": stats.sentences,
            "triples": stats.triples,
        }
        return json.dumps(payload, indent=2, sort_keys=True) + "\n"
    rows: list[tuple[str, str, int]] = []
    rows += [("entities", name, n) for name, n in stats.entities_by_type]
    rows += [("facts", name, n) for name, n in stats.facts_by_relation]
    rows += [("status", name, n) for name, n in stats.facts_by_status]
    rows += [
        ("total", "entities", stats.entities),
        ("total", "facts", stats.facts),
        ("total", "sources", stats.sources),
        ("total", "sentences", stats.sentences),
        ("total", "triples", stats.triples),
    ]
    if fmt == "tsv":
        return "group\tname\tcount\n" + "".join(f"{g}\t{n}\t{c}\n" for g, n, c in rows)
    return _table(stats)


def _table(stats: GraphStats) -> str:
    sections = [
        (f"Entities by type ({stats.entities})", stats.entities_by_type),
        (f"Facts by relation ({stats.facts})", stats.facts_by_relation),
        ("Facts by status", stats.facts_by_status),
    ]
    lines: list[str] = []
    for title, pairs in sections:
        lines.append(title)
        if not pairs:
            lines.append("  (none)")
        width = max((len(name) for name, _ in pairs), default=0)
        lines += [f"  {name.ljust(width)}  {count:>6}" for name, count in pairs]
        lines.append("")
    lines.append(
        f"Sources: {stats.sources}  Sentences: {stats.sentences}  Triples: {stats.triples}"
    )
    return "\n".join(lines) + "\n"
