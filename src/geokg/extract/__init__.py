"""Extraction: from an article's text to facts with provenance, attribution and status.

The pipeline: split the text into lines and parse them with spaCy (the lexicon's
EntityRulers run before the NER); find and resolve mentions for the whole article
(:mod:`.analysis`); read relations with rules over the parse (:mod:`.rules`,
:mod:`.statements`), each framed with its status and claimant (:mod:`.frames`); merge
facts that say the same thing in several sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from geokg.model import Entity, Fact, SourceDocument

if TYPE_CHECKING:
    from geokg.extract.lexicon import LexEntry

#: Relations whose object is free text: never merged across different wording.
TEXT_RELATIONS = frozenset({"statesThat", "proposes"})


def extract_facts(
    document: SourceDocument, known: tuple[LexEntry, ...] = ()
) -> list[Fact]:
    """Return the facts stated in ``document``, merged and sorted by position.

    Args:
        document: The article.
        known: Entities beyond the lexicon files (the graph's own, see
            :func:`geokg.edits.graph_entries`); their names win.

    spaCy and the model load on the first call (about a second) and stay loaded.
    """
    from geokg.extract.analysis import analyse
    from geokg.extract.nlp import parse, pipeline_with
    from geokg.extract.rules import read_facts

    nlp, lexicon = pipeline_with(known)
    analysis = analyse(document, parse(document.text, nlp), lexicon)
    return merge_facts(read_facts(analysis))


def _entity_key(entity: Entity | None) -> tuple[str, str]:
    return (entity.type, entity.label) if entity is not None else ("", "")


def fact_key(fact: Fact) -> tuple[object, ...]:
    """What makes two facts the same fact: relation, participants, status, claimant."""
    return (
        fact.relation,
        _entity_key(fact.subject),
        _entity_key(fact.object),
        fact.object_text or "",
        fact.status,
        _entity_key(fact.claimant),
    )


def merge_facts(facts: Iterable[Fact]) -> list[Fact]:
    """Merge facts that say the same thing; keep every sentence as evidence.

    The first fact's rule, date, condition and reason win; roles and evidence are
    united. The result is sorted by first evidence, then relation and names.
    """
    merged: dict[tuple[object, ...], Fact] = {}
    for fact in facts:
        key = fact_key(fact)
        if key not in merged:
            merged[key] = fact
            continue
        known = merged[key]
        merged[key] = Fact(
            known.relation,
            known.subject,
            known.object,
            known.object_text,
            status=known.status,
            claimant=known.claimant,
            date=known.date or fact.date,
            date_text=known.date_text or fact.date_text,
            condition=known.condition or fact.condition,
            reason=known.reason or fact.reason,
            roles=tuple(
                sorted(
                    set(known.roles) | set(fact.roles), key=lambda r: (r[0], r[1].label)
                )
            ),
            quantity=known.quantity or fact.quantity,
            quotation=known.quotation or fact.quotation,
            evidence=tuple(sorted(set(known.evidence) | set(fact.evidence))),
            rule=known.rule,
            note=known.note,
        )
    return sorted(merged.values(), key=_position)


def _position(fact: Fact) -> tuple[object, ...]:
    first = fact.evidence[0].start if fact.evidence else -1
    return (first, fact.relation, fact.subject.label, fact.object_label, fact.status)
