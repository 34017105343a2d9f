"""Adding many articles at once: `geokg add article DIR|FILE... --jobs N`
(issue "Speed and scale", part 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from geokg.articles import (
    Extraction,
    make_document,
    read_article_text,
    write_article,
)
from geokg.cli import cli
from geokg.edits import EditInfo, open_session
from geokg.extract.lexicon import LexEntry
from geokg.ingest import ArticleOutcome, article_paths, ingest_articles
from geokg.model import Entity

from .conftest import DATA, snapshot

ARTICLES = {
    "a.txt": "India bought 36 Rafale fighter jets from France.\n",
    "b.txt": "Turkey bought the S-400 air defence system from Russia.\n",
    "c.txt": "Greece bought 24 Rafale jets from France in 2021.\n",
}
REAL = DATA / "corpus" / "01_wikinews-unsc-north-korea-sanctions.txt"
NOT_UTF8 = "is not UTF-8 text (bad byte at offset 3): convert it, e.g. iconv -f latin1 -t utf-8"


def write_corpus(folder: Path) -> Path:
    """Write the three small articles, and a sidecar for c.txt, into ``folder``."""
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "c.meta").write_text(
        "title: Greece buys Rafales\ndate: 2021-01-25\npublisher: Example News\n",
        encoding="utf-8",
    )
    return folder


def test_article_paths_expand_folders_and_sort(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "notes.md").write_text("not an article\n", encoding="utf-8")
    extra = tmp_path / "0.txt"
    extra.write_text("x\n", encoding="utf-8")
    paths = article_paths([corpus / "c.txt", str(corpus), extra])
    assert paths == [extra, corpus / "a.txt", corpus / "b.txt", corpus / "c.txt"]


def test_a_folder_of_articles_gives_one_graph_file_each(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    graph = tmp_path / "graph"
    seen: list[ArticleOutcome] = []
    report = ingest_articles(graph, article_paths([corpus]), progress=seen.append)
    assert report.outcomes == (
        ArticleOutcome(corpus / "a.txt", "added", "a", graph / "a.ttl", 2),
        ArticleOutcome(corpus / "b.txt", "added", "b", graph / "b.ttl", 2),
        ArticleOutcome(corpus / "c.txt", "added", "c", graph / "c.ttl", 2),
    )
    assert seen == list(report.outcomes)
    assert (report.exit_code, report.summary) == (
        0,
        f"3 articles: 3 added, 0 replaced, 0 unchanged, 0 failed; 6 facts -> {graph}",
    )
    assert sorted(snapshot(graph)) == ["a.ttl", "b.ttl", "c.ttl"]


def test_a_batch_writes_what_adding_each_file_writes(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    one_by_one = tmp_path / "one-by-one"
    for name in sorted(ARTICLES):
        result = runner.invoke(
            cli, ["--graph", str(one_by_one), "add", "article", str(corpus / name)]
        )
        assert result.exit_code == 0
    batch = tmp_path / "batch"
    ingest_articles(batch, article_paths([corpus]))
    assert snapshot(batch) == snapshot(one_by_one)
    assert b'"Greece buys Rafales"' in snapshot(batch)["c.ttl"]


def test_a_second_run_skips_every_article_and_changes_nothing(
    tmp_path: Path,
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    graph = tmp_path / "graph"
    ingest_articles(graph, article_paths([corpus]))
    before = snapshot(graph)
    report = ingest_articles(graph, article_paths([corpus]), jobs=2)
    assert report.outcomes == (
        ArticleOutcome(corpus / "a.txt", "unchanged", "a", graph / "a.ttl"),
        ArticleOutcome(corpus / "b.txt", "unchanged", "b", graph / "b.ttl"),
        ArticleOutcome(corpus / "c.txt", "unchanged", "c", graph / "c.ttl"),
    )
    assert report.summary == (
        f"3 articles: 0 added, 0 replaced, 3 unchanged, 0 failed; 0 facts -> {graph}"
    )
    assert snapshot(graph) == before


def test_one_and_two_jobs_give_byte_identical_graphs(tmp_path: Path) -> None:
    """Mixes every kind of article, so that the extractions the workers return stay
    aligned with the articles they belong to: one already in the graph, one that
    cannot be read, one whose text repeats another's, and a real one."""
    corpus = write_corpus(tmp_path / "corpus")
    shutil.copy(REAL, corpus / "d.txt")
    (corpus / "bad.txt").write_bytes(b"")
    (corpus / "e.txt").write_text(ARTICLES["a.txt"], encoding="utf-8")
    reports = []
    for jobs in (1, 2):
        graph = tmp_path / f"graph-{jobs}"
        ingest_articles(graph, [corpus / "b.txt"])
        reports.append(ingest_articles(graph, article_paths([corpus]), jobs=jobs))
    graph = tmp_path / "graph-2"
    assert reports[1].outcomes == (
        ArticleOutcome(corpus / "a.txt", "added", "a", graph / "a.ttl", 2),
        ArticleOutcome(corpus / "b.txt", "unchanged", "b", graph / "b.ttl"),
        ArticleOutcome(
            corpus / "bad.txt",
            "failed",
            message=f"{corpus / 'bad.txt'} is empty: give an article with text",
        ),
        ArticleOutcome(corpus / "c.txt", "added", "c", graph / "c.ttl", 2),
        ArticleOutcome(corpus / "d.txt", "added", "d", graph / "d.ttl", 12),
        ArticleOutcome(corpus / "e.txt", "unchanged", "e", graph / "a.ttl"),
    )
    assert snapshot(tmp_path / "graph-1") == snapshot(graph)
    assert sorted(snapshot(graph)) == ["a.ttl", "b.ttl", "c.ttl", "d.ttl"]


def test_failed_articles_are_listed_at_the_end_and_the_others_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    (corpus / "latin1.txt").write_bytes(b"caf\xe9 au lait")
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.txt").write_text("Russia sold the S-400 to India.\n", encoding="utf-8")
    graph = tmp_path / "graph"
    result = runner.invoke(
        cli, ["--graph", str(graph), "add", "article", str(corpus), str(other)]
    )
    assert (result.exit_code, result.stdout) == (
        1,
        f"5 articles: 3 added, 0 replaced, 0 unchanged, 2 failed; 6 facts -> {graph}\n",
    )
    assert result.stderr == (
        f"Error: {corpus / 'latin1.txt'} {NOT_UTF8}\n"
        f"Error: {other / 'a.txt'}: {graph / 'a.ttl'} already holds another article: "
        "give this one another name with --name, or re-extract with --replace\n"
    )
    assert sorted(snapshot(graph)) == ["a.ttl", "b.ttl", "c.ttl"]


def test_the_cli_prints_one_summary_line_when_not_on_a_terminal(
    runner: CliRunner, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    graph = tmp_path / "graph"
    args = [
        "--graph",
        str(graph),
        "add",
        "article",
        *map(str, sorted(corpus.glob("*.txt"))),
    ]
    first = runner.invoke(cli, [*args, "--jobs", "1", "--publisher", "Wire"])
    assert (first.exit_code, first.stdout, first.stderr) == (
        0,
        f"3 articles: 3 added, 0 replaced, 0 unchanged, 0 failed; 6 facts -> {graph}\n",
        "",
    )
    again = runner.invoke(cli, args)
    assert (again.exit_code, again.stdout, again.stderr) == (
        0,
        f"3 articles: 0 added, 0 replaced, 3 unchanged, 0 failed; 0 facts -> {graph}\n",
        "",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-", "{corpus}/a.txt"],
            "standard input (-) cannot be part of a batch: give - alone, or save the "
            "article to a file",
        ),
        (
            ["{corpus}", "--name", "x"],
            "--name describes one article: give a single FILE, or put it in each "
            "article's .meta file (see `geokg add article --help`)",
        ),
        (
            ["{empty}"],
            "{empty} holds no *.txt article: give a folder of UTF-8 .txt files, or the "
            "files themselves",
        ),
    ],
)
def test_a_batch_that_cannot_run_exits_2_and_writes_nothing(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    empty = tmp_path / "empty"
    empty.mkdir()
    graph = tmp_path / "graph"
    before = snapshot(tmp_path)
    names = {"corpus": corpus, "empty": empty}
    result = runner.invoke(
        cli,
        ["--graph", str(graph), "add", "article", *(a.format(**names) for a in args)],
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message.format(**names)}\n"
    assert snapshot(tmp_path) == before


def test_an_extraction_made_with_other_graph_entities_is_redone(
    tmp_path: Path,
) -> None:
    """The check that keeps a batch equal to adding files one by one: facts that a
    worker extracted knowing other graph entities than the graph now gives are not
    written; the article is extracted again."""
    text, file_name = read_article_text(_write(tmp_path / "a.txt", ARTICLES["a.txt"]))
    document = make_document(text, file_name=file_name)
    stale = Extraction((LexEntry(Entity("state", "Atlantis")),), ())
    current = Extraction((), ())
    info = EditInfo("test")
    results = []
    for name, extracted in (("stale", stale), ("current", current)):
        with open_session(tmp_path / name, info, "test") as session:
            results.append(write_article(session, document, extracted=extracted))
    assert [(r.status, r.facts) for r in results] == [("added", 2), ("added", 0)]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_post_named_again_in_another_article_is_the_same_post(
    tmp_path: Path,
) -> None:
    """The second article reconciles the post with the graph's, role name included
    (it was refused: "A post needs exactly one role name")."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text(
        "Report\n\nThe Turkish Defense Minister said that Turkey would buy the "
        "S-400 from Russia.\n",
        encoding="utf-8",
    )
    (corpus / "two.txt").write_text(
        "Another report\n\nTurkish Defense Minister Hulusi Akar said Turkey had "
        "received the S-400 from Russia.\n",
        encoding="utf-8",
    )
    graph = tmp_path / "graph"
    report = ingest_articles(graph, article_paths([corpus]))
    assert [o.status for o in report.outcomes] == ["added", "added"]
    from geokg.catalog import graph_entities
    from geokg.store import load_graph
    from geokg.validate import validate_graph

    loaded = load_graph(graph)
    assert validate_graph(loaded).conforms
    posts = [e.label for e in graph_entities(loaded, ["post"])]
    assert posts == ["Defense Minister of Turkey"]
