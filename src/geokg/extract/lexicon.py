"""The lexicon: names, aliases, demonyms, offices and trigger words, read from data files.

Every file in ``geokg/lexicons/`` is TSV: a ``# source:`` line, a header row, then one
entry a line; several values in a cell are separated by ``|``. Nothing about any
particular article lives in code: rules read their words from here.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from geokg import resources
from geokg.errors import InputError
from geokg.model import Entity


@dataclass(frozen=True)
class LexEntry:
    """A known entity and what the lexicon says about it.

    Attributes:
        entity: The entity (type, canonical label, aliases, Wikidata id ...).
        acts_for_state: For a government body: its words and acts are its state's.
        parent: Label of the organization it belongs to (for a person: the
            international organization they serve).
        origin: For a weapon system: the state that designed it.
        manufacturer: For a weapon system: its maker.
        head_title: For an organization: the title of its head ("Secretary General").
        article: "the" for a state whose name takes it ("the United States").
    """

    entity: Entity
    acts_for_state: bool = False
    parent: str | None = None
    origin: str | None = None
    manufacturer: str | None = None
    head_title: str | None = None
    article: str | None = None

    @property
    def id(self) -> str:
        """The entry's id: "<type>:<label>"."""
        return entity_id(self.entity)

    @property
    def names(self) -> tuple[str, ...]:
        """The label and every alias."""
        return (self.entity.label, *self.entity.aliases)


@dataclass(frozen=True)
class Office:
    """A kind of office: its canonical title, the spellings news uses, and if it heads."""

    title: str
    variants: tuple[str, ...]
    head: bool = False


@dataclass
class Lexicon:
    """Everything extraction knows before it reads an article."""

    entries: dict[str, LexEntry] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    demonyms: dict[str, str] = field(default_factory=dict)
    capitals: dict[str, str] = field(default_factory=dict)
    offices: list[Office] = field(default_factory=list)
    triggers: dict[str, frozenset[str]] = field(default_factory=dict)
    weapon_cues: dict[str, tuple[str, bool]] = field(default_factory=dict)
    surnames: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    dated_capitals: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def capital_state(self, capital: str, date: str | None) -> str | None:
        """The state a capital named in an article of ``date`` stands for, when it
        named another state then ("Moscow" in 1985: the Soviet Union); else None."""
        if not date:
            return None
        for until, state in self.dated_capitals.get(fold(capital), []):
            if date < until:
                return state
        return None

    def add(self, entry: LexEntry) -> None:
        """Add an entry and index its names (case-folded)."""
        self.entries[entry.id] = entry
        for name in entry.names:
            ids = self.names[fold(name)]
            if entry.id not in ids:
                ids.append(entry.id)

    def lookup(self, name: str, types: Iterable[str] | None = None) -> LexEntry | None:
        """Return the entry a name stands for, or None (ambiguous names give None).

        Args:
            name: A label, alias, demonym or capital, in any case.
            types: Only entries of these entity types.
        """
        wanted = set(types) if types is not None else None
        key = fold(name)
        ids = [
            i
            for i in self.names.get(key, [])
            if wanted is None or i.split(":", 1)[0] in wanted
        ]
        if len(ids) == 1:
            return self.entries[ids[0]]
        if not ids and (wanted is None or "state" in wanted):
            state = self.demonyms.get(key) or self.capitals.get(key)
            if state is not None:
                return self.entries.get(f"state:{state}")
        return None

    def state(self, label: str) -> Entity:
        """Return the state entity with this canonical label (a bare one if unknown)."""
        entry = self.entries.get(f"state:{label}")
        return entry.entity if entry is not None else Entity("state", label)

    def words(self, group: str) -> frozenset[str]:
        """Return the trigger words of a group (empty if the group is unknown)."""
        return self.triggers.get(group, frozenset())


def entity_id(entity: Entity) -> str:
    """The lexicon id of an entity: "<type>:<label>"."""
    return f"{entity.type}:{entity.label}"


def fold(name: str) -> str:
    """Case-fold a name and unify apostrophes and dashes, for lookups."""
    text = name.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    return " ".join(text.casefold().split())


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Yield the rows of a lexicon file as dicts keyed by its header.

    Raises:
        InputError: If the file lacks its source line or header, or a row is malformed.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        first = handle.readline()
        if not first.startswith("# source:"):
            raise InputError(f"{path}: line 1 must be a '# source: ...' line")
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if not header:
            raise InputError(f"{path}: line 2 must be the header row")
        for number, row in enumerate(reader, start=3):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != len(header):
                raise InputError(
                    f"{path}: line {number}: {len(row)} cells where the header has {len(header)}"
                )
            yield dict(zip(header, (cell.strip() for cell in row), strict=True))


def split(cell: str) -> tuple[str, ...]:
    """The values of a multi-value cell."""
    return tuple(value.strip() for value in cell.split("|") if value.strip())


def _states(lexicon: Lexicon, path: Path) -> None:
    for row in read_tsv(path):
        label = row["label"]
        entity = Entity(
            "state",
            label,
            aliases=tuple(sorted(set(split(row["aliases"])))),
            wikidata=row["wikidata"] or None,
            iso_code=row["iso3"] or None,
        )
        lexicon.add(LexEntry(entity, article=row.get("article") or None))
        for demonym in split(row["demonyms"]):
            lexicon.demonyms.setdefault(fold(demonym), label)
        for capital in split(row["capitals"]):
            lexicon.capitals.setdefault(fold(capital), label)


def _organizations(lexicon: Lexicon, path: Path) -> None:
    for row in read_tsv(path):
        entity = Entity(
            row["type"],
            row["label"],
            aliases=tuple(sorted(set(split(row["aliases"])))),
            wikidata=row["wikidata"] or None,
            of_state=row["state"] or None,
        )
        lexicon.add(
            LexEntry(
                entity,
                acts_for_state=row["acts_for_state"] == "yes",
                parent=row["parent"] or None,
                head_title=row.get("head_title") or None,
            )
        )


def _persons(lexicon: Lexicon, path: Path) -> None:
    for row in read_tsv(path):
        entity = Entity(
            "person",
            row["label"],
            aliases=tuple(sorted(set(split(row["aliases"])))),
            of_state=row["state"] or None,
        )
        organizations = split(row["organization"])
        lexicon.add(
            LexEntry(entity, parent=organizations[0] if organizations else None)
        )
        for name in (row["label"], *split(row["aliases"])):
            surname = fold(name.split()[-1])
            if row["label"] not in lexicon.surnames[surname]:
                lexicon.surnames[surname].append(row["label"])


def _weapons(lexicon: Lexicon, path: Path) -> None:
    for row in read_tsv(path):
        designation = re.match(
            r"[A-Z0-9][A-Za-z0-9/()-]*\d[A-Za-z0-9/()-]*", row["label"]
        )
        entity = Entity(
            "weapon-system",
            row["label"],
            aliases=tuple(sorted(set(split(row["aliases"])))),
            category=row["category"] or None,
            designation=designation.group(0) if designation else None,
        )
        lexicon.add(
            LexEntry(
                entity,
                origin=row["origin"] or None,
                manufacturer=row["manufacturer"] or None,
            )
        )


def _laws(lexicon: Lexicon, path: Path) -> None:
    for row in read_tsv(path):
        names = set(split(row["aliases"]))
        if row["official_name"] and row["official_name"] != row["label"]:
            names.add(row["official_name"])
        official = row["official_name"] or None
        entity = Entity(
            "law", row["label"], aliases=tuple(sorted(names)), official_name=official
        )
        lexicon.add(LexEntry(entity))


def _offices(lexicon: Lexicon, path: Path) -> None:
    for row in read_tsv(path):
        variants = tuple(
            sorted({fold(v) for v in (row["title"], *split(row["variants"]))})
        )
        lexicon.offices.append(Office(row["title"], variants, row["head"] == "yes"))


def _triggers(lexicon: Lexicon, path: Path) -> None:
    groups: dict[str, set[str]] = defaultdict(set)
    for row in read_tsv(path):
        groups[row["group"]].add(row["word"].casefold())
    lexicon.triggers = {group: frozenset(words) for group, words in groups.items()}


def _weapon_cues(lexicon: Lexicon, path: Path) -> None:
    for row in read_tsv(path):
        lexicon.weapon_cues[row["cue"].casefold()] = (
            row["category"],
            row["generic"] == "yes",
        )


def _dated_capitals(lexicon: Lexicon, path: Path) -> None:
    for row in read_tsv(path):
        rows = lexicon.dated_capitals.setdefault(fold(row["capital"]), [])
        rows.append((row["until"], row["state"]))
        rows.sort()


_LOADERS = (
    ("states.tsv", _states),
    ("capitals_dated.tsv", _dated_capitals),
    ("organizations.tsv", _organizations),
    ("weapons.tsv", _weapons),
    ("laws.tsv", _laws),
    ("persons.tsv", _persons),
    ("offices.tsv", _offices),
    ("triggers.tsv", _triggers),
    ("weapon_cues.tsv", _weapon_cues),
)


def load_lexicon(folder: Path | None = None, extra: Iterable[Path] = ()) -> Lexicon:
    """Read the lexicon files of ``folder`` (default: geokg's own) and extra entity files.

    Args:
        folder: Folder of the lexicon files.
        extra: More organization-format files (entities added by users).

    Raises:
        InputError: If a file is missing or malformed.
    """
    folder = folder or resources.lexicons_dir()
    lexicon = Lexicon()
    for name, loader in _LOADERS:
        path = folder / name
        if not path.is_file():
            raise InputError(f"lexicon file {path} is missing: reinstall geokg")
        loader(lexicon, path)
    for path in extra:
        _organizations(lexicon, path)
    return lexicon


@cache
def default_lexicon() -> Lexicon:
    """geokg's own lexicon, read once per process."""
    return load_lexicon()


def with_entries(base: Lexicon, extra: Iterable[LexEntry]) -> Lexicon:
    """A copy of ``base`` that also knows ``extra`` (entities the graph holds that the
    lexicon files lack: added, merged or renamed by hand). Their names win over the
    base's: a name now means the graph's entity.
    """
    import copy

    lexicon = copy.deepcopy(base)
    for entry in extra:
        old = lexicon.entries.pop(entry.id, None)
        if old is not None:
            aliases = tuple(sorted(set(old.entity.aliases) | set(entry.entity.aliases)))
            entry = replace(entry, entity=replace(entry.entity, aliases=aliases))
        for name in entry.names:
            key = fold(name)
            for other in lexicon.names.get(key, []):
                if other != entry.id and other in lexicon.entries:
                    _drop_name(lexicon, other, name)
            lexicon.names[key] = []
        lexicon.add(entry)
        if entry.entity.type == "person":
            surname = fold(entry.entity.label.split()[-1])
            if entry.entity.label not in lexicon.surnames[surname]:
                lexicon.surnames[surname].append(entry.entity.label)
    return lexicon


def _drop_name(lexicon: Lexicon, entry_id: str, name: str) -> None:
    entry = lexicon.entries[entry_id]
    aliases = tuple(a for a in entry.entity.aliases if fold(a) != fold(name))
    lexicon.entries[entry_id] = replace(
        entry, entity=replace(entry.entity, aliases=aliases)
    )
