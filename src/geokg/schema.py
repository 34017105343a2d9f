"""The ontology's terms as Python sees them: entity types, relations and statuses.

``ontology/geokg.ttl`` is the authority; ``tests/test_schema.py`` checks that every
entry here matches its class, role properties and shortcut there.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Epistemic statuses, in the order the ontology lists them.
STATUSES = (
    "reported",
    "claimed",
    "threatened",
    "expected",
    "possible",
    "alleged",
    "denied",
)


@dataclass(frozen=True)
class EntityType:
    """A kind of entity: its command-line name, ontology class and IRI path segment."""

    name: str
    class_name: str
    kind: str
    label: str


ENTITY_TYPES: dict[str, EntityType] = {
    t.name: t
    for t in (
        EntityType("state", "State", "state", "state"),
        EntityType("alliance", "Alliance", "organization", "alliance"),
        EntityType(
            "international-organization",
            "InternationalOrganization",
            "organization",
            "international organization",
        ),
        EntityType(
            "government-body", "GovernmentBody", "organization", "government body"
        ),
        EntityType("company", "Company", "organization", "company"),
        EntityType("organization", "Organization", "organization", "organization"),
        EntityType("person", "Person", "person", "person"),
        EntityType("post", "Post", "post", "post"),
        EntityType("weapon-system", "WeaponSystem", "weapon", "weapon system"),
        EntityType("law", "Law", "law", "law or sanctions programme"),
        EntityType("topic", "Topic", "topic", "topic"),
    )
}

#: Entity types whose members can act (subclasses of geokg:Actor).
ACTOR_TYPES = frozenset(
    {
        "state",
        "alliance",
        "international-organization",
        "government-body",
        "company",
        "organization",
        "person",
    }
)
ORGANIZATION_TYPES = ACTOR_TYPES - {"state", "person"}


@dataclass(frozen=True)
class Relation:
    """A relation of the facts table and the fact class that stores it.

    Attributes:
        name: Short name, as in the facts table and on the command line.
        class_name: Local name of the fact class in the ontology.
        subject_role: CURIE of the role property that holds the subject.
        object_role: CURIE of the role property that holds the object.
        shortcut: CURIE of the binary property written for reported facts.
        subject_types: Entity types the subject may have.
        object_types: Entity types the object may have; empty when it is text only.
        object_text: Whether the object may be free text instead of an entity.
    """

    name: str
    class_name: str
    subject_role: str
    object_role: str
    shortcut: str
    subject_types: frozenset[str]
    object_types: frozenset[str]
    object_text: bool = False


_ANY = frozenset(ENTITY_TYPES) - {"post"}
_WEAPON = frozenset({"weapon-system"})

RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation(
            "memberOf",
            "Membership",
            "org:member",
            "org:organization",
            "geokg:memberOf",
            ACTOR_TYPES - {"person"},
            ORGANIZATION_TYPES,
        ),
        Relation(
            "acquires",
            "ArmsAcquisition",
            "geokg:buyer",
            "geokg:weaponSystem",
            "geokg:acquires",
            ACTOR_TYPES,
            _WEAPON,
        ),
        Relation(
            "supplies",
            "ArmsSupply",
            "geokg:supplier",
            "geokg:recipient",
            "geokg:supplies",
            ACTOR_TYPES,
            ACTOR_TYPES,
        ),
        Relation(
            "delivers",
            "ArmsDelivery",
            "geokg:supplier",
            "geokg:recipient",
            "geokg:delivers",
            ACTOR_TYPES,
            ACTOR_TYPES,
        ),
        Relation(
            "originCountry",
            "CountryOfOrigin",
            "geokg:weaponSystem",
            "geokg:country",
            "geokg:originCountry",
            _WEAPON,
            frozenset({"state"}),
        ),
        Relation(
            "manufacturer",
            "Manufacture",
            "geokg:weaponSystem",
            "geokg:maker",
            "geokg:manufacturer",
            _WEAPON,
            ACTOR_TYPES,
        ),
        Relation(
            "operates",
            "SystemOperation",
            "geokg:operator",
            "geokg:weaponSystem",
            "geokg:operates",
            ACTOR_TYPES,
            _WEAPON,
        ),
        Relation(
            "threatensSanctions",
            "SanctionThreat",
            "geokg:imposer",
            "geokg:sanctionTarget",
            "geokg:threatensSanctions",
            ACTOR_TYPES,
            ACTOR_TYPES,
            object_text=True,
        ),
        Relation(
            "imposesSanctions",
            "SanctionImposition",
            "geokg:imposer",
            "geokg:sanctionTarget",
            "geokg:imposesSanctions",
            ACTOR_TYPES,
            ACTOR_TYPES,
            object_text=True,
        ),
        Relation(
            "sanctionsUnderLaw",
            "SanctionsLegalBasis",
            "geokg:imposer",
            "geokg:legalBasis",
            "geokg:sanctionsUnderLaw",
            ACTOR_TYPES,
            frozenset({"law"}),
        ),
        Relation(
            "refusesToSell",
            "RefusalToSell",
            "geokg:supplier",
            "geokg:recipient",
            "geokg:refusesToSell",
            ACTOR_TYPES,
            ACTOR_TYPES,
        ),
        Relation(
            "opposes",
            "Opposition",
            "geokg:actor",
            "geokg:target",
            "geokg:opposes",
            ACTOR_TYPES,
            _ANY,
            object_text=True,
        ),
        Relation(
            "supports",
            "Support",
            "geokg:actor",
            "geokg:target",
            "geokg:supports",
            ACTOR_TYPES,
            _ANY,
            object_text=True,
        ),
        Relation(
            "threatTo",
            "ThreatAssessment",
            "geokg:threatSource",
            "geokg:threatened",
            "geokg:threatTo",
            _ANY,
            _ANY,
            object_text=True,
        ),
        Relation(
            "notInteroperableWith",
            "InteroperabilityAssessment",
            "geokg:weaponSystem",
            "geokg:otherSystem",
            "geokg:notInteroperableWith",
            _WEAPON,
            _ANY,
        ),
        Relation(
            "holdsPosition",
            "PositionHolding",
            "geokg:holder",
            "geokg:post",
            "org:holds",
            frozenset({"person"}),
            frozenset({"post"}),
        ),
        Relation(
            "headOf",
            "Leadership",
            "geokg:leader",
            "geokg:ledOrganization",
            "org:headOf",
            frozenset({"person"}),
            ACTOR_TYPES,
        ),
        Relation(
            "statesThat",
            "Statement",
            "geokg:speaker",
            "geokg:content",
            "geokg:statesThat",
            ACTOR_TYPES,
            frozenset(),
            object_text=True,
        ),
        Relation(
            "proposes",
            "Proposal",
            "geokg:proposer",
            "geokg:content",
            "geokg:proposes",
            ACTOR_TYPES,
            frozenset(),
            object_text=True,
        ),
    )
}
