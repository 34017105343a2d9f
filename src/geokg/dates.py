"""ISO dates as geokg stores them: a full date, a year and month, or a year."""

from __future__ import annotations

import datetime as dt
import re

from rdflib import Literal
from rdflib.namespace import XSD

from geokg.errors import InputError

_PATTERNS = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date),
    (re.compile(r"\d{4}-\d{2}"), XSD.gYearMonth),
    (re.compile(r"\d{4}"), XSD.gYear),
)


def check_iso_date(value: str) -> str:
    """Return ``value`` if it is a valid ISO date, year-month or year.

    Raises:
        InputError: If it is none of YYYY-MM-DD, YYYY-MM and YYYY, or names no real day.
    """
    for pattern, _ in _PATTERNS:
        if pattern.fullmatch(value):
            parts = [int(p) for p in value.split("-")]
            try:
                dt.date(
                    parts[0],
                    parts[1] if len(parts) > 1 else 1,
                    parts[2] if len(parts) > 2 else 1,
                )
            except ValueError:
                break
            return value
    raise InputError(f"bad date {value!r}: expected YYYY-MM-DD, YYYY-MM or YYYY")


def date_literal(value: str) -> Literal:
    """Return the typed literal of an ISO date: xsd:date, xsd:gYearMonth or xsd:gYear.

    Raises:
        InputError: If ``value`` is not a valid ISO date (see :func:`check_iso_date`).
    """
    check_iso_date(value)
    for pattern, datatype in _PATTERNS:
        if pattern.fullmatch(value):
            return Literal(value, datatype=datatype)
    raise AssertionError("unreachable: check_iso_date accepted a value no pattern fits")
