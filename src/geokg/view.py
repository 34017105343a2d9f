"""Write the graph as one self-contained, offline HTML page (pyvis and vis-network).

pyvis collects the nodes, edges and options; geokg renders them with its own template
(``templates/network.html``) because pyvis 0.3.2's templates link bootstrap and
vis-network from CDNs in every mode. vis-network's script and style are inlined from
pyvis's package, so the page makes no network request. Article text reaches the page
only as JSON data that the page's script puts into the DOM with ``textContent``, so
no label or sentence is ever parsed as HTML.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from geokg import __version__, resources
from geokg.errors import InputError
from geokg.schema import RELATIONS, STATUSES

#: Node type -> (colour, vis-network shape, legend label). Feeds the groups and the legend.
#: Evidence sentences an edge carries into the page; the rest are counted.
MAX_EVIDENCE = 3

NODE_STYLES: dict[str, tuple[str, str, str]] = {
    "state": ("#4e79a7", "dot", "state"),
    "alliance": ("#e15759", "diamond", "alliance"),
    "international-organization": ("#f28e2b", "diamond", "international organization"),
    "government-body": ("#b07aa1", "square", "government body"),
    "company": ("#9c755f", "square", "company"),
    "organization": ("#ff9da7", "square", "organization"),
    "person": ("#59a14f", "ellipse", "person"),
    "post": ("#76b7b2", "ellipse", "post"),
    "weapon-system": ("#79706e", "triangle", "weapon system"),
    "law": ("#edc948", "box", "law or sanctions programme"),
    "topic": ("#bab0ac", "box", "topic"),
    "statement": ("#d4e6f1", "box", "statement (what was said)"),
    "proposal": ("#d5f5e3", "box", "proposal"),
    "stance": ("#fdebd0", "box", "stance on a course of action"),
    "claim": ("#eeeeee", "box", "other text fact"),
    "entity": ("#cccccc", "dot", "other entity"),
}

#: Relation family -> colour of its edges.
FAMILY_COLORS: dict[str, str] = {
    "alliance": "#4e79a7",
    "arms": "#59a14f",
    "sanctions": "#e15759",
    "diplomacy": "#b07aa1",
    "security": "#f28e2b",
    "office": "#76b7b2",
    "statement": "#79706e",
}

RELATION_FAMILIES: dict[str, str] = {
    "memberOf": "alliance",
    "acquires": "arms",
    "supplies": "arms",
    "delivers": "arms",
    "operates": "arms",
    "refusesToSell": "arms",
    "manufacturer": "arms",
    "originCountry": "arms",
    "threatensSanctions": "sanctions",
    "imposesSanctions": "sanctions",
    "sanctionsUnderLaw": "sanctions",
    "opposes": "diplomacy",
    "supports": "diplomacy",
    "proposes": "diplomacy",
    "threatTo": "security",
    "notInteroperableWith": "security",
    "holdsPosition": "office",
    "headOf": "office",
    "statesThat": "statement",
    "about": "statement",
    "addressee": "statement",
}

#: Status -> (vis-network dash pattern or False, CSS border style for the legend).
STATUS_STYLES: dict[str, tuple[list[int] | bool, str]] = {
    "reported": (False, "solid"),
    "claimed": ([10, 6], "dashed"),
    "threatened": ([2, 5], "dotted"),
    "expected": ([14, 4, 2, 4], "dashed"),
    "possible": ([4, 10], "dotted"),
    "alleged": ([6, 3, 2, 3], "dashed"),
    "denied": ([2, 2], "dotted"),
}

OPTIONS: dict[str, Any] = {
    "layout": {"randomSeed": 7, "improvedLayout": True},
    "physics": {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "stabilization": {"enabled": True, "iterations": 300, "fit": True},
    },
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
    "nodes": {"font": {"size": 14}, "scaling": {"min": 10, "max": 40}},
    "edges": {"font": {"size": 10, "align": "middle"}, "smooth": {"type": "dynamic"}},
}


@dataclass(frozen=True)
class ViewResult:
    """What was written: the file and how many nodes and edges it shows or dropped."""

    path: Path
    nodes: int
    edges: int
    dropped_nodes: int


def _safe_json(value: Any) -> str:
    """JSON that cannot close the <script> element it is embedded in."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def build_network(net: nx.MultiDiGraph) -> Any:
    """The pyvis Network of a projection: nodes sized by PageRank, styled by type; edges
    coloured by relation family and dashed by status. Nodes and edges are added in
    sorted order, so the page is the same for the same graph."""
    from pyvis.network import Network

    from geokg.network import centrality

    network = Network(directed=True, cdn_resources="in_line")
    scores = centrality(net)
    top = max((rank for _, rank in scores.values()), default=0.0) or 1.0
    for node, attrs in sorted(net.nodes(data=True)):
        kind = attrs.get("type") if attrs.get("type") in NODE_STYLES else "entity"
        color, shape, _ = NODE_STYLES[kind]
        degree, rank = scores.get(node, (0, 0.0))
        network.add_node(
            node,
            label=attrs.get("label", node),
            shape=shape,
            color=color,
            group=kind,
            value=round(1 + 20 * rank / top, 3),
            degree=degree,
        )
    for source, target, key, attrs in sorted(
        net.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1])
    ):
        relation = attrs.get("relation", "")
        family = RELATION_FAMILIES.get(relation, "statement")
        status = attrs.get("status") or "reported"
        network.add_edge(
            source,
            target,
            id=key,
            label=relation,
            color=FAMILY_COLORS[family],
            dashes=STATUS_STYLES.get(status, STATUS_STYLES["reported"])[0],
        )
    return network


def page_data(net: nx.MultiDiGraph) -> dict[str, Any]:
    """Return the nodes, edges, legend and filter tables the page's script reads.

    Node and edge records come from pyvis; geokg adds what the tooltips, search, filters
    and side panel need (type, aliases, Wikidata id; relation, status, claimant, date,
    evidence). Text from articles travels only as JSON data.
    """
    network = build_network(net)
    nodes = []
    for record in network.nodes:
        attrs = net.nodes[record["id"]]
        nodes.append(
            {
                "id": record["id"],
                "label": record["label"],
                "type": record["group"],
                "aliases": list(attrs.get("aliases", [])),
                "wikidata": attrs.get("wikidata", ""),
                "size": record["value"],
                "degree": record["degree"],
            }
        )
    edges = []
    for record in network.edges:
        source, target, key = record["from"], record["to"], record["id"]
        attrs = net.edges[source, target, key]
        relation = attrs.get("relation", "")
        edges.append(
            {
                "id": key,
                "from": source,
                "to": target,
                "relation": relation,
                "family": RELATION_FAMILIES.get(relation, "statement"),
                "status": attrs.get("status") or "reported",
                "claimant": attrs.get("claimant", ""),
                "date": attrs.get("date", ""),
                "manual": bool(attrs.get("manual", False)),
                "evidence": [
                    {"text": ev.text, "source": ev.source, "date": ev.source_date}
                    for ev in attrs.get("evidence", [])[:MAX_EVIDENCE]
                ],
                "moreEvidence": max(0, len(attrs.get("evidence", [])) - MAX_EVIDENCE),
            }
        )
    types_used = sorted({n["type"] for n in nodes}, key=list(NODE_STYLES).index)
    relation_counts = Counter(e["relation"] for e in edges)
    status_counts = Counter(e["status"] for e in edges)
    relation_order = [*RELATIONS, "about", "addressee"]
    return {
        "nodes": nodes,
        "edges": edges,
        "groups": {
            name: {"color": {"background": color, "border": "#333333"}, "shape": shape}
            for name, (color, shape, _) in NODE_STYLES.items()
        },
        "typeLabels": {name: label for name, (_, _, label) in NODE_STYLES.items()},
        "nodeTypes": types_used,
        "relationColors": FAMILY_COLORS,
        "statusDashes": {name: dashes for name, (dashes, _) in STATUS_STYLES.items()},
        "relations": [
            {
                "name": r,
                "family": RELATION_FAMILIES.get(r, "statement"),
                "count": relation_counts[r],
            }
            for r in relation_order
            if relation_counts[r]
        ],
        "statuses": [
            {"name": s, "style": STATUS_STYLES[s][1], "count": status_counts[s]}
            for s in STATUSES
            if status_counts[s]
        ],
    }


def options_for(size: int) -> dict[str, Any]:
    """vis-network options for a page of ``size`` nodes: a fixed seed, physics that
    stops once stable, and cheaper layout and fewer iterations for big pages."""
    options: dict[str, Any] = json.loads(json.dumps(OPTIONS))
    if size > 300:
        options["layout"]["improvedLayout"] = False
        options["physics"]["stabilization"]["iterations"] = 150
        options["edges"]["smooth"] = False
    if size > 1500:
        # Measured on 5,000 nodes (docs/benchmarks.md): a coarser Barnes-Hut (theta 1)
        # and 30 iterations halve the time to a still layout.
        options["physics"]["solver"] = "barnesHut"
        options["physics"]["barnesHut"] = {"theta": 1.0}
        options["physics"]["stabilization"]["iterations"] = 30
        options["interaction"]["hideEdgesOnDrag"] = True
        options["interaction"]["hideEdgesOnZoom"] = True
    return options


def render_html(
    net: nx.MultiDiGraph, title: str = "geokg network", summary: str = ""
) -> str:
    """Return the self-contained HTML page of a network projection."""
    import jinja2
    import pyvis

    vis_dir = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.templates_dir())),
        autoescape=True,
        keep_trailing_newline=True,
    )
    return env.get_template("network.html").render(
        title=title,
        summary=summary,
        version=__version__,
        vis_js=(vis_dir / "vis-network.min.js").read_text(encoding="utf-8"),
        vis_css=(vis_dir / "vis-network.css").read_text(encoding="utf-8"),
        data_json=_safe_json(page_data(net)),
        options_json=json.dumps(options_for(net.number_of_nodes()), sort_keys=True),
    )


def write_view(
    net: nx.MultiDiGraph,
    path: Path,
    title: str = "geokg network",
    summary: str = "",
    dropped: int = 0,
) -> ViewResult:
    """Write the network page to ``path`` (UTF-8, atomically) and return what it shows.

    Raises:
        InputError: If ``path`` is a folder, or its folder does not exist.
    """
    from geokg.store import write_text_atomic

    if path.is_dir():
        raise InputError(
            f"{path} is a folder: give a file name such as {path / 'graph.html'}"
        )
    if not path.parent.is_dir():
        raise InputError(
            f"folder {path.parent} does not exist: create it, or give another -o path"
        )
    write_text_atomic(path, render_html(net, title, summary))
    return ViewResult(path, net.number_of_nodes(), net.number_of_edges(), dropped)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def select_network(
    net: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    relations: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
    since: str | None = None,
    until: str | None = None,
    max_nodes: int = 1000,
    max_edges: int = 2000,
) -> tuple[nx.MultiDiGraph, int, str]:
    """The part of a projection a page shows, how many nodes the cap dropped, and a
    one-line summary.

    Filters by relation, status and date come first, then the ego network of
    ``focus`` within ``depth`` steps, then the ``max_nodes`` most central nodes, then
    the ``max_edges`` strongest edges among them (a browser draws a few thousand
    edges fluently; hubs of a large graph have far more).

    Raises:
        NotFoundError: If the focus names no entity (the closest names are listed).
        InputError: If a relation, status, date or cap is invalid.
    """
    from geokg.dates import check_iso_date
    from geokg.network import (
        ego,
        filter_edges,
        find_node,
        keep_most_central,
        keep_strongest_edges,
    )

    if max_nodes < 1:
        raise InputError(f"--max-nodes must be at least 1, not {max_nodes}")
    if depth < 0:
        raise InputError(f"--depth must be 0 or more, not {depth}")
    for value in (since, until):
        if value is not None:
            check_iso_date(value)
    center = find_node(net, focus) if focus else None
    if relations or statuses or since or until:
        filtered = filter_edges(
            net, relations=relations, statuses=statuses, since=since, until=until
        )
        if center is not None and center not in filtered:
            filtered.add_node(center, **net.nodes[center])
        net = filtered
    if center is not None:
        net = ego(net, center, depth)
    net, dropped = keep_most_central(net, max_nodes, pinned=[center] if center else [])
    net, dropped_edges = keep_strongest_edges(
        net, max_edges, pinned=[center] if center else []
    )
    summary = f"{_count(net.number_of_nodes(), 'node')}, {_count(net.number_of_edges(), 'edge')}"
    if center is not None:
        summary += f" within {depth} step{'s' if depth != 1 else ''} of {net.nodes[center]['label']}"
    if dropped:
        summary += f"; {dropped} less central nodes left out (--max-nodes {max_nodes})"
    if dropped_edges:
        summary += f"; {dropped_edges} weaker edges left out (--max-edges {max_edges})"
    return net, dropped, summary
