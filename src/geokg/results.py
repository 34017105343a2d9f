"""Query results in the formats SPARQL users expect.

SELECT: ``table`` (for people: labels, wrapped text), ``json`` and ``xml`` (the W3C
SPARQL 1.1 Query Results formats), ``csv`` and ``tsv`` (the W3C CSV/TSV formats; TSV
keeps RDF terms, rdflib has no writer for it), ``md`` (a Markdown table). ASK: ``text``
(``true``/``false``), ``json``, ``xml``. CONSTRUCT/DESCRIBE: ``turtle``, ``nt``,
``jsonld``, ``trig``.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from xml.etree import ElementTree as ET

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from geokg.errors import InputError
from geokg.queries import QueryResult

SELECT_FORMATS = ("table", "json", "xml", "csv", "tsv", "md")
ASK_FORMATS = ("text", "json", "xml")
GRAPH_FORMATS = ("turtle", "nt", "jsonld", "trig")
ALL_FORMATS = tuple(dict.fromkeys(SELECT_FORMATS + ASK_FORMATS + GRAPH_FORMATS))
#: File extensions and the format they mean, for ``-o FILE`` without ``--format``.
EXTENSIONS = {
    ".txt": "table",
    ".json": "json",
    ".srj": "json",
    ".xml": "xml",
    ".srx": "xml",
    ".csv": "csv",
    ".tsv": "tsv",
    ".md": "md",
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".trig": "trig",
}
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
WRAP = 60


def formats_for(kind: str) -> tuple[str, ...]:
    """The formats a query form can be written in."""
    if kind == "ASK":
        return ASK_FORMATS
    if kind in ("CONSTRUCT", "DESCRIBE"):
        return GRAPH_FORMATS
    return SELECT_FORMATS


def default_format(kind: str) -> str:
    """The format used when none is given: a table, "true"/"false", or Turtle."""
    return {"ASK": "text", "CONSTRUCT": "turtle", "DESCRIBE": "turtle"}.get(
        kind, "table"
    )


def format_result(result: QueryResult, fmt: str) -> str:
    """Write a query result in a format that fits its form.

    Raises:
        InputError: If the format does not fit (a table of a CONSTRUCT, Turtle of a
            SELECT); the message lists the formats that do.
    """
    valid = formats_for(result.kind)
    if fmt not in valid:
        raise InputError(
            f"format {fmt!r} does not fit a {result.kind} query: use one of {', '.join(valid)}"
        )
    if result.kind == "ASK":
        return _ask(result, fmt)
    if result.kind in ("CONSTRUCT", "DESCRIBE"):
        from geokg.formats import serialize_rdf

        assert result.graph is not None
        return serialize_rdf(result.graph, fmt)
    writer = {
        "table": table,
        "json": results_json,
        "xml": results_xml,
        "csv": results_csv,
        "tsv": results_tsv,
        "md": markdown,
    }[fmt]
    return writer(result)


def _ask(result: QueryResult, fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
        )
    if fmt == "xml":
        root = ET.Element("sparql", xmlns=SPARQL_RESULTS_NS)
        ET.SubElement(root, "head")
        ET.SubElement(root, "boolean").text = "true" if result.boolean else "false"
        return _xml_text(root)
    return "true\n" if result.boolean else "false\n"


# ---- W3C formats ---------------------------------------------------------------------


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    found = {"type": "literal", "value": str(term)}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype is not None:
        found["datatype"] = str(term.datatype)
    return found


def results_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format (W3C), keys sorted."""
    bindings = [
        {
            name: _json_term(term)
            for name, term in zip(result.variables, row, strict=True)
            if term is not None
        }
        for row in result.terms
    ]
    payload = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def results_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format (W3C)."""
    root = ET.Element("sparql", xmlns=SPARQL_RESULTS_NS)
    head = ET.SubElement(root, "head")
    for name in result.variables:
        ET.SubElement(head, "variable", name=name)
    results = ET.SubElement(root, "results")
    for row in result.terms:
        element = ET.SubElement(results, "result")
        for name, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            binding = ET.SubElement(element, "binding", name=name)
            if isinstance(term, URIRef):
                ET.SubElement(binding, "uri").text = str(term)
            elif isinstance(term, BNode):
                ET.SubElement(binding, "bnode").text = str(term)
            else:
                assert isinstance(term, Literal)
                attributes = {}
                if term.language:
                    attributes["xml:lang"] = term.language
                elif term.datatype is not None:
                    attributes["datatype"] = str(term.datatype)
                ET.SubElement(binding, "literal", attributes).text = str(term)
    return _xml_text(root)


def _xml_text(root: ET.Element) -> str:
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        + ET.tostring(root, encoding="unicode")
        + "\n"
    )


def results_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV Format (W3C): values without types, CRLF lines."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.terms:
        writer.writerow(
            [
                "" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t))
                for t in row
            ]
        )
    return out.getvalue()


_TSV_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def tsv_term(term: Node | None) -> str:
    """An RDF term in SPARQL/Turtle syntax, as the W3C TSV format writes it."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = "".join(_TSV_ESCAPES.get(char, char) for char in str(term))
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype is not None and term.datatype != XSD.string:
        return f'"{text}"^^<{term.datatype}>'
    return f'"{text}"'


def results_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV Format (W3C): "?var" headers, RDF terms."""
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines += ["\t".join(tsv_term(term) for term in row) for row in result.terms]
    return "\n".join(lines) + "\n"


# ---- for people ---------------------------------------------------------------------


def markdown(result: QueryResult) -> str:
    """A Markdown table of the rows, with labels for IRIs."""
    rows = result.labelled()

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

    lines = [
        "| " + " | ".join(result.variables) + " |",
        "|" + "---|" * len(result.variables),
    ]
    lines += [
        "| " + " | ".join(cell(row[name]) for name in result.variables) + " |"
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def table(result: QueryResult) -> str:
    """A readable table: labels for IRIs, long text wrapped, a row count at the end."""
    if not result.variables:
        return "(no columns)\n"
    rows = result.labelled()
    widths = {name: len(name) for name in result.variables}
    cells: list[dict[str, list[str]]] = []
    for row in rows:
        wrapped = {
            name: textwrap.wrap(row[name], WRAP) or [""] for name in result.variables
        }
        for name, lines in wrapped.items():
            widths[name] = max(widths[name], *(len(line) for line in lines))
        cells.append(wrapped)
    rule = "  ".join("-" * widths[name] for name in result.variables)
    out = [
        "  ".join(name.ljust(widths[name]) for name in result.variables).rstrip(),
        rule,
    ]
    for wrapped in cells:
        height = max(len(lines) for lines in wrapped.values())
        for index in range(height):
            parts = [
                (wrapped[name][index] if index < len(wrapped[name]) else "").ljust(
                    widths[name]
                )
                for name in result.variables
            ]
            out.append("  ".join(parts).rstrip())
    count = len(rows)
    note = f"{count} row{'s' if count != 1 else ''}"
    if result.truncated:
        note += " (cut at --limit)"
    out.append(f"({note})")
    return "\n".join(out) + "\n"
