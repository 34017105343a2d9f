"""Read-only listings of a graph: an entity's card, and tables of entities and facts.

Everything is read with a few SPARQL queries whose size does not depend on the number
of facts, so the listings run on Oxigraph for large graphs as well as on rdflib. Values
the caller gives (an entity, a source, a relation) are bound as RDF terms through
``engine.run``; the query texts are built from constant fragments only.
"""

from __future__ import annotations

import difflib
import json
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from rdflib import Literal, URIRef
from rdflib.term import Identifier, Node

from geokg.catalog import (
    CLASS_TO_RELATION,
    CLASS_TO_TYPE,
    GraphEntity,
    expand_name,
    match_entity,
)
from geokg.engine import Engine, fold
from geokg.errors import InputError, NotFoundError
from geokg.iris import ID_BASE, WD, curie
from geokg.queries import QueryResult, spec_from_text
from geokg.schema import ENTITY_TYPES, RELATIONS

LISTING_FORMATS = ("table", "tsv", "json")
ENTITY_COLUMNS = ("label", "type", "id", "wikidata", "facts", "aliases")
FACT_COLUMNS = (
    "id",
    "subject",
    "relation",
    "object",
    "status",
    "date",
    "claimant",
    "manual",
    "sources",
    "evidence",
)
WRAP = 60
SOURCE_BASE = f"{ID_BASE}source/"
_TYPE_ORDER = {name: index for index, name in enumerate(ENTITY_TYPES)}
_RELATION_CLASS = {relation: cls for cls, relation in CLASS_TO_RELATION.items()}
_GENERIC_ROLES = ("subject", "object", "claimant")
Row = TypeVar("Row")

_PREFIXES = """PREFIX geokg: <https://w3id.org/geokg/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""


def _values(variable: str, classes: Iterable[URIRef]) -> str:
    return f"VALUES ?{variable} {{ {' '.join(f'<{c}>' for c in sorted(classes))} }}"


_FACT_CLASSES = _values("class", CLASS_TO_RELATION)
_ENTITY_CLASSES = _values("class", CLASS_TO_TYPE)

# Each query below is completed by a scope: triple patterns that keep some facts (or
# one entity), with the variables they bind listed first in the projection (SEP-0007).
# Labels come from the engine (QueryResult.labels), and source titles from _SOURCES:
# joining them here would build one more literal per row, the slow part on large graphs.
_FACTS = """SELECT DISTINCT {params} ?fact ?class ?subject ?object ?objectText ?status
  ?claimant ?date
WHERE {{
  {classes} ?fact a ?class .
  {scope}
  OPTIONAL {{ ?fact geokg:subject ?subject }}
  OPTIONAL {{ ?fact geokg:object ?object }}
  OPTIONAL {{ ?fact geokg:objectText ?objectText }}
  OPTIONAL {{ ?fact geokg:status ?status }}
  OPTIONAL {{ ?fact geokg:claimant ?claimant }}
  OPTIONAL {{ ?fact geokg:date ?date }}
}}"""
_EVIDENCE = """SELECT DISTINCT {params} ?fact ?text ?start ?end ?source
WHERE {{
  {classes} ?fact a ?class .
  {scope}
  ?fact prov:wasDerivedFrom ?sentence .
  OPTIONAL {{ ?sentence geokg:text ?text }}
  OPTIONAL {{ ?sentence geokg:startOffset ?start }}
  OPTIONAL {{ ?sentence geokg:endOffset ?end }}
  OPTIONAL {{ ?sentence geokg:inDocument ?source }}
}}"""
_BY_HAND = """SELECT DISTINCT {params} ?fact ?kind ?value
WHERE {{
  {classes} ?fact a ?class .
  {scope}
  {{ ?fact prov:wasGeneratedBy ?value . ?value a geokg:ManualEdit . BIND("manual" AS ?kind) }}
  UNION {{ ?fact geokg:evidenceText ?value . BIND("text" AS ?kind) }}
  UNION {{ ?fact geokg:sourceUrl ?value . BIND("url" AS ?kind) }}
}}"""
_ROLES = """SELECT DISTINCT ?_entity_iri ?fact ?role
WHERE {{ {classes} ?fact a ?class ; ?role ?_entity_iri . }}"""
_ENTITIES = """SELECT DISTINCT {entity} ?class ?label ?wikidata
WHERE {{
  {classes} {entity} a ?class .
  OPTIONAL {{ {entity} rdfs:label ?label }}
  OPTIONAL {{ {entity} geokg:wikidata ?wikidata }}
}}"""
_ALIASES = """SELECT DISTINCT {entity} ?alias
WHERE {{ {classes} {entity} a ?class ; skos:altLabel ?alias . }}"""
_FACT_COUNTS = """SELECT ?entity (COUNT(DISTINCT ?fact) AS ?facts)
WHERE {{ {classes} ?fact a ?class ; ?role ?entity . FILTER(isIRI(?entity)) }}
GROUP BY ?entity"""
_SOURCES = """SELECT DISTINCT ?source ?title ?date ?url ?fileName
WHERE {{
  ?source a geokg:SourceDocument .
  OPTIONAL {{ ?source dcterms:title ?title }}
  OPTIONAL {{ ?source dcterms:date ?date }}
  OPTIONAL {{ ?source schema:url ?url }}
  OPTIONAL {{ ?source geokg:fileName ?fileName }}
}}"""


# ---- records --------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityRow:
    """An entity with its names and the number of facts it takes part in.

    Attributes:
        iri: The entity's IRI.
        label: Its rdfs:label (its CURIE if it has none).
        type: Its entity type name ("state", "weapon-system" ...).
        aliases: Its other names, sorted.
        wikidata: Its Wikidata QID ("Q43"), if known.
        facts: How many facts it takes part in, in any role.
    """

    iri: URIRef
    label: str
    type: str
    aliases: tuple[str, ...]
    wikidata: str | None
    facts: int

    @property
    def id(self) -> str:
        """The entity's CURIE ("state:turkey")."""
        return curie(self.iri)


@dataclass(frozen=True)
class FactRow:
    """A fact as one line of a listing.

    Attributes:
        iri: The fact's IRI.
        relation: Its relation name ("acquires").
        subject: The subject's label.
        object: The object's label, or the object text.
        status: Its epistemic status, lower case ("reported").
        date: Its date (YYYY-MM-DD, YYYY-MM or YYYY), if any.
        claimant: The claimant's label, if any.
        manual: Whether a manual edit produced it (as well as, perhaps, extraction).
        sources: Slugs of the source documents of its evidence sentences, sorted.
        evidence: Its evidence sentences plus the evidence texts typed by hand.
    """

    iri: URIRef
    relation: str
    subject: str
    object: str
    status: str
    date: str | None
    claimant: str | None
    manual: bool
    sources: tuple[str, ...]
    evidence: int

    @property
    def id(self) -> str:
        """The fact's CURIE ("fact:acquires-6c3d0ad26976")."""
        return curie(self.iri)


@dataclass(frozen=True, order=True)
class EvidenceSentence:
    """A sentence a fact rests on; sorts in reading order (source slug, offsets).

    Attributes:
        source: The slug of its source document ("" if it names none).
        start: Its start offset in the document.
        end: Its end offset.
        text: The sentence.
        title: The source's title, or its slug when it has none.
        source_date: The source's date, if any.
    """

    source: str
    start: int
    end: int
    text: str
    title: str
    source_date: str | None


@dataclass(frozen=True)
class CardFact:
    """A fact on an entity card: its row, the entity's roles in it, and its evidence.

    Attributes:
        fact: The fact's row.
        roles: Local names of the properties that link the fact to the entity, sorted
            ("buyer", "subject").
        object_is_text: Whether the fact's object is text (what was said, opposed ...).
        sentences: Its evidence sentences, in reading order.
        evidence_texts: Evidence typed by hand (geokg:evidenceText), sorted.
        source_urls: Where a fact added by hand was read (geokg:sourceUrl), sorted.
    """

    fact: FactRow
    roles: tuple[str, ...]
    object_is_text: bool
    sentences: tuple[EvidenceSentence, ...]
    evidence_texts: tuple[str, ...] = ()
    source_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class EntityCard:
    """Everything the graph says about one entity, for reading.

    Attributes:
        iri: The entity's IRI.
        label: Its label.
        type: Its entity type name.
        aliases: Its other names, sorted.
        wikidata: Its Wikidata QID, if known.
        facts: Every fact it takes part in, in any role, sorted by relation, subject,
            object and id.
    """

    iri: URIRef
    label: str
    type: str
    aliases: tuple[str, ...]
    wikidata: str | None
    facts: tuple[CardFact, ...]

    @property
    def id(self) -> str:
        """The entity's CURIE."""
        return curie(self.iri)


@dataclass
class _FactData:
    """What the queries found about one fact, gathered before it becomes a row."""

    iri: URIRef
    relation: str
    values: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sentences: set[EvidenceSentence] = field(default_factory=set)
    manual: bool = False
    evidence_texts: set[str] = field(default_factory=set)
    source_urls: set[str] = field(default_factory=set)

    def first(self, name: str) -> str | None:
        """The smallest value found for a column, so that both engines agree."""
        found = self.values.get(name)
        return min(found) if found else None


# ---- running the queries --------------------------------------------------------------


def _select(
    engine: Engine,
    template: str,
    scope: Mapping[str, tuple[str, Identifier]] | None = None,
    **parts: str,
) -> list[dict[str, Node | None]]:
    """Run a query template completed by a scope (variable -> pattern and the term
    bound to it) and by other constant fragments; return its rows as dicts."""
    result = _run(engine, template, scope, **parts)
    return [dict(zip(result.variables, row, strict=True)) for row in result.terms]


def _run(
    engine: Engine,
    template: str,
    scope: Mapping[str, tuple[str, Identifier]] | None = None,
    **parts: str,
) -> QueryResult:
    scope = scope or {}
    text = _PREFIXES + template.format(
        params=" ".join(f"?{name}" for name in scope),
        scope="\n  ".join(pattern for pattern, _ in scope.values()),
        **{"classes": _FACT_CLASSES, **parts},
    )
    bindings = {name: term for name, (_, term) in scope.items()}
    return engine.run(spec_from_text(text, "listing"), bindings, None)


def _text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _slug(source: str) -> str:
    return (
        source[len(SOURCE_BASE) :] if source.startswith(SOURCE_BASE) else curie(source)
    )


def _qid(wikidata: str) -> str:
    return wikidata[len(str(WD)) :] if wikidata.startswith(str(WD)) else wikidata


def _fact_scope(
    relation: str | None, source: URIRef | None, entity: URIRef | None
) -> dict[str, tuple[str, Identifier]]:
    scope: dict[str, tuple[str, Identifier]] = {}
    if relation is not None:
        scope["_relation_iri"] = ("?fact a ?_relation_iri .", _RELATION_CLASS[relation])
    if source is not None:
        scope["_source_iri"] = (
            "?fact prov:wasDerivedFrom ?scopeSentence . "
            "?scopeSentence geokg:inDocument ?_source_iri .",
            source,
        )
    if entity is not None:
        scope["_entity_iri"] = ("?fact ?scopeRole ?_entity_iri .", entity)
    return scope


def _load_facts(
    engine: Engine, scope: Mapping[str, tuple[str, Identifier]]
) -> dict[URIRef, _FactData]:
    """Every fact in scope with its values, evidence and manual edits: four queries."""
    facts: dict[URIRef, _FactData] = {}
    result = _run(engine, _FACTS, scope)
    for row in result.terms:
        _add_values(facts, dict(zip(result.variables, row, strict=True)), result.labels)
    sources = _source_info(engine)
    for values in _select(engine, _EVIDENCE, scope):
        _fact_data(facts, values).sentences.add(_sentence(values, sources))
    for values in _select(engine, _BY_HAND, scope):
        _add_by_hand(
            _fact_data(facts, values), str(values["kind"]), str(values["value"])
        )
    return facts


def _fact_data(
    facts: dict[URIRef, _FactData], values: Mapping[str, Node | None]
) -> _FactData:
    iri = values["fact"]
    assert isinstance(iri, URIRef)
    return facts[iri]


def _add_values(
    facts: dict[URIRef, _FactData],
    values: Mapping[str, Node | None],
    labels: Mapping[str, str],
) -> None:
    iri = values["fact"]
    assert isinstance(iri, URIRef)
    relation = CLASS_TO_RELATION[URIRef(str(values["class"]))]
    data = facts.setdefault(iri, _FactData(iri, relation))
    for name, term in values.items():
        if term is None:
            continue
        data.values[name].add(str(term))
        if isinstance(term, URIRef) and str(term) in labels:
            data.values[f"{name}Label"].add(labels[str(term)])


def _add_by_hand(data: _FactData, kind: str, value: str) -> None:
    if kind == "manual":
        data.manual = True
    elif kind == "text":
        data.evidence_texts.add(value)
    else:
        data.source_urls.add(value)


def _sentence(
    row: Mapping[str, Node | None], sources: Mapping[str, dict[str, str]]
) -> EvidenceSentence:
    source = _text(row["source"]) or ""
    slug = _slug(source) if source else ""
    info = sources.get(source, {})
    return EvidenceSentence(
        source=slug,
        start=int(str(row["start"])) if row["start"] is not None else 0,
        end=int(str(row["end"])) if row["end"] is not None else 0,
        text=_text(row["text"]) or "",
        title=info.get("title") or slug,
        source_date=info.get("date"),
    )


def _source_info(engine: Engine) -> dict[str, dict[str, str]]:
    """Each source document's IRI with its title, date, URL and file name (the
    smallest of each, should there be several)."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for row in _select(engine, _SOURCES):
        info = found[str(row["source"])]
        for key in ("title", "date", "url", "fileName"):
            if row[key] is not None:
                value = str(row[key])
                info[key] = min(info.get(key, value), value)
    return dict(found)


def _fact_row(data: _FactData) -> FactRow:
    subject = data.first("subject")
    obj = data.first("object")
    status = data.first("status")
    return FactRow(
        iri=data.iri,
        relation=data.relation,
        subject=data.first("subjectLabel") or (curie(subject) if subject else ""),
        object=data.first("objectLabel")
        or (curie(obj) if obj else data.first("objectText") or ""),
        status=_local_name(status).lower() if status else "",
        date=data.first("date"),
        claimant=data.first("claimantLabel")
        or (curie(c) if (c := data.first("claimant")) else None),
        manual=data.manual,
        sources=tuple(sorted({s.source for s in data.sentences if s.source})),
        evidence=len(data.sentences) + len(data.evidence_texts),
    )


def _fact_order(row: FactRow) -> tuple[str, str, str, str]:
    return (row.relation, row.subject.casefold(), row.object.casefold(), row.id)


# ---- entities -------------------------------------------------------------------------


def _entity_rows(
    engine: Engine, iri: URIRef | None = None
) -> dict[URIRef, dict[str, Any]]:
    """Entities (all, or the one ``iri``) as dicts of type, label, aliases, Wikidata."""
    scope = {} if iri is None else {"_entity_iri": ("", iri)}
    entity = "?entity" if iri is None else "?_entity_iri"
    parts = {"entity": entity, "classes": _ENTITY_CLASSES}
    found: dict[URIRef, dict[str, Any]] = {}
    for row in _select(engine, _ENTITIES, scope, **parts):
        node = row.get("entity", iri)
        assert isinstance(node, URIRef)
        info = found.setdefault(node, {"types": set(), "labels": set(), "qids": set()})
        info["types"].add(CLASS_TO_TYPE[URIRef(str(row["class"]))])
        if row["label"] is not None:
            info["labels"].add(str(row["label"]))
        if row["wikidata"] is not None:
            info["qids"].add(_qid(str(row["wikidata"])))
    aliases: dict[URIRef, set[str]] = defaultdict(set)
    for row in _select(engine, _ALIASES, scope, **parts):
        node = row.get("entity", iri)
        assert isinstance(node, URIRef)
        aliases[node].add(str(row["alias"]))
    return {
        node: {
            "type": min(info["types"], key=_TYPE_ORDER.__getitem__),
            "label": min(info["labels"]) if info["labels"] else curie(node),
            "aliases": tuple(sorted(aliases[node] - set(sorted(info["labels"])[:1]))),
            "wikidata": min(info["qids"]) if info["qids"] else None,
        }
        for node, info in found.items()
    }


def _fact_counts(engine: Engine) -> dict[URIRef, int]:
    counts: dict[URIRef, int] = {}
    for row in _select(engine, _FACT_COUNTS):
        entity = row["entity"]
        assert isinstance(entity, URIRef) and isinstance(row["facts"], Literal)
        counts[entity] = int(row["facts"])
    return counts


def _check_types(types: Iterable[str]) -> set[str]:
    wanted = set(types)
    for name in sorted(wanted - set(ENTITY_TYPES)):
        raise InputError(
            f"unknown entity type {name!r}: use one of {', '.join(ENTITY_TYPES)}"
        )
    return wanted


def list_entities(
    engine: Engine, types: Iterable[str] | None = None, search: str | None = None
) -> list[EntityRow]:
    """Every entity of the graph with its names and how many facts it takes part in.

    Args:
        engine: The loaded graph (:func:`geokg.engine.open_engine`).
        types: Keep only entities of these types ("state", "weapon-system" ...).
        search: Keep only entities whose label or an alias contains this text; case,
            curly apostrophes and runs of spaces do not matter.

    Returns:
        The entities, sorted by label (case-folded) then IRI.

    Raises:
        InputError: If a type name is unknown; the message lists the valid names.
    """
    wanted = _check_types(types) if types is not None else None
    needle = fold(search) if search is not None else None
    counts = _fact_counts(engine)
    rows = []
    for iri, info in _entity_rows(engine).items():
        if wanted is not None and info["type"] not in wanted:
            continue
        names = (info["label"], *info["aliases"])
        if needle is not None and not any(needle in fold(name) for name in names):
            continue
        rows.append(EntityRow(iri, facts=counts.get(iri, 0), **info))
    return sorted(rows, key=lambda row: (row.label.casefold(), str(row.iri)))


def find_entity(engine: Engine, name: str) -> URIRef:
    """The entity a name stands for (label, alias, Wikidata id, IRI or CURIE, capital
    or demonym), as :func:`geokg.catalog.find_entity` finds it, read through ``engine``.

    Raises:
        NotFoundError: If nothing or several entities have that name; the one-line
            message lists the closest names.
    """
    entities = [
        GraphEntity(iri, info["type"], info["label"], info["aliases"], info["wikidata"])
        for iri, info in _entity_rows(engine).items()
    ]
    return match_entity(name, entities).iri


def entity_card(engine: Engine, iri: URIRef) -> EntityCard:
    """Everything the graph says about one entity, and every fact it takes part in.

    A fact takes part whatever the role: subject, object, claimant, about, addressee,
    or any other property from the fact node to the entity.

    Args:
        engine: The loaded graph.
        iri: The entity (resolve a name first with :func:`geokg.catalog.find_entity`).

    Raises:
        NotFoundError: If ``iri`` is not an entity of the graph.
    """
    entities = _entity_rows(engine, iri)
    if iri not in entities:
        raise NotFoundError(
            f"{curie(iri)!r} is not an entity of the graph: check the IRI"
        )
    roles = _entity_roles(engine, iri)
    facts = _load_facts(engine, _fact_scope(None, None, iri))
    cards = [_card_fact(data, roles[node]) for node, data in facts.items()]
    cards.sort(key=lambda card: _fact_order(card.fact))
    return EntityCard(iri, facts=tuple(cards), **entities[iri])


def _entity_roles(engine: Engine, iri: URIRef) -> dict[URIRef, set[str]]:
    """Each fact ``iri`` takes part in, with the local names of the linking properties."""
    roles: dict[URIRef, set[str]] = defaultdict(set)
    for row in _select(engine, _ROLES, {"_entity_iri": ("", iri)}):
        fact = row["fact"]
        assert isinstance(fact, URIRef)
        roles[fact].add(_local_name(str(row["role"])))
    return roles


def _card_fact(data: _FactData, roles: Iterable[str]) -> CardFact:
    return CardFact(
        fact=_fact_row(data),
        roles=tuple(sorted(roles)),
        object_is_text=data.first("object") is None
        and data.first("objectText") is not None,
        sentences=tuple(sorted(data.sentences)),
        evidence_texts=tuple(sorted(data.evidence_texts)),
        source_urls=tuple(sorted(data.source_urls)),
    )


# ---- facts ----------------------------------------------------------------------------


def _check_relation(relation: str) -> None:
    if relation not in RELATIONS:
        raise InputError(
            f"unknown relation {relation!r}: use one of {', '.join(sorted(RELATIONS))}"
        )


def list_facts(
    engine: Engine,
    relation: str | None = None,
    source: str | None = None,
    entity: URIRef | None = None,
) -> list[FactRow]:
    """Every fact of the graph as a row, optionally filtered.

    Args:
        engine: The loaded graph.
        relation: Keep only facts of this relation ("acquires").
        source: Keep only facts with an evidence sentence from this source, named as
            :func:`find_source` accepts. The rows still list all their sources.
        entity: Keep only facts this entity takes part in, in any role.

    Returns:
        The facts, sorted by relation, subject label, object and id.

    Raises:
        InputError: If the relation is unknown; the message lists the valid names.
        NotFoundError: If no source has that name.
    """
    if relation is not None:
        _check_relation(relation)
    source_iri = find_source(engine, source) if source is not None else None
    facts = _load_facts(engine, _fact_scope(relation, source_iri, entity))
    return sorted((_fact_row(data) for data in facts.values()), key=_fact_order)


def find_source(engine: Engine, name: str) -> URIRef:
    """The source document a name stands for: its slug, IRI or CURIE
    (``source:<slug>``), URL, file name or exact title.

    Raises:
        NotFoundError: If no source, or several, has that name; the one-line message
            lists the closest slugs and titles, or the sources to choose from.
    """
    text = name.strip()
    expanded = expand_name(text)
    keys: dict[URIRef, set[str]] = defaultdict(set)
    for row in _select(engine, _SOURCES):
        iri = row["source"]
        assert isinstance(iri, URIRef)
        keys[iri] |= {str(iri), _slug(str(iri))}
        keys[iri] |= {str(row[k]) for k in ("title", "url", "fileName") if row[k]}
    wanted = {text} | ({str(expanded)} if expanded is not None else set())
    found = sorted(iri for iri, names in keys.items() if names & wanted)
    if len(found) == 1:
        return found[0]
    if found:
        choices = ", ".join(_slug(str(iri)) for iri in found)
        raise NotFoundError(
            f"{text!r} names several sources ({choices}): give one of these slugs"
        )
    raise NotFoundError(
        f"no source {text!r} in the graph{_closest_sources(text, keys)}: "
        "give a slug, source IRI, URL, file name or exact title"
    )


def _closest_sources(text: str, keys: Mapping[URIRef, set[str]]) -> str:
    names: dict[str, str] = {}
    for iri in sorted(keys):
        for key in sorted(keys[iri] - {str(iri)}):
            if not key.startswith(("http://", "https://")):
                names.setdefault(fold(key), " ".join(key.split()))
    close = difflib.get_close_matches(fold(text), list(names), n=3, cutoff=0.6)
    return f" (closest: {', '.join(names[key] for key in close)})" if close else ""


# ---- writing --------------------------------------------------------------------------


def format_entity_card(card: EntityCard) -> str:
    """The card as a text block: names, Wikidata id, then each fact with its evidence."""
    lines = [f"{_one_line(card.label)} ({card.type}, {card.id})"]
    if card.aliases:
        lines.append(f"Also: {', '.join(_one_line(a) for a in card.aliases)}")
    if card.wikidata:
        lines.append(f"Wikidata: {card.wikidata}")
    lines.append("")
    count = len(card.facts)
    lines.append(f"{count} fact{'s' if count != 1 else ''}:" if count else "No facts.")
    for item in card.facts:
        lines.append(_card_line(item))
        lines += [f"    {_evidence_line(sentence)}" for sentence in item.sentences]
        lines += [f"    “{_one_line(text)}”" for text in item.evidence_texts]
        lines += [f"    source: {url}" for url in item.source_urls]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _card_line(item: CardFact) -> str:
    fact = item.fact
    obj = (
        f"“{_one_line(fact.object)}”" if item.object_is_text else _one_line(fact.object)
    )
    details = fact.status
    if fact.claimant:
        by = " by" if fact.status == "claimed" else ", according to"
        details += f"{by} {_one_line(fact.claimant)}"
    if fact.date:
        details += f", {fact.date}"
    line = f"{fact.id}  {_one_line(fact.subject)} {fact.relation} {obj}  [{details}]"
    if fact.manual:
        line += " (manual)"
    if item.roles and not set(item.roles) & set(_GENERIC_ROLES):
        line += f" (as {', '.join(item.roles)})"
    return line


def _evidence_line(sentence: EvidenceSentence) -> str:
    where = ", ".join(filter(None, (_one_line(sentence.title), sentence.source_date)))
    return f"“{_one_line(sentence.text)}”" + (f" ({where})" if where else "")


def _entity_cells(row: EntityRow) -> list[str]:
    return [
        row.label,
        row.type,
        row.id,
        row.wikidata or "",
        str(row.facts),
        "; ".join(row.aliases),
    ]


def _fact_cells(row: FactRow) -> list[str]:
    return [
        row.id,
        row.subject,
        row.relation,
        row.object,
        row.status,
        row.date or "",
        row.claimant or "",
        "yes" if row.manual else "no",
        ", ".join(row.sources),
        str(row.evidence),
    ]


def _entity_json(row: EntityRow) -> dict[str, Any]:
    return {
        "iri": str(row.iri),
        "id": row.id,
        "label": row.label,
        "type": row.type,
        "aliases": list(row.aliases),
        "wikidata": row.wikidata,
        "facts": row.facts,
    }


def _fact_json(row: FactRow) -> dict[str, Any]:
    return {
        "iri": str(row.iri),
        "id": row.id,
        "subject": row.subject,
        "relation": row.relation,
        "object": row.object,
        "status": row.status,
        "date": row.date,
        "claimant": row.claimant,
        "manual": row.manual,
        "sources": list(row.sources),
        "evidence": row.evidence,
    }


def format_entities(rows: Sequence[EntityRow], fmt: str) -> str:
    """Write entity rows as ``table`` (aligned, with a count), ``tsv`` or ``json``.

    Raises:
        InputError: If the format is unknown; the message lists the valid ones.
    """
    return _write(
        rows, fmt, ENTITY_COLUMNS, _entity_cells, _entity_json, ("entity", "entities")
    )


def format_facts(rows: Sequence[FactRow], fmt: str) -> str:
    """Write fact rows as ``table`` (aligned, with a count), ``tsv`` or ``json``.

    Raises:
        InputError: If the format is unknown; the message lists the valid ones.
    """
    return _write(rows, fmt, FACT_COLUMNS, _fact_cells, _fact_json, ("fact", "facts"))


def _write(
    rows: Sequence[Row],
    fmt: str,
    columns: Sequence[str],
    cells: Callable[[Row], list[str]],
    as_json: Callable[[Row], dict[str, Any]],
    nouns: tuple[str, str],
) -> str:
    if fmt == "json":
        payload = [as_json(row) for row in rows]
        return json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if fmt == "tsv":
        lines = ["\t".join(columns)]
        lines += ["\t".join(_tsv_cell(cell) for cell in cells(row)) for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        return text_table(columns, [cells(row) for row in rows], nouns)
    raise InputError(f"unknown format {fmt!r}: use one of {', '.join(LISTING_FORMATS)}")


_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _tsv_cell(text: str) -> str:
    return "".join(_TSV_ESCAPES.get(char, char) for char in text)


def text_table(
    columns: Sequence[str], rows: Sequence[Sequence[str]], nouns: tuple[str, str]
) -> str:
    """An aligned plain-text table: a header, a rule, the rows (long cells wrapped at
    60 characters) and a count line such as "(2 facts)".

    Args:
        columns: The column names.
        rows: The cells, one list per row, in column order.
        nouns: The singular and plural of what a row is ("fact", "facts").
    """
    wrapped = [[_wrap(cell) for cell in row] for row in rows]
    widths = [len(name) for name in columns]
    for row in wrapped:
        widths = [
            max(w, *(len(line) for line in cell))
            for w, cell in zip(widths, row, strict=True)
        ]
    out = [
        "  ".join(
            name.ljust(w) for name, w in zip(columns, widths, strict=True)
        ).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in wrapped:
        for index in range(max(len(cell) for cell in row)):
            parts = [
                (cell[index] if index < len(cell) else "").ljust(w)
                for cell, w in zip(row, widths, strict=True)
            ]
            out.append("  ".join(parts).rstrip())
    out.append(f"({len(rows)} {nouns[0] if len(rows) == 1 else nouns[1]})")
    return "\n".join(out) + "\n"


def _wrap(cell: str) -> list[str]:
    if len(cell) <= WRAP and cell == " ".join(cell.split()):
        return [cell]  # what textwrap gives, without its cost on every short cell
    return textwrap.wrap(cell, WRAP) or [""]
