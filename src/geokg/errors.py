"""The exceptions geokg raises, each with the exit code the command line uses.

Exit codes follow pySHACL's contract:

* 0: done; every check passed.
* 1: ran, and the data failed a check (SHACL non-conformance, a rejected edit).
* 2: usage or input error (an unreadable file, an unknown name); nothing was written.
"""

from __future__ import annotations


class GeokgError(Exception):
    """A problem the user can fix; its message is one line naming the problem and the fix."""

    exit_code: int = 2


class InputError(GeokgError):
    """Input that cannot be read or understood: a missing file, bad syntax, a bad option."""

    exit_code = 2


class NotFoundError(InputError):
    """A name (entity, relation, query, source) that the graph or the lexicon does not know."""


class ValidationError(GeokgError):
    """Data that was read but fails a check (SHACL shapes, domain and range)."""

    exit_code = 1
