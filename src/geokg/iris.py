"""Namespaces and the minting of stable IRIs.

Entities get IRIs from their normalised canonical label, facts from a hash of their
content, sentences from their document and offsets: never counters, random ids or blank
nodes, so that the same input always gives the same graph files.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from geokg.errors import InputError

GEOKG = Namespace("https://w3id.org/geokg/ns#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
ID_BASE = "https://w3id.org/geokg/id/"

#: Path segments of minted IRIs; each is also the Turtle prefix of its namespace.
KINDS = (
    "activity",
    "agent",
    "category",
    "fact",
    "graph",
    "law",
    "organization",
    "person",
    "post",
    "rule",
    "sentence",
    "source",
    "state",
    "topic",
    "weapon",
)

#: Every prefix geokg writes, bound explicitly so no generated ``ns1:`` appears.
PREFIXES: dict[str, str] = {
    "geokg": str(GEOKG),
    "org": str(ORG),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "wd": str(WD),
    **{kind: f"{ID_BASE}{kind}/" for kind in KINDS},
}


def slugify(label: str) -> str:
    """Return the ASCII slug of a label: lower case, runs of other characters as '-'.

    >>> slugify("Côte d'Ivoire's Su-35")
    'cote-d-ivoire-s-su-35'
    """
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def mint_iri(kind: str, label: str) -> URIRef:
    """Return the stable IRI for an entity of ``kind`` named ``label``.

    Args:
        kind: Path segment for the entity type, one of :data:`KINDS`, e.g. "state".
        label: Canonical label (aliases are resolved to it before this).

    Raises:
        InputError: If the kind is unknown, or nothing of the label survives ASCII
            folding (a name in another script needs a Latin-script label).
    """
    if kind not in KINDS:
        raise InputError(f"unknown IRI kind {kind!r}: use one of {', '.join(KINDS)}")
    slug = slugify(label)
    if not slug:
        raise InputError(
            f"cannot mint an IRI for {label!r}: give the entity a Latin-script label"
        )
    return URIRef(f"{ID_BASE}{kind}/{slug}")


def content_hash(*parts: str, length: int = 12) -> str:
    """Return a short, stable hex digest of the given strings (joined unambiguously)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def fact_iri(relation: str, *parts: str) -> URIRef:
    """Return the IRI of a fact from its relation and the strings that identify it."""
    return URIRef(f"{ID_BASE}fact/{slugify(relation)}-{content_hash(relation, *parts)}")


def sentence_iri(source_slug: str, start: int, end: int) -> URIRef:
    """Return the IRI of the sentence at ``[start, end)`` of a source document."""
    return URIRef(f"{ID_BASE}sentence/{source_slug}-{start}-{end}")


def source_iri(source_slug: str) -> URIRef:
    """Return the IRI of a source document."""
    return URIRef(f"{ID_BASE}source/{source_slug}")


def wikidata_iri(qid: str) -> URIRef:
    """Return the Wikidata entity IRI of a QID such as 'Q43'.

    Raises:
        InputError: If ``qid`` is not of the form Q followed by digits.
    """
    if not re.fullmatch(r"Q[1-9][0-9]*", qid):
        raise InputError(f"bad Wikidata id {qid!r}: expected the form Q43")
    return WD[qid]


def curie(iri: str | Node) -> str:
    """The prefixed name of an IRI with the longest of geokg's namespaces that fits
    ("state:turkey"), or ``<iri>``."""
    text = str(iri)
    best = max(
        (
            prefix
            for prefix, namespace in PREFIXES.items()
            if text.startswith(namespace)
        ),
        key=lambda prefix: len(PREFIXES[prefix]),
        default=None,
    )
    return f"{best}:{text[len(PREFIXES[best]) :]}" if best else f"<{text}>"
