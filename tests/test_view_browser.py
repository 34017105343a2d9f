"""The network page in a real browser: headless Chromium driven by Playwright.

The browser is the system's (Debian's ``chromium``, installed by ``.ci/run``); no browser
is downloaded. Every request the page makes is logged, and any that is not the page's
own file is blocked and fails the test. A missing browser is a failure, not a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geokg.build import build_source_graph
from geokg.engine import open_engine
from geokg.model import Entity, Fact, SourceDocument, Span
from geokg.network import to_networkx
from geokg.store import write_graph
from geokg.view import select_network, write_view

ROOT = Path(__file__).parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = os.environ.get("GEOKG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert shutil.which(CHROMIUM) or Path(CHROMIUM).is_file(), (
        f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)"
    )
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


class Page:
    """A loaded page with its request log and dialogs."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.context.route("**/*", self._route)
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.geokgStabilized === true", timeout=30_000)
        self.own = path.as_uri()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def demo_page(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Page, Any]]:
    net = to_networkx(open_engine(ROOT / "graph"))
    net, dropped, summary = select_network(net)
    path = tmp_path_factory.mktemp("view") / "demo.html"
    write_view(net, path, title="geokg demo", summary=summary, dropped=dropped)
    page = Page(browser, path)
    yield page, net
    page.close()


def test_demo_page_makes_no_network_request(demo_page: tuple[Page, Any]) -> None:
    page, _ = demo_page
    assert [url for url in page.requests if url != page.own] == []
    assert page.errors == []


def test_demo_page_shows_every_node_and_edge(demo_page: tuple[Page, Any]) -> None:
    page, net = demo_page
    counts = page.js("[window.geokgNodes.length, window.geokgEdges.length]")
    assert counts == [net.number_of_nodes(), net.number_of_edges()]
    assert counts == [34, 44]


def test_legend_lists_the_node_types_shown(demo_page: tuple[Page, Any]) -> None:
    page, _ = demo_page
    legend = page.js(
        "Array.from(document.querySelectorAll('#legend-nodes .legend-node')).map(e => e.textContent)"
    )
    assert legend == [
        "state (dot)",
        "alliance (diamond)",
        "person (ellipse)",
        "post (ellipse)",
        "weapon system (triangle)",
        "law or sanctions programme (box)",
        "statement (what was said) (box)",
        "proposal (box)",
    ]


def test_search_focuses_an_entity_by_part_of_its_name(
    demo_page: tuple[Page, Any],
) -> None:
    page, _ = demo_page
    page.page.fill("#search", "Akar")
    page.page.press("#search", "Enter")
    assert page.js("window.network.getSelectedNodes()") == [
        "https://w3id.org/geokg/id/person/hulusi-akar"
    ]
    assert page.page.inner_text("#panel h1") == "Hulusi Akar"
    page.page.fill("#search", "Nowhere")
    page.page.press("#search", "Enter")
    assert (
        page.page.inner_text("#search-status") == "No entity named \u201cNowhere\u201d"
    )


def test_edge_tooltip_holds_the_evidence_sentence(demo_page: tuple[Page, Any]) -> None:
    page, _ = demo_page
    tooltip = page.js(
        """window.geokgEdges.get({filter: e =>
             e.from.endsWith('/state/turkey') && e.to.endsWith('/weapon/s-400')})
           .map(e => e.title.textContent)"""
    )
    assert len(tooltip) == 4  # one edge per fact between them, claims included
    assert any(
        "Turkey's decision to acquire the Russian-made S-400 surface-to-air missile systems has caused "
        "a very negative reaction from the USA and NATO as a whole." in text
        for text in tooltip
    )
    assert all(text.startswith("Turkey ") for text in tooltip)


def test_node_tooltip_appears_on_hover(demo_page: tuple[Page, Any]) -> None:
    page, _ = demo_page
    # Edge labels can cover a node; hide the edges so the pointer finds the node itself.
    page.js(
        "window.geokgEdges.update(window.geokgEdges.get().map(e => ({id: e.id, hidden: true})))"
    )
    x, y = node_on_screen(page, "https://w3id.org/geokg/id/state/turkey")
    page.page.mouse.move(x - 30, y - 30)
    page.page.mouse.move(x, y, steps=5)
    page.page.wait_for_selector(".vis-tooltip", state="visible", timeout=5000)
    text = page.page.inner_text(".vis-tooltip")
    page.js(
        "window.geokgEdges.update(window.geokgEdges.get().map(e => ({id: e.id, hidden: false})))"
    )
    page.page.mouse.move(5, 5)
    assert text.splitlines()[:2] == ["Turkey", "state"]
    assert "Wikidata: Q43" in text


def test_unticking_a_relation_hides_its_edges(demo_page: tuple[Page, Any]) -> None:
    page, _ = demo_page
    page.page.uncheck("#filter-relations input[value='statesThat']")
    hidden = page.js(
        "window.geokgEdges.get().filter(e => e.hidden).map(e => e.label).filter((v, i, a) => a.indexOf(v) === i)"
    )
    assert hidden == ["statesThat"]
    assert page.js("window.geokgEdges.get().filter(e => e.hidden).length") == 12
    page.page.check("#filter-relations input[value='statesThat']")
    assert page.js("window.geokgEdges.get().filter(e => e.hidden).length") == 0


def test_clicking_a_node_lists_its_facts(demo_page: tuple[Page, Any]) -> None:
    page, net = demo_page
    x, y = node_on_screen(page, "https://w3id.org/geokg/id/state/turkey")
    page.page.mouse.click(x, y)
    turkey = "https://w3id.org/geokg/id/state/turkey"
    count = net.degree(turkey)
    assert page.page.inner_text("#panel h1") == "Turkey"
    assert page.page.text_content("#panel h2") == f"{count} facts"
    facts = page.page.locator("#panel .fact .what").all_inner_texts()
    assert len(facts) == count
    assert "Turkey acquires S-400" in facts
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.page.screenshot(path=str(SCREENSHOTS / "demo.png"), full_page=True)
    assert (SCREENSHOTS / "demo.png").stat().st_size > 10_000


def node_on_screen(page: Page, node: str) -> tuple[float, float]:
    """Center the view on a node and return its position in the viewport."""
    x, y = page.js(
        f"""(() => {{ const id = {node!r};
                    window.network.focus(id, {{scale: 1.0, animation: false}});
                    const p = window.network.canvasToDOM(window.network.getPositions([id])[id]);
                    const r = document.querySelector('#network canvas').getBoundingClientRect();
                    return [p.x + r.left, p.y + r.top]; }})()"""
    )
    return float(x), float(y)


PAYLOADS = (
    "<script>alert('name')</script>",
    "<img src=x onerror=alert('img')>",
    '"><svg onload=alert("svg")>',
    '<a href="javascript:alert(1)">href</a>',
)


def hostile_graph(folder: Path) -> None:
    text = " ".join(f"Sentence {n} says {p}." for n, p in enumerate(PAYLOADS))
    document = SourceDocument("hostile", text, title="<script>alert('title')</script>")
    spans = []
    offset = 0
    for n, payload in enumerate(PAYLOADS):
        sentence = f"Sentence {n} says {payload}."
        spans.append(Span(offset, offset + len(sentence), sentence))
        offset += len(sentence) + 1
    states = [Entity("state", f"State {p}", aliases=(f"alias {p}",)) for p in PAYLOADS]
    weapon = Entity("weapon-system", "Weapon <img src=x onerror=alert('w')>")
    facts = [
        Fact("acquires", state, weapon, evidence=(span,), rule="test")
        for state, span in zip(states, spans, strict=True)
    ]
    facts.append(
        Fact(
            "statesThat",
            states[0],
            object_text=PAYLOADS[1],
            status="claimed",
            claimant=states[0],
            evidence=(spans[1],),
            rule="test",
        )
    )
    folder.mkdir(parents=True, exist_ok=True)
    write_graph(build_source_graph(document, facts), folder / "hostile.ttl")


def test_hostile_names_and_sentences_never_execute(
    browser: Any, tmp_path: Path
) -> None:
    hostile_graph(tmp_path / "graph")
    net = to_networkx(open_engine(tmp_path / "graph"))
    path = tmp_path / "hostile.html"
    write_view(net, path, title="<script>alert('page')</script>")
    html = path.read_text(encoding="utf-8")
    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    page = Page(browser, path)
    try:
        assert page.dialogs == []
        assert page.errors == []
        injected = page.js(
            """[document.querySelectorAll('script').length,
                document.querySelectorAll('img, svg, a[href]').length,
                document.querySelectorAll('[onerror], [onload]').length]"""
        )
        assert injected == [3, 0, 0]
        assert page.page.title() == "<script>alert('page')</script>"
        page.page.fill("#search", "State <script>")
        page.page.press("#search", "Enter")
        assert (
            page.page.inner_text("#panel h1") == "State <script>alert('name')</script>"
        )
        evidence = page.page.locator("#panel blockquote").all_inner_texts()
        assert (
            "Sentence 0 says <script>alert('name')</script>. \u2014 <script>alert('title')</script>"
            in evidence
        )
        page.page.mouse.move(10, 10)
        assert page.dialogs == []
        assert [url for url in page.requests if url != page.own] == []
    finally:
        page.close()
