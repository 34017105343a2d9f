"""Extraction: from an article's text to facts with provenance and status."""

from __future__ import annotations

from geokg.model import Fact, SourceDocument


def extract_facts(document: SourceDocument) -> list[Fact]:
    """Return the facts stated in ``document``, sorted by position.

    Extraction rules arrive with issue 02; until then no facts are extracted.
    """
    return []
