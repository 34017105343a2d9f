"""Generate synthetic graphs in geokg's ontology, for benchmarks at scale.

The graph is written through geokg's own code (``geokg.model`` records,
``geokg.build.build_source_graph``, ``geokg.store.write_graph``), so it is exactly what
``geokg add article`` writes and it validates against the shapes. One
``random.Random(seed)`` drives everything: the same arguments give byte-identical files.

Entities: the states of ``lexicons/states.tsv`` (with their ISO codes, Wikidata ids and
aliases), and invented alliances, organizations, government bodies, companies, persons
("Person 0042"), posts ("Defence minister of Chile"), weapon systems ("XR-417") and
laws. New entities keep appearing as facts are added (about one for every two facts),
and entities that appeared early are picked again much more often than late ones, so
the network has hubs and a long tail, as news does.

Facts: every relation of ``geokg.schema.RELATIONS``, weighted towards what news reports
most (acquisitions, supplies, sanctions, memberships, statements, posts); statuses
mostly reported or claimed (a claim names its claimant); a date on about 40%; a
quantity, supplier, legal basis, condition, addressee or "about" entity on some. Each
fact rests on one sentence made up for it, and each file's document text is its
sentences joined by spaces, so every evidence span slices its document exactly.

Size (measured with the defaults): 21.2 triples written per fact, so 50,000 facts give
1,061,116 triples in 100 files; merged they are 857,607 distinct triples (17.2 per
fact), because an entity is described again in each file that mentions it (a state
with its aliases in most of them). Distinct entities are about 0.53 per fact (26,601
for 50,000; the 226 states are all in use from about 1,000 facts). Writing 50,000
facts takes about 86 s on a 2-core machine.

Usage: python benchmarks/generate.py OUT_DIR --facts N [--per-file K] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from geokg.build import build_source_graph
from geokg.extract.lexicon import read_tsv, split
from geokg.model import Entity, Fact, SourceDocument, Span
from geokg.resources import lexicons_dir
from geokg.schema import RELATIONS, STATUSES
from geokg.store import write_graph

#: How often each relation is drawn, roughly as often as news reports it.
RELATION_WEIGHTS: dict[str, int] = {
    "acquires": 10,
    "supplies": 7,
    "delivers": 5,
    "operates": 7,
    "originCountry": 3,
    "manufacturer": 3,
    "refusesToSell": 2,
    "imposesSanctions": 6,
    "threatensSanctions": 6,
    "sanctionsUnderLaw": 2,
    "memberOf": 6,
    "opposes": 6,
    "supports": 6,
    "threatTo": 2,
    "notInteroperableWith": 1,
    "holdsPosition": 7,
    "headOf": 2,
    "statesThat": 12,
    "proposes": 2,
}

#: Statuses and their weights; "threatened" only where a threat makes sense.
STATUS_WEIGHTS: dict[str, int] = {
    "reported": 55,
    "claimed": 25,
    "threatened": 0,
    "expected": 6,
    "possible": 5,
    "alleged": 4,
    "denied": 2,
}
THREAT_RELATIONS = frozenset({"threatensSanctions", "supplies", "threatTo"})

#: Chance that a draw of each entity type introduces a new entity rather than reusing
#: one; tuned so that distinct entities are about half the facts.
FRESH: dict[str, float] = {
    "state": 0.3,
    "alliance": 0.08,
    "international-organization": 0.15,
    "government-body": 0.35,
    "company": 0.35,
    "organization": 0.35,
    "person": 0.45,
    "post": 0.6,
    "weapon-system": 0.45,
    "law": 0.2,
}

Mix = dict[str, float]
ACTORS: Mix = {
    "state": 0.55,
    "person": 0.15,
    "government-body": 0.1,
    "alliance": 0.05,
    "international-organization": 0.05,
    "company": 0.05,
    "organization": 0.05,
}
ANYTHING: Mix = {
    "state": 0.45,
    "person": 0.15,
    "weapon-system": 0.1,
    "law": 0.05,
    "alliance": 0.1,
    "international-organization": 0.05,
    "organization": 0.1,
}
STATES: Mix = {"state": 1.0}
WEAPONS: Mix = {"weapon-system": 1.0}
SELLERS: Mix = {"state": 0.7, "company": 0.3}
BUYERS: Mix = {"state": 0.8, "government-body": 0.1, "organization": 0.1}
RECIPIENTS: Mix = {"state": 0.9, "organization": 0.1}
IMPOSERS: Mix = {
    "state": 0.7,
    "international-organization": 0.15,
    "government-body": 0.15,
}
TARGETS: Mix = {"state": 0.6, "company": 0.2, "person": 0.2}
SPEAKERS: Mix = {"person": 0.6, "state": 0.3, "government-body": 0.1}
CLAIMANTS: Mix = {"person": 0.5, "state": 0.4, "government-body": 0.1}
LED: Mix = {
    "state": 0.4,
    "government-body": 0.2,
    "alliance": 0.1,
    "international-organization": 0.1,
    "organization": 0.1,
    "company": 0.1,
}

ROLE_NAMES = (
    "president",
    "prime minister",
    "defence minister",
    "foreign minister",
    "finance minister",
    "ambassador to the United Nations",
    "chief of the general staff",
    "national security adviser",
)
ORG_ROLE_NAMES = ("secretary general", "deputy secretary general", "spokesperson")
CATEGORIES = (
    "air-defence system",
    "fighter aircraft",
    "missile",
    "helicopter",
    "main battle tank",
    "drone",
    "frigate",
    "artillery system",
)
LAW_NAMES = (
    "Countering Adversaries Act",
    "Arms Export Control Act",
    "Foreign Assets Control Order",
    "Human Rights Accountability Act",
    "Nonproliferation Sanctions Act",
    "Security Council Resolution",
)
GROUP_WORDS = ("Northern", "Atlantic", "Pacific", "Eastern", "Southern", "Central")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SAYINGS = (
    "talks with {x} would resume next month",
    "the sanctions against {x} were unjustified",
    "{x} must withdraw its forces from the border",
    "the deal with {x} was final",
    "{x} posed no threat to the region",
    "cooperation with {x} would deepen",
    "the purchase from {x} was a sovereign decision",
)
COURSES = (
    "the sale of the {x} abroad",
    "new sanctions on {x}",
    "a ceasefire with {x}",
    "the expansion of the alliance towards {x}",
    "a joint inquiry with {x}",
)


@dataclass(frozen=True)
class Draft:
    """A fact before it has its sentence: the fact's fields and the sentence's core."""

    relation: str
    subject: Entity
    obj: Entity | None
    object_text: str | None
    core: str
    roles: tuple[tuple[str, Entity], ...] = ()
    quantity: int | None = None
    condition: str | None = None


class Pool:
    """The entities drawn so far, by type; new ones are made on demand."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.by_type: dict[str, list[Entity]] = {}
        self.labels: set[tuple[str, str]] = set()
        states = list(_lexicon_states())
        rng.shuffle(states)
        self.unused_states = states
        self.makers: dict[str, Callable[[int], Entity | None]] = {
            "state": self._state,
            "alliance": lambda n: Entity(
                "alliance", f"{rng.choice(GROUP_WORDS)} Defence Pact {n:03d}"
            ),
            "international-organization": lambda n: Entity(
                "international-organization", f"Council of Nations {n:03d}"
            ),
            "government-body": lambda n: Entity(
                "government-body",
                f"Ministry {n:04d}",
                of_state=self.pick("state").label,
            ),
            "company": lambda n: Entity(
                "company", f"Company {n:04d} Industries", of_state=self._maybe_state()
            ),
            "organization": lambda n: Entity("organization", f"Group {n:04d}"),
            "person": lambda n: Entity(
                "person", f"Person {n:04d}", of_state=self._maybe_state()
            ),
            "post": self._post,
            "weapon-system": self._weapon,
            "law": self._law,
        }

    def pick(self, kind: str) -> Entity:
        """An entity of ``kind``: a new one with the type's chance, else a known one,
        the early ones far more often (a few hubs and a long tail)."""
        known = self.by_type.setdefault(kind, [])
        if not known or self.rng.random() < FRESH[kind]:
            made = self.makers[kind](len(known))
            if made is not None and (made.type, made.label) not in self.labels:
                self.labels.add((made.type, made.label))
                known.append(made)
                return made
            if not known:
                raise RuntimeError(f"cannot make an entity of type {kind}")
        return known[int(len(known) * self.rng.random() ** 3)]

    def pick_from(self, mix: Mix) -> Entity:
        """An entity whose type is drawn from ``mix``."""
        kinds = list(mix)
        return self.pick(self.rng.choices(kinds, weights=[mix[k] for k in kinds])[0])

    def entities(self) -> int:
        """How many distinct entities have been drawn."""
        return sum(len(known) for known in self.by_type.values())

    def _maybe_state(self) -> str | None:
        return self.pick("state").label if self.rng.random() < 0.7 else None

    def _state(self, _: int) -> Entity | None:
        return self.unused_states.pop() if self.unused_states else None

    def _post(self, _: int) -> Entity:
        if self.rng.random() < 0.75:
            container = self.pick("state")
            role = self.rng.choice(ROLE_NAMES)
        else:
            container = self.pick_from(
                {"alliance": 0.5, "international-organization": 0.5}
            )
            role = self.rng.choice(ORG_ROLE_NAMES)
        return Entity(
            "post",
            f"{role[0].upper()}{role[1:]} of {container.label}",
            post_in=container.label,
            post_in_type=container.type,
            role_name=role,
        )

    def _weapon(self, n: int) -> Entity:
        letters = "".join(self.rng.choice("ABCDFGHKLMNPRSTVXZ") for _ in range(2))
        designation = f"{letters}-{100 + n}"
        return Entity(
            "weapon-system",
            designation,
            designation=designation,
            category=self.rng.choice(CATEGORIES),
        )

    def _law(self, n: int) -> Entity:
        name = f"{self.rng.choice(LAW_NAMES)} {n + 1}"
        year = self.rng.randint(1990, 2024)
        return Entity("law", name, official_name=f"{name} of {year}")


def _lexicon_states() -> list[Entity]:
    return [
        Entity(
            "state",
            row["label"],
            aliases=tuple(sorted(set(split(row["aliases"])))),
            wikidata=row["wikidata"] or None,
            iso_code=row["iso3"] or None,
        )
        for row in read_tsv(lexicons_dir() / "states.tsv")
    ]


def _draft(relation: str, pool: Pool, rng: random.Random) -> Draft:
    """The participants of one fact of ``relation`` and the core of its sentence."""
    pick = pool.pick_from
    if relation == "memberOf":
        member = pick(
            {"state": 0.85, "international-organization": 0.05, "organization": 0.1}
        )
        org = pick({"alliance": 0.6, "international-organization": 0.4})
        return Draft(
            relation, member, org, None, f"{member.label} is a member of {org.label}"
        )
    if relation == "acquires":
        buyer, weapon = pick(BUYERS), pick(WEAPONS)
        roles: tuple[tuple[str, Entity], ...] = ()
        where = ""
        if rng.random() < 0.4:
            seller = pick(SELLERS)
            roles, where = (("geokg:supplier", seller),), f" from {seller.label}"
        quantity = rng.randint(2, 120) if rng.random() < 0.3 else None
        units = f"{quantity} units of " if quantity else ""
        core = f"{buyer.label} bought {units}the {weapon.label}{where}"
        return Draft(relation, buyer, weapon, None, core, roles, quantity)
    if relation in ("supplies", "delivers", "refusesToSell"):
        seller, recipient = pick(SELLERS), pick(RECIPIENTS)
        weapon = pick(WEAPONS) if rng.random() < 0.7 else None
        roles = (("geokg:weaponSystem", weapon),) if weapon else ()
        what = f"the {weapon.label}" if weapon else "weapons"
        verb = {
            "supplies": "supplied",
            "delivers": "delivered",
            "refusesToSell": "refused to sell",
        }
        core = f"{seller.label} {verb[relation]} {what} to {recipient.label}"
        return Draft(relation, seller, recipient, None, core, roles)
    if relation == "operates":
        operator, weapon = pick(BUYERS), pick(WEAPONS)
        return Draft(
            relation,
            operator,
            weapon,
            None,
            f"{operator.label} operates the {weapon.label}",
        )
    if relation == "originCountry":
        weapon, state = pick(WEAPONS), pick(STATES)
        return Draft(
            relation,
            weapon,
            state,
            None,
            f"the {weapon.label} was developed in {state.label}",
        )
    if relation == "manufacturer":
        weapon, maker = pick(WEAPONS), pick({"company": 1.0})
        return Draft(
            relation,
            weapon,
            maker,
            None,
            f"the {weapon.label} is made by {maker.label}",
        )
    if relation in ("imposesSanctions", "threatensSanctions"):
        imposer = pick(IMPOSERS)
        target = pick(TARGETS) if rng.random() < 0.85 else None
        text = None if target else f"companies trading with {pick(STATES).label}"
        roles, basis = (), ""
        if rng.random() < 0.4:
            law = pool.pick("law")
            roles, basis = (("geokg:legalBasis", law),), f" under the {law.label}"
        verb = (
            "imposed sanctions on"
            if relation == "imposesSanctions"
            else "threatened sanctions against"
        )
        core = f"{imposer.label} {verb} {target.label if target else text}{basis}"
        condition = None
        if relation == "threatensSanctions" and rng.random() < 0.2:
            condition = f"if {target.label if target else 'they'} buys the {pool.pick('weapon-system').label}"
            core += f" {condition}"
        return Draft(relation, imposer, target, text, core, roles, condition=condition)
    if relation == "sanctionsUnderLaw":
        imposer, law = pick({"state": 0.8, "government-body": 0.2}), pool.pick("law")
        return Draft(
            relation, imposer, law, None, f"{imposer.label} applied the {law.label}"
        )
    if relation in ("opposes", "supports"):
        actor = pick(ACTORS)
        verb = relation
        if rng.random() < 0.4:
            text = rng.choice(COURSES).format(x=pick(STATES).label)
            return Draft(relation, actor, None, text, f"{actor.label} {verb} {text}")
        target = pick(ANYTHING)
        return Draft(
            relation, actor, target, None, f"{actor.label} {verb} {target.label}"
        )
    if relation == "threatTo":
        source = pick({"weapon-system": 0.5, "state": 0.5})
        if rng.random() < 0.2:
            text = f"stability in the region around {pick(STATES).label}"
            return Draft(
                relation, source, None, text, f"{source.label} is a threat to {text}"
            )
        threatened = pick({"state": 0.6, "alliance": 0.2, "weapon-system": 0.2})
        return Draft(
            relation,
            source,
            threatened,
            None,
            f"{source.label} is a threat to {threatened.label}",
        )
    if relation == "notInteroperableWith":
        weapon, other = pick(WEAPONS), pick({"weapon-system": 0.7, "alliance": 0.3})
        core = f"the {weapon.label} is not interoperable with {other.label}"
        return Draft(relation, weapon, other, None, core)
    if relation == "holdsPosition":
        person, post = pool.pick("person"), pool.pick("post")
        return Draft(
            relation, person, post, None, f"{person.label} is the {post.label}"
        )
    if relation == "headOf":
        person, led = pool.pick("person"), pick(LED)
        return Draft(relation, person, led, None, f"{person.label} leads {led.label}")
    if relation == "statesThat":
        speaker, other = pick(SPEAKERS), pick(ANYTHING)
        text = rng.choice(SAYINGS).format(x=other.label)
        roles = (("geokg:about", other),) if rng.random() < 0.5 else ()
        return Draft(
            relation, speaker, None, text, f"{speaker.label} said that {text}", roles
        )
    if relation == "proposes":
        proposer, text = pick(ACTORS), rng.choice(COURSES).format(x=pick(STATES).label)
        if rng.random() < 0.6:
            addressee = pick(ACTORS)
            core = f"{proposer.label} proposed {text} to {addressee.label}"
            return Draft(
                relation, proposer, None, text, core, (("geokg:addressee", addressee),)
            )
        return Draft(
            relation, proposer, None, text, f"{proposer.label} proposed {text}"
        )
    raise ValueError(f"no generator for relation {relation!r}")


def _date(rng: random.Random) -> tuple[str | None, str]:
    """An ISO date (full, year-month or year) on about 40% of facts, and its phrase."""
    if rng.random() >= 0.4:
        return None, ""
    year, month, day = rng.randint(1995, 2024), rng.randint(1, 12), rng.randint(1, 28)
    shape = rng.random()
    if shape < 0.4:
        return f"{year}-{month:02d}-{day:02d}", f" on {day} {MONTHS[month - 1]} {year}"
    if shape < 0.7:
        return f"{year}-{month:02d}", f" in {MONTHS[month - 1]} {year}"
    return f"{year}", f" in {year}"


def _frame(status: str, core: str, claimant: Entity | None) -> str:
    """The sentence of a fact: its core in the wording its status calls for."""
    who = claimant.label if claimant else "Officials"
    frames = {
        "reported": "{core}",
        "claimed": "{who} said that {core}",
        "threatened": "{who} threatened that {core}",
        "expected": "It is expected that {core}",
        "possible": "It is possible that {core}",
        "alleged": "{who} alleged that {core}",
        "denied": "{who} denied that {core}",
    }
    text = frames[status].format(core=core, who=who)
    return f"{text[0].upper()}{text[1:]}."


def _facts(
    pool: Pool, rng: random.Random, count: int
) -> list[tuple[Draft, str, Entity | None, str | None, str]]:
    relations = list(RELATION_WEIGHTS)
    weights = [RELATION_WEIGHTS[r] for r in relations]
    drawn = []
    for relation in rng.choices(relations, weights=weights, k=count):
        draft = _draft(relation, pool, rng)
        statuses = [
            s for s in STATUSES if STATUS_WEIGHTS[s] or relation in THREAT_RELATIONS
        ]
        status_weights = [STATUS_WEIGHTS[s] or 10 for s in statuses]
        status = rng.choices(statuses, weights=status_weights)[0]
        claimant = (
            pool.pick_from(CLAIMANTS)
            if status in ("claimed", "alleged", "denied", "threatened")
            else None
        )
        date, phrase = _date(rng)
        drawn.append(
            (
                draft,
                status,
                claimant,
                date,
                _frame(status, draft.core + phrase, claimant),
            )
        )
    return drawn


def _check_weights() -> None:
    missing = sorted(set(RELATIONS) ^ set(RELATION_WEIGHTS))
    if missing:
        raise RuntimeError(
            f"RELATION_WEIGHTS and geokg.schema.RELATIONS differ: {missing}"
        )


def generate(folder: Path, facts: int, *, per_file: int = 500, seed: int = 7) -> int:
    """Write a synthetic graph of ``facts`` facts to ``folder``; return its triple count.

    Files are ``synthetic-0000.ttl``, ``synthetic-0001.ttl``, ... with ``per_file``
    facts each, one source document per file. Stale ``synthetic-*.ttl`` files of an
    earlier, larger run are removed, so the folder holds exactly this graph (other
    files are left alone and would be loaded with it).

    Args:
        folder: Where to write; created when missing.
        facts: How many facts to write in all.
        per_file: Facts per file (the last file may have fewer).
        seed: Seed of the one random generator; the same arguments give the same bytes.

    Returns:
        The number of triples written, summed over the files. An entity described in
        several files is counted in each, so the merged graph has slightly fewer.

    Raises:
        ValueError: If ``facts`` is negative or ``per_file`` is less than 1.
    """
    if facts < 0 or per_file < 1:
        raise ValueError("facts must be 0 or more and per_file at least 1")
    _check_weights()
    rng = random.Random(seed)
    pool = Pool(rng)
    folder.mkdir(parents=True, exist_ok=True)
    triples = 0
    files = 0
    for files, first in enumerate(range(0, facts, per_file), start=1):
        batch = _facts(pool, rng, min(per_file, facts - first))
        slug = f"synthetic-{files - 1:04d}"
        spans, offset = [], 0
        for *_, sentence in batch:
            spans.append(Span(offset, offset + len(sentence), sentence))
            offset += len(sentence) + 1
        document = SourceDocument(
            slug,
            " ".join(span.text for span in spans),
            url=f"https://example.org/synthetic/{slug}",
            title=f"Synthetic article {files - 1}",
            publisher="geokg synthetic news",
            date=f"{rng.randint(2000, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        )
        records = [
            Fact(
                draft.relation,
                draft.subject,
                draft.obj,
                object_text=draft.object_text,
                status=status,
                claimant=claimant,
                date=date,
                condition=draft.condition,
                roles=draft.roles,
                quantity=draft.quantity,
                evidence=(span,),
                rule=f"synthetic-{draft.relation}",
            )
            for (draft, status, claimant, date, _), span in zip(
                batch, spans, strict=True
            )
        ]
        graph = build_source_graph(document, records)
        write_graph(graph, folder / f"{slug}.ttl")
        triples += len(graph)
    for stale in folder.glob("synthetic-*.ttl"):
        number = stale.stem.removeprefix("synthetic-")
        if number.isdigit() and int(number) >= files:
            stale.unlink()
    return triples


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--facts", type=int, required=True, metavar="N")
    parser.add_argument("--per-file", type=int, default=500, metavar="K")
    parser.add_argument("--seed", type=int, default=7, metavar="S")
    args = parser.parse_args(argv)
    if args.facts < 0 or args.per_file < 1:
        parser.error("--facts must be 0 or more and --per-file at least 1")
    print(generate(args.out_dir, args.facts, per_file=args.per_file, seed=args.seed))


if __name__ == "__main__":
    sys.exit(main())
