"""The graph on disk: a folder of Turtle/TriG files, one per source. The only writer.

Files are written deterministically (sorted Turtle, fixed prefixes, no blank-node
labels, UTF-8, ``\\n`` newlines) and atomically (a temporary file in the same folder,
then ``os.replace``), so an interrupted write never leaves a broken file and
``git diff graph/`` shows exactly what changed.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from geokg.build import new_graph
from geokg.errors import InputError
from geokg.iris import PREFIXES

GRAPH_SUFFIXES = (".ttl", ".trig")
HEADER = (
    "# Written by geokg; the graph's source of truth. Edit it with geokg commands\n"
    "# (geokg add/remove/merge), which validate before they write.\n"
)


def graph_dir(path: str | os.PathLike[str], *, create: bool = False) -> Path:
    """Return ``path`` as the folder of a graph, checking that it exists.

    Args:
        path: The folder.
        create: Create it (and its parents) when missing, for commands that write.

    Raises:
        InputError: If it is missing (and ``create`` is false) or not a folder.
    """
    folder = Path(path)
    if create and not folder.exists():
        folder.mkdir(parents=True)
    if not folder.exists():
        raise InputError(
            f"graph folder {str(folder)!r} does not exist: create it, or pass "
            "--graph DIR (or set GEOKG_GRAPH) to an existing graph"
        )
    if not folder.is_dir():
        raise InputError(
            f"graph path {str(folder)!r} is not a folder: pass --graph DIR"
        )
    return folder


def source_files(folder: Path) -> list[Path]:
    """Return the graph files under ``folder`` (recursively), sorted by relative path.

    A change a killed writer left half-done is finished first (see
    :mod:`geokg.transaction`).
    """
    from geokg.transaction import JOURNAL_NAME, graph_lock

    if (folder / JOURNAL_NAME).is_file():
        with graph_lock(folder):
            pass
    files = [
        path
        for path in folder.rglob("*")
        if path.suffix in GRAPH_SUFFIXES
        and path.is_file()
        and not _hidden(path, folder)
    ]
    return sorted(files, key=lambda path: path.relative_to(folder).as_posix())


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def read_file(path: Path) -> Graph:
    """Parse one Turtle or TriG file into a graph (the union of a TriG file's graphs).

    Raises:
        InputError: If the file cannot be read or parsed; the message names the file
            and, where the parser gives it, the line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: not UTF-8 text (byte {err.start}): save it as UTF-8"
        ) from err
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from err
    try:
        with _quiet_literal_warnings():
            return _parse(text, path)
    except BadSyntax as err:
        raise InputError(
            f"{path}: line {err.lines + 1}: Turtle syntax error ({_reason(err)}): "
            "fix the line, or restore the file with git checkout"
        ) from err
    except (SyntaxError, ValueError) as err:
        raise InputError(
            f"{path}: cannot parse: {_first_line(str(err))}: fix the file, or restore "
            "it with git checkout"
        ) from err


def _parse(text: str, path: Path) -> Graph:
    graph = new_graph()
    if path.suffix == ".trig":
        dataset = Dataset()
        dataset.parse(data=text, format="trig", publicID=path.resolve().as_uri())
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
    else:
        graph.parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    return graph


@contextmanager
def _quiet_literal_warnings() -> Iterator[None]:
    """Silence rdflib's traceback for each ill-typed literal; validate reports them."""
    logger = logging.getLogger("rdflib.term")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def _reason(err: BadSyntax) -> str:
    return _first_line(str(err._why)) if hasattr(err, "_why") else "bad syntax"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "unknown error"


def load_graph(path: str | os.PathLike[str]) -> Graph:
    """Read every graph file of a folder into one graph.

    Raises:
        InputError: If the folder is missing or a file cannot be parsed (nothing is
            changed on disk either way).
    """
    folder = graph_dir(path)
    merged = new_graph()
    for file in source_files(folder):
        merged += read_file(file)
    return merged


def iter_source_graphs(path: str | os.PathLike[str]) -> Iterator[tuple[Path, Graph]]:
    """Yield each graph file of a folder with its parsed graph, in sorted order."""
    folder = graph_dir(path)
    for file in source_files(folder):
        yield file, read_file(file)


def serialize_turtle(graph: Graph) -> str:
    """Return ``graph`` as canonical Turtle: geokg's header, then one triple a line.

    Subjects are sorted by IRI, ``rdf:type`` comes first, then predicates and objects
    in sorted order; literals are written on one line with escapes. Only the prefixes
    in use are declared. Adding a fact therefore adds lines next to related lines and
    moves nothing else, which keeps ``git diff graph/`` readable.

    Raises:
        ValueError: If the graph holds a blank node, whose label would change between
            runs (geokg never writes one).
    """
    by_subject: dict[URIRef, list[tuple[URIRef, Node]]] = {}
    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise ValueError(f"blank node in a graph to be written: {(s, p, o)}")
        assert isinstance(s, URIRef) and isinstance(p, URIRef)
        by_subject.setdefault(s, []).append((p, o))
    used: set[str] = set()
    blocks = []
    for subject in sorted(by_subject):
        pairs = sorted(by_subject[subject], key=_pair_key)
        lines = [_term(subject, used)]
        for index, (predicate, obj) in enumerate(pairs):
            verb = "a" if predicate == RDF.type else _term(predicate, used)
            end = " ." if index == len(pairs) - 1 else " ;"
            lines.append(f"    {verb} {_term(obj, used)}{end}")
        blocks.append("\n".join(lines))
    prefixes = "".join(
        f"@prefix {prefix}: <{PREFIXES[prefix]}> .\n" for prefix in sorted(used)
    )
    body = "\n\n".join(blocks)
    return HEADER + "\n" + prefixes + ("\n" + body + "\n" if body else "")


def _pair_key(pair: tuple[URIRef, Node]) -> tuple[int, str, str, str]:
    predicate, obj = pair
    datatype = str(obj.datatype or "") if isinstance(obj, Literal) else ""
    return (predicate != RDF.type, str(predicate), str(obj), datatype)


_PN_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _term(term: Node, used: set[str]) -> str:
    if isinstance(term, URIRef):
        return _iri(term, used)
    if isinstance(term, Literal):
        text = "".join(_ESCAPES.get(char, char) for char in str(term))
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype == XSD.integer and re.fullmatch(r"[+-]?[0-9]+", text):
            return text
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{text}"^^{_iri(term.datatype, used)}'
        return f'"{text}"'
    raise ValueError(f"cannot write {term!r} in a geokg graph")


def _iri(iri: URIRef, used: set[str]) -> str:
    text = str(iri)
    for prefix, namespace in _PREFIXES_LONGEST_FIRST:
        if text.startswith(namespace):
            local = text[len(namespace) :]
            if _PN_LOCAL.fullmatch(local):
                used.add(prefix)
                return f"{prefix}:{local}"
    escaped = text.replace("\\", "%5C").replace(">", "%3E").replace(" ", "%20")
    return f"<{escaped}>"


_PREFIXES_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 with ``\\n`` newlines, atomically.

    The text goes to a temporary file in the same folder, is flushed to disk, and then
    replaces ``path`` in one step: a reader sees the old file or the new one, never a
    part of either.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        os.chmod(tmp_name, file_mode())  # mkstemp makes 0600; give the usual mode
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def file_mode() -> int:
    """The mode a new file gets from the process's umask (mkstemp would give 0600)."""
    return 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_graph(graph: Graph, path: Path) -> None:
    """Serialize ``graph`` as deterministic Turtle to ``path``, atomically."""
    write_text_atomic(path, serialize_turtle(graph))
