"""geokg's command line: click commands that parse options and call the library.

Only click, the standard library and :mod:`geokg.errors` are imported here at start-up;
rdflib, pyshacl, networkx, pyvis and spaCy load inside the command that needs them, so
``geokg --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from geokg import __version__
from geokg.errors import GeokgError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_CODES = """\b
Exit codes:
  0  done; every check passed
  1  ran, and the data failed a check (validate found violations, an edit was rejected)
  2  usage or input error (unreadable file, unknown name); nothing was written
"""


class GeokgGroup(click.Group):
    """A click group that turns geokg's domain errors into one-line messages."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a :class:`GeokgError` becomes ``Error: ...`` and its code, and
        a usage error of a subcommand one line that points to its help."""
        try:
            return super().invoke(ctx)
        except GeokgError as err:
            exc = click.ClickException(str(err))
            exc.exit_code = err.exit_code  # type: ignore[misc]  # a ClassVar in click
            raise exc from err
        except click.UsageError as err:
            if err.ctx is None or err.ctx is ctx:
                raise
            command = err.ctx.command_path.replace(
                err.ctx.find_root().info_name or "", "geokg", 1
            )
            exc = click.ClickException(
                f"{err.format_message()} (see `{command} --help`)"
            )
            exc.exit_code = 2  # type: ignore[misc]
            raise exc from err


class Settings:
    """Options given on the group, shared by every command."""

    def __init__(self, graph: Path) -> None:
        self.graph = graph


def _settings(ctx: click.Context) -> Settings:
    settings = ctx.find_object(Settings)
    assert settings is not None
    return settings


class FormatChoice(click.ParamType):  # type: ignore[type-arg]
    """A format given by short name, alias or MIME type; fails listing valid names."""

    name = "format"

    def __init__(self, choices: Sequence[str], aliases: dict[str, str] | None = None):
        self.choices = tuple(choices)
        self.aliases = aliases or {}

    def get_metavar(
        self, param: click.Parameter, ctx: click.Context | None = None
    ) -> str:
        """Show the choices in help, as click.Choice does."""
        return "[" + "|".join(self.choices) + "]"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        """Return the short name of the format, or fail with the list of valid ones."""
        text = str(value).strip().lower()
        text = self.aliases.get(text, text)
        if text in self.choices:
            return text
        self.fail(
            f"unknown format {value!r}: use one of {', '.join(self.choices)}",
            param,
            ctx,
        )


RDF_FORMAT_ALIASES = {
    "ttl": "turtle",
    "text/turtle": "turtle",
    "ntriples": "nt",
    "n-triples": "nt",
    "application/n-triples": "nt",
    "json-ld": "jsonld",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
}


def output_options(
    formats: Sequence[str], default: str, aliases: dict[str, str] | None = None
) -> Callable[[F], F]:
    """Add -f/--format and -o/--output, the same on every command that prints results."""

    def decorate(fn: F) -> F:
        fn = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Write to FILE (replaced atomically) instead of stdout.",
        )(fn)
        return click.option(
            "-f",
            "--format",
            "fmt",
            type=FormatChoice(formats, aliases),
            default=default,
            show_default=True,
            help="Output format; a MIME type also works.",
        )(fn)

    return decorate


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        click.echo(text, nl=False)
        return
    from geokg.store import write_text_atomic

    write_text_atomic(output, text)


@click.group(
    cls=GeokgGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES,
)
@click.version_option(__version__, "--version", prog_name="geokg")
@click.option(
    "-g",
    "--graph",
    type=click.Path(file_okay=False, path_type=Path),
    default="graph",
    envvar="GEOKG_GRAPH",
    show_default="graph/, or $GEOKG_GRAPH",
    help="Folder of the graph's Turtle/TriG files, read and written by every command.",
)
@click.option("-v", "--verbose", is_flag=True, help="Log progress to stderr.")
@click.pass_context
def cli(ctx: click.Context, graph: Path, verbose: bool) -> None:
    """geokg turns news articles into a knowledge graph of geopolitical relations.

    It extracts who buys which weapons from whom, who sanctions or threatens whom
    and under which law, who is allied with whom and who said what, each fact tied
    to the sentence it rests on; then it validates, queries and draws the graph.

    \b
    Examples:
        geokg add article article.txt --date 2019-11-20
        geokg --graph graph/ stats
        geokg validate --format json
        geokg export --format nt -o graph.nt
    """
    if verbose:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    ctx.obj = Settings(graph=graph)


@cli.command()
@click.option(
    "--allow-warnings", is_flag=True, help="Conform when only warnings remain."
)
@output_options(("human", "table", "json", "turtle"), default="human")
@click.pass_context
def validate(
    ctx: click.Context, allow_warnings: bool, fmt: str, output: Path | None
) -> None:
    """Check the graph against geokg's SHACL shapes and ontology.

    Exits 0 when the graph conforms, 1 when it does not, 2 when it cannot be read.

    \b
    Examples:
        geokg validate
        geokg --graph other/ validate --format json
        geokg validate -f turtle -o report.ttl
    """
    from geokg.store import load_graph
    from geokg.validate import format_report, validate_graph

    report = validate_graph(
        load_graph(_settings(ctx).graph), allow_warnings=allow_warnings
    )
    write_output(format_report(report, fmt), output)
    ctx.exit(report.exit_code)


@cli.command()
@output_options(("table", "json", "tsv"), default="table")
@click.pass_context
def stats(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Count entities by type, facts by relation and status, sources and triples.

    \b
    Examples:
        geokg stats
        geokg stats --format json
    """
    from geokg.stats import format_stats, graph_stats
    from geokg.store import load_graph

    write_output(
        format_stats(graph_stats(load_graph(_settings(ctx).graph)), fmt), output
    )


@cli.command()
@output_options(
    ("turtle", "nt", "jsonld", "trig", "graphml", "gexf"),
    default="turtle",
    aliases=RDF_FORMAT_ALIASES,
)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the whole graph as one RDF file, or its network for Gephi and the like.

    RDF: turtle, nt, jsonld, trig. Network (the projection `geokg view` draws):
    graphml, gexf.

    \b
    Examples:
        geokg export > graph.ttl
        geokg export --format nt -o graph.nt
        geokg export -f application/ld+json
        geokg export -f graphml -o network.graphml
    """
    if fmt in ("graphml", "gexf"):
        from geokg.engine import open_engine
        from geokg.network import export_network, to_networkx

        write_output(
            export_network(
                to_networkx(open_engine(_settings(ctx).graph, index=False)), fmt
            ),
            output,
        )
        return
    from geokg.formats import serialize_rdf
    from geokg.store import load_graph

    write_output(serialize_rdf(load_graph(_settings(ctx).graph), fmt), output)


@cli.group()
def add() -> None:
    """Add articles, entities and facts to the graph (validated before writing).

    \b
    Examples:
        geokg add article article.txt --date 2019-11-20
        geokg add entity weapon-system "Su-57" --country Russia --alias "Felon"
        geokg add fact India acquires Su-35 --date 2018-10 --source https://example.org/a
    """


@add.command("article")
@click.argument("sources", nargs=-1, required=True, metavar="FILE|DIR|-...")
@click.option("--url", help="Where the article was published (one FILE only).")
@click.option("--title", help="Its title (default: its first line; one FILE only).")
@click.option("--publisher", help="Who published it.")
@click.option("--date", help="Publication date, YYYY-MM-DD (resolves 'on Thursday').")
@click.option(
    "--name",
    help="Name of its graph file (default: from the file name; one FILE only).",
)
@click.option(
    "--replace", is_flag=True, help="Re-extract an article already in the graph."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes that extract articles in parallel (several articles).",
)
@click.pass_context
def add_article_command(
    ctx: click.Context,
    sources: tuple[str, ...],
    url: str | None,
    title: str | None,
    publisher: str | None,
    date: str | None,
    name: str | None,
    replace: bool,
    jobs: int,
) -> None:
    """Extract an article's facts and write them as a new file of the graph.

    Adding the same text twice is a no-op that says so; --replace re-extracts it.
    A file FILE.meta beside the article ("date: 2019-11-20", "url: ...") supplies
    what the options do not.

    Several FILEs, or a DIR (every *.txt in it), are added one by one in sorted
    order; --jobs N extracts them in N worker processes, and the graph is the same
    whatever N is. Articles already in the graph are skipped. A progress bar shows on
    a terminal; then one summary line, and one line for each article that failed (the
    others are written; the exit code is then 1).

    \b
    Examples:
        geokg add article article.txt --date 2019-11-20 --publisher "Example News"
        curl -s https://example.org/a.txt | geokg add article - --name example-a
        geokg add article article.txt --replace
        geokg add article corpus/ --jobs 4
        geokg add article corpus/2019-*.txt --publisher "Example News"
    """
    if len(sources) == 1 and (sources[0] == "-" or not Path(sources[0]).is_dir()):
        _add_one_article(ctx, sources[0], url, title, publisher, date, name, replace)
        return
    for option, value in (("--url", url), ("--title", title), ("--name", name)):
        if value is not None:
            raise click.UsageError(
                f"{option} describes one article: give a single FILE, or put it in "
                "each article's .meta file",
                ctx,
            )
    from geokg.ingest import article_paths, ingest_articles

    paths = article_paths(sources)
    with _ingest_progress(len(paths)) as progress:
        report = ingest_articles(
            _settings(ctx).graph,
            paths,
            jobs=jobs,
            replace=replace,
            publisher=publisher,
            date=date,
            progress=progress,
        )
    click.echo(report.summary)
    for failure in report.failures:
        click.echo(f"Error: {failure.error_line}", err=True)
    ctx.exit(report.exit_code)


def _add_one_article(
    ctx: click.Context,
    source: str,
    url: str | None,
    title: str | None,
    publisher: str | None,
    date: str | None,
    name: str | None,
    replace: bool,
) -> None:
    from geokg.articles import (
        add_article,
        make_document,
        read_article_text,
        read_sidecar,
    )

    text, file_name = read_article_text(source)
    meta = read_sidecar(source)
    document = make_document(
        text,
        file_name=file_name,
        name=name,
        url=url or meta.get("url"),
        title=title or meta.get("title"),
        publisher=publisher or meta.get("publisher"),
        date=date or meta.get("date"),
    )
    result = add_article(_settings(ctx).graph, document, replace=replace)
    if result.status == "unchanged":
        click.echo(
            f"Unchanged: this article is already in {result.path} "
            "(use --replace to re-extract it)."
        )
    else:
        click.echo(
            f"{result.status.capitalize()} {result.slug}: {result.facts} facts -> {result.path}"
        )


@contextmanager
def _ingest_progress(total: int) -> Iterator[Callable[[Any], None] | None]:
    """A rich progress bar on stderr (articles/s, time left) when it is a terminal;
    otherwise nothing, so pipes and logs get only the summary."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Articles per second."""

        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            shown = f"{speed:.1f}" if speed else "-"
            return Text(f"{shown} articles/s", style="progress.data.speed")

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("Adding articles", total=total)
        yield lambda _outcome: bar.advance(task)


def edit_options(fn: F) -> F:
    """Add --author and --note, the same on every command that changes the graph."""
    fn = click.option("--note", help="Why: kept with the edit, in its provenance.")(fn)
    return click.option(
        "--author",
        envvar="GEOKG_AUTHOR",
        help="Who makes the edit (default: git's user.name, else the login name).",
    )(fn)


def _edit_info(ctx: click.Context, author: str | None, note: str | None) -> Any:
    from geokg.edits import EditInfo, default_author

    return EditInfo(author or default_author(_settings(ctx).graph), note)


ENTITY_TYPE_NAMES = (
    "state",
    "alliance",
    "international-organization",
    "government-body",
    "company",
    "organization",
    "person",
    "weapon-system",
    "law",
    "topic",
)
STATUS_NAMES = (
    "reported",
    "claimed",
    "threatened",
    "expected",
    "possible",
    "alleged",
    "denied",
)


@add.command("entity")
@click.argument("type_name", metavar="TYPE", type=click.Choice(ENTITY_TYPE_NAMES))
@click.argument("label")
@click.option("--alias", "aliases", multiple=True, help="Another name (repeatable).")
@click.option("--wikidata", metavar="QID", help="Its Wikidata id, e.g. Q43.")
@click.option(
    "--country",
    metavar="STATE",
    help="The state of a person, organization or company; the origin of a weapon system.",
)
@edit_options
@click.pass_context
def add_entity_command(
    ctx: click.Context,
    type_name: str,
    label: str,
    aliases: tuple[str, ...],
    wikidata: str | None,
    country: str | None,
    author: str | None,
    note: str | None,
) -> None:
    """Add an entity the lexicon lacks; extraction knows it from then on.

    Adding names to an entity the graph holds adds them as aliases.

    \b
    Examples:
        geokg add entity weapon-system "Su-57" --country Russia
        geokg add entity person "Jane Roe" --country Chile --alias "J. Roe"
        geokg add entity state Somaliland --wikidata Q34754 --note "de facto state"
    """
    from geokg.edits import add_entity

    outcome = add_entity(
        _settings(ctx).graph,
        type_name,
        label,
        _edit_info(ctx, author, note),
        aliases=aliases,
        wikidata=wikidata,
        country=country,
    )
    click.echo(outcome.message)


@add.command("fact")
@click.argument("subject")
@click.argument("relation")
@click.argument("object_", metavar="OBJECT")
@click.option("--date", help="When: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option(
    "--status",
    type=click.Choice(STATUS_NAMES),
    default="reported",
    show_default=True,
    help="Reported as true, or only claimed, threatened, expected ...",
)
@click.option(
    "--claimant",
    metavar="ENTITY",
    help="Who claims it (needed when claimed or alleged).",
)
@click.option("--source", metavar="URL", help="Where it was read.")
@click.option("--evidence", metavar="TEXT", help="The sentence it rests on.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    metavar="ROLE=ENTITY",
    help="Another participant, e.g. supplier=Russia or legalBasis=CAATSA (repeatable).",
)
@edit_options
@click.pass_context
def add_fact_command(
    ctx: click.Context,
    subject: str,
    relation: str,
    object_: str,
    date: str | None,
    status: str,
    claimant: str | None,
    source: str | None,
    evidence: str | None,
    roles: tuple[str, ...],
    author: str | None,
    note: str | None,
) -> None:
    """Add a fact: SUBJECT RELATION OBJECT, by names the graph (or lexicon) knows.

    RELATION is one of the ontology's (geokg queries lists them in docs/queries.md;
    an unknown one lists them all). The object of statesThat or proposes is text.

    \b
    Examples:
        geokg add fact India acquires Su-35 --date 2018-10 --source https://example.org/a
        geokg add fact "United States" threatensSanctions India --status threatened
        geokg add fact Iran statesThat "the deal is dead" --status claimed --claimant Iran
    """
    from geokg.edits import FactInput, add_fact, parse_roles

    pairs = parse_roles(roles)
    given = FactInput(
        subject, relation, object_, status, date, claimant, source, evidence, pairs
    )
    click.echo(
        add_fact(_settings(ctx).graph, given, _edit_info(ctx, author, note)).message
    )


@cli.group()
def remove() -> None:
    """Remove facts, entities or articles (validated before writing).

    \b
    Examples:
        geokg remove fact fact:acquires-5bfda1fe8b06 --note "misread"
        geokg remove entity "Kestrel" --cascade
        geokg remove article s400-turkey
    """


@remove.command("fact")
@click.argument("fact_id", metavar="ID")
@edit_options
@click.pass_context
def remove_fact_command(
    ctx: click.Context, fact_id: str, author: str | None, note: str | None
) -> None:
    """Remove a fact by its id (see geokg facts); re-adding its article will not bring
    it back.

    \b
    Examples:
        geokg remove fact fact:acquires-5bfda1fe8b06
        geokg remove fact acquires-5bfda1fe8b06 --note "the article says the opposite"
    """
    from geokg.edits import remove_fact

    click.echo(
        remove_fact(
            _settings(ctx).graph, fact_id, _edit_info(ctx, author, note)
        ).message
    )


@remove.command("entity")
@click.argument("name", metavar="ENTITY")
@click.option("--cascade", is_flag=True, help="Also remove the facts that use it.")
@edit_options
@click.pass_context
def remove_entity_command(
    ctx: click.Context, name: str, cascade: bool, author: str | None, note: str | None
) -> None:
    """Remove an entity; refused while facts use it, unless --cascade.

    \b
    Examples:
        geokg remove entity "Kestrel"
        geokg remove entity state:atlantis --cascade
    """
    from geokg.edits import remove_entity

    outcome = remove_entity(
        _settings(ctx).graph, name, _edit_info(ctx, author, note), cascade=cascade
    )
    click.echo(outcome.message)


@remove.command("article")
@click.argument("source", metavar="SOURCE")
@edit_options
@click.pass_context
def remove_article_command(
    ctx: click.Context, source: str, author: str | None, note: str | None
) -> None:
    """Remove an article and exactly the facts read in it; facts other sources also
    state stay. SOURCE is its name, file name, URL, title or IRI.

    \b
    Examples:
        geokg remove article s400-turkey
        geokg remove article https://example.org/article
    """
    from geokg.edits import remove_article

    click.echo(
        remove_article(
            _settings(ctx).graph, source, _edit_info(ctx, author, note)
        ).message
    )


@cli.command()
@click.argument("keep", metavar="ENTITY")
@click.argument("drop", metavar="DUPLICATE")
@edit_options
@click.pass_context
def merge(
    ctx: click.Context, keep: str, drop: str, author: str | None, note: str | None
) -> None:
    """Merge DUPLICATE into ENTITY: its facts are rewired, its names become aliases.

    \b
    Examples:
        geokg merge "Jane Roe" "J. Roe"
        geokg merge state:turkey state:turkiye --note "one state"
    """
    from geokg.edits import merge_entities

    click.echo(
        merge_entities(
            _settings(ctx).graph, keep, drop, _edit_info(ctx, author, note)
        ).message
    )


@cli.command()
@click.argument("name", metavar="ENTITY")
@click.argument("new_label", metavar="NEW")
@edit_options
@click.pass_context
def rename(
    ctx: click.Context, name: str, new_label: str, author: str | None, note: str | None
) -> None:
    """Give an entity a new label; it keeps its IRI and the old label as an alias.

    \b
    Examples:
        geokg rename Turkey Türkiye --note "official name since 2022"
    """
    from geokg.edits import rename_entity

    click.echo(
        rename_entity(
            _settings(ctx).graph, name, new_label, _edit_info(ctx, author, note)
        ).message
    )


@cli.command("import")
@click.argument(
    "source", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE"
)
@click.option("--replace", is_flag=True, help="Replace an earlier import of that name.")
@edit_options
@click.pass_context
def import_command(
    ctx: click.Context,
    source: Path,
    replace: bool,
    author: str | None,
    note: str | None,
) -> None:
    """Add the triples of a Turtle, TriG, JSON-LD or N-Triples file, validated like
    any edit, as graph/imports/<name>.ttl.

    \b
    Examples:
        geokg import extra.ttl
        geokg import partner-data.jsonld --note "from the partner's export"
    """
    from geokg.edits import import_file

    outcome = import_file(
        _settings(ctx).graph, source, _edit_info(ctx, author, note), replace=replace
    )
    click.echo(outcome.message)


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default="graph.html",
    show_default=True,
    help="The HTML file to write.",
)
@click.option("--title", default="geokg network", show_default=True, help="Page title.")
@click.option(
    "--focus", metavar="ENTITY", help="Show only the network around this entity."
)
@click.option(
    "--depth",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Steps from --focus.",
)
@click.option(
    "--relation",
    "relations",
    multiple=True,
    metavar="NAME",
    help="Keep only these relations (repeatable).",
)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    metavar="STATUS",
    help="Keep only these statuses (repeatable).",
)
@click.option(
    "--since",
    metavar="DATE",
    help="Keep only facts dated on or after DATE (YYYY[-MM[-DD]]).",
)
@click.option(
    "--until", metavar="DATE", help="Keep only facts dated on or before DATE."
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Keep the N most central nodes; says how many it dropped.",
)
@click.option(
    "--max-edges",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Keep the N strongest edges among them; says how many it dropped.",
)
@click.pass_context
def view(
    ctx: click.Context,
    output: Path,
    title: str,
    focus: str | None,
    depth: int,
    relations: tuple[str, ...],
    statuses: tuple[str, ...],
    since: str | None,
    until: str | None,
    max_nodes: int,
    max_edges: int,
) -> None:
    """Write the graph as one self-contained, offline HTML page to explore.

    The page has a legend, tooltips with evidence, a search box, relation and status
    filters, and a side panel that lists a node's facts. It makes no network request.

    \b
    Examples:
        geokg view
        geokg view -o build/graph.html --title "Arms network"
        geokg view --focus Turkey --depth 2 --status reported --status claimed
        geokg view --relation acquires --relation supplies --since 2015 --max-nodes 300
    """
    from geokg.engine import open_engine
    from geokg.network import to_networkx
    from geokg.view import select_network, write_view

    net = to_networkx(open_engine(_settings(ctx).graph, index=False))
    net, dropped, summary = select_network(
        net,
        focus=focus,
        depth=depth,
        relations=relations,
        statuses=statuses,
        since=since,
        until=until,
        max_nodes=max_nodes,
        max_edges=max_edges,
    )
    result = write_view(net, output, title=title, summary=summary, dropped=dropped)
    for note in summary.split("; ")[1:]:  # what the caps left out
        click.echo(note, err=True)
    click.echo(f"Wrote {result.path} ({result.nodes} nodes, {result.edges} edges)")


@cli.command()
@click.argument("source", metavar="A")
@click.argument("target", metavar="B")
@click.pass_context
def path(ctx: click.Context, source: str, target: str) -> None:
    """Print the shortest chain of facts between two entities, with evidence.

    \b
    Examples:
        geokg path Greece Russia
        geokg path "United States Congress" Iran
    """
    from geokg.engine import open_engine
    from geokg.network import find_node, format_path, shortest_path, to_networkx

    net = to_networkx(open_engine(_settings(ctx).graph, index=False))
    hops = shortest_path(net, find_node(net, source), find_node(net, target))
    click.echo(format_path(net, hops), nl=False)


@cli.command()
@click.argument("entity", metavar="ENTITY")
@click.option(
    "--depth",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Steps away.",
)
@click.pass_context
def neighbours(ctx: click.Context, entity: str, depth: int) -> None:
    """List the entities within --depth steps of one, with their distance and type.

    \b
    Examples:
        geokg neighbours Turkey
        geokg neighbours NATO --depth 2
    """
    from geokg.engine import open_engine
    from geokg.network import find_node, format_neighbours, to_networkx
    from geokg.network import neighbours as near

    net = to_networkx(open_engine(_settings(ctx).graph, index=False))
    click.echo(
        format_neighbours(net, near(net, find_node(net, entity), depth)), nl=False
    )


LISTING_FORMATS = ("table", "tsv", "json")


def engine_option(fn: F) -> F:
    """Add --engine (Oxigraph or rdflib), the same on every command that reads."""
    return click.option(
        "--engine",
        type=click.Choice(["oxigraph", "rdflib"]),
        default="oxigraph",
        show_default=True,
        envvar="GEOKG_ENGINE",
        help="SPARQL engine: Oxigraph (fast), or rdflib.",
    )(fn)


def login_options(fn: F) -> F:
    """Add --user and --password-env, for servers that ask for a login."""
    fn = click.option(
        "--password-env",
        metavar="VAR",
        help="Environment variable that holds the password (never given on the "
        "command line).",
    )(fn)
    return click.option("--user", help="User for HTTP Digest or Basic auth.")(fn)


def _login(user: str | None, password_env: str | None) -> tuple[str, str] | None:
    from geokg.remote import password_from_env

    if (user is None) != (password_env is None):
        raise click.UsageError("give --user and --password-env together")
    password = password_from_env(password_env)
    return (user, password) if user is not None and password is not None else None


@cli.command()
@click.argument("name", metavar="ENTITY")
@engine_option
@click.pass_context
def show(ctx: click.Context, name: str, engine: str) -> None:
    """Print everything the graph says about one entity, with every fact it takes
    part in (in any role), each with its status and evidence sentences.

    ENTITY is a label, an alias, a Wikidata id, a CURIE or an IRI.

    \b
    Examples:
        geokg show Turkey
        geokg show Q43
        geokg show state:turkey
    """
    from geokg.engine import open_engine
    from geokg.listing import entity_card, find_entity, format_entity_card

    store = open_engine(_settings(ctx).graph, engine)
    click.echo(
        format_entity_card(entity_card(store, find_entity(store, name))), nl=False
    )


@cli.command()
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only entities of this type, e.g. state or weapon-system (repeatable).",
)
@click.option("--search", metavar="TEXT", help="Only names containing TEXT.")
@output_options(LISTING_FORMATS, default="table")
@engine_option
@click.pass_context
def entities(
    ctx: click.Context,
    types: tuple[str, ...],
    search: str | None,
    fmt: str,
    output: Path | None,
    engine: str,
) -> None:
    """List the entities of the graph with their type, id, aliases and fact count.

    \b
    Examples:
        geokg entities
        geokg entities --type state --type alliance
        geokg entities --search missile -f json
    """
    from geokg.engine import open_engine
    from geokg.listing import format_entities, list_entities

    store = open_engine(_settings(ctx).graph, engine)
    rows = list_entities(store, types or None, search)
    write_output(format_entities(rows, fmt), output)


@cli.command()
@click.option("--relation", metavar="RELATION", help="Only facts of this relation.")
@click.option(
    "--source",
    metavar="SOURCE",
    help="Only facts with evidence from this article (slug, file name, URL or title).",
)
@click.option(
    "--entity", metavar="ENTITY", help="Only facts this entity takes part in."
)
@output_options(LISTING_FORMATS, default="table")
@engine_option
@click.pass_context
def facts(
    ctx: click.Context,
    relation: str | None,
    source: str | None,
    entity: str | None,
    fmt: str,
    output: Path | None,
    engine: str,
) -> None:
    """List the facts of the graph: id, subject, relation, object, status, date,
    claimant, whether added by hand, sources and number of evidence sentences.

    The ids are what `geokg remove fact` takes.

    \b
    Examples:
        geokg facts
        geokg facts --relation acquires -f tsv
        geokg facts --source article --entity Russia
    """
    from geokg.engine import open_engine
    from geokg.listing import find_entity, format_facts, list_facts

    store = open_engine(_settings(ctx).graph, engine)
    iri = find_entity(store, entity) if entity is not None else None
    rows = list_facts(store, relation, source, iri)
    write_output(format_facts(rows, fmt), output)


@cli.command()
@click.argument("source", metavar="FILE|-")
@click.option("--date", help="The article's date, YYYY-MM-DD (resolves 'on Thursday').")
@click.option("--url", help="Where the article was published.")
@click.option("--title", help="Its title (default: its first line).")
@click.option("--publisher", help="Who published it.")
@click.option(
    "--denied",
    is_flag=True,
    help='Also list the relations the text denies ("did not buy"), status denied; '
    "the Turtle output and the graph always keep them.",
)
@output_options(("tsv", "json", "turtle"), default="tsv")
@click.pass_context
def extract(
    ctx: click.Context,
    source: str,
    date: str | None,
    url: str | None,
    title: str | None,
    publisher: str | None,
    denied: bool,
    fmt: str,
    output: Path | None,
) -> None:
    """Print the facts of one article without writing to the graph.

    The TSV has a header line and one fact a line: subject, relation, object, date,
    evidence, status, claimant, rule, start, end, condition, quotation. A file
    FILE.meta beside the article (lines such as "date: 2019-11-20" and "url: ...")
    supplies what the options do not.

    \b
    Examples:
        geokg extract article.txt
        geokg extract article.txt --date 2019-11-20 --format json
        geokg extract article.txt --denied
        cat article.txt | geokg extract - --format turtle
    """
    from geokg.articles import make_document, read_article_text, read_sidecar

    text, file_name = read_article_text(source)
    meta = read_sidecar(source)
    document = make_document(
        text,
        file_name=file_name,
        url=url or meta.get("url"),
        title=title or meta.get("title"),
        publisher=publisher or meta.get("publisher"),
        date=date or meta.get("date"),
    )
    from geokg.edits import known_entries
    from geokg.extract import extract_facts

    facts = extract_facts(document, known_entries(_settings(ctx).graph))
    if fmt == "turtle":
        from geokg.build import build_source_graph
        from geokg.store import serialize_turtle

        text_out = serialize_turtle(build_source_graph(document, facts))
    else:
        from geokg.table import collapse, facts_json, facts_tsv

        # A denied relation is not a fact the text states: listed only on request.
        listed = [f for f in facts if denied or f.status != "denied"]
        text_out = facts_tsv(collapse(listed)) if fmt == "tsv" else facts_json(listed)
    write_output(text_out, output)


QUERY_FORMATS = (
    "table",
    "json",
    "xml",
    "csv",
    "tsv",
    "md",
    "text",
    "turtle",
    "nt",
    "jsonld",
    "trig",
)
QUERY_FORMAT_ALIASES = {
    **RDF_FORMAT_ALIASES,
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/markdown": "md",
    "text/plain": "text",
}


@cli.command()
@click.argument("source", metavar="NAME|FILE|-")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query parameter (repeatable); entities by label or alias.",
)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=FormatChoice(QUERY_FORMATS, QUERY_FORMAT_ALIASES),
    default=None,
    help="Output format (default: table; true/false for ASK; turtle for CONSTRUCT), "
    "or guessed from -o's extension.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to FILE (replaced atomically) instead of stdout.",
)
@click.option("--limit", type=click.IntRange(min=0), help="Keep at most N rows.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Give up after S seconds.",
)
@engine_option
@click.option(
    "--endpoint",
    metavar="URL",
    help="Run at this SPARQL endpoint instead of the local graph (which still "
    "resolves entity names).",
)
@login_options
@click.pass_context
def query(
    ctx: click.Context,
    source: str,
    params: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
    limit: int | None,
    timeout: float | None,
    engine: str,
    endpoint: str | None,
    user: str | None,
    password_env: str | None,
) -> None:
    """Run a named query, a .rq file, or a query from standard input.

    SELECT results print as a table (or json, xml, csv, tsv, md); an ASK query prints
    true or false and exits 0 or 1; CONSTRUCT and DESCRIBE print RDF.

    \b
    Examples:
        geokg query alliance-members
        geokg query acquisitions -p buyer=Ankara -f csv -o acquisitions.csv
        geokg query entity -p name="United States" -f md
        echo 'ASK { ?s ?p ?o }' | geokg query -
        geokg query acquisitions --endpoint http://127.0.0.1:8890/sparql
        geokg query sources --endpoint https://store.example.org/sparql \\
            --user analyst --password-env STORE_PASSWORD
    """
    from geokg.engine import open_engine
    from geokg.queries import QueryResult, load_query, parse_param_options, run_query
    from geokg.results import EXTENSIONS, default_format, format_result

    spec = load_query(source)
    values = parse_param_options(params)
    result: QueryResult
    if endpoint is not None:
        from geokg.remote import run_remote

        local = open_engine(_settings(ctx).graph, engine) if spec.params else None
        result = run_remote(
            spec,
            endpoint,
            values,
            local=local,
            limit=limit,
            timeout=timeout or 60,
            login=_login(user, password_env),
        )
    else:
        if user is not None or password_env is not None:
            raise click.UsageError("--user and --password-env go with --endpoint")
        store = open_engine(_settings(ctx).graph, engine)
        result = run_query(store, spec, values, limit=limit, timeout=timeout)
    if fmt is None and output is not None:
        fmt = EXTENSIONS.get(output.suffix.lower())
    write_output(format_result(result, fmt or default_format(result.kind)), output)
    if result.kind == "ASK" and not result.boolean:
        ctx.exit(1)


@cli.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port (0: any free one).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds a query may run before the client gets HTTP 503.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Rows a SELECT returns at most.",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=1_000_000,
    show_default=True,
    help="Bytes a request body may have (HTTP 413 beyond).",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let queries call other endpoints with SERVICE.",
)
@click.option(
    "--writable",
    is_flag=True,
    help="Accept /update and Graph Store PUT, each checked like any edit.",
)
@click.option(
    "--token-env",
    metavar="VAR",
    help="Environment variable holding the token writes must send (with --writable).",
)
@engine_option
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_body: int,
    allow_service: bool,
    writable: bool,
    token_env: str | None,
    engine: str,
) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint until interrupted.

    /sparql (GET, form POST, application/sparql-query POST; the format follows
    Accept), /store?default or ?graph=FILE, /queries/NAME?param=..., a query page at
    /, and the network view at /view. Listens on loopback unless --host says otherwise.
    Read-only unless --writable: then /update (SPARQL Update) and PUT /store?graph=NAME
    are accepted from clients that send "Authorization: Bearer TOKEN", the token being
    the value of the --token-env variable, and each write is validated like an edit.

    \b
    Examples:
        geokg serve
        geokg serve --port 8000 --timeout 30
        GEOKG_TOKEN=s3cret geokg serve --writable --token-env GEOKG_TOKEN
        curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/queries/acquisitions?buyer=Turkey'
    """
    import os

    from geokg.serve import ServeConfig, make_server
    from geokg.store import graph_dir

    token = None
    if writable:
        token = os.environ.get(token_env or "") if token_env else None
        if not token:
            raise click.UsageError(
                "--writable needs --token-env VAR, naming a set, non-empty environment "
                "variable that holds the token clients must send"
            )
    config = ServeConfig(
        graph_dir(_settings(ctx).graph),
        engine=engine,
        timeout=timeout,
        max_rows=max_rows,
        max_body=max_body,
        allow_service=allow_service,
        token=token,
    )
    try:
        server = make_server(config, host, port)
    except OSError as err:
        raise click.ClickException(
            f"cannot listen on {host}:{port} ({err.strerror}): pick another --port"
        ) from err
    bound_host, bound_port = server.server_address[:2]
    click.echo(
        f"Serving {config.folder} at http://{bound_host!s}:{bound_port}/ (Ctrl-C stops)"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command()
@click.option(
    "--endpoint", metavar="URL", required=True, help="The SPARQL query endpoint."
)
@click.option(
    "--graph-store",
    metavar="URL",
    help="The Graph Store Protocol URL (default: Virtuoso's, next to /sparql).",
)
@login_options
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each HTTP response.",
)
@click.pass_context
def push(
    ctx: click.Context,
    endpoint: str,
    graph_store: str | None,
    user: str | None,
    password_env: str | None,
    timeout: float,
) -> None:
    """Load the graph into a SPARQL server, each file as its own named graph.

    A file replaces its graph, https://w3id.org/geokg/graph/<path without .ttl>, by a
    Graph Store Protocol PUT, so pushing again changes nothing; each graph's triple
    count is checked afterwards.

    \b
    Examples:
        GEOKG_PASSWORD=... geokg push --endpoint http://127.0.0.1:8890/sparql \\
            --user dba --password-env GEOKG_PASSWORD
        geokg push --endpoint http://localhost:3030/geokg/sparql \\
            --graph-store http://localhost:3030/geokg/data \\
            --user admin --password-env GEOKG_PASSWORD
    """
    from geokg.remote import push as push_graph

    user, password = _login(user, password_env) or (None, None)
    report = push_graph(
        _settings(ctx).graph,
        endpoint,
        graph_store=graph_store,
        user=user,
        password=password,
        timeout=timeout,
    )
    for graph in report.graphs:
        click.echo(f"{graph.name}\t{graph.triples} triples")
    click.echo(
        f"Pushed {len(report.graphs)} graphs, {report.triples} triples, to "
        f"{report.graph_store} in {report.seconds:.1f} s"
    )


@cli.command()
@click.argument("name", required=False)
@click.option(
    "--markdown",
    is_flag=True,
    help="Print the reference of every query (docs/queries.md).",
)
def queries(name: str | None, markdown: bool) -> None:
    """List the named queries, or show one with its parameters and text.

    \b
    Examples:
        geokg queries
        geokg queries acquisitions
        geokg queries --markdown > docs/queries.md
    """
    from geokg.queries import list_queries, load_query, query_files, render_docs

    if markdown:
        click.echo(render_docs(list_queries()), nl=False)
        return
    if name is None:
        specs = list_queries()
        width = max((len(s.name) for s in specs), default=0)
        for spec in specs:
            params = " ".join(f"-p {p.name}=<{p.type}>" for p in spec.params)
            click.echo(
                f"{spec.name.ljust(width)}  {spec.summary}"
                + (f"  [{params}]" if params else "")
            )
        return
    if "/" in name or name.endswith(".rq"):
        names = ", ".join(p.stem for p in query_files())
        raise click.UsageError(f"give the name of a named query: one of {names}")
    spec = load_query(name)
    click.echo(f"{spec.name}: {spec.summary}")
    if spec.description:
        click.echo(f"\n{spec.description}")
    if spec.params:
        click.echo("\nParameters:")
        for param in spec.params:
            default = f" (default: {param.default})" if param.default else ""
            click.echo(f"  {param.name} ({param.type}){default}: {param.description}")
    if spec.tags:
        click.echo(f"\nTags: {', '.join(spec.tags)}")
    click.echo("\n" + spec.text.rstrip("\n"))
