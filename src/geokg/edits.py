"""Changing the graph by hand: add, remove, merge, rename and import, validated first.

Every change runs in an :class:`EditSession`: it takes the graph's writer lock, reads
the graph files, applies the change to them in memory, and then checks the graph the
change would give (the SHACL shapes on every node the change touched, and the
ontology's domain and range on every new triple). Only if all of that passes are the
changed files written, together (see :mod:`geokg.transaction`); otherwise nothing is.

What a person adds goes to ``edits/<author>.ttl`` in the graph folder, with a
``geokg:ManualEdit`` record of who, when and why (``prov:wasAssociatedWith``,
``prov:endedAtTime``, ``rdfs:comment``): a fact added by hand is
``prov:wasGeneratedBy`` its edit, so queries and the view can tell it from an
extracted one. Removals, merges and renames rewrite the files that hold the triples,
and leave a record in the edits file too (``prov:invalidated`` names what went).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from geokg.catalog import (
    CLASS_TO_RELATION,
    QID,
    GraphEntity,
    fact_nodes,
    find_entity,
    find_fact,
    graph_entities,
    graph_entity,
)
from geokg.errors import InputError, NotFoundError, ValidationError
from geokg.iris import GEOKG, ID_BASE, content_hash, curie, slugify
from geokg.model import Entity, Fact
from geokg.schema import ENTITY_TYPES, RELATIONS, STATUSES, Relation

if TYPE_CHECKING:
    from geokg.extract.lexicon import LexEntry

EDITS_DIR = "edits"
IMPORTS_DIR = "imports"
#: Entity types that can be added by hand (a post comes with the person who holds it).
ADDABLE_TYPES = tuple(name for name in ENTITY_TYPES if name != "post")
#: Types whose --country is the state they belong to (geokg:ofState).
OF_STATE_TYPES = frozenset({"person", "organization", "government-body", "company"})
#: Properties an entity has at most once: on a merge the survivor's values win.
SINGLE_VALUED = (
    GEOKG.wikidata,
    GEOKG.isoCode,
    GEOKG.ofState,
    GEOKG.designation,
    GEOKG.officialName,
    GEOKG.category,
    GEOKG.roleName,
)


@dataclass(frozen=True)
class EditInfo:
    """Who makes a change, when, and why.

    Attributes:
        author: A name for the person ("Ada Lovelace").
        note: Why, in their words.
        time: When, as an ``xsd:dateTime`` in UTC; defaults to now, or to
            ``$SOURCE_DATE_EPOCH`` when set (reproducible files, as in builds).
    """

    author: str
    note: str | None = None
    time: str = field(default_factory=lambda: edit_time())


def edit_time() -> str:
    """Now in UTC to the second (or ``$SOURCE_DATE_EPOCH``), as ``xsd:dateTime`` text."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch
        else dt.datetime.now(dt.UTC)
    )
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_author(folder: Path | None = None) -> str:
    """``$GEOKG_AUTHOR``, else git's ``user.name`` (in the graph's repository), else the
    login name."""
    if os.environ.get("GEOKG_AUTHOR", "").strip():
        return os.environ["GEOKG_AUTHOR"].strip()
    try:
        name = subprocess.run(
            ["git", "config", "user.name"],
            cwd=folder if folder is not None and folder.is_dir() else None,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or getpass.getuser()


@dataclass(frozen=True)
class Outcome:
    """What a change did: a line for the person, and the files written."""

    message: str
    written: tuple[Path, ...] = ()


# ---- the session ----------------------------------------------------------------------


class EditSession:
    """The graph's files in memory, changed by an edit and written only if valid.

    Use :func:`open_session`; call :meth:`commit` once the change is made.
    """

    def __init__(self, folder: Path, info: EditInfo, command: str) -> None:
        from geokg.store import read_file, source_files

        self.folder = folder
        self.info = info
        self.command = command
        self.files: dict[Path, Graph] = {
            path: read_file(path) for path in source_files(folder)
        }
        # What each file held, so that only the files an edit changes are rewritten.
        self._originals = {path: frozenset(graph) for path, graph in self.files.items()}
        self.deleted: set[Path] = set()
        self._before = _union(self.files.values())
        self._merged: Graph | None = None
        self._activity: URIRef | None = None

    @property
    def graph(self) -> Graph:
        """The whole graph as it stands with the change so far."""
        if self._merged is None:
            self._merged = _union(
                g for p, g in self.files.items() if p not in self.deleted
            )
        return self._merged

    def changed(self) -> None:
        """Say that a file graph was changed in place (the merged view is rebuilt)."""
        self._merged = None

    @property
    def edits_path(self) -> Path:
        """The author's file of manual edits."""
        return (
            self.folder / EDITS_DIR / f"{slugify(self.info.author) or 'anonymous'}.ttl"
        )

    def file(self, path: Path) -> Graph:
        """The graph of one file, created empty if it is new."""
        from geokg.build import new_graph

        if path not in self.files:
            self.files[path] = new_graph()
        self.deleted.discard(path)
        self.changed()
        return self.files[path]

    def delete(self, path: Path) -> None:
        """Delete a whole file."""
        self.deleted.add(path)
        self.changed()

    def activity(self) -> URIRef:
        """The record of this edit (who, when, what, why) in the author's file."""
        if self._activity is not None:
            return self._activity
        graph = self.file(self.edits_path)
        agent = URIRef(f"{ID_BASE}agent/{slugify(self.info.author) or 'anonymous'}")
        iri = URIRef(
            f"{ID_BASE}activity/edit-"
            + content_hash(
                self.info.author, self.info.time, self.command, self.info.note or ""
            )
        )
        graph.add((agent, RDF.type, PROV.Agent))
        graph.add((agent, RDFS.label, Literal(self.info.author)))
        graph.add((iri, RDF.type, GEOKG.ManualEdit))
        graph.add((iri, RDFS.label, Literal(self.command)))
        graph.add((iri, PROV.wasAssociatedWith, agent))
        graph.add(
            (iri, PROV.endedAtTime, Literal(self.info.time, datatype=XSD.dateTime))
        )
        if self.info.note:
            graph.add((iri, RDFS.comment, Literal(self.info.note)))
        self._activity = iri
        return iri

    def remove_where(
        self, keep: Iterable[tuple[Node, Node, Node]] = (), **pattern: Node
    ) -> int:
        """Remove the triples matching one of ``subject``, ``object`` (or a full pattern)
        from every file; return how many triples went."""
        removed = 0
        triple = (
            pattern.get("subject"),
            pattern.get("predicate"),
            pattern.get("object"),
        )
        kept = set(keep)
        for path, graph in self.files.items():
            if path in self.deleted:
                continue
            for found in list(graph.triples(triple)):
                if found not in kept:
                    graph.remove(found)
                    removed += 1
        if removed:
            self.changed()
        return removed

    def commit(self) -> tuple[Path, ...]:
        """Check the changed graph and write the changed files; return them.

        Raises:
            ValidationError: If the change breaks a shape or a domain or range; nothing
                is written.
        """
        from geokg.transaction import commit_files

        after = self.graph
        added = after - self._before
        removed = self._before - after
        if len(added) == 0 and len(removed) == 0:
            return ()
        check_change(after, added, removed)
        writes: dict[Path, str | None] = {}
        for path, graph in sorted(self.files.items()):
            if path in self.deleted:
                if path.exists():
                    writes[path] = None
                continue
            if path in self._originals and frozenset(graph) == self._originals[path]:
                continue  # untouched: its bytes (comments, layout) stay as they are
            writes[path] = self._text(path, graph)
        commit_files(self.folder, writes)
        return tuple(sorted(writes))

    def _text(self, path: Path, graph: Graph) -> str | None:
        """The canonical Turtle of a changed file (None: the file goes)."""
        from geokg.store import serialize_turtle

        if not len(graph):
            return None
        try:
            return serialize_turtle(graph)
        except ValueError as err:  # a blank node: its label would not be stable
            name = path.relative_to(self.folder).as_posix()
            raise InputError(
                f"this edit changes {name}, which holds blank nodes geokg cannot "
                f"rewrite stably: give them IRIs (or geokg import the file), then retry"
            ) from err


@contextmanager
def open_session(
    folder: str | os.PathLike[str], info: EditInfo, command: str
) -> Iterator[EditSession]:
    """Lock the graph folder and open an edit session on it.

    A missing folder is created, and removed again if the edit writes nothing.
    """
    from geokg.store import graph_dir
    from geokg.transaction import graph_lock

    missing = [p for p in (Path(folder), *Path(folder).parents) if not p.exists()]
    path = graph_dir(folder, create=True)
    try:
        with graph_lock(path):
            yield EditSession(path, info, command)
    finally:
        for made in missing:  # innermost first
            if made.is_dir() and not any(made.iterdir()):
                made.rmdir()


def _union(graphs: Iterable[Graph]) -> Graph:
    from geokg.build import new_graph

    merged = new_graph()
    for graph in graphs:
        merged += graph
    return merged


# ---- checks ---------------------------------------------------------------------------


def check_change(after: Graph, added: Graph, removed: Graph) -> None:
    """Validate the nodes a change touched, and the domain and range of new triples.

    Raises:
        ValidationError: With the first problem, in one line.
    """
    from geokg.validate import check_domain_range, validate_graph

    touched = {
        n
        for triple in (*added, *removed)
        for n in (triple[0], triple[2])
        if isinstance(n, URIRef)
    }
    # A node that points to a touched node may be broken by a removal (a fact whose
    # entity lost its type), so it is checked too. Additions alone cannot break it:
    # geokg's shapes constrain a node's own values, and no shape forbids a type.
    if len(removed):
        touched |= {
            s
            for n in list(touched)
            for s in after.subjects(None, n)
            if isinstance(s, URIRef)
        }
    focus = sorted(n for n in touched if (n, None, None) in after)
    problems = check_domain_range(after, added)
    if problems:
        raise ValidationError(f"refused: {problems[0]}; nothing was written")
    if not focus:
        return
    report = validate_graph(after, focus_nodes=focus)
    if not report.conforms:
        first = report.violations[0]
        more = (
            f" (and {len(report.violations) - 1} more)"
            if len(report.violations) > 1
            else ""
        )
        raise ValidationError(
            f"refused: {first.message} [{first.focus}]{more}; nothing was written"
        )


def check_qid(qid: str) -> str:
    """Return a Wikidata id ("Q43") or fail saying the expected form."""
    if not QID.match(qid.strip()):
        raise InputError(
            f"bad Wikidata id {qid!r}: write it as Q followed by digits, e.g. Q43"
        )
    return qid.strip()


def check_label(label: str, what: str = "label") -> str:
    """Return a label with its outer spaces trimmed, or fail if it is empty."""
    text = label.strip()
    if not text:
        raise InputError(f"the {what} is empty: give a name")
    return text


# ---- entities -------------------------------------------------------------------------


def _as_entity(graph: Graph, found: GraphEntity) -> Entity:
    """A graph entity as the model describes it; a post keeps its role name and the
    state or organization it is in, so that writing it again adds nothing new."""
    if found.type != "post":
        return Entity(found.type, found.label, iri=str(found.iri))
    from geokg.catalog import entity_type_of
    from geokg.iris import ORG

    container = graph.value(found.iri, ORG.postIn)
    role = graph.value(found.iri, GEOKG.roleName)
    holder = graph_entity(graph, container) if isinstance(container, URIRef) else None
    return Entity(
        found.type,
        found.label,
        iri=str(found.iri),
        role_name=str(role) if role is not None else None,
        post_in=holder.label if holder else None,
        post_in_type=entity_type_of(graph, holder.iri) if holder else None,
    )


def resolve(
    session: EditSession, name: str, types: Iterable[str] | None = None
) -> Entity:
    """The entity a name stands for in the graph, or in the lexicon when the graph does
    not hold it yet (it is then described in the edit).

    Raises:
        NotFoundError: If neither knows it (the closest names are listed).
    """
    from geokg.extract.lexicon import default_lexicon

    wanted = list(types) if types is not None else None
    try:
        return _as_entity(session.graph, find_entity(session.graph, name, wanted))
    except NotFoundError:
        entry = default_lexicon().lookup(name, wanted)
        if entry is not None:
            return entry.entity
        raise


def add_entity(
    folder: Path,
    type_name: str,
    label: str,
    info: EditInfo,
    *,
    aliases: Iterable[str] = (),
    wikidata: str | None = None,
    country: str | None = None,
) -> Outcome:
    """Add an entity the lexicon lacks (or more names for one the graph holds).

    It is written to the author's edits file, and from then on extraction knows it: the
    next article that names it yields facts about it.

    Raises:
        InputError: On an unknown type, an empty label, a malformed Wikidata id, or a
            --country that does not apply.
        NotFoundError: If the country is not a state geokg knows.
        ValidationError: If the result breaks a shape; nothing is written.
    """
    if type_name not in ADDABLE_TYPES:
        raise InputError(
            f"unknown entity type {type_name!r}: use one of {', '.join(ADDABLE_TYPES)}"
        )
    label = check_label(label)
    names = tuple(sorted({check_label(a, "alias") for a in aliases} - {label}))
    qid = check_qid(wikidata) if wikidata else None
    if country and type_name not in OF_STATE_TYPES | {"weapon-system"}:
        raise InputError(
            f"--country does not apply to a {type_name}: it gives the state of a person, "
            "organization, government body or company, or the origin of a weapon system"
        )
    command = f"geokg add entity {type_name} {label}"
    with open_session(folder, info, command) as session:
        state = resolve(session, country, ["state"]) if country else None
        existing = _same_entity(session.graph, type_name, label, names)
        _check_qid_free(session.graph, qid, existing)
        entity = Entity(
            type_name,
            existing.label if existing else label,
            aliases=tuple(
                sorted(
                    set(names)
                    | ({label} if existing and existing.label != label else set())
                )
            ),
            wikidata=qid,
            of_state=state.label
            if state is not None and type_name in OF_STATE_TYPES
            else None,
            iri=str(existing.iri) if existing else None,
        )
        if existing and _adds_nothing(session, entity, state):
            return Outcome(
                f"{existing.label} ({curie(existing.iri)}) is already in the graph; nothing to add."
            )
        _write_entity(session, entity, state)
        written = session.commit()
    from geokg.build import entity_iri

    verb = "Updated" if existing else "Added"
    return Outcome(
        f"{verb} {type_name} {entity.label} ({curie(entity_iri(entity))}) -> {_shown(written, folder)}",
        written,
    )


def _write_entity(session: EditSession, entity: Entity, state: Entity | None) -> None:
    from geokg.build import add_entity as describe
    from geokg.build import add_fact

    graph = session.file(session.edits_path)
    activity = session.activity()
    iri = describe(graph, entity)
    graph.add((iri, PROV.wasGeneratedBy, activity))
    if session.info.note:
        graph.add((iri, GEOKG.note, Literal(session.info.note)))
    if state is not None and entity.type == "weapon-system":
        add_fact(
            graph,
            Fact("originCountry", entity, state, note=session.info.note),
            activity,
        )
    if state is not None:
        describe(graph, state)
    session.changed()


def _adds_nothing(session: EditSession, entity: Entity, state: Entity | None) -> bool:
    """Whether the graph already says all an entity edit would (its provenance aside)."""
    from geokg.build import add_entity as describe
    from geokg.build import add_fact, new_graph

    scratch = new_graph()
    marker = URIRef(f"{ID_BASE}activity/scratch")
    describe(scratch, entity)
    if state is not None and entity.type == "weapon-system":
        add_fact(scratch, Fact("originCountry", entity, state), marker)
    if state is not None:
        describe(scratch, state)
    provenance = {PROV.wasGeneratedBy, GEOKG.note}
    return all(
        triple in session.graph
        for triple in scratch
        if triple[0] != marker and triple[1] not in provenance
    )


def _same_entity(
    graph: Graph, type_name: str, label: str, aliases: Iterable[str]
) -> GraphEntity | None:
    from geokg.catalog import name_index
    from geokg.engine import fold

    index = name_index(graph_entities(graph, [type_name]))
    for name in (label, *aliases):
        found = index.get(fold(name), [])
        if len(found) == 1:
            return found[0]
    return None


def _check_qid_free(
    graph: Graph, qid: str | None, existing: GraphEntity | None
) -> None:
    if qid is None:
        return
    for entity in graph_entities(graph):
        if entity.wikidata == qid and (existing is None or entity.iri != existing.iri):
            raise InputError(
                f"{qid} is already the Wikidata id of {entity.label} ({curie(entity.iri)}): "
                f"if they are one entity, merge them with geokg merge"
            )
    if existing is not None and existing.wikidata and existing.wikidata != qid:
        raise InputError(
            f"{existing.label} already has Wikidata id {existing.wikidata}, not {qid}: "
            "check the id, or remove the entity and add it again"
        )


# ---- facts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FactInput:
    """A fact as a person types it: names, not IRIs."""

    subject: str
    relation: str
    object: str
    status: str = "reported"
    date: str | None = None
    claimant: str | None = None
    source: str | None = None
    evidence: str | None = None
    roles: tuple[tuple[str, str], ...] = ()


def add_fact(folder: Path, given: FactInput, info: EditInfo) -> Outcome:
    """Add a fact by hand, with its status, date, claimant, source and evidence.

    Raises:
        InputError: On an unknown relation or status, a malformed date or URL, a
            subject or object of the wrong type, a claim without claimant.
        NotFoundError: If a name is unknown (the closest names are listed).
        ValidationError: If the result breaks a shape; nothing is written.
    """
    from geokg.articles import check_url
    from geokg.build import add_fact as write_fact
    from geokg.build import fact_iri_for
    from geokg.dates import check_iso_date

    relation = _relation(given.relation)
    if given.status not in STATUSES:
        raise InputError(
            f"unknown status {given.status!r}: use one of {', '.join(STATUSES)}"
        )
    if given.date:
        check_iso_date(given.date)
    if given.source:
        check_url(given.source)
    if given.status in ("claimed", "alleged") and not given.claimant:
        raise InputError(f"a {given.status} fact needs --claimant: who makes the claim")
    command = f"geokg add fact {given.subject} {given.relation} {given.object}"
    with open_session(folder, info, command) as session:
        subject = _participant(
            session, given.subject, relation.name, "subject", relation.subject_types
        )
        obj, text = _object(session, given.object, relation.name)
        claimant = resolve(session, given.claimant, _ACTORS) if given.claimant else None
        roles = tuple(_role(session, name, value) for name, value in given.roles)
        fact = Fact(
            relation.name,
            subject,
            obj,
            text,
            status=given.status,
            claimant=claimant,
            date=given.date,
            roles=roles,
            note=info.note,
        )
        iri = fact_iri_for(fact)
        known = iri in fact_nodes(session.graph)
        graph = session.file(session.edits_path)
        write_fact(graph, fact, session.activity())
        if given.evidence:
            graph.add(
                (
                    iri,
                    GEOKG.evidenceText,
                    Literal(check_label(given.evidence, "evidence")),
                )
            )
        if given.source:
            graph.add((iri, GEOKG.sourceUrl, URIRef(given.source)))
        session.changed()
        written = session.commit()
    said = (
        f"{subject.label} {relation.name} {obj.label if obj else text} [{given.status}]"
    )
    if known:
        return Outcome(
            f"{curie(iri)} ({said}) was already in the graph; your edit is recorded as confirming it -> {_shown(written, folder)}",
            written,
        )
    return Outcome(f"Added {curie(iri)} ({said}) -> {_shown(written, folder)}", written)


_ACTORS = sorted(
    {
        "state",
        "alliance",
        "international-organization",
        "government-body",
        "company",
        "organization",
        "person",
    }
)


def _relation(name: str) -> Relation:
    if name not in RELATIONS:
        raise InputError(
            f"unknown relation {name!r}: use one of {', '.join(sorted(RELATIONS))}"
        )
    return RELATIONS[name]


def _participant(
    session: EditSession, name: str, relation: str, role: str, types: Iterable[str]
) -> Entity:
    allowed = sorted(types)
    entity = resolve(session, name)
    if entity.type in allowed:
        return entity
    try:  # the same name may stand for an entity of the right type too
        return resolve(session, name, allowed)
    except NotFoundError:
        pass
    kinds = ", ".join(ENTITY_TYPES[t].label for t in allowed)
    raise InputError(
        f"{relation} needs {_a(role)} of type {kinds}; "
        f"{entity.label!r} is {_a(ENTITY_TYPES[entity.type].label)}"
    )


def _a(noun: str) -> str:
    """The noun with its indefinite article ("an object", "a state")."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _object(
    session: EditSession, name: str, relation_name: str
) -> tuple[Entity | None, str | None]:
    relation = RELATIONS[relation_name]
    if not relation.object_types:
        return None, check_label(name, "statement")
    try:
        return _participant(
            session, name, relation_name, "object", relation.object_types
        ), None
    except (NotFoundError, InputError):
        if relation.object_text:
            return None, check_label(name, "object")
        raise


def parse_roles(options: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``ROLE=ENTITY`` strings as pairs, in order; a role may repeat.

    Raises:
        InputError: If one has no "=" or no role name.
    """
    pairs = []
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(
                f"bad role {option!r}: write it as ROLE=ENTITY, e.g. --role supplier=Russia"
            )
        pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


def _role(session: EditSession, name: str, value: str) -> tuple[str, Entity]:
    from geokg.validate import ontology_graph

    prop = GEOKG[name.removeprefix("geokg:")]
    if (prop, RDF.type, None) not in ontology_graph() or name in (
        "subject",
        "object",
        "status",
    ):
        raise InputError(
            f"unknown role {name!r}: use a role property of the ontology, e.g. supplier, legalBasis, about"
        )
    return f"geokg:{name.removeprefix('geokg:')}", resolve(session, value)


def remove_fact(folder: Path, fact_id: str, info: EditInfo) -> Outcome:
    """Remove a fact from every file that holds it, and its shortcut triple when no
    other reported fact states it. The edit records it as invalidated, so re-adding
    its article does not bring it back.

    Raises:
        NotFoundError: If no fact has that id (the closest ids are listed).
    """
    with open_session(folder, info, f"geokg remove fact {fact_id}") as session:
        iri, relation = find_fact(session.graph, fact_id)
        _drop_facts(session, [iri])
        graph = session.file(session.edits_path)
        graph.add((session.activity(), PROV.invalidated, iri))
        written = session.commit()
    return Outcome(
        f"Removed {curie(iri)} ({relation}) -> {_shown(written, folder)}", written
    )


def _drop_facts(session: EditSession, facts: Iterable[URIRef]) -> None:
    doomed = set(facts)
    shortcuts = {t for fact in doomed for t in shortcut_triples(session.graph, fact)}
    # Evidence sentences and rules that no other fact cites go with the facts.
    cited = {
        node
        for fact in doomed
        for prop in (PROV.wasDerivedFrom, GEOKG.rule)
        for node in session.graph.objects(fact, prop)
        if isinstance(node, URIRef)
    }
    for fact in doomed:
        session.remove_where(subject=fact)
        session.remove_where(object=fact)
    for node in sorted(cited):
        if (None, None, node) not in session.graph:
            session.remove_where(subject=node)
    still = {
        t
        for fact in fact_nodes(session.graph)
        for t in shortcut_triples(session.graph, fact)
    }
    for triple in shortcuts - still:
        session.remove_where(subject=triple[0], predicate=triple[1], object=triple[2])


def shortcut_triples(graph: Graph, fact: URIRef) -> set[tuple[Node, Node, Node]]:
    """The binary shortcut triples a reported fact stands behind (none otherwise)."""
    from geokg.build import expand

    if (fact, GEOKG.status, GEOKG.Reported) not in graph:
        return set()
    relation = next(
        (
            CLASS_TO_RELATION[c]
            for c in graph.objects(fact, RDF.type)
            if isinstance(c, URIRef) and c in CLASS_TO_RELATION
        ),
        None,
    )
    subject = graph.value(fact, GEOKG.subject)
    if relation is None or subject is None:
        return set()
    shortcut = expand(RELATIONS[relation].shortcut)
    if relation == "statesThat":
        return {(subject, shortcut, fact)}
    if relation == "proposes":
        return {(subject, shortcut, o) for o in graph.objects(fact, GEOKG.addressee)}
    obj = graph.value(fact, GEOKG.object)
    return {(subject, shortcut, obj)} if obj is not None else set()


def remove_entity(
    folder: Path, name: str, info: EditInfo, *, cascade: bool = False
) -> Outcome:
    """Remove an entity; refused while facts use it, unless ``cascade`` removes them too.

    Raises:
        NotFoundError: If the name is unknown.
        InputError: If facts or other entities use it and ``cascade`` is false.
    """
    with open_session(folder, info, f"geokg remove entity {name}") as session:
        entity = find_entity(session.graph, name)
        facts, dependants = _uses(session.graph, entity.iri)
        if (facts or dependants) and not cascade:
            users = sorted(facts) + sorted(dependants)
            listed = ", ".join(curie(u) for u in users[:3]) + (
                ", ..." if len(users) > 3 else ""
            )
            parts = [_count(len(facts), "fact")] if facts else []
            if dependants:
                parts.append(_count(len(dependants), "other entity", "other entities"))
            raise InputError(
                f"{entity.label} is used by {' and '.join(parts)} ({listed}): "
                "remove them first, or pass --cascade"
            )
        gone = _drop_entity(session, entity.iri)
        graph = session.file(session.edits_path)
        for node in sorted(gone):
            graph.add((session.activity(), PROV.invalidated, node))
        written = session.commit()
    extra = (
        f", with {_count(len(gone) - 1, 'fact or entity', 'facts and entities')} that used it"
        if len(gone) > 1
        else ""
    )
    return Outcome(
        f"Removed {entity.label} ({curie(entity.iri)}){extra} -> {_shown(written, folder)}",
        written,
    )


def _uses(graph: Graph, iri: URIRef) -> tuple[set[URIRef], set[URIRef]]:
    """The facts that use an entity, and the other entities that point to it (not by
    a fact's shortcut triple, which goes with the fact)."""
    from geokg.build import expand

    shortcuts = {expand(r.shortcut) for r in RELATIONS.values()}
    facts = set(fact_nodes(graph))
    users = {
        s
        for s, p in graph.subject_predicates(iri)
        if isinstance(s, URIRef) and s != iri and (s in facts or p not in shortcuts)
    }
    return users & facts, users - facts


def _drop_entity(session: EditSession, iri: URIRef) -> set[URIRef]:
    """Remove an entity, the facts that use it, and the posts in it; return them all."""
    facts, dependants = _uses(session.graph, iri)
    gone = {iri} | facts
    _drop_facts(session, facts)
    for other in sorted(dependants):
        if (other, GEOKG.holds, iri) in session.graph or (
            other,
            GEOKG.ofState,
            iri,
        ) in session.graph:
            session.remove_where(subject=other, object=iri)
        else:  # a post in it, or anything that cannot stand without it
            gone |= _drop_entity(session, other)
    session.remove_where(subject=iri)
    session.remove_where(object=iri)
    return gone


def remove_article(folder: Path, source: str, info: EditInfo) -> Outcome:
    """Remove an article's file: exactly the facts read in it, and their evidence.

    A fact another source also states stays, with that source's evidence.

    Raises:
        NotFoundError: If no article matches (slug, file name, URL, title or IRI).
    """
    with open_session(folder, info, f"geokg remove article {source}") as session:
        iri, path = _find_source(session, source)
        stated = set(fact_nodes(session.files[path]))
        session.delete(path)
        kept = stated & set(fact_nodes(session.graph))
        graph = session.file(session.edits_path)
        graph.add((session.activity(), PROV.invalidated, iri))
        written = session.commit()
    stays = (
        f"; {_count(len(kept), 'fact')} also stated by another source "
        f"{'stays' if len(kept) == 1 else 'stay'}"
        if kept
        else ""
    )
    return Outcome(
        f"Removed {curie(iri)} ({path.relative_to(folder).as_posix()}): "
        f"{_count(len(stated - kept), 'fact')} went{stays}",
        written,
    )


def _find_source(session: EditSession, name: str) -> tuple[URIRef, Path]:
    import difflib

    from rdflib.namespace import DCTERMS

    from geokg.iris import SCHEMA

    text = name.strip()
    candidates = []
    for path, graph in sorted(session.files.items()):
        for src in graph.subjects(RDF.type, GEOKG.SourceDocument):
            keys = {
                str(src),
                curie(src),
                str(src).rsplit("/", 1)[-1],
                path.name,
                path.stem,
                str(path),
            }
            for prop in (DCTERMS.title, SCHEMA.url, GEOKG.fileName):
                keys |= {str(v) for v in graph.objects(src, prop)}
            candidates.append((src, path, keys))
    found = {
        (src, path)
        for src, path, keys in candidates
        if text in keys or str(Path(text)) in keys
    }
    if len(found) == 1:
        src, path = next(iter(found))
        return URIRef(str(src)), path
    slugs = sorted({str(src).rsplit("/", 1)[-1] for src, _, _ in candidates})
    close = difflib.get_close_matches(text, slugs, n=3, cutoff=0.5)
    hint = (
        f"; closest: {', '.join(close)}"
        if close
        else (f"; the graph has: {', '.join(slugs[:5])}" if slugs else "")
    )
    raise NotFoundError(f"no article {text!r} in the graph{hint}")


# ---- merge and rename -----------------------------------------------------------------


def merge_entities(
    folder: Path, keep_name: str, drop_name: str, info: EditInfo
) -> Outcome:
    """Merge the second entity into the first: every fact is rewired, the second's
    names become the first's aliases, and the first's attributes win.

    Raises:
        NotFoundError: If a name is unknown.
        InputError: If they are one entity, of different types, or have different
            Wikidata ids.
    """
    with open_session(folder, info, f"geokg merge {keep_name} {drop_name}") as session:
        keep = find_entity(session.graph, keep_name)
        drop = find_entity(session.graph, drop_name)
        if keep.iri == drop.iri:
            raise InputError(
                f"{keep_name!r} and {drop_name!r} are already one entity ({curie(keep.iri)})"
            )
        if keep.type != drop.type:
            raise InputError(
                f"cannot merge a {ENTITY_TYPES[drop.type].label} into a {ENTITY_TYPES[keep.type].label} "
                f"({drop.label} into {keep.label}): merge entities of one type"
            )
        if keep.wikidata and drop.wikidata and keep.wikidata != drop.wikidata:
            raise InputError(
                f"{keep.label} ({keep.wikidata}) and {drop.label} ({drop.wikidata}) have different "
                "Wikidata ids: they look like two entities; nothing was merged"
            )
        taken = {
            p for p in SINGLE_VALUED if session.graph.value(keep.iri, p) is not None
        }
        for graph in session.files.values():
            _rewire(graph, drop.iri, keep.iri, taken)
        for graph in session.files.values():
            graph.remove((keep.iri, SKOS.altLabel, Literal(keep.label)))
        session.changed()
        edits = session.file(session.edits_path)
        for alias in sorted(set(drop.names) - {keep.label}):
            edits.add((keep.iri, SKOS.altLabel, Literal(alias)))
        edits.add((keep.iri, RDF.type, GEOKG[ENTITY_TYPES[keep.type].class_name]))
        edits.add((keep.iri, RDFS.label, Literal(keep.label)))
        edits.add((session.activity(), PROV.invalidated, drop.iri))
        written = session.commit()
    return Outcome(
        f"Merged {drop.label} ({curie(drop.iri)}) into {keep.label} ({curie(keep.iri)}) -> {_shown(written, folder)}",
        written,
    )


def _rewire(graph: Graph, old: URIRef, new: URIRef, taken: set[URIRef]) -> None:
    for s, p, o in list(graph.triples((old, None, None))):
        graph.remove((s, p, o))
        if p == RDFS.label:
            graph.add((new, SKOS.altLabel, o))
        elif p not in taken:
            graph.add((new, p, o))
    for s, p, o in list(graph.triples((None, None, old))):
        graph.remove((s, p, o))
        graph.add((s, p, new))


def rename_entity(folder: Path, name: str, new_label: str, info: EditInfo) -> Outcome:
    """Give an entity a new label; it keeps its IRI, and the old label becomes an alias.

    Raises:
        NotFoundError: If the name is unknown.
        InputError: If the new label is empty or names another entity of that type.
    """
    new_label = check_label(new_label)
    with open_session(folder, info, f"geokg rename {name} {new_label}") as session:
        entity = find_entity(session.graph, name)
        if new_label == entity.label:
            return Outcome(
                f"{entity.label} ({curie(entity.iri)}) already has that label; nothing to change."
            )
        other = _same_entity(session.graph, entity.type, new_label, ())
        if other is not None and other.iri != entity.iri:
            raise InputError(
                f"{new_label!r} already names {other.label} ({curie(other.iri)}): if they are one "
                "entity, merge them with geokg merge"
            )
        for graph in session.files.values():
            if (entity.iri, RDFS.label, None) in graph:
                graph.remove((entity.iri, RDFS.label, None))
                graph.add((entity.iri, RDFS.label, Literal(new_label)))
            graph.remove((entity.iri, SKOS.altLabel, Literal(new_label)))
        edits = session.file(session.edits_path)
        edits.add((entity.iri, RDF.type, GEOKG[ENTITY_TYPES[entity.type].class_name]))
        edits.add((entity.iri, RDFS.label, Literal(new_label)))
        edits.add((entity.iri, SKOS.altLabel, Literal(entity.label)))
        edits.add((entity.iri, PROV.wasGeneratedBy, session.activity()))
        written = session.commit()
    return Outcome(
        f"Renamed {entity.label} to {new_label} ({curie(entity.iri)}) -> {_shown(written, folder)}",
        written,
    )


# ---- import ---------------------------------------------------------------------------

IMPORT_FORMATS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".nt": "nt",
}


def import_file(
    folder: Path, source: Path, info: EditInfo, *, replace: bool = False
) -> Outcome:
    """Add the triples of a Turtle, TriG, JSON-LD or N-Triples file as
    ``imports/<name>.ttl``, checked like any edit. Blank nodes get stable IRIs.

    Raises:
        InputError: If the file is missing, unparseable, of an unknown format, or an
            import of that name exists (and ``replace`` is false).
        ValidationError: If the graph with it breaks a shape; nothing is written.
    """
    graph = read_import(source)
    target = folder / IMPORTS_DIR / f"{slugify(source.stem) or 'import'}.ttl"
    with open_session(folder, info, f"geokg import {source.name}") as session:
        if target.exists() and not replace:
            raise InputError(
                f"{target} exists: pass --replace to import {source.name} over it"
            )
        session.file(target)
        session.files[target] = graph
        session.activity()
        session.changed()
        written = session.commit()
    return Outcome(
        f"Imported {len(graph)} triples from {source.name} -> {_shown(written, folder)}",
        written,
    )


def read_import(source: Path) -> Graph:
    """Parse a file to import; blank nodes become IRIs under ``id/import/<hash>/``.

    Raises:
        InputError: If the file is missing or cannot be parsed.
    """
    from rdflib import BNode, Dataset
    from rdflib.compare import to_canonical_graph

    from geokg.build import new_graph

    fmt = IMPORT_FORMATS.get(source.suffix.lower())
    if fmt is None:
        raise InputError(
            f"cannot tell the format of {source.name}: use .ttl, .trig, .jsonld or .nt"
        )
    if not source.is_file():
        raise InputError(f"{source} does not exist: check the path")
    try:
        data = source.read_text(encoding="utf-8")
        dataset = Dataset()
        dataset.parse(data=data, format=fmt, publicID=source.resolve().as_uri())
    except UnicodeDecodeError as err:
        raise InputError(
            f"{source}: not UTF-8 text (byte {err.start}): save it as UTF-8"
        ) from err
    except Exception as err:  # rdflib's parsers raise many kinds
        first = (
            str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        )
        raise InputError(
            f"{source}: cannot parse as {fmt}: {first[:200]}: fix the file"
        ) from err
    merged = new_graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    if not any(isinstance(n, BNode) for t in merged for n in t):
        return merged
    canonical = to_canonical_graph(merged)
    base = f"{ID_BASE}import/{content_hash(source.name)}/"
    out = new_graph()
    for s, p, o in canonical:
        out.add((_skolem(s, base), _skolem(p, base), _skolem(o, base)))
    return out


def _skolem(node: Node, base: str) -> Node:
    """A blank node as an IRI under ``base`` (its canonical label keeps it stable)."""
    from rdflib import BNode

    return URIRef(base + str(node)) if isinstance(node, BNode) else node


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else (many or one + 's')}"


def _shown(written: Iterable[Path], folder: Path) -> str:
    names = [p.relative_to(folder).as_posix() for p in written]
    return (
        ", ".join(f"{folder.as_posix().rstrip('/')}/{n}" for n in names)
        or "no file changed"
    )


def invalidated(graph: Graph) -> set[URIRef]:
    """Everything a manual edit removed (``prov:invalidated``): such facts are not
    written again when their article is re-extracted."""
    return {o for o in graph.objects(None, PROV.invalidated) if isinstance(o, URIRef)}


def graph_entries(session: EditSession) -> tuple[LexEntry, ...]:
    """The entities people added, merged or renamed (those the edits and imports
    files describe), as lexicon entries for extraction, sorted."""
    return entries_from(session.folder, session.files, session.graph)


def entries_from(
    folder: Path, files: dict[Path, Graph], merged: Graph
) -> tuple[LexEntry, ...]:
    """Lexicon entries for the entities that the edits and imports files of a graph
    folder describe, with the names and attributes of the whole graph."""
    from geokg.extract.lexicon import LexEntry

    roots = (folder / EDITS_DIR, folder / IMPORTS_DIR)
    iris = {
        s
        for path, graph in files.items()
        if any(path.is_relative_to(root) for root in roots)
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef)
    }
    entries = []
    for iri in sorted(iris):
        found = graph_entity(merged, iri)
        if found is None or found.type == "post":
            continue
        entity = Entity(
            found.type,
            found.label,
            aliases=found.aliases,
            wikidata=found.wikidata,
            iri=str(iri),
        )
        entries.append(LexEntry(entity, origin=_origin(merged, iri)))
    return tuple(entries)


def known_entries(folder: Path) -> tuple[LexEntry, ...]:
    """:func:`entries_from` for a graph folder on disk (nothing if it does not exist)."""
    from geokg.store import read_file, source_files

    if not folder.is_dir():
        return ()
    files = {path: read_file(path) for path in source_files(folder)}
    mine = [
        p
        for p in files
        if p.is_relative_to(folder / EDITS_DIR)
        or p.is_relative_to(folder / IMPORTS_DIR)
    ]
    if not mine:
        return ()
    return entries_from(folder, files, _union(files.values()))


def _origin(graph: Graph, weapon: URIRef) -> str | None:
    for fact in graph.subjects(GEOKG.subject, weapon):
        if (fact, RDF.type, GEOKG.CountryOfOrigin) in graph and (
            fact,
            GEOKG.status,
            GEOKG.Reported,
        ) in graph:
            state = graph.value(fact, GEOKG.object)
            label = graph.value(state, RDFS.label) if state is not None else None
            if label is not None:
                return str(label)
    return None


def apply_update(folder: Path, update: str, info: EditInfo) -> Outcome:
    """Apply a SPARQL 1.1 Update to the graph, checked like any edit.

    Triples the update deletes leave every file that holds them; triples it inserts go
    to the author's edits file, with the edit's provenance. LOAD and SERVICE, which
    would read other hosts, are refused.

    Raises:
        InputError: If the update is not valid SPARQL Update, or uses LOAD or SERVICE.
        ValidationError: If the graph after it breaks a shape; nothing is written.
    """
    from rdflib.plugins.sparql import prepareUpdate

    from geokg.iris import PREFIXES
    from geokg.queries import uses_keyword

    if uses_keyword(update, "LOAD", "SERVICE"):
        raise InputError(
            "LOAD and SERVICE read other hosts and are refused: send the triples "
            "themselves (INSERT DATA)"
        )
    try:
        prepared = prepareUpdate(update, initNs=dict(PREFIXES))
    except Exception as err:  # pyparsing's errors, rdflib's
        first = (
            str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        )
        raise InputError(f"not a valid SPARQL update: {first[:200]}") from err
    with open_session(folder, info, "SPARQL update") as session:
        before = session.graph
        after = _union([before])
        after.update(prepared)
        added, removed = after - before, before - after
        for s, p, o in removed:
            session.remove_where(subject=s, predicate=p, object=o)
        if len(added):
            graph = session.file(session.edits_path)
            for triple in added:
                graph.add(triple)
        if len(added) or len(removed):
            session.activity()
        session.changed()
        written = session.commit()
    return Outcome(
        f"Updated: {_count(len(added), 'triple')} added, {_count(len(removed), 'triple')} "
        f"removed -> {_shown(written, folder)}",
        written,
    )
