"""The ontology parses, carries Widoco's metadata, and documents every term."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from geokg import resources
from geokg.iris import GEOKG

ONTOLOGY = URIRef("https://w3id.org/geokg/ns")
VANN = "http://purl.org/vocab/vann/"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resources.ontology_path(), format="turtle")


def run_check(graph: Graph, name: str) -> list[tuple[str, str]]:
    query = (resources.queries_dir() / "checks" / f"{name}.rq").read_text(
        encoding="utf-8"
    )
    return [(str(row[0]), str(row[1])) for row in graph.query(query)]


def test_ontology_metadata_is_complete(ontology: Graph) -> None:
    def value(prop: URIRef) -> str:
        return str(ontology.value(ONTOLOGY, prop))

    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert value(DCTERMS.title) == "geokg: geopolitical relations in news"
    assert value(OWL.versionIRI) == "https://w3id.org/geokg/ns/0.1.0"
    assert value(OWL.versionInfo) == "0.1.0"
    assert value(URIRef(VANN + "preferredNamespacePrefix")) == "geokg"
    assert value(URIRef(VANN + "preferredNamespaceUri")) == "https://w3id.org/geokg/ns#"
    assert value(DCTERMS.license) == "https://creativecommons.org/licenses/by/4.0/"
    assert value(DCTERMS.creator) == "geokg developers"
    assert len(value(DCTERMS.description)) > 200


def test_every_term_has_label_comment_and_is_defined_by(ontology: Graph) -> None:
    assert run_check(ontology, "term-metadata-violation") == []


def test_every_property_has_domain_and_range(ontology: Graph) -> None:
    assert run_check(ontology, "property-domain-range-violation") == []


def test_metadata_check_finds_an_undocumented_term(ontology: Graph) -> None:
    broken = Graph()
    broken += ontology
    broken.remove((GEOKG.Alliance, RDFS.comment, None))
    broken.add((GEOKG.Mystery, RDF.type, OWL.Class))
    assert run_check(broken, "term-metadata-violation") == [
        (str(GEOKG.Alliance), "rdfs:comment"),
        (str(GEOKG.Mystery), "rdfs:comment"),
        (str(GEOKG.Mystery), "rdfs:isDefinedBy"),
        (str(GEOKG.Mystery), "rdfs:label"),
    ]


def test_event_classes_carry_cameo_and_plover_codes(ontology: Graph) -> None:
    assert ontology.value(GEOKG.SanctionThreat, GEOKG.cameoCode) == Literal("1312")
    assert ontology.value(GEOKG.SanctionThreat, GEOKG.ploverEventType) == Literal(
        "THREATEN"
    )
    assert ontology.value(GEOKG.SanctionThreat, GEOKG.ploverMode) == Literal("restrict")
    assert ontology.value(GEOKG.SanctionImposition, GEOKG.ploverEventType) == Literal(
        "SANCTION"
    )


def test_epistemic_statuses_are_the_seven_documented(ontology: Graph) -> None:
    statuses = sorted(
        str(ontology.value(s, RDFS.label))
        for s in ontology.subjects(RDF.type, GEOKG.EpistemicStatus)
    )
    assert statuses == [
        "alleged",
        "claimed",
        "denied",
        "expected",
        "possible",
        "reported",
        "threatened",
    ]


def test_ontology_file_is_found_as_package_data_or_checkout() -> None:
    assert resources.ontology_path().name == "geokg.ttl"
    assert resources.shapes_path().is_file()
    assert isinstance(resources.queries_dir(), Path)
