"""The facts table: one fact a line, the stable interface analysts and the evaluation read."""

from __future__ import annotations

import json
from collections.abc import Iterable

from geokg.extract.frames import STATUS_ORDER
from geokg.model import Fact

COLUMNS = (
    "subject",
    "relation",
    "object",
    "date",
    "evidence",
    "status",
    "claimant",
    "rule",
    "start",
    "end",
    "condition",
    "quotation",
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def collapse(facts: Iterable[Fact]) -> list[Fact]:
    """One row per (subject, relation, object): the strongest status of the same relation.

    A relation between two entities read as reported in one sentence and as claimed or
    possible in another is one row, with the status the source commits to most;
    facts whose object is text are kept as they are.
    """
    best: dict[tuple[str, ...], Fact] = {}
    order: list[tuple[str, ...]] = []
    for index, fact in enumerate(facts):
        key: tuple[str, ...]
        if fact.object is None:
            key = ("row", str(index))
        else:
            key = (fact.relation, fact.subject.label, fact.object_label)
        if key not in best:
            best[key] = fact
            order.append(key)
        elif _rank(fact) < _rank(best[key]):
            best[key] = fact
    return [best[key] for key in order]


def _rank(fact: Fact) -> int:
    # Reported beats claimed beats hedged: the table shows what the source commits to.
    preference = (
        "reported",
        "claimed",
        "expected",
        "possible",
        "threatened",
        "alleged",
        "denied",
    )
    return (
        preference.index(fact.status)
        if fact.status in preference
        else len(STATUS_ORDER)
    )


def fact_row(fact: Fact) -> dict[str, str]:
    """A fact as a row of the facts table."""
    first = fact.evidence[0] if fact.evidence else None
    return {
        "subject": fact.subject.label,
        "relation": fact.relation,
        "object": fact.object_label,
        "date": fact.date or "",
        "evidence": first.text if first else "",
        "status": fact.status,
        "claimant": fact.claimant.label if fact.claimant else "",
        "rule": fact.rule or "",
        "start": str(first.start) if first else "",
        "end": str(first.end) if first else "",
        "condition": fact.condition or "",
        "quotation": fact.quotation or "",
    }


def facts_tsv(facts: Iterable[Fact]) -> str:
    """The facts table as TSV: a header line, then one fact a line."""
    lines = ["\t".join(COLUMNS)]
    for fact in facts:
        row = fact_row(fact)
        lines.append("\t".join(_cell(row[column]) for column in COLUMNS))
    return "\n".join(lines) + "\n"


def facts_json(facts: Iterable[Fact]) -> str:
    """The facts as JSON: a list of rows, each with every evidence sentence."""
    rows = []
    for fact in facts:
        row: dict[str, object] = dict(fact_row(fact))
        row["evidence"] = [
            {"text": span.text, "start": span.start, "end": span.end}
            for span in fact.evidence
        ]
        row["roles"] = [
            {"role": role, "entity": entity.label} for role, entity in fact.roles
        ]
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
