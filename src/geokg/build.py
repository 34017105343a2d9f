"""Turn sources, entities and facts into RDF, as the ontology and shapes describe."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from geokg.dates import date_literal
from geokg.iris import (
    GEOKG,
    ID_BASE,
    ORG,
    PREFIXES,
    SCHEMA,
    fact_iri,
    mint_iri,
    sentence_iri,
    source_iri,
    wikidata_iri,
)
from geokg.model import Entity, Fact, SourceDocument, Span
from geokg.schema import ENTITY_TYPES, RELATIONS


def expand(curie: str) -> URIRef:
    """Return the IRI of a CURIE written with one of geokg's prefixes ("geokg:buyer")."""
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def entity_iri(entity: Entity) -> URIRef:
    """Return the IRI of an entity: the graph's, when it is known there under another
    label, else minted from its type's kind and its label."""
    if entity.iri:
        return URIRef(entity.iri)
    return mint_iri(ENTITY_TYPES[entity.type].kind, entity.label)


def fact_identity(fact: Fact) -> tuple[str, ...]:
    """What makes two facts the same fact, wherever they were read: the relation, the
    participants (by IRI), the object text, status, claimant, date and every other
    single-valued attribute; not the evidence, rule or note.

    The same fact read in several articles is therefore one node with every sentence
    as evidence, and one ``prov:wasGeneratedBy`` per extraction that found it.
    """
    return (
        fact.relation,
        str(entity_iri(fact.subject)),
        str(entity_iri(fact.object)) if fact.object is not None else "",
        fact.object_text or "",
        fact.status,
        str(entity_iri(fact.claimant)) if fact.claimant is not None else "",
        fact.date or "",
        fact.date_text or "",
        fact.condition or "",
        fact.reason or "",
        str(fact.quantity) if fact.quantity is not None else "",
        fact.quotation or "",
        *sorted(f"{role}={entity_iri(entity)}" for role, entity in fact.roles),
    )


def rule_iri(rule: str) -> URIRef:
    """Return the IRI of an extraction rule."""
    return mint_iri("rule", rule)


def extraction_activity_iri(source_slug: str) -> URIRef:
    """Return the IRI of the extraction run over one source."""
    return URIRef(f"{ID_BASE}activity/extract-{source_slug}")


def add_entity(graph: Graph, entity: Entity) -> URIRef:
    """Add an entity's type, label, aliases and attributes to ``graph``; return its IRI."""
    iri = entity_iri(entity)
    graph.add((iri, RDF.type, GEOKG[ENTITY_TYPES[entity.type].class_name]))
    graph.add((iri, RDFS.label, Literal(entity.label)))
    for alias in entity.aliases:
        if alias != entity.label:
            graph.add((iri, SKOS.altLabel, Literal(alias)))
    if entity.wikidata:
        graph.add((iri, GEOKG.wikidata, wikidata_iri(entity.wikidata)))
    if entity.iso_code:
        graph.add((iri, GEOKG.isoCode, Literal(entity.iso_code)))
    if entity.of_state:
        state = add_entity(graph, Entity("state", entity.of_state))
        graph.add((iri, GEOKG.ofState, state))
    if entity.type == "post":
        holder_type = entity.post_in_type or "state"
        container = add_entity(
            graph, Entity(holder_type, entity.post_in or entity.label)
        )
        graph.add((iri, ORG.postIn, container))
        graph.add(
            (iri, GEOKG.roleName, Literal(entity.role_name or entity.label.lower()))
        )
    if entity.designation:
        graph.add((iri, GEOKG.designation, Literal(entity.designation)))
    if entity.official_name:
        graph.add((iri, GEOKG.officialName, Literal(entity.official_name)))
    if entity.holds is not None:
        graph.add((iri, ORG.holds, add_entity(graph, entity.holds)))
    if entity.category:
        category = mint_iri("category", entity.category)
        graph.add((category, RDF.type, GEOKG.WeaponCategory))
        graph.add((category, RDFS.label, Literal(entity.category)))
        graph.add((iri, GEOKG.category, category))
    return iri


def fact_iri_for(fact: Fact) -> URIRef:
    """The IRI a fact is written under: a hash of :func:`fact_identity`."""
    return fact_iri(fact.relation, *fact_identity(fact))


def add_source(graph: Graph, document: SourceDocument) -> URIRef:
    """Add a source document's metadata to ``graph``; return its IRI."""
    iri = source_iri(document.slug)
    graph.add((iri, RDF.type, GEOKG.SourceDocument))
    graph.add((iri, GEOKG.sha256, Literal(document.sha256)))
    graph.add(
        (iri, GEOKG.characterCount, Literal(len(document.text), datatype=XSD.integer))
    )
    if document.title:
        graph.add((iri, DCTERMS.title, Literal(document.title)))
    if document.publisher:
        graph.add((iri, DCTERMS.publisher, Literal(document.publisher)))
    if document.url:
        graph.add((iri, SCHEMA.url, URIRef(document.url)))
    if document.date:
        graph.add((iri, DCTERMS.date, date_literal(document.date)))
    if document.file_name:
        graph.add((iri, GEOKG.fileName, Literal(document.file_name)))
    return iri


def add_sentence(graph: Graph, source_slug: str, span: Span) -> URIRef:
    """Add a sentence with its text and offsets to ``graph``; return its IRI."""
    iri = sentence_iri(source_slug, span.start, span.end)
    graph.add((iri, RDF.type, GEOKG.Sentence))
    graph.add((iri, GEOKG.text, Literal(span.text)))
    graph.add((iri, GEOKG.startOffset, Literal(span.start, datatype=XSD.integer)))
    graph.add((iri, GEOKG.endOffset, Literal(span.end, datatype=XSD.integer)))
    graph.add((iri, GEOKG.inDocument, source_iri(source_slug)))
    return iri


def add_fact(
    graph: Graph,
    fact: Fact,
    generated_by: URIRef,
    source_slug: str | None = None,
) -> URIRef:
    """Add a fact node, its participants and its shortcut to ``graph``; return its IRI.

    Args:
        graph: The graph to add to.
        fact: The fact.
        generated_by: The extraction activity or manual edit that produced it.
        source_slug: The source its evidence sentences belong to; required when the
            fact has evidence.

    The binary shortcut (e.g. ``india geokg:acquires rafale``) is written only when
    the status is "reported", so a plain triple pattern never returns a claim or a
    threat as a fact.
    """
    relation = RELATIONS[fact.relation]
    iri = fact_iri_for(fact)
    subject = add_entity(graph, fact.subject)
    graph.add((iri, RDF.type, GEOKG[relation.class_name]))
    graph.add((iri, GEOKG.subject, subject))
    graph.add((iri, expand(relation.subject_role), subject))
    if fact.object is not None:
        obj = add_entity(graph, fact.object)
        graph.add((iri, GEOKG.object, obj))
        graph.add((iri, expand(relation.object_role), obj))
    else:
        text = Literal(fact.object_text)
        graph.add((iri, GEOKG.objectText, text))
        if not relation.object_types:
            graph.add((iri, expand(relation.object_role), text))
    for role, entity in fact.roles:
        graph.add((iri, expand(role), add_entity(graph, entity)))
    graph.add((iri, GEOKG.status, GEOKG[fact.status.capitalize()]))
    if fact.claimant is not None:
        graph.add((iri, GEOKG.claimant, add_entity(graph, fact.claimant)))
    if fact.date:
        graph.add((iri, GEOKG.date, date_literal(fact.date)))
    for prop, value in (
        (GEOKG.dateText, fact.date_text),
        (GEOKG.condition, fact.condition),
        (GEOKG.reason, fact.reason),
        (GEOKG.quotation, fact.quotation),
        (GEOKG.note, fact.note),
    ):
        if value:
            graph.add((iri, prop, Literal(value)))
    if fact.quantity is not None:
        graph.add((iri, GEOKG.quantity, Literal(fact.quantity, datatype=XSD.integer)))
    for span in fact.evidence:
        if source_slug is None:
            raise ValueError("a fact with evidence needs the slug of its source")
        graph.add((iri, PROV.wasDerivedFrom, add_sentence(graph, source_slug, span)))
    graph.add((iri, PROV.wasGeneratedBy, generated_by))
    if fact.rule:
        rule = rule_iri(fact.rule)
        graph.add((rule, RDF.type, GEOKG.ExtractionRule))
        graph.add((rule, RDFS.label, Literal(fact.rule)))
        graph.add((iri, GEOKG.rule, rule))
    _add_shortcut(graph, fact, iri, subject)
    return iri


def _add_shortcut(graph: Graph, fact: Fact, iri: URIRef, subject: URIRef) -> None:
    if fact.status != "reported":
        return
    shortcut = expand(RELATIONS[fact.relation].shortcut)
    if fact.relation == "statesThat":
        graph.add((subject, shortcut, iri))
    elif fact.relation == "proposes":
        for role, entity in fact.roles:
            if role == "geokg:addressee":
                graph.add((subject, shortcut, entity_iri(entity)))
    elif fact.object is not None:
        graph.add((subject, shortcut, entity_iri(fact.object)))


def build_source_graph(
    document: SourceDocument,
    facts: Iterable[Fact],
    entities: Iterable[Entity] = (),
) -> Graph:
    """Return the graph of one source: its metadata, entities, facts and evidence.

    Args:
        document: The source document.
        facts: The facts extracted from it.
        entities: Entities to describe even if no fact uses them.
    """
    graph = new_graph()
    source = add_source(graph, document)
    activity = extraction_activity_iri(document.slug)
    graph.add((activity, RDF.type, GEOKG.ExtractionActivity))
    graph.add((activity, PROV.used, source))
    graph.add((activity, RDFS.label, Literal(f"geokg extraction of {document.slug}")))
    for entity in entities:
        add_entity(graph, entity)
    for fact in facts:
        add_fact(graph, fact, activity, document.slug)
    return graph


def new_graph() -> Graph:
    """Return an empty graph with geokg's prefixes bound (and no others)."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
