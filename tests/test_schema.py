"""geokg.schema, Python's view of the ontology, agrees with ontology/geokg.ttl."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from geokg import resources
from geokg.build import expand
from geokg.iris import GEOKG
from geokg.schema import ENTITY_TYPES, RELATIONS


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resources.ontology_path(), format="turtle")


@pytest.mark.parametrize("name", sorted(RELATIONS))
def test_relation_matches_its_fact_class(ontology: Graph, name: str) -> None:
    relation = RELATIONS[name]
    cls = GEOKG[relation.class_name]
    assert (cls, RDFS.subClassOf, GEOKG.Fact) in ontology
    assert ontology.value(cls, GEOKG.relationName) == Literal(name)
    assert ontology.value(cls, GEOKG.shortcut) == expand(relation.shortcut)
    assert ontology.value(cls, GEOKG.subjectRole) == expand(relation.subject_role)
    assert ontology.value(cls, GEOKG.objectRole) == expand(relation.object_role)


def test_every_fact_class_has_a_relation(ontology: Graph) -> None:
    classes = {
        str(c).rsplit("#", 1)[-1]
        for c in ontology.subjects(RDFS.subClassOf, GEOKG.Fact)
    }
    assert classes == {r.class_name for r in RELATIONS.values()}


@pytest.mark.parametrize("name", sorted(ENTITY_TYPES))
def test_entity_type_is_an_ontology_class(ontology: Graph, name: str) -> None:
    assert (GEOKG[ENTITY_TYPES[name].class_name], RDF.type, OWL.Class) in ontology
