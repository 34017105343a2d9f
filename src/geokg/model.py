"""The plain-Python records that flow between extraction, editing and the graph.

They carry no RDF: :mod:`geokg.build` turns them into triples, so extraction and the
command line can be tested without rdflib.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from geokg.schema import ENTITY_TYPES, RELATIONS, STATUSES


@dataclass(frozen=True, order=True)
class Entity:
    """A named thing: a state, organization, person, post, weapon system, law or topic.

    Attributes:
        type: Entity type name (a key of :data:`geokg.schema.ENTITY_TYPES`).
        label: Canonical label; the IRI is minted from it.
        aliases: Other names, sorted.
        wikidata: Wikidata QID such as "Q43", when known.
        iso_code: ISO 3166-1 alpha-3 code, for states.
        of_state: Label of the state a body, company, person or post belongs to.
        post_in: For a post, the label of the state or organization it is in.
        post_in_type: For a post, the entity type of ``post_in``.
        role_name: For a post, its title without the organization ("defense minister").
        category: For a weapon system, its category ("air-defence system").
        designation: For a weapon system, its designation ("Su-35").
        holds: For a person the article names only by office ("the NATO chief"), the
            post they hold.
        official_name: For a law, its official name when the label is another.
        iri: The IRI of the graph entity this one is, when it is not the one its label
            mints (an entity renamed or merged in the graph keeps its IRI).
    """

    type: str
    label: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    iso_code: str | None = None
    of_state: str | None = None
    post_in: str | None = None
    post_in_type: str | None = None
    role_name: str | None = None
    category: str | None = None
    designation: str | None = None
    holds: Entity | None = None
    official_name: str | None = None
    iri: str | None = None

    def __post_init__(self) -> None:
        if self.type not in ENTITY_TYPES:
            raise ValueError(f"unknown entity type {self.type!r}")

    @property
    def key(self) -> tuple[str, str]:
        """The identity of the entity: its IRI kind and its label."""
        return (ENTITY_TYPES[self.type].kind, self.label)


@dataclass(frozen=True)
class SourceDocument:
    """A text facts are extracted from, with its metadata.

    Attributes:
        slug: Short name; names the graph file and the document IRI.
        text: The full text, as read (offsets count code points in it).
        url: Where it was published, when known.
        title: Its title; defaults to its first line.
        publisher: Who published it.
        date: Publication date, ISO (YYYY-MM-DD, YYYY-MM or YYYY).
        file_name: The file it was read from, when it was a file.
    """

    slug: str
    text: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    file_name: str | None = None

    @property
    def sha256(self) -> str:
        """SHA-256 of the text encoded as UTF-8."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, order=True)
class Span:
    """A sentence of a source document: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Fact:
    """One relation between a subject and an object, with its status and evidence.

    Attributes:
        relation: Relation name (a key of :data:`geokg.schema.RELATIONS`).
        subject: The subject entity.
        object: The object entity, or None when the object is text.
        object_text: What is said, proposed, opposed ...: the object as text.
        status: Epistemic status (one of :data:`geokg.schema.STATUSES`).
        claimant: Who claims it, for claimed and alleged facts.
        date: ISO date (YYYY-MM-DD, YYYY-MM or YYYY), when the text gives one.
        date_text: The date phrase as written, when it could not be fully resolved.
        condition: Condition as written ("if the system is activated").
        reason: Reason as written ("for the purchase of ...").
        roles: Further participants, as (role CURIE, entity) pairs, e.g.
            ("geokg:supplier", russia) or ("geokg:legalBasis", caatsa).
        quantity: Units, for arms transfers.
        quotation: Verbatim quotation, for statements.
        evidence: The sentences the fact rests on.
        rule: Id of the extraction rule that produced it.
        note: Free-text note (manual edits).
    """

    relation: str
    subject: Entity
    object: Entity | None = None
    object_text: str | None = None
    status: str = "reported"
    claimant: Entity | None = None
    date: str | None = None
    date_text: str | None = None
    condition: str | None = None
    reason: str | None = None
    roles: tuple[tuple[str, Entity], ...] = ()
    quantity: int | None = None
    quotation: str | None = None
    evidence: tuple[Span, ...] = field(default=())
    rule: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise ValueError(f"unknown relation {self.relation!r}")
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")
        if (self.object is None) == (self.object_text is None):
            raise ValueError("a fact needs exactly one of object and object_text")

    @property
    def object_label(self) -> str:
        """The object as the facts table shows it: its label, or its text."""
        if self.object is not None:
            return self.object.label
        assert self.object_text is not None
        return self.object_text
