"""The one module that knows where geokg's data files are.

In an installed wheel, ``ontology/`` and ``queries/`` are package data inside
``geokg/`` (hatchling's ``force-include``). In an editable install of a checkout they
stay at the top of the project, which the installer recorded in the distribution's
``direct_url.json`` (PEP 610). Lexicons and templates always live inside the package.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urlparse

from geokg.errors import GeokgError

_PACKAGE = "geokg"


def package_dir() -> Path:
    """Return the directory of the ``geokg`` package."""
    return Path(str(resources.files(_PACKAGE)))


@cache
def _project_dir() -> Path | None:
    """Return the checkout an editable install points to, or None."""
    try:
        raw = metadata.distribution(_PACKAGE).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not raw:
        return None
    info = json.loads(raw)
    if not info.get("dir_info", {}).get("editable"):
        return None
    url = urlparse(info["url"])
    return Path(unquote(url.path)) if url.scheme == "file" else None


def _data_dir(name: str) -> Path:
    bundled = package_dir() / name
    if bundled.is_dir():
        return bundled
    project = _project_dir()
    if project is not None and (project / name).is_dir():
        return project / name
    raise GeokgError(
        f"cannot find geokg's {name}/ folder: reinstall geokg "
        "(pip install geokg, or pip install -e . in a checkout)"
    )


def ontology_path() -> Path:
    """Return the path of the OWL ontology, ``ontology/geokg.ttl``."""
    return _data_dir("ontology") / "geokg.ttl"


def shapes_path() -> Path:
    """Return the path of the SHACL shapes, ``ontology/shapes.ttl``."""
    return _data_dir("ontology") / "shapes.ttl"


def queries_dir() -> Path:
    """Return the folder of named SPARQL queries, ``queries/``."""
    return _data_dir("queries")


def lexicons_dir() -> Path:
    """Return the folder of lexicon files (package data)."""
    return package_dir() / "lexicons"


def templates_dir() -> Path:
    """Return the folder of HTML templates (package data)."""
    return package_dir() / "templates"


def bundled_articles_dir() -> Path:
    """Return the folder of articles bundled with geokg for the demo."""
    return package_dir() / "corpus"
