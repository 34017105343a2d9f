"""Dates in text: absolute dates become ISO; relative ones resolve against the article's date.

Only what the text gives is kept: "12 July 2019" is 2019-07-12, "May 2022" is 2022-05,
"2023" is 2023; "December 7" without a year stays without a date unless the article's
date gives the year; "early November" keeps its phrase and, with the article's date, its
month. Nothing is invented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

_ABSOLUTE = (
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.I),
    re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
)
_MONTH_YEAR = re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b", re.I)
_DAY_MONTH = (
    re.compile(rf"\b{_DAY}\s+{_MONTH}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b", re.I),
)
_MONTH_ONLY = re.compile(rf"\b(?:early|mid|late|in|since|by)?-?\s*{_MONTH}\b", re.I)
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")


@dataclass(frozen=True)
class ResolvedDate:
    """A date phrase as written and the ISO date it gives (None if it gives none)."""

    text: str
    iso: str | None

    @property
    def exact(self) -> bool:
        """Whether the phrase itself gave the date, without the article's date."""
        return self.iso is not None and self.text != ""


def _valid(year: int, month: int, day: int = 1) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def resolve_date(phrase: str, anchor: dt.date | None = None) -> ResolvedDate:
    """Return the ISO date a date phrase gives, resolving relative ones against ``anchor``.

    Args:
        phrase: A date phrase such as "12 July 2019", "May 2022", "on Thursday",
            "early November", "last year".
        anchor: The article's date, for relative phrases; None keeps them partial.

    Returns:
        The phrase and its ISO date (YYYY-MM-DD, YYYY-MM or YYYY), or None when the
        phrase gives no date on its own and there is no anchor to resolve it.
    """
    text = " ".join(phrase.split())
    for pattern in _ABSOLUTE:
        match = pattern.search(text)
        if match:
            month = match.group("month")
            month_number = int(month) if month.isdigit() else _month(month)
            year, day = int(match.group("year")), int(match.group("day"))
            if _valid(year, month_number, day):
                return ResolvedDate(text, _iso(year, month_number, day))
    match = _MONTH_YEAR.search(text)
    if match:
        return ResolvedDate(
            text, _iso(int(match.group("year")), _month(match.group("month")))
        )
    relative = _relative(text.lower(), anchor)
    if relative is not None:
        return ResolvedDate(text, relative)
    for pattern in _DAY_MONTH:
        match = pattern.search(text)
        if match and anchor is not None:
            month_number, day = _month(match.group("month")), int(match.group("day"))
            year = _year_not_after(anchor, month_number, day)
            if _valid(year, month_number, day):
                return ResolvedDate(text, _iso(year, month_number, day))
        if match:
            return ResolvedDate(text, None)
    match = _YEAR_ONLY.search(text)
    if match:
        return ResolvedDate(text, match.group("year"))
    match = _MONTH_ONLY.search(text)
    if match and anchor is not None:
        month_number = _month(match.group("month"))
        return ResolvedDate(
            text, _iso(_year_not_after(anchor, month_number, 1), month_number)
        )
    return ResolvedDate(text, None)


def _year_not_after(anchor: dt.date, month: int, day: int) -> int:
    """The year that puts month/day on or before the anchor (news reports the past)."""
    if (month, day) <= (anchor.month, anchor.day):
        return anchor.year
    return anchor.year - 1


def _relative(text: str, anchor: dt.date | None) -> str | None:
    if anchor is None:
        return None
    words = re.findall(r"[a-z]+", text)
    if "today" in words or "tonight" in words:
        return anchor.isoformat()
    if "yesterday" in words:
        return (anchor - dt.timedelta(days=1)).isoformat()
    if "tomorrow" in words:
        return (anchor + dt.timedelta(days=1)).isoformat()
    for index, name in enumerate(WEEKDAYS):
        if name in words:
            back = (anchor.weekday() - index) % 7
            if "next" in words:
                return (
                    anchor + dt.timedelta(days=(index - anchor.weekday()) % 7 or 7)
                ).isoformat()
            return (anchor - dt.timedelta(days=back)).isoformat()
    if "week" in words and "last" in words:
        return _iso(*(anchor - dt.timedelta(days=7)).timetuple()[:2])
    if "month" in words:
        if "last" in words:
            first = anchor.replace(day=1) - dt.timedelta(days=1)
            return _iso(first.year, first.month)
        if "this" in words:
            return _iso(anchor.year, anchor.month)
    if "year" in words:
        if "last" in words:
            return _iso(anchor.year - 1)
        if "this" in words:
            return _iso(anchor.year)
        if "next" in words:
            return _iso(anchor.year + 1)
    return None


def parse_anchor(value: str | None) -> dt.date | None:
    """The article's date as a date, from an ISO string (only a full date anchors)."""
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    return None
