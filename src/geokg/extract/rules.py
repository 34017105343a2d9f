"""Relation rules: patterns over the dependency parse, each with a rule id.

Every rule starts from a trigger word of a group in ``triggers.tsv`` (a verb such as
"buy", a noun such as "purchase", an adjective such as "interoperable"), finds the
trigger's participants through the parse (subjects, objects, prepositional phrases,
possessors, appositions), resolves them to entities through the analysis, and frames
the fact (status, claimant, condition, date) through :mod:`geokg.extract.frames`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from geokg.extract.analysis import ACTOR_TYPES, Analysis, Sentence, lex_entry
from geokg.extract.frames import Frame, Framer, stronger
from geokg.model import Entity, Fact

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc, Token

    from geokg.extract.lexicon import Lexicon

GENERIC_ANY = {
    "system",
    "weapon",
    "equipment",
    "arms",
    "armament",
    "materiel",
    "hardware",
}
DEFINITE = {
    "the",
    "this",
    "these",
    "that",
    "those",
    "such",
    "its",
    "their",
    "our",
    "his",
    "her",
}
NEGATIVE_WORDS = {
    "negative",
    "hostile",
    "angry",
    "sharp",
    "furious",
    "harsh",
    "strong",
    "critical",
}
MAX_TEXT = 220
#: Verbs whose object does what their "in/for/of V-ing" phrase says: "abet Iran in
#: supporting", "sanctioned the firms for supplying", "accused Russia of shelling".
CONTROL_BY_OBJECT = {
    "abet",
    "aid",
    "assist",
    "help",
    "support",
    "join",
    "sanction",
    "designate",
    "penalize",
    "penalise",
    "punish",
    "blame",
    "accuse",
    "charge",
    "criticize",
    "criticise",
    "condemn",
    "praise",
    "thank",
    "target",
    "blacklist",
    "fine",
    "indict",
    "suspect",
}


# ---- participants ---------------------------------------------------------------------------


def children(token: Token, *deps: str) -> list[Token]:
    """The children of a token with one of the given dependency labels."""
    return [c for c in token.children if c.dep_ in deps]


def prep_objects(token: Token, preps: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions attached to ``token`` ("from Russia")."""
    wanted = set(preps)
    found = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in wanted:
            for obj in prep.children:
                if obj.dep_ in ("pobj", "pcomp"):
                    found.append(obj)
        if prep.dep_ == "prep" and prep.lower_ in ("upon", "on") and "on" in wanted:
            found += [o for o in prep.children if o.dep_ == "pobj"]
    return found


def conjuncts(token: Token) -> list[Token]:
    """The token and the tokens conjoined with it ("China and Russia")."""
    return [token, *token.conjuncts]


def phrase_entities(
    analysis: Analysis,
    sentence: Sentence,
    token: Token,
    *,
    agent: bool = False,
    types: set[str] | None = None,
) -> list[Entity]:
    """The entities a phrase headed by ``token`` (and its conjuncts) refers to."""
    found: list[Entity] = []
    heads = list(conjuncts(token))
    seen = {t.i for t in heads}
    index = 0
    while index < len(heads):
        head = heads[index]
        index += 1
        entity = analysis.entity(sentence, head, agent=agent)
        if (
            entity is not None
            and analysis.mention_at(sentence, head) is None
            and any(
                analysis.mention_at(sentence, a) is not None
                for a in children(head, "appos")
            )
        ):
            # "Turkey's ally Azerbaijan": the apposition names the referent, not the
            # possessor the head noun would otherwise stand for
            entity = None
        if entity is None and head.dep_ == "appos" and head.head.i not in seen:
            entity = analysis.entity(sentence, head.head, agent=agent)
        if (
            entity is not None
            and (types is None or entity.type in types)
            and entity not in found
        ):
            found.append(entity)
        # A list the parser read as appositions: "X (MODAFL), Y (DIO) and Z".
        for appos in children(head, "appos"):
            for item in conjuncts(appos):
                if (
                    item.i not in seen
                    and analysis.mention_at(sentence, item) is not None
                ):
                    seen.add(item.i)
                    heads.append(item)
    return found


#: Verbs whose object does what their infinitive says: "urged Turkey to drop the deal",
#: "requires all member states to prevent exports". Permission verbs ("allows the
#: president to impose") are left out: what they permit is not said to happen.
OBJECT_CONTROL = frozenset(
    {
        "urge",
        "ask",
        "call",
        "force",
        "persuade",
        "help",
        "require",
        "oblige",
        "compel",
        "order",
        "direct",
        "instruct",
        "press",
        "pressure",
        "tell",
    }
)


def subjects_of(
    analysis: Analysis,
    sentence: Sentence,
    verb: Token,
    *,
    agent: bool = True,
    keep_persons: bool = True,
    depth: int = 0,
    raised: bool = False,
) -> list[Entity]:
    """Who does what a verb (or event noun) says: its subject, through control and clauses.

    "Turkey plans to buy": Turkey buys; "the state to purchase": the state purchases;
    "Turkey's decision to acquire": Turkey acquires; "abet Iran in supporting": Iran
    supports; a passive's "by" agent; a conjoined verb's subject.
    """
    if depth > 5:
        return []
    subjects = children(verb, "nsubj", "csubj")
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        agents = [o for o in prep_objects(verb, ("by",))]
        if not agents and raised:
            # "Egypt is expected to take delivery": Egypt takes it.
            return _entities_of_tokens(
                analysis, sentence, children(verb, "nsubjpass"), agent
            )
        return _entities_of_tokens(analysis, sentence, agents, agent)
    if subjects:
        entities = _entities_of_tokens(analysis, sentence, subjects, agent)
        if entities:
            return entities
        for subject in subjects:
            if subject.lemma_.lower() in (
                "decision",
                "plan",
                "move",
                "purchase",
                "acquisition",
                "action",
                "veto",
            ):
                possessors = children(subject, "poss")
                if possessors:
                    return _entities_of_tokens(analysis, sentence, possessors, agent)
        return []
    dep = verb.dep_
    head = verb.head
    if head is verb:
        return []
    if dep == "xcomp" and _expletive(head) and analysis.voice is not None:
        return [
            analysis.voice
        ]  # "It is vital to our interest to assist ...": the writer
    if dep in ("xcomp", "conj", "advcl"):
        if dep == "xcomp":
            objects = children(head, "dobj")
            if head.lemma_.lower() in OBJECT_CONTROL and objects:
                return _entities_of_tokens(analysis, sentence, objects, agent)
        return subjects_of(
            analysis,
            sentence,
            head,
            agent=agent,
            keep_persons=keep_persons,
            depth=depth + 1,
            raised=dep == "xcomp",
        )
    if (
        dep == "acl"
        and head.dep_ == "dobj"
        and head.lemma_.lower() in analysis.lexicon.words("decision_noun")
        and not _event_owners(analysis, sentence, head)
        and head.head.lemma_.lower() not in _stance_words(analysis)
    ):
        # "The State Department made a determination approving X": it approves X
        return subjects_of(
            analysis,
            sentence,
            head.head,
            agent=agent,
            keep_persons=keep_persons,
            depth=depth + 1,
        )
    if dep == "pcomp":
        prep = head
        governor = prep.head
        objects = children(governor, "dobj")
        if objects and (
            (
                prep.lower_ in ("in", "for", "of")
                and governor.lemma_.lower() in CONTROL_BY_OBJECT
            )
            or (
                # "keep China from vetoing": China would veto (frames deny it)
                prep.lower_ == "from"
                and governor.lemma_.lower() in analysis.lexicon.words("prevent_from")
            )
        ):
            return _entities_of_tokens(analysis, sentence, objects, agent)
        return subjects_of(
            analysis,
            sentence,
            governor,
            agent=agent,
            keep_persons=keep_persons,
            depth=depth + 1,
        )
    if dep in ("relcl", "acl"):
        if head.dep_ == "attr":
            copula = head.head
            return _entities_of_tokens(
                analysis, sentence, children(copula, "nsubj"), agent
            )
        possessors = _event_owners(analysis, sentence, head)
        if possessors:
            return _entities_of_tokens(analysis, sentence, possessors, agent)
        entity = analysis.entity(sentence, head, agent=agent)
        if entity is not None and entity.type in ACTOR_TYPES:
            return [entity]
        if head.dep_ in ("dobj", "pobj", "nsubj", "attr") and not (
            # "China condemned the decision to sell": not China's sale
            head.dep_ == "dobj" and head.head.lemma_.lower() in _stance_words(analysis)
        ):
            governor = head.head if head.dep_ != "pobj" else head.head.head
            return subjects_of(
                analysis,
                sentence,
                governor,
                agent=agent,
                keep_persons=keep_persons,
                depth=depth + 1,
            )
    if dep == "ccomp" and verb.tag_ in ("VBG",):
        return subjects_of(
            analysis,
            sentence,
            head,
            agent=agent,
            keep_persons=keep_persons,
            depth=depth + 1,
        )
    return []


def _antecedents(verb: Token, objects: list[Token]) -> list[Token]:
    """Objects with a relative pronoun replaced by what it stands for: in "submarines,
    which it bought", what was bought is the submarines."""
    return [
        verb.head
        if o.lower_ in ("which", "that", "who") and verb.dep_ == "relcl"
        else o
        for o in objects
    ]


def _event_owners(analysis: Analysis, sentence: Sentence, noun: Token) -> list[Token]:
    """Who an event noun belongs to: "Turkey's decision", "the decision by Turkey",
    "the US decision" (an actor modifying it)."""
    return (
        children(noun, "poss")
        + prep_objects(noun, ("by",))
        + [
            c
            for c in children(noun, "compound", "amod", "nmod")
            if (m := analysis.mention_at(sentence, c)) is not None
            and m.entity.type in ACTOR_TYPES
        ]
    )


def _stance_words(analysis: Analysis) -> frozenset[str]:
    """Verbs of a stance on something (condemn, welcome): not acts of its doer."""
    return analysis.lexicon.words("oppose") | analysis.lexicon.words("support")


def _expletive(verb: Token) -> bool:
    """ "It is vital/important/necessary to ...": an expletive "it" with an adjective."""
    return any(c.dep_ == "nsubj" and c.lower_ == "it" for c in verb.children) and any(
        c.dep_ == "acomp" for c in verb.children
    )


def governing_verb(token: Token) -> Token | None:
    """The nearest verb above a noun, through prepositions and noun modifiers."""
    current = token
    for _ in range(6):
        if current.head is current:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None


def _entities_of_tokens(
    analysis: Analysis, sentence: Sentence, tokens: list[Token], agent: bool
) -> list[Entity]:
    found: list[Entity] = []
    for token in tokens:
        for entity in phrase_entities(analysis, sentence, token, agent=agent):
            if entity.type in ACTOR_TYPES and entity not in found:
                found.append(entity)
    return found


def _has_verb(tokens: Iterable[Token]) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in tokens)


def _trim(text: str) -> str:
    text = " ".join(text.split()).strip(" ,.;:")
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rsplit(" ", 1)[0] + "…"
    return text


def np_text(sentence: Sentence, token: Token, *, skip_det: bool = True) -> str:
    """The text of the phrase a token heads, without a leading determiner or "that"."""
    doc = sentence.doc
    start, end = token.left_edge.i, token.right_edge.i + 1
    while start < end and (
        (
            skip_det
            and doc[start].dep_ in ("det", "mark", "punct", "predet")
            and doc[start].lower_ not in ("no",)
        )
        or doc[start].text in ('"', "\u201c", "\u201d", "'")
    ):
        start += 1
    while end > start and (
        doc[end - 1].is_punct or doc[end - 1].text in ('"', "\u201d")
    ):
        end -= 1
    text = doc[start:end].text.strip()
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rsplit(" ", 1)[0] + "…"
    return text


# ---- weapons ----------------------------------------------------------------------------


class Weapons:
    """Weapon phrases: named systems, lists of them, and generic phrases resolved in context."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.cues = analysis.lexicon.weapon_cues

    def in_phrase(
        self, sentence: Sentence, token: Token, *, generic: bool = True
    ) -> list[Entity]:
        """The weapon systems a phrase names: every named one in it, else a generic one."""
        named: list[Entity] = []
        doc = sentence.doc
        # "Su-22 fighter-bombers, two of which were shot down by F-14s": what a
        # relative clause inside the phrase mentions is not what the phrase names
        inside_clauses = {
            d.i
            for i in range(token.left_edge.i, token.right_edge.i + 1)
            if doc[i].dep_ == "relcl" and doc[i].i != token.i
            for d in doc[i].subtree
        }
        for i in range(token.left_edge.i, token.right_edge.i + 1):
            if i in inside_clauses:
                continue
            mention = sentence.by_token.get(i)
            if (
                mention is not None
                and mention.entity.type == "weapon-system"
                and mention.entity not in named
            ):
                if sentence.doc[i].dep_ == "pobj" and sentence.doc[i].head.lower_ in (
                    "like",
                    "unlike",
                    "than",
                ):
                    continue
                named.append(mention.entity)
        if not named and token.left_edge.i > sentence.span.start:
            # "supplied Shahed-136 drones" where the parser left the name outside the phrase
            mention = sentence.by_token.get(token.left_edge.i - 1)
            if (
                mention is not None
                and mention.entity.type == "weapon-system"
                and mention.end == token.left_edge.i
            ):
                named.append(mention.entity)
        if not named and token.pos_ == "NUM":
            # "to buy forty-eight (48) M142 ... Systems": the parser took the count for
            # the object and left the named system after it outside the phrase
            mention = sentence.by_token.get(token.right_edge.i + 1)
            if mention is not None and mention.entity.type == "weapon-system":
                named.append(mention.entity)
        if named:
            return named
        if not generic:
            return []
        entity = self.generic(sentence, token)
        return [entity] if entity is not None else []

    def listed_after(self, sentence: Sentence, token: Token) -> list[Entity]:
        """The weapons named by the items that follow a phrase in a list separated by
        semicolons: "to buy 48 K9 howitzers; 96 Apache helicopters; 12 radars", where the parser
        hangs the later items anywhere. The list runs to the end of the sentence and
        stops at the first item that is a clause (has a verb) rather than a noun
        phrase; a verb between the phrase and the first semicolon means there is no
        such list."""
        doc = sentence.doc
        end = sentence.span.end
        semicolons = [i for i in range(token.i, end) if doc[i].text == ";"]
        if not semicolons or _has_verb(doc[token.i : semicolons[0]]):
            return []
        found: list[Entity] = []
        for left, right in zip(semicolons, [*semicolons[1:], end], strict=True):
            mentions = [
                m
                for i in range(left + 1, right)
                if (m := sentence.by_token.get(i)) is not None
            ]
            # "...; Romania, 54 tanks" is a clause with its verb left out, not an item.
            if _has_verb(doc[left + 1 : right]) or any(
                m.entity.type in ACTOR_TYPES for m in mentions
            ):
                break
            for mention in mentions:
                if (
                    mention.entity.type == "weapon-system"
                    and mention.entity not in found
                ):
                    found.append(mention.entity)
        return found

    def at(self, sentence: Sentence, token: Token) -> list[Entity]:
        """The weapon systems a phrase itself names: its head (and conjuncts), not deeper."""
        found: list[Entity] = []
        for head in conjuncts(token):
            mention = sentence.by_token.get(head.i)
            if mention is not None and mention.entity.type == "weapon-system":
                found.append(mention.entity)
                continue
            generic = self.generic(sentence, head)
            if generic is not None:
                found.append(generic)
        return found

    def is_cue(self, token: Token) -> bool:
        """Whether a noun names weapons ("system", "missiles", "helicopters")."""
        return token.lemma_.lower() in self.cues or token.lower_ in self.cues

    def origin(self, sentence: Sentence, token: Token) -> Entity | None:
        """The state a phrase says a weapon comes from: "Russian-made", "Russian"."""
        for i in range(token.left_edge.i, token.i):
            mention = sentence.by_token.get(i)
            if (
                mention is not None
                and mention.entity.type == "state"
                and mention.kind in ("demonym", "name")
            ):
                return mention.entity
        return None

    def made_in(self, sentence: Sentence, token: Token) -> Entity | None:
        """The state of an "X-made" / "X-built" modifier of a weapon phrase, if any."""
        doc = sentence.doc
        for i in range(max(token.left_edge.i, sentence.span.start), token.i + 1):
            mention = sentence.by_token.get(i)
            if mention is None or mention.entity.type != "state":
                continue
            after = mention.end
            if (
                after + 1 < len(doc)
                and doc[after].text == "-"
                and doc[after + 1].lower_ in self.analysis.lexicon.words("made")
            ):
                return mention.entity
        for prep in token.children:
            if prep.dep_ == "acl" and prep.lower_ in self.analysis.lexicon.words(
                "made"
            ):
                for obj in prep_objects(prep, ("in",)):
                    entity = self.analysis.entity(sentence, obj)
                    if entity is not None and entity.type == "state":
                        return entity
        return None

    def generic(self, sentence: Sentence, token: Token) -> Entity | None:
        """A generic weapon phrase ("the Russian system", "Russian-made missiles").

        Resolved to the weapon system the article is about when its words fit: same
        category (or a word as general as "system"), same origin if one is given, and
        a definite determiner, an origin or a bare plural. Otherwise it is a weapon
        system of its own, labelled with its words.
        """
        if not self.is_cue(token) or token.pos_ not in ("NOUN", "PROPN"):
            return None
        cue = (
            token.lemma_.lower() if token.lemma_.lower() in self.cues else token.lower_
        )
        category, generic = self.cues[cue]
        if not generic:
            return None
        origin = self.origin(sentence, token)
        determiners = {
            c.lower_
            for c in token.children
            if c.dep_ in ("det", "poss", "amod", "predet")
        }
        definite = (
            bool(determiners & DEFINITE) or origin is not None or token.tag_ == "NNS"
        )
        candidates = []
        for weapon, count in self.analysis.weapon_counts.items():
            if weapon.category is None:
                continue
            if (
                cue not in GENERIC_ANY
                and weapon.category != category
                and not (
                    cue in ("aircraft", "jet", "fighter", "warplane")
                    and "aircraft" in weapon.category
                )
            ):
                continue
            entry = self.analysis.lexicon.entries.get(f"weapon-system:{weapon.label}")
            weapon_origin = entry.origin if entry is not None else None
            if origin is not None and weapon_origin not in (origin.label, None):
                continue
            if origin is not None and weapon_origin is None and cue in GENERIC_ANY:
                continue
            candidates.append((count, weapon))
        if definite and candidates:
            candidates.sort(key=lambda item: (-item[0], item[1].label))
            if len(candidates) == 1 or candidates[0][0] > candidates[1][0]:
                return candidates[0][1]
        if cue in GENERIC_ANY and origin is None and not self._descriptive(token):
            return None
        label = self._label(sentence, token)
        if not label or label.lower() in GENERIC_ANY:
            return None
        return Entity("weapon-system", label, category=category)

    def _descriptive(self, token: Token) -> bool:
        return any(c.dep_ in ("amod", "compound") for c in token.children)

    def _label(self, sentence: Sentence, token: Token) -> str:
        doc = sentence.doc
        start = token.i
        for child in sorted(token.children, key=lambda c: c.i):
            if child.i < token.i and child.dep_ in (
                "amod",
                "compound",
                "npadvmod",
                "nmod",
            ):
                start = min(start, child.left_edge.i)
        while start < token.i and (
            doc[start].dep_ in ("det", "poss", "nummod", "predet", "case")
            or doc[start].like_num
        ):
            start += 1
        words = doc[start : token.i + 1].text
        return " ".join(words.split())


# ---- the reader ------------------------------------------------------------------------


class RelationReader:
    """Reads the facts of an analysed article, sentence by sentence."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.framer = Framer(analysis)
        self.weapons = Weapons(analysis)
        self.words = analysis.lexicon.words
        self.facts: list[Fact] = []

    # ---- helpers ----------------------------------------------------------------------

    def emit(
        self,
        relation: str,
        sentence: Sentence,
        trigger: Token,
        subject: Entity,
        obj: Entity | None = None,
        text: str | None = None,
        *,
        rule: str,
        roles: Iterable[tuple[str, Entity]] = (),
        frame: Frame | None = None,
        status: str | None = None,
        reason: str | None = None,
        quotation: str | None = None,
        quantity: int | None = None,
    ) -> None:
        """Record a fact read at ``trigger`` (framed unless a frame is given)."""
        if obj is None and not text:
            return
        if obj is not None and obj == subject:
            return
        frame = frame or self.framer.frame(sentence, trigger)
        final_status = stronger(status, frame.status) if status else frame.status
        claimant = frame.claimant
        if claimant is not None and claimant == subject and relation == "statesThat":
            claimant = subject
        if final_status == "claimed" and claimant is None:
            final_status = "reported"
        self.facts.append(
            Fact(
                relation,
                subject,
                obj,
                None if obj is not None else text,
                status=final_status,
                claimant=claimant,
                date=frame.date,
                date_text=frame.date_text,
                condition=frame.condition,
                reason=reason,
                roles=tuple(
                    sorted(
                        {r for r in roles if r[1] != subject},
                        key=lambda r: (r[0], r[1].label),
                    )
                ),
                quantity=quantity,
                quotation=quotation,
                evidence=(sentence.evidence(),),
                rule=rule,
            )
        )

    def states(self, entities: Iterable[Entity]) -> list[Entity]:
        """Actors as the states they belong to, for parties to an arms deal: a sale
        approved by "Congress" or bought by "the defence ministry" is the state's."""
        found: list[Entity] = []
        for entity in entities:
            if entity.type == "government-body" and entity.of_state:
                entity = self.analysis.lexicon.state(entity.of_state)
            if entity not in found:
                found.append(entity)
        return found

    def actors(
        self, sentence: Sentence, tokens: Iterable[Token], *, agent: bool = True
    ) -> list[Entity]:
        """The actors named by several phrases."""
        found: list[Entity] = []
        for token in tokens:
            for entity in phrase_entities(self.analysis, sentence, token, agent=agent):
                if entity.type in ACTOR_TYPES and entity not in found:
                    found.append(entity)
        return found

    def lemma(self, token: Token) -> str:
        """A token's lemma, lower case."""
        return token.lemma_.lower()

    def is_group(self, token: Token, group: str, *pos: str) -> bool:
        """Whether a token's lemma is in a trigger group (and has one of ``pos``)."""
        return self.lemma(token) in self.words(group) and (not pos or token.pos_ in pos)

    # ---- reading ----------------------------------------------------------------------

    def read(self) -> list[Fact]:
        """Every fact of the article, in order of sentences."""
        from geokg.extract.statements import StatementReader

        statements = StatementReader(self)
        matcher = trigger_matcher(self.analysis.lexicon, self.analysis.sentences)
        found: dict[int, dict[int, set[str]]] = {}
        for sentence in self.analysis.sentences:
            doc_id = id(sentence.doc)
            if doc_id not in found:
                found[doc_id] = matched_groups(matcher, sentence.doc)
            groups_at = found[doc_id]
            for token in sentence.span:
                groups = groups_at.get(token.i)
                if not groups:
                    continue
                for rule, wanted in self.RULES:
                    if groups & wanted:
                        rule(self, sentence, token)
            statements.read(sentence)
            self.offices(sentence)
        return self.facts

    # ---- arms ------------------------------------------------------------------------

    def acquisition_verb(self, sentence: Sentence, token: Token) -> None:
        """ "India bought the Rafale from France", "the first member to purchase ... from"."""
        if token.pos_ != "VERB" or not self.is_group(token, "acquire"):
            return
        if self.lemma(token) == "order" and token.head.lower_ == "in":
            return
        passive = any(c.dep_ == "nsubjpass" for c in token.children)
        objects = _antecedents(
            token, children(token, "nsubjpass" if passive else "dobj")
        )
        if not objects and token.dep_ == "relcl":
            objects = [token.head]
        weapons = [w for o in objects for w in self.weapons.in_phrase(sentence, o)]
        if not weapons:
            return
        for obj in objects:
            weapons += [
                w for w in self.weapons.listed_after(sentence, obj) if w not in weapons
            ]
        buyers = subjects_of(self.analysis, sentence, token)
        suppliers = self.actors(
            sentence,
            prep_objects(token, ("from",))
            + [p for o in objects for p in prep_objects(o, ("from",))],
        )
        # "ordered Rafale jets from Dassault Aviation": a company sells what it makes
        makers = [s for s in suppliers if s.type == "company"]
        suppliers = [s for s in suppliers if s.type != "company"]
        for maker in makers:
            for weapon in weapons:
                if weapon in self.analysis.weapon_counts:  # named, not generic
                    self.emit(
                        "manufacturer",
                        sentence,
                        token,
                        weapon,
                        maker,
                        rule="manufacturer.bought-from",
                        status="reported",
                    )
        self._deal(
            sentence,
            token,
            buyers,
            weapons,
            suppliers,
            acquire_rule="acquires.verb",
            supply_rule="supplies.acquire-from",
        )

    def _deal(
        self,
        sentence: Sentence,
        token: Token,
        buyers: list[Entity],
        weapons: list[Entity],
        suppliers: list[Entity],
        *,
        acquire_rule: str,
        supply_rule: str | None,
    ) -> None:
        """One arms deal: each buyer acquires each weapon (its suppliers as roles) and,
        with a ``supply_rule``, each supplier supplies each buyer (the weapons as
        roles)."""
        for buyer in buyers:
            for weapon in weapons:
                self.emit(
                    "acquires",
                    sentence,
                    token,
                    buyer,
                    weapon,
                    rule=acquire_rule,
                    roles=[("geokg:supplier", s) for s in suppliers],
                )
            if supply_rule is None:
                continue
            for supplier in suppliers:
                if supplier != buyer:
                    self.emit(
                        "supplies",
                        sentence,
                        token,
                        supplier,
                        buyer,
                        rule=supply_rule,
                        roles=[("geokg:weaponSystem", w) for w in weapons],
                    )

    def acquisition_noun(self, sentence: Sentence, token: Token) -> None:
        """ "Turkey's purchase of Russian weapons", "the acquisition of X by Turkey"."""
        if token.pos_ != "NOUN" or not self.is_group(token, "acquire_noun"):
            return
        if self.lemma(token) == "order" and any(c.lower_ == "in" for c in [token.head]):
            return
        buyers = self.actors(
            sentence, children(token, "poss") + prep_objects(token, ("by",))
        )
        if (
            not buyers
            and token.dep_ == "dobj"
            and token.head.pos_ == "VERB"
            and token.head.lemma_.lower() in self.words("purchase_verb")
        ):
            # "Argentina is negotiating the purchase of F-16s from Denmark"
            buyers = self.states(subjects_of(self.analysis, sentence, token.head))
        weapons = [
            w
            for o in prep_objects(token, ("of",))
            for w in self.weapons.in_phrase(sentence, o)
        ]
        suppliers = self.actors(sentence, prep_objects(token, ("from",)))
        self._deal(
            sentence,
            token,
            buyers,
            weapons,
            suppliers,
            acquire_rule="acquires.noun",
            supply_rule="supplies.acquire-from",
        )

    def contract(self, sentence: Sentence, token: Token) -> None:
        """ "X signed a contract for 30 fighter jets with Y", "X placed an order for
        24 frigates": the state that signs or places it buys."""
        if token.pos_ != "NOUN" or not self.is_group(token, "contract_noun"):
            return
        if token.dep_ not in ("dobj", "nsubjpass") or not self.is_group(
            token.head, "contract_verb", "VERB"
        ):
            return
        verb = token.head
        # The parser hangs "for Y" and "with Z" on the noun, the verb or on Y.
        items = prep_objects(token, ("for",)) + prep_objects(verb, ("for",))
        weapons: list[Entity] = []
        for item in items:
            weapons += [
                w for w in self.weapons.in_phrase(sentence, item) if w not in weapons
            ]
        if not weapons:
            return
        partners = self.actors(
            sentence,
            [p for t in (token, verb, *items) for p in prep_objects(t, ("with",))],
        )
        parties = [
            b
            for b in self.states(subjects_of(self.analysis, sentence, verb))
            if b.type == "state"
        ]
        # "India and France sealed a deal for Rafale jets": the maker's state sells.
        origins = {self._origin_state(w) for w in weapons}
        buyers = [b for b in parties if b.label not in origins] or parties
        partners += [p for p in parties if p not in buyers and p not in partners]
        suppliers = [s for s in self.states(partners) if s.type == "state"]
        self._deal(
            sentence,
            token,
            buyers,
            weapons,
            suppliers,
            acquire_rule="acquires.contract",
            supply_rule="supplies.contract",
        )

    def _origin_state(self, weapon: Entity) -> str | None:
        entry = lex_entry(self.analysis, weapon)
        return entry.origin if entry is not None else None

    def request(self, sentence: Sentence, token: Token) -> None:
        """ "Turkey has requested a possible sale of fourteen CH-47F helicopters, ..."."""
        if token.pos_ != "VERB" or not self.is_group(token, "acquire_request"):
            return
        for obj in children(token, "dobj"):
            if not self.is_group(obj, "supply_noun"):
                continue
            weapons = self._sale_weapons(sentence, obj)
            for buyer in subjects_of(self.analysis, sentence, token):
                for weapon in weapons:
                    self.emit(
                        "acquires",
                        sentence,
                        token,
                        buyer,
                        weapon,
                        rule="acquires.request",
                        status="expected",
                    )

    def _sale_weapons(self, sentence: Sentence, noun: Token) -> list[Entity]:
        weapons: list[Entity] = []
        for obj in prep_objects(noun, ("of", "for")):  # "an export licence for X"
            weapons += self.weapons.in_phrase(sentence, obj)
        if not weapons:
            weapons = self.weapons.in_phrase(sentence, noun, generic=False)
        if weapons:
            weapons += self.weapons.listed_after(sentence, noun)
        seen: list[Entity] = []
        for weapon in weapons:
            if weapon not in seen:
                seen.append(weapon)
        return seen

    def supply_verb(self, sentence: Sentence, token: Token) -> None:
        """ "France sold Rafales to India", "supporting armed groups with weapons"."""
        if token.pos_ != "VERB":
            return
        lemma = self.lemma(token)
        with_weapons = [
            o for o in prep_objects(token, ("with",)) if self.weapons.is_cue(o)
        ]
        if not (
            self.is_group(token, "supply")
            or (lemma in ("support", "help", "assist", "arm", "equip") and with_weapons)
        ):
            return
        if self._refused(token):
            return
        recipients = self.actors(
            sentence,
            prep_objects(token, ("to",)) + children(token, "dative"),
            agent=False,
        )
        # "the missiles had been sold to Argentina by France", "..., which it sold"
        passive = any(c.dep_ == "nsubjpass" for c in token.children)
        objects = _antecedents(
            token, children(token, "nsubjpass" if passive else "dobj")
        )
        weapons = [w for o in objects for w in self.weapons.in_phrase(sentence, o)]
        if with_weapons:
            recipients += [
                e
                for e in self.actors(sentence, objects, agent=False)
                if e not in recipients
            ]
            if not recipients:
                recipients = self._group_recipients(sentence, objects)
            weapons += [
                w for o in with_weapons for w in self.weapons.in_phrase(sentence, o)
            ]
        elif not recipients:
            for obj in objects:
                recipients += self.actors(
                    sentence, prep_objects(obj, ("to",)), agent=False
                )
        if not recipients or (
            not weapons and not with_weapons and not self._arms_words(sentence, token)
        ):
            return
        for supplier in subjects_of(self.analysis, sentence, token):
            for recipient in recipients:
                self.emit(
                    "supplies",
                    sentence,
                    token,
                    supplier,
                    recipient,
                    rule="supplies.verb",
                    roles=[("geokg:weaponSystem", w) for w in weapons],
                )
                for weapon in weapons:
                    self.emit(
                        "acquires",
                        sentence,
                        token,
                        recipient,
                        weapon,
                        rule="acquires.supplied",
                        roles=[("geokg:supplier", supplier)],
                    )

    def _arms_words(self, sentence: Sentence, token: Token) -> bool:
        return any(self.weapons.is_cue(t) for t in token.subtree)

    def _group_recipients(
        self, sentence: Sentence, tokens: list[Token]
    ) -> list[Entity]:
        """ "armed groups in the region": an unnamed group of actors, labelled by its words."""
        found = []
        for token in tokens:
            if self.lemma(token) in self.words("actor_noun") and token.pos_ == "NOUN":
                words = [
                    t
                    for t in token.subtree
                    if not (t.dep_ in ("det", "predet", "nummod") or t.like_num)
                    or t.i > token.i
                ]
                doc = sentence.doc
                label = (
                    _trim(doc[words[0].i : token.right_edge.i + 1].text)
                    if words
                    else ""
                )
                label = (
                    label.removeprefix("several ")
                    .removeprefix("some ")
                    .removeprefix("many ")
                )
                if label:
                    found.append(Entity("organization", label))
        return found

    def _refused(self, token: Token) -> bool:
        return token.dep_ == "xcomp" and self.is_group(token.head, "refuse")

    def supply_noun(self, sentence: Sentence, token: Token) -> None:
        """ "a possible Foreign Military Sale to Turkey of 14 CH-47F helicopters"."""
        if token.pos_ not in ("NOUN", "PROPN") or not self.is_group(
            token, "supply_noun"
        ):
            return
        if token.dep_ == "dobj" and self.is_group(token.head, "acquire_request"):
            return
        governor = governing_verb(token)
        if governor is not None and self.is_group(governor, "refuse"):
            return  # "blocked the sale of X to Y" is a refusal (see refusal)
        recipients = self.actors(sentence, prep_objects(token, ("to",)))
        if not recipients:
            # "the sale of Leopard 2 tanks to Saudi Arabia": "to" hung on the tanks
            recipients = self.actors(
                sentence,
                [
                    r
                    for o in prep_objects(token, ("of", "for"))
                    for r in prep_objects(o, ("to",))
                ],
            )
        if not recipients and token.dep_ == "dobj":
            # "approving a possible sale to X of Y": "to X" hung on the verb
            recipients = self.actors(sentence, prep_objects(token.head, ("to",)))
        if not recipients:
            return
        weapons = self._sale_weapons(sentence, token)
        # "a sale to Turkey of 14 helicopters": the parser hangs "of" on the recipient.
        for obj in prep_objects(token, ("to",)):
            for sub in prep_objects(obj, ("of",)):
                weapons += [
                    w for w in self.weapons.in_phrase(sentence, sub) if w not in weapons
                ]
        sellers = self.actors(
            sentence, children(token, "poss") + prep_objects(token, ("by", "from"))
        )
        if not sellers:
            governor = governing_verb(token)
            # "China condemned the sale to Taiwan": who takes a stance does not sell
            if governor is not None and not (
                self.is_group(governor, "oppose") or self.is_group(governor, "support")
            ):
                sellers = subjects_of(self.analysis, sentence, governor)
        status = (
            "expected"
            if any(c.lower_ in self.words("expected") for c in token.children)
            else None
        )
        sellers = self.states(sellers)
        for seller in sellers:
            for recipient in recipients:
                self.emit(
                    "supplies",
                    sentence,
                    token,
                    seller,
                    recipient,
                    rule="supplies.noun",
                    roles=[("geokg:weaponSystem", w) for w in weapons],
                    status=status,
                )
        for recipient in recipients:
            for weapon in weapons:
                self.emit(
                    "acquires",
                    sentence,
                    token,
                    recipient,
                    weapon,
                    rule="acquires.sale",
                    roles=[("geokg:supplier", s) for s in sellers],
                    status=status,
                )

    def inclusion(self, sentence: Sentence, token: Token) -> None:
        """ "The package includes ..." / "items will also be included: M249 ...": more of the
        last sale's weapons, for the same buyer."""
        if not self.is_group(token, "include", "VERB"):
            return
        last = next(
            (
                f
                for f in reversed(self.facts)
                if f.relation == "acquires"
                and f.rule
                in (
                    "acquires.sale",
                    "acquires.request",
                    "acquires.verb",
                    "acquires.inclusion",
                )
            ),
            None,
        )
        if last is None or last.evidence[0].end < sentence.start - 2000:
            return
        subject_words = {
            self.lemma(t)
            for c in children(token, "nsubj", "nsubjpass")
            for t in c.subtree
        }
        if not subject_words & (
            self.words("supply_noun")
            | {"item", "package", "equipment", "article", "deal"}
        ):
            return
        weapons = self.weapons.in_phrase(sentence, sentence.span.root, generic=False)
        for weapon in weapons:
            self.emit(
                "acquires",
                sentence,
                token,
                last.subject,
                weapon,
                rule="acquires.inclusion",
                status=last.status,
            )

    def delivery(self, sentence: Sentence, token: Token) -> None:
        """ "France delivered the Rafale to India", "deliveries of the Rafale to India began"."""
        if not self.is_group(
            token, "deliver" if token.pos_ == "VERB" else "deliver_noun"
        ):
            return
        if token.pos_ == "VERB":
            recipients = self.actors(
                sentence,
                prep_objects(token, ("to",)) + children(token, "dative"),
                agent=False,
            )
            weapons = [
                w
                for o in children(token, "dobj", "nsubjpass")
                for w in self.weapons.in_phrase(sentence, o)
            ]
            suppliers = subjects_of(self.analysis, sentence, token)
            # what was delivered to Y, Y has acquired (the delivery is its own fact)
            self._deal(
                sentence,
                token,
                recipients,
                weapons,
                suppliers,
                acquire_rule="acquires.delivered",
                supply_rule=None,
            )
        else:
            recipients = self.actors(sentence, prep_objects(token, ("to",)))
            weapons = [
                w
                for o in prep_objects(token, ("of",))
                for w in self.weapons.in_phrase(sentence, o)
            ]
            suppliers = self.actors(
                sentence, children(token, "poss") + prep_objects(token, ("from", "by"))
            )
            if (
                not recipients
                and token.dep_ == "dobj"
                and token.head.lemma_.lower() in ("take", "accept", "receive", "await")
            ):
                recipients = subjects_of(self.analysis, sentence, token.head)
                suppliers += self.actors(sentence, prep_objects(token.head, ("from",)))
                for recipient in recipients:
                    for weapon in weapons:
                        self.emit(
                            "acquires",
                            sentence,
                            token,
                            recipient,
                            weapon,
                            rule="acquires.delivery",
                            roles=[("geokg:supplier", s) for s in suppliers],
                        )
        if not recipients:
            return
        if not suppliers:
            suppliers = self._known_suppliers(recipients, weapons)
        for supplier in suppliers:
            for recipient in recipients:
                self.emit(
                    "delivers",
                    sentence,
                    token,
                    supplier,
                    recipient,
                    rule="delivers",
                    roles=[("geokg:weaponSystem", w) for w in weapons],
                )

    def _known_suppliers(
        self, recipients: list[Entity], weapons: list[Entity]
    ) -> list[Entity]:
        """The supplier the article already gave for these weapons, or their origin."""
        for fact in self.facts:
            if fact.relation == "supplies" and fact.object in recipients:
                return [fact.subject]
        for weapon in weapons:
            entry = self.analysis.lexicon.entries.get(f"weapon-system:{weapon.label}")
            if entry is not None and entry.origin:
                return [self.analysis.lexicon.state(entry.origin)]
        return []

    def operation(self, sentence: Sentence, token: Token) -> None:
        """ "Greece uses Russian-made missiles", "Turkey will use these helicopters"."""
        if token.pos_ != "VERB" or not self.is_group(token, "operate"):
            return
        if any(c.dep_ == "nsubjpass" for c in token.children):
            return
        weapons = [
            w
            for o in children(token, "dobj")
            for w in self.weapons.in_phrase(sentence, o)
        ]
        for operator in subjects_of(self.analysis, sentence, token):
            for weapon in weapons:
                self.emit(
                    "operates", sentence, token, operator, weapon, rule="operates.verb"
                )

    def refusal(self, sentence: Sentence, token: Token) -> None:
        """ "the USA refused to sell the F-22", "blocked the sale of X to Y", "to prevent
        exports to X of missiles", "prohibited arms sales to Cuba"."""
        if token.pos_ != "VERB" or not self.is_group(token, "refuse"):
            return
        sales = [
            x
            for x in children(token, "xcomp")
            if (self.is_group(x, "supply") or self.is_group(x, "deliver"))
            # "denied supplying drones" denies a past sale; "refused to sell" refuses
            and not (self.lemma(token) == "deny" and x.tag_ == "VBG")
        ]
        nouns = [
            t
            for t in token.subtree
            if t.pos_ in ("NOUN", "PROPN")
            and (self.is_group(t, "supply_noun") or self.is_group(t, "deliver_noun"))
            and governing_verb(t) == token
        ]
        for sale in sales + nouns:
            objects = children(sale, "dobj") + prep_objects(sale, ("of",))
            weapons = [w for o in objects for w in self.weapons.in_phrase(sentence, o)]
            if sale in nouns and not weapons and not self._arms_words(sentence, sale):
                continue  # "banned exports of oil to X" is trade, not arms
            recipients = self.actors(
                sentence,
                prep_objects(sale, ("to",))
                + children(sale, "dative")
                + [r for o in objects for r in prep_objects(o, ("to",))],
                agent=False,
            )
            if not recipients and sale in nouns:
                # "blocked the sale of X to Y": the parser hangs "to Y" on the verb
                recipients = self.actors(
                    sentence, prep_objects(token, ("to",)), agent=False
                )
            if not recipients:
                recipients = self._would_be_buyer(sentence, token)
            for supplier in subjects_of(self.analysis, sentence, token):
                for recipient in recipients:
                    self.emit(
                        "refusesToSell",
                        sentence,
                        token,
                        supplier,
                        recipient,
                        rule="refusesToSell",
                        roles=[("geokg:weaponSystem", w) for w in weapons],
                    )

    def _would_be_buyer(self, sentence: Sentence, token: Token) -> list[Entity]:
        """ "it was forced to buy X because the USA refused to sell Y": the buyer of the clause
        the refusal explains."""
        if token.dep_ == "advcl":
            return self.actors(
                sentence, children(token.head, "nsubj", "nsubjpass"), agent=False
            )
        return []

    def origin(self, sentence: Sentence, token: Token) -> None:
        """ "the Russian-made Su-35", "the American-made NASAMS system", "made in France"."""
        if token.lower_ not in self.words("made"):
            return
        doc = sentence.doc
        state = None
        if token.i >= 2 and doc[token.i - 1].text == "-":
            mention = sentence.by_token.get(token.i - 2)
            if mention is not None and mention.entity.type == "state":
                state = mention.entity
        if state is None:
            for obj in prep_objects(token, ("in",)):
                entity = self.analysis.entity(sentence, obj)
                if entity is not None and entity.type == "state":
                    state = entity
        if state is None:
            return
        # A named system, or a generic one ("Russian-made missiles"), whose label keeps
        # its origin but whose origin a query still needs as a fact.
        weapons = self._named_after(sentence, token) or self.weapons.in_phrase(
            sentence, token.head
        )
        for weapon in weapons[:1]:
            self.emit(
                "originCountry",
                sentence,
                token,
                weapon,
                state,
                rule="originCountry.made",
            )

    def _named_after(self, sentence: Sentence, token: Token) -> list[Entity]:
        """The first named weapon system right after a modifier, within its noun phrase."""
        for i in range(token.i + 1, min(token.i + 8, sentence.span.end)):
            mention = sentence.by_token.get(i)
            if mention is not None and mention.entity.type == "weapon-system":
                return [mention.entity]
            if sentence.doc[i].pos_ in ("VERB", "AUX", "ADP") and sentence.doc[
                i
            ].text not in ("-", "to"):
                break
        return []

    def manufacture(self, sentence: Sentence, token: Token) -> None:
        """ "made by X", "X manufactures Y", "The prime contractor will be X"."""
        lemma = self.lemma(token)
        if lemma in self.words("manufacture") and token.pos_ == "VERB":
            passive = any(c.dep_ == "nsubjpass" for c in token.children)
            if passive:
                makers = self.actors(
                    sentence, prep_objects(token, ("by",)), agent=False
                )
                weapons = [
                    w
                    for o in children(token, "nsubjpass")
                    for w in self.weapons.in_phrase(sentence, o)
                ]
            elif token.dep_ == "acl" and token.lower_ in self.words("made"):
                makers = self.actors(
                    sentence, prep_objects(token, ("by",)), agent=False
                )
                weapons = self.weapons.in_phrase(sentence, token.head)
            else:
                makers = self._makers(sentence, token)
                weapons = [
                    w
                    for o in children(token, "dobj")
                    for w in self.weapons.at(sentence, o)
                ]
            makers = [
                m
                for m in makers
                if m.type in ("company", "organization", "government-body")
            ]
            for maker in makers:
                for weapon in weapons:
                    self.emit(
                        "manufacturer",
                        sentence,
                        token,
                        weapon,
                        maker,
                        rule="manufacturer.verb",
                    )
        if lemma == "contractor" and token.dep_ in ("nsubj", "attr"):
            copula = token.head
            makers = self.actors(
                sentence,
                children(copula, "attr") + children(copula, "nsubj"),
                agent=False,
            )
            makers = [m for m in makers if m.type in ("company", "organization")]
            main = self._main_weapon()
            if main is not None:
                for maker in makers:
                    self.emit(
                        "manufacturer",
                        sentence,
                        token,
                        main,
                        maker,
                        rule="manufacturer.contractor",
                        status="reported",
                    )

    def _makers(self, sentence: Sentence, token: Token) -> list[Entity]:
        found: list[Entity] = []
        for subject in children(token, "nsubj"):
            found += self.actors(sentence, [subject], agent=False)
            if not found:
                found += self._plural_anaphor(sentence, subject)
        return found

    def _plural_anaphor(self, sentence: Sentence, token: Token) -> list[Entity]:
        """ "Each of these entities", "these companies": the organizations of the sentence before."""
        words = {t.lower_ for t in token.subtree}
        if not words & {"these", "those"}:
            return []
        if not words & {
            "entities",
            "organizations",
            "organisations",
            "companies",
            "firms",
            "groups",
        }:
            return []
        if sentence.index == 0:
            return []
        previous = self.analysis.sentences[sentence.index - 1]
        found: list[Entity] = []
        for mention in previous.mentions:
            entity = mention.entity
            if (
                entity.type in ("organization", "company", "government-body")
                and entity not in found
            ):
                head = previous.doc[mention.end - 1]
                if head.dep_ == "poss":
                    continue
                found.append(entity)
        return found

    def _main_weapon(self) -> Entity | None:
        acquired = [
            f.object
            for f in self.facts
            if f.relation == "acquires" and f.object is not None
        ]
        if acquired:
            return acquired[0]
        if self.analysis.weapon_counts:
            return max(
                self.analysis.weapon_counts,
                key=lambda w: (self.analysis.weapon_counts[w], w.label),
            )
        return None

    # ---- sanctions -------------------------------------------------------------------

    def _is_sanction_noun(self, token: Token) -> bool:
        return self.is_group(token, "sanction_noun", "NOUN", "PROPN") and (
            self.lemma(token) in ("sanction", "embargo", "designation", "blacklisting")
            or any(
                self.lemma(c) in ("sanction", "economic", "financial", "trade")
                for c in token.subtree
            )
        )

    def _targets(self, sentence: Sentence, *tokens: Token) -> list[Entity]:
        found: list[Entity] = []
        for token in tokens:
            for obj in prep_objects(token, ("on", "against", "upon", "over")):
                found += [e for e in self.targets_of(sentence, obj) if e not in found]
        return found

    def targets_of(self, sentence: Sentence, token: Token) -> list[Entity]:
        """The actors a phrase names, or the unnamed group it describes ("several Chinese
        companies", "individuals linked to the program")."""
        found = self.actors(sentence, [token], agent=False)
        if found:
            return found
        return self._group_recipients(sentence, [token])

    def _laws(self, sentence: Sentence, *tokens: Token) -> list[Entity]:
        found: list[Entity] = []
        for token in tokens:
            for obj in prep_objects(token, ("under", "pursuant", "to")):
                entity = self._law(sentence, obj)
                if entity is not None and entity not in found:
                    found.append(entity)
            for prep in children(token, "prep"):
                if prep.lower_ == "pursuant":
                    for to in children(prep, "prep"):
                        for obj in children(to, "pobj"):
                            entity = self._law(sentence, obj)
                            if entity is not None and entity not in found:
                                found.append(entity)
        return found

    def _law(self, sentence: Sentence, token: Token) -> Entity | None:
        for i in range(token.left_edge.i, token.right_edge.i + 1):
            mention = sentence.by_token.get(i)
            if mention is not None and mention.entity.type == "law":
                return mention.entity
        if self.lemma(token) in ("authority", "program", "programme", "regime") and any(
            c.dep_ in ("compound", "amod") for c in token.children
        ):
            label = np_text(sentence, token)
            label = re.sub(r"^(?:the|our|this|same|its)\s+", "", label, flags=re.I)
            label = re.sub(r"^(?:same)\s+", "", label, flags=re.I)
            return Entity("law", label)
        return None

    def threat(self, sentence: Sentence, token: Token) -> None:
        """ "the US is threatening Turkey with sanctions", "Y risks U.S. sanctions under Z if ..."."""
        if token.pos_ != "VERB" or not self.is_group(token, "threaten"):
            return
        lemma = self.lemma(token)
        sanctions = [
            o
            for o in prep_objects(token, ("with",)) + children(token, "dobj")
            if self._is_sanction_noun(o)
        ]
        xcomps = [
            x
            for x in children(token, "xcomp")
            if self.is_group(x, "sanction") or self.is_group(x, "sanction_verb")
        ]
        if lemma in ("risk", "face"):
            if not sanctions:
                return
            targets = subjects_of(self.analysis, sentence, token)
            imposers = self._sanction_owner(sentence, sanctions[0]) or self._warner(
                sentence, token
            )
        elif sanctions and lemma in ("threaten", "warn"):
            targets, imposers = self._hit_with(sentence, token, sanctions[0])
            if not targets:  # "threatened new sanctions against Belarus"
                targets = self._targets(sentence, *sanctions)
        elif xcomps:
            targets = self._targets(
                sentence, *xcomps, *[o for x in xcomps for o in children(x, "dobj")]
            )
            targets += [
                e
                for x in xcomps
                for e in self.actors(sentence, children(x, "dobj"), agent=False)
                if self.is_group(x, "sanction_verb")
            ]
            imposers = subjects_of(self.analysis, sentence, token)
        else:
            return
        laws = self._laws(sentence, token, *sanctions, *xcomps)
        reason = self._reason(sentence, token, *sanctions)
        imposers = self.states(
            self.analysis.state_of(i) or i if i.type == "person" else i
            for i in imposers
        )
        frame = self.framer.frame(
            sentence, token, claim=lemma not in ("warn", "threaten")
        )
        if frame.claimant is not None and frame.claimant in imposers:
            # A warning of one's own sanctions is the threat itself, not a claim about it.
            frame = replace(
                frame,
                claimant=None,
                status="reported" if frame.status == "claimed" else frame.status,
            )
        for imposer in imposers:
            for target in targets:
                self.emit(
                    "threatensSanctions",
                    sentence,
                    token,
                    imposer,
                    target,
                    rule=f"threatensSanctions.{lemma}",
                    roles=[("geokg:legalBasis", law) for law in laws],
                    frame=frame,
                    reason=reason,
                )
            for law in laws:
                self.emit(
                    "sanctionsUnderLaw",
                    sentence,
                    token,
                    imposer,
                    law,
                    rule="sanctionsUnderLaw.threat",
                    frame=frame,
                )

    def asset_freeze(self, sentence: Sentence, token: Token) -> None:
        """ "Britain froze the assets of five Russian oligarchs", "the US blocked Iran's
        funds": freezing what a target owns is a sanction on it."""
        if token.pos_ != "VERB" or not self.is_group(token, "freeze"):
            return
        passive = any(c.dep_ == "nsubjpass" for c in token.children)
        holdings = [
            o
            for o in children(token, "nsubjpass" if passive else "dobj")
            if self.is_group(o, "asset_noun")
        ]
        targets: list[Entity] = []
        for holding in holdings:
            # "the assets of X", "X's assets", "Russian assets"
            owners = children(holding, "poss") + prep_objects(holding, ("of",))
            owners += [
                c
                for c in children(holding, "amod", "compound")
                if (m := self.analysis.mention_at(sentence, c)) is not None
                and m.entity.type in ACTOR_TYPES
            ]
            for owner in owners:
                targets += [
                    e for e in self.targets_of(sentence, owner) if e not in targets
                ]
        if not targets:
            return
        imposers = self.states(
            subjects_of(self.analysis, sentence, token)
            if not passive
            else self.actors(sentence, prep_objects(token, ("by",)))
        )
        for imposer in imposers:
            for target in targets:
                if target != imposer:
                    self.emit(
                        "imposesSanctions",
                        sentence,
                        token,
                        imposer,
                        target,
                        rule="imposesSanctions.freeze",
                    )

    def _hit_with(
        self, sentence: Sentence, verb: Token, sanctions: Token
    ) -> tuple[list[Entity], list[Entity]]:
        """ "The EU hit Russia with new sanctions", "Russia was targeted with sanctions
        by the EU": the targets and the imposers of sanctions a verb deals "with" (the
        parser may hang "by the EU" on the sanctions)."""
        if verb.pos_ != "VERB":
            return [], []
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            targets = self.actors(sentence, children(verb, "nsubjpass"), agent=False)
            agents = prep_objects(verb, ("by",)) + prep_objects(sanctions, ("by",))
            return targets, self.actors(sentence, agents)
        targets = self.actors(sentence, children(verb, "dobj"), agent=False)
        return targets, subjects_of(self.analysis, sentence, verb)

    def _sanction_owner(self, sentence: Sentence, noun: Token) -> list[Entity]:
        return self.actors(
            sentence,
            [
                c
                for c in noun.children
                if c.dep_ in ("compound", "amod", "poss", "nmod")
            ],
        )

    def _warner(self, sentence: Sentence, token: Token) -> list[Entity]:
        report = self.framer.report_ancestor(sentence, token)
        if report is not None:
            return subjects_of(self.analysis, sentence, report)
        return []

    def _reason(self, sentence: Sentence, *tokens: Token) -> str | None:
        for token in tokens:
            for prep in children(token, "prep"):
                if prep.lower_ == "for":
                    return np_text(sentence, prep, skip_det=False)
        return None

    def imposition(self, sentence: Sentence, token: Token) -> None:
        """ "the UNSC voted to impose sanctions on North Korea", "the US sanctioned X"."""
        if token.pos_ != "VERB":
            return
        lemma = self.lemma(token)
        if self.is_group(token, "sanction"):
            sanctions = [
                o
                for o in children(token, "dobj", "nsubjpass")
                if self._is_sanction_noun(o)
            ]
            if not sanctions:
                return
            targets = self._targets(sentence, token, *sanctions)
            for sanction in sanctions:
                for child in sanction.children:
                    if child.dep_ in ("acl", "amod"):
                        targets += [
                            t
                            for t in self._targets(sentence, child)
                            if t not in targets
                        ]
        elif self.is_group(token, "sanction_verb"):
            sanctions = []
            passive = any(c.dep_ == "nsubjpass" for c in token.children)
            objects = children(token, "nsubjpass" if passive else "dobj")
            if (
                not objects
                and token.dep_ in ("relcl", "acl")
                and passive is False
                and token.tag_ == "VBN"
            ):
                objects = [token.head]
            targets = [e for o in objects for e in self.targets_of(sentence, o)]
            if token.dep_ == "relcl" and passive and not targets:
                targets = self.actors(sentence, [token.head], agent=False)
        else:
            return
        if token.dep_ == "xcomp" and self.is_group(token.head, "threaten"):
            return
        if not targets:
            return
        imposers = subjects_of(
            self.analysis, sentence, token
        ) or self._implicit_imposer(sentence, token)
        frame = self.framer.frame(sentence, token)
        relation = "imposesSanctions"
        report = self.framer.report_ancestor(sentence, token)
        if (
            report is not None
            and self.lemma(report) in ("warn", "threaten")
            and frame.status in ("expected", "possible", "claimed")
        ):
            # "The EU warned that it would impose sanctions": the warning is the threat.
            relation = "threatensSanctions"
            own = frame.claimant is not None and frame.claimant in imposers
            frame = replace(
                frame,
                status="reported" if own else frame.status,
                claimant=None if own else frame.claimant,
            )
        elif frame.status in ("possible",) or self._hedged(token):
            relation = "threatensSanctions"
            frame = replace(frame, status="possible")
        laws = self._laws(sentence, token, *sanctions)
        for imposer in imposers:
            for target in targets:
                self.emit(
                    relation,
                    sentence,
                    token,
                    imposer,
                    target,
                    rule=f"{relation}.{lemma}",
                    roles=[("geokg:legalBasis", law) for law in laws],
                    frame=frame,
                    reason=self._reason(sentence, token, *sanctions),
                )
            for law in laws:
                self.emit(
                    "sanctionsUnderLaw",
                    sentence,
                    token,
                    imposer,
                    law,
                    rule="sanctionsUnderLaw.imposition",
                    frame=frame,
                )

    def _hedged(self, token: Token) -> bool:
        current = token
        for _ in range(3):
            if current.head is current:
                return False
            current = current.head
            if self.lemma(current) in ("possibility", "threat", "risk", "prospect"):
                return True
        return False

    def _implicit_imposer(self, sentence: Sentence, token: Token) -> list[Entity]:
        """An agentless "X was designated under our authority": the authority's owner, else the
        law's state, else the article's own voice."""
        for obj in prep_objects(token, ("under",)):
            for possessor in children(obj, "poss"):
                entity = self.analysis.entity(sentence, possessor, agent=True)
                if entity is not None:
                    return [entity]
        return [self.analysis.voice] if self.analysis.voice is not None else []

    def sanction_noun(self, sentence: Sentence, token: Token) -> None:
        """ "UN sanctions on the DPRK", "the designation of Iran's Marine Industries Organization"."""
        if token.pos_ not in ("NOUN", "PROPN") or not self._is_sanction_noun(token):
            return
        if token.dep_ in ("dobj", "nsubjpass") and (
            self.is_group(token.head, "sanction")
            or self.is_group(token.head, "threaten")
        ):
            return
        governor = governing_verb(token)
        if governor is not None and self.is_group(governor, "sanction_lift"):
            return  # "the EU lifted its sanctions on Belarus" ends them
        if (
            token.dep_ == "pobj"
            and token.head.lower_ == "with"
            and self.is_group(token.head.head, "threaten")
        ):
            return
        lemma = self.lemma(token)
        if lemma in ("designation", "blacklisting"):
            targets = self.actors(sentence, prep_objects(token, ("of",)), agent=False)
            if token.dep_ == "nsubj" and self.lemma(token.head) == "include":
                targets += self.actors(
                    sentence, children(token.head, "dobj"), agent=False
                )
        else:
            targets = self._targets(sentence, token)
            if not targets and token.dep_ == "pobj" and token.head.lower_ == "of":
                targets = self._targets(sentence, token.head.head)
        with_imposers: list[Entity] = []
        if not targets and token.dep_ == "pobj" and token.head.lower_ == "with":
            targets, with_imposers = self._hit_with(sentence, token.head.head, token)
        if not targets:
            return
        imposers = with_imposers or self._sanction_owner(sentence, token)
        if not imposers:
            governor = (
                token.head
                if token.dep_ in ("dobj", "attr")
                else (token.head.head if token.dep_ == "pobj" else None)
            )
            if governor is not None:
                imposers = subjects_of(self.analysis, sentence, governor)
        if not imposers and token.dep_ == "nsubj":
            imposers = [self.analysis.voice] if self.analysis.voice is not None else []
        laws = self._laws(sentence, token)
        frame = self.framer.frame(sentence, token)
        for imposer in imposers:
            for target in targets:
                if (
                    target.type == "state"
                    and imposer.type == "state"
                    and target == imposer
                ):
                    continue
                self.emit(
                    "imposesSanctions",
                    sentence,
                    token,
                    imposer,
                    target,
                    rule=f"imposesSanctions.{lemma}",
                    roles=[("geokg:legalBasis", law) for law in laws],
                    frame=frame,
                )
            for law in laws:
                self.emit(
                    "sanctionsUnderLaw",
                    sentence,
                    token,
                    imposer,
                    law,
                    rule="sanctionsUnderLaw.noun",
                    frame=frame,
                )

    def legal_basis(self, sentence: Sentence, token: Token) -> None:
        """A sanctions programme named as the basis of action: "the implementation of Executive
        Order 13949", "sanctioned pursuant to the same WMD counterproliferation authority"."""
        if token.lower_ not in ("implementation", "pursuant", "under"):
            return
        if token.lower_ == "implementation":
            laws = [self._law(sentence, o) for o in prep_objects(token, ("of",))]
            governor = token.head if token.dep_ in ("dobj", "nsubj") else None
            imposers = (
                subjects_of(self.analysis, sentence, governor)
                if governor is not None
                else []
            )
        else:
            objects = [o for o in children(token, "pobj")] + [
                o for p in children(token, "prep") for o in children(p, "pobj")
            ]
            laws = [self._law(sentence, o) for o in objects]
            head = token.head
            if head.pos_ != "VERB" or not (
                self.is_group(head, "sanction_verb") or self.is_group(head, "sanction")
            ):
                return
            imposers = subjects_of(
                self.analysis, sentence, head
            ) or self._implicit_imposer(sentence, head)
        for law in laws:
            if law is None:
                continue
            if not imposers:
                imposers = self._law_state(law)
            for imposer in imposers:
                self.emit(
                    "sanctionsUnderLaw",
                    sentence,
                    token,
                    imposer,
                    law,
                    rule="sanctionsUnderLaw.basis",
                )

    def _law_state(self, law: Entity) -> list[Entity]:
        return [self.analysis.voice] if self.analysis.voice is not None else []

    # ---- alliances -------------------------------------------------------------------

    def membership(self, sentence: Sentence, token: Token) -> None:
        """ "Greece, a member of NATO", "NATO member Turkey", "the first NATO member state"."""
        if token.pos_ not in ("NOUN", "PROPN") or not self.is_group(token, "member"):
            return
        if token.tag_ in ("NNS", "NNPS") and token.dep_ not in ("compound",):
            return
        noun = token
        while (
            noun.dep_ == "compound"
            and noun.head.pos_ in ("NOUN",)
            and self.lemma(noun.head) in ("state", "country", "nation")
        ):
            noun = noun.head
        if noun.tag_ in ("NNS", "NNPS"):
            return
        orgs = self._member_orgs(sentence, token, noun)
        if not orgs:
            return
        members = self._members(sentence, token, noun)
        if self.lemma(token) == "partner" and not any(
            o.type == "alliance" for o in orgs
        ):
            return
        for member in members:
            for org in orgs:
                if member.type in (
                    "state",
                    "alliance",
                    "international-organization",
                    "organization",
                ):
                    self.emit(
                        "memberOf", sentence, token, member, org, rule="memberOf.noun"
                    )

    def _member_orgs(
        self, sentence: Sentence, token: Token, noun: Token
    ) -> list[Entity]:
        orgs: list[Entity] = []
        candidates = prep_objects(token, ("of",)) + prep_objects(noun, ("of",))
        candidates += [
            c for c in token.children if c.dep_ in ("compound", "amod", "nmod", "poss")
        ]  # "NATO member Turkey", "NATO's 32nd member"
        candidates += [
            c
            for c in noun.children
            if c.dep_ in ("compound", "amod", "nmod") and c.i != token.i
        ]
        for candidate in candidates:
            for entity in phrase_entities(self.analysis, sentence, candidate):
                if (
                    entity.type in ("alliance", "international-organization")
                    and entity not in orgs
                ):
                    orgs.append(entity)
        return orgs

    def _members(self, sentence: Sentence, token: Token, noun: Token) -> list[Entity]:
        if noun.dep_ == "appos":
            found = [
                e
                for e in self.actors(sentence, [noun.head], agent=False)
                if e.type == "state"
            ]
            if found:
                return found
        if noun.dep_ == "attr":
            return self.actors(sentence, children(noun.head, "nsubj"), agent=False)
        if noun.dep_ == "compound":
            return self.actors(sentence, [noun.head], agent=False)
        for appos in children(noun, "appos"):
            found = self.actors(sentence, [appos], agent=False)
            if found:
                return found
        if token.i + 1 < len(sentence.doc):
            mention = sentence.by_token.get(noun.i + 1)
            if mention is not None and mention.entity.type == "state":
                return [mention.entity]
        heads = [noun, noun.head] if noun.dep_ == "appos" else [noun]
        determiners = {
            c.lower_ for h in heads for c in h.children if c.dep_ in ("poss", "det")
        }
        if determiners & {"our", "its", "their", "this", "the"} and self.lemma(
            token
        ) in ("ally", "partner"):
            candidate = self.analysis.nearest(sentence, noun, {"state"})
            if candidate is not None and candidate != self.analysis.voice:
                return [candidate]
            if sentence.index > 0:
                previous = self.analysis.sentences[sentence.index - 1]
                for mention in previous.mentions:
                    if (
                        mention.entity.type == "state"
                        and mention.entity != self.analysis.voice
                    ):
                        return [mention.entity]
        return []

    def council_vote(self, sentence: Sentence, token: Token) -> None:
        """ "Russia vetoed the resolution", "China decided to abstain", "Russia's veto":
        in an article about the UN Security Council, only its members veto or abstain."""
        council = self.analysis.lexicon.entries.get(
            "international-organization:United Nations Security Council"
        )
        if council is None or not self._council_named(sentence, council.entity):
            return
        if token.pos_ == "VERB":
            voters = subjects_of(self.analysis, sentence, token)
        elif token.pos_ == "NOUN":
            named = [  # "its veto": too weak a link for a membership
                t
                for t in children(token, "poss") + prep_objects(token, ("by",))
                if t.pos_ != "PRON"
            ]
            voters = self.actors(sentence, named)
        else:
            return
        for voter in voters:
            if voter.type == "state":
                # Membership holds whether the vote was cast, avoided or prevented.
                self.emit(
                    "memberOf",
                    sentence,
                    token,
                    voter,
                    council.entity,
                    rule="memberOf.council-vote",
                    frame=Frame("reported"),
                )

    def _council_named(self, sentence: Sentence, council: Entity) -> bool:
        """Whether the Security Council is named in this sentence or an earlier one."""
        return any(
            m.entity == council
            for s in self.analysis.sentences[: sentence.index + 1]
            for m in s.mentions
        )

    def joining(self, sentence: Sentence, token: Token) -> None:
        """ "Finland acceded to NATO", "Finland and Sweden joined the EU", "applied to join NATO"."""
        if token.pos_ == "VERB" and self.is_group(token, "join"):
            orgs = self.actors(
                sentence,
                children(token, "dobj") + prep_objects(token, ("to", "into")),
                agent=False,
            )
            orgs = [
                o for o in orgs if o.type in ("alliance", "international-organization")
            ]
            if self.lemma(token) == "enter" and not orgs:
                return
            for member in subjects_of(self.analysis, sentence, token):
                for org in orgs:
                    self.emit(
                        "memberOf", sentence, token, member, org, rule="memberOf.join"
                    )
        elif (
            token.pos_ == "NOUN"
            and self.is_group(token, "join_noun")
            and self.lemma(token) in ("accession", "admission")
        ):
            members = self.actors(sentence, children(token, "poss"), agent=False)
            orgs = self.actors(
                sentence, prep_objects(token, ("to", "into")), agent=False
            )
            if not orgs:
                orgs = self._salient_alliance()
            for member in members:
                for org in orgs:
                    self.emit(
                        "memberOf",
                        sentence,
                        token,
                        member,
                        org,
                        rule="memberOf.accession",
                        status="expected",
                    )

    def _salient_alliance(self) -> list[Entity]:
        counts: dict[Entity, int] = {}
        for sentence in self.analysis.sentences:
            for mention in sentence.mentions:
                if mention.entity.type == "alliance":
                    counts[mention.entity] = counts.get(mention.entity, 0) + 1
        if not counts:
            return []
        return [max(counts, key=lambda e: (counts[e], e.label))]

    # ---- stances ---------------------------------------------------------------------

    def stance_object(
        self, sentence: Sentence, token: Token
    ) -> tuple[Entity | None, str | None]:
        """What is opposed or supported: an entity, the agent of an event ("the acquisition ...
        by Turkey" -> Turkey), or the words of the phrase."""
        entity = self.analysis.entity(sentence, token)
        if entity is not None and entity.type != "post":
            return entity, None
        lemma = self.lemma(token)
        if lemma in self.words("acquire_noun") | {"decision", "deal", "plan", "move"}:
            agents = self.actors(
                sentence,
                children(token, "poss") + prep_objects(token, ("by",)),
                agent=False,
            )
            if agents:
                return agents[0], None
        text = np_text(sentence, token)
        return (None, text) if text else (None, None)

    def opposition(self, sentence: Sentence, token: Token) -> None:
        """ "Washington strongly opposes the acquisition ... by Turkey", "China's veto of X",
        "despite the objections of the USA", "a negative reaction from the USA and NATO"."""
        lemma = self.lemma(token)
        if token.pos_ == "VERB" and self._blocks_accession(token):
            self._opposes(
                sentence,
                token,
                subjects_of(self.analysis, sentence, token),
                children(token, "dobj"),
            )
        elif token.pos_ == "VERB" and self.is_group(token, "oppose"):
            if lemma == "reject" and any(
                self.is_group(o, "report_noun") for o in children(token, "dobj")
            ):
                return
            objects = children(token, "dobj") + prep_objects(token, ("against",))
            if lemma == "object":  # "objected to X", but "blocked the sale to X"
                objects += prep_objects(token, ("to",))
            if lemma == "veto":
                objects = objects or children(token, "dobj")
            self._opposes(
                sentence, token, subjects_of(self.analysis, sentence, token), objects
            )
        elif token.pos_ == "NOUN" and self.is_group(token, "oppose_noun"):
            self._opposition_noun(sentence, token)
        elif token.pos_ == "NOUN" and self.is_group(token, "stance"):
            self._stance(sentence, token)
        elif token.lower_ in self.words("oppose_adj") and (
            token.pos_ == "ADJ" or token.dep_ == "acomp"
        ):
            opposers = subjects_of(
                self.analysis, sentence, token.head if token.dep_ == "acomp" else token
            )
            objects = prep_objects(token, ("by", "with", "at", "about", "over"))
            self._opposes(sentence, token, opposers, objects)

    def _opposes(
        self,
        sentence: Sentence,
        token: Token,
        opposers: list[Entity],
        objects: list[Token],
    ) -> None:
        """Each opposer opposes what each object phrase names."""
        for obj in objects:
            entity, text = self.stance_object(sentence, obj)
            for opposer in opposers:
                self.emit(
                    "opposes",
                    sentence,
                    token,
                    opposer,
                    entity,
                    text,
                    rule=f"opposes.{self.lemma(token)}",
                )

    def _blocks_accession(self, token: Token) -> bool:
        """ "Hungary blocked Sweden's bid to join NATO": blocking a membership is
        opposing it."""
        return self.is_group(token, "refuse") and any(
            self.is_group(o, "join_noun") or self.lemma(o) == "bid"
            for o in children(token, "dobj")
        )

    def _stance(self, sentence: Sentence, token: Token) -> None:
        """ "X is expected to take a tougher stance on Y": X opposes Y."""
        if not any(c.lower_ in self.words("hardline") for c in token.children):
            return
        if token.dep_ != "dobj" or self.lemma(token.head) not in (
            "take",
            "adopt",
            "pursue",
        ):
            return
        objects = prep_objects(token, ("on", "against", "toward", "towards"))
        for opposer in subjects_of(self.analysis, sentence, token.head):
            for obj in objects:
                entity, text = self._topic(obj) or self.stance_object(sentence, obj)
                self.emit(
                    "opposes",
                    sentence,
                    token,
                    opposer,
                    entity,
                    text,
                    rule="opposes.stance",
                )

    def _topic(self, token: Token) -> tuple[Entity | None, str | None] | None:
        """ "the issue", "this matter": the dispute the article has been about, that is
        what the last stance read before was taken on."""
        if self.lemma(token) not in (
            "issue",
            "matter",
            "question",
            "dispute",
            "row",
        ) or any(c.dep_ not in ("det",) for c in token.children):
            return None
        for fact in reversed(self.facts):
            if fact.relation in ("opposes", "supports"):
                return fact.object, fact.object_text
        return None

    def _opposition_noun(self, sentence: Sentence, token: Token) -> None:
        lemma = self.lemma(token)
        if lemma == "reaction" and not any(
            c.lower_ in NEGATIVE_WORDS for c in token.subtree
        ):
            return
        if (
            lemma == "concern"
            and not prep_objects(token, ("by",))
            and not any(
                c.dep_ == "acl" and prep_objects(c, ("by",)) for c in token.children
            )
        ):
            return
        opposers = self.actors(
            sentence,
            children(token, "poss") + prep_objects(token, ("of", "from", "by")),
        )
        for acl in children(token, "acl"):
            opposers += [
                e
                for e in self.actors(sentence, prep_objects(acl, ("by",)))
                if e not in opposers
            ]
        opposers = [o for o in opposers if o.type in ACTOR_TYPES]
        if not opposers:
            return
        objects = prep_objects(token, ("to", "against", "over")) + (
            prep_objects(token, ("of",)) if lemma == "veto" else []
        )
        targets: list[tuple[Entity | None, str | None]] = [
            self.stance_object(sentence, o) for o in objects
        ]
        if not targets:
            governor = token.head
            if token.dep_ == "pobj":
                governor = governor.head
            if governor.pos_ in ("VERB", "AUX"):
                subject = children(governor, "nsubj", "nsubjpass")
                if token.dep_ == "dobj" and subject:
                    targets = [self.stance_object(sentence, subject[0])]
                elif token.dep_ in ("pobj", "agent") and governor.dep_ in ("relcl",):
                    targets = [
                        (e, None)
                        for e in subjects_of(self.analysis, sentence, governor)
                    ]
                elif token.dep_ == "pobj":
                    targets = [
                        (e, None)
                        for e in subjects_of(self.analysis, sentence, governor)
                    ]
                    if not targets and subject:
                        targets = [self.stance_object(sentence, subject[0])]
        for entity, text in targets:
            for opposer in opposers:
                if entity is not None and entity == opposer:
                    continue
                self.emit(
                    "opposes",
                    sentence,
                    token,
                    opposer,
                    entity,
                    text,
                    rule=f"opposes.{lemma}",
                )

    def delay(self, sentence: Sentence, token: Token) -> None:
        """ "Sweden's accession has been delayed by concerns raised by Turkey": Turkey opposes it."""
        if token.pos_ != "VERB" or not self.is_group(token, "delay"):
            return
        if not any(c.dep_ == "nsubjpass" for c in token.children):
            return
        agents = prep_objects(token, ("by",))
        opposers: list[Entity] = []
        for agent in agents:
            opposers += self.actors(sentence, [agent])
            for acl in children(agent, "acl"):
                opposers += self.actors(sentence, prep_objects(acl, ("by",)))
        text = " ".join(np_text(sentence, s) for s in children(token, "nsubjpass"))
        for opposer in opposers:
            self.emit(
                "opposes",
                sentence,
                token,
                opposer,
                None,
                text,
                rule="opposes.delay",
                status="reported",
            )

    def support(self, sentence: Sentence, token: Token) -> None:
        """ "X supports NATO enlargement", "later agreed to this tougher resolution"."""
        if not self.is_group(token, "support", "VERB"):
            return
        lemma = self.lemma(token)
        if any(self.weapons.is_cue(o) for o in prep_objects(token, ("with",))):
            return
        objects = (
            children(token, "dobj")
            if lemma != "agree"
            else prep_objects(token, ("to",))
        )
        if lemma == "agree" and not objects:
            return
        supporters = subjects_of(self.analysis, sentence, token)
        if (
            not supporters
            and self.analysis.voice is not None
            and token.dep_ in ("xcomp", "csubj", "ccomp")
        ):
            supporters = [self.analysis.voice]
        for obj in objects:
            entity, text = self.stance_object(sentence, obj)
            if lemma in ("assist", "help") and entity is not None:
                extra = " ".join(
                    np_text(sentence, p, skip_det=False)
                    for p in children(token, "prep")
                )
                text = f"{np_text(sentence, obj)} {extra}".strip()
                entity = None
            for supporter in supporters:
                self.emit(
                    "supports",
                    sentence,
                    token,
                    supporter,
                    entity,
                    text,
                    rule=f"supports.{lemma}",
                )

    # ---- proposals -------------------------------------------------------------------

    def proposal(self, sentence: Sentence, token: Token) -> None:
        """ "X proposed a resolution", "suggested that A and B should discuss ...", "applied to
        join NATO", "call upon all states to ...", "our offer of a joint working group"."""
        lemma = self.lemma(token)
        if token.pos_ == "VERB" and self.is_group(token, "propose"):
            content = self._proposal_content(sentence, token)
            if content is None:
                return
            addressees = self.actors(
                sentence, prep_objects(token, ("to",)), agent=False
            )
            for obj in children(token, "dobj"):
                for to in prep_objects(obj, ("to",)):
                    found = self.actors(sentence, [to], agent=False)
                    if found:
                        addressees += found
                        content = _trim(sentence.doc[obj.left_edge.i : to.head.i].text)
                        content = re.sub(r"^(?:a|an|the)\s+", "", content)
            for proposer in subjects_of(self.analysis, sentence, token):
                self.emit(
                    "proposes",
                    sentence,
                    token,
                    proposer,
                    None,
                    content,
                    rule=f"proposes.{lemma}",
                    roles=[("geokg:addressee", a) for a in addressees],
                    status=None,
                )
        elif (
            token.pos_ == "NOUN"
            and self.is_group(token, "propose_noun")
            and lemma in ("proposal", "offer", "suggestion")
        ):
            proposers = self.actors(
                sentence, children(token, "poss") + prep_objects(token, ("by", "from"))
            )
            contents = prep_objects(token, ("of", "for")) + children(token, "acl")
            for phrase in contents:
                text = np_text(sentence, phrase)
                for proposer in proposers:
                    self.emit(
                        "proposes",
                        sentence,
                        token,
                        proposer,
                        None,
                        text,
                        rule=f"proposes.{lemma}",
                    )

    def _proposal_content(self, sentence: Sentence, token: Token) -> str | None:
        lemma = self.lemma(token)
        if lemma == "apply":
            for xcomp in children(token, "xcomp"):
                if self.is_group(xcomp, "join"):
                    orgs = self.actors(sentence, children(xcomp, "dobj"), agent=False)
                    if orgs:
                        return f"joining {orgs[0].label}"
            return None
        if lemma == "call":
            objects = prep_objects(token, ("for", "on", "upon"))
            if not objects:
                return None
            start = min(p.left_edge.i for p in objects)
            end = token.right_edge.i + 1
            doc = sentence.doc
            while start < end and doc[start].dep_ in ("det", "predet"):
                start += 1
            return _trim(doc[start:end].text) or None
        if lemma in ("urge", "request", "invite", "recommend"):
            parts = [
                np_text(sentence, o) for o in children(token, "dobj", "ccomp", "xcomp")
            ]
            return " ".join(p for p in parts if p) or None
        if lemma == "suggest":
            for ccomp in children(token, "ccomp"):
                if any(c.lower_ in ("should", "must", "could") for c in ccomp.children):
                    return np_text(sentence, ccomp)
            objects = [o for o in children(token, "dobj") if o.pos_ == "NOUN"]
            return np_text(sentence, objects[0]) if objects else None
        objects = children(token, "dobj", "ccomp")
        if not objects:
            return None
        return np_text(sentence, objects[0])

    # ---- assessments -----------------------------------------------------------------

    def threat_to(self, sentence: Sentence, token: Token) -> None:
        """ "the missiles are a threat to our warships", "X poses a persistent threat to Y"."""
        if token.pos_ == "NOUN" and self.is_group(token, "threat_noun"):
            if token.dep_ == "attr" or (
                token.dep_ == "dobj"
                and self.lemma(token.head)
                in ("pose", "represent", "constitute", "present")
            ):
                sources = children(token.head, "nsubj")
            else:
                return
            # "poses a threat to Y": the parser may hang "to Y" on the verb.
            targets = prep_objects(token, ("to", "for")) or prep_objects(
                token.head, ("to", "for")
            )
            if not targets:
                return
            subjects = self._threat_sources(sentence, sources, token.head)
        elif token.pos_ == "VERB" and self.is_group(token, "threat_verb"):
            targets = children(token, "dobj")
            subjects = self._threat_sources(sentence, children(token, "nsubj"), token)
        else:
            return
        for target in targets:
            weapons = self.weapons.in_phrase(sentence, target)
            entity = weapons[0] if weapons else self.analysis.entity(sentence, target)
            text = None if entity is not None else np_text(sentence, target)
            for subject in subjects:
                self.emit(
                    "threatTo", sentence, token, subject, entity, text, rule="threatTo"
                )

    def _threat_sources(
        self, sentence: Sentence, tokens: list[Token], verb: Token
    ) -> list[Entity]:
        found: list[Entity] = []
        for token in tokens:
            weapons = self.weapons.in_phrase(sentence, token)
            if weapons:
                found += weapons
                continue
            found += self.actors(sentence, [token])
            if not found:
                found += self.actors(
                    sentence,
                    children(token, "poss")
                    + [c for c in token.children if c.dep_ in ("amod", "compound")],
                )
        if not found and verb.dep_ == "conj":
            found = subjects_of(self.analysis, sentence, verb)
        return found

    def interoperability(self, sentence: Sentence, token: Token) -> None:
        """ "the Su-35s ... would not be interoperable with EU systems"."""
        if not self.is_group(token, "interoperable"):
            return
        negated = (
            any(c.dep_ == "neg" for c in token.children)
            or any(c.dep_ == "neg" for c in token.head.children)
            or token.lower_.startswith(("in", "non"))
        )
        if not negated:
            return
        copula = token.head if token.dep_ == "acomp" else token
        subjects = children(copula, "nsubj")
        if not subjects and copula.dep_ == "conj":
            subjects = children(copula.head, "nsubj")
        systems = [w for s in subjects for w in self.weapons.in_phrase(sentence, s)]
        for obj in prep_objects(token, ("with",)):
            named = self.weapons.in_phrase(sentence, obj, generic=False)
            other = named[0] if named else self.analysis.entity(sentence, obj)
            if other is None:
                for child in obj.children:
                    if child.dep_ in ("compound", "amod"):
                        other = self.analysis.entity(sentence, child)
                        if other is not None:
                            break
            for system in systems:
                # The negation is the relation itself ("not interoperable"), not a denial.
                claimant = self.framer.claimant(sentence, token)
                status = "claimed" if claimant is not None else "reported"
                frame = replace(
                    self.framer.frame(sentence, token), status=status, claimant=claimant
                )
                if other is not None:
                    self.emit(
                        "notInteroperableWith",
                        sentence,
                        token,
                        system,
                        other,
                        rule="notInteroperableWith",
                        frame=frame,
                    )

    # ---- offices ---------------------------------------------------------------------

    def offices(self, sentence: Sentence) -> None:
        """A fact for every named holder of a post this sentence gives."""
        for holding in self.analysis.holdings:
            if (
                holding.sentence != sentence.index
                or holding.holder is None
                or not holding.post.post_in
            ):
                continue
            token = sentence.doc[holding.title_start]
            frame = Frame()
            self.emit(
                "holdsPosition",
                sentence,
                token,
                holding.holder,
                holding.post,
                rule="holdsPosition.title",
                frame=frame,
            )
            if holding.head and holding.post.post_in_type != "state":
                # Heads of organizations (NATO's Secretary General); a head of state's post
                # already says it, and the facts table keeps to the post.
                organization = Entity(
                    holding.post.post_in_type or "organization", holding.post.post_in
                )
                self.emit(
                    "headOf",
                    sentence,
                    token,
                    holding.holder,
                    organization,
                    rule="headOf.title",
                    frame=frame,
                )

    #: Each rule and the trigger groups (``triggers.tsv``) whose words it starts from.
    RULES = (
        (acquisition_verb, frozenset({"acquire"})),
        (acquisition_noun, frozenset({"acquire_noun"})),
        (request, frozenset({"acquire_request"})),
        (contract, frozenset({"contract_noun"})),
        (supply_verb, frozenset({"supply", "support"})),
        (supply_noun, frozenset({"supply_noun"})),
        (inclusion, frozenset({"include"})),
        (delivery, frozenset({"deliver", "deliver_noun"})),
        (operation, frozenset({"operate"})),
        (refusal, frozenset({"refuse"})),
        (origin, frozenset({"made"})),
        (manufacture, frozenset({"manufacture"})),
        (threat, frozenset({"threaten"})),
        (imposition, frozenset({"sanction", "sanction_verb"})),
        (sanction_noun, frozenset({"sanction_noun"})),
        (asset_freeze, frozenset({"freeze"})),
        (legal_basis, frozenset({"legal_basis"})),
        (membership, frozenset({"member"})),
        (council_vote, frozenset({"council_vote"})),
        (joining, frozenset({"join", "join_noun"})),
        (
            opposition,
            frozenset({"oppose", "oppose_noun", "oppose_adj", "stance", "refuse"}),
        ),
        (delay, frozenset({"delay"})),
        (support, frozenset({"support"})),
        (proposal, frozenset({"propose", "propose_noun"})),
        (threat_to, frozenset({"threat_noun", "threat_verb"})),
        (interoperability, frozenset({"interoperable"})),
    )


def trigger_matcher(lexicon: Lexicon, sentences: list[Sentence]) -> Matcher:
    """A spaCy Matcher that finds the trigger words of every group, by lemma or form."""
    from spacy.matcher import Matcher

    key = id(lexicon)
    cached = _MATCHERS.get(key)
    vocab = sentences[0].doc.vocab if sentences else None
    if cached is not None and (vocab is None or cached[1] is vocab):
        return cached[0]
    if vocab is None:
        from spacy.vocab import Vocab

        vocab = Vocab()
    matcher = Matcher(vocab)
    for group in sorted(lexicon.triggers):
        words = sorted(lexicon.triggers[group])
        matcher.add(group, [[{"LEMMA": {"IN": words}}], [{"LOWER": {"IN": words}}]])
    _MATCHERS[key] = (matcher, vocab)
    return matcher


_MATCHERS: dict[int, tuple[Matcher, object]] = {}


def matched_groups(matcher: Matcher, doc: Doc) -> dict[int, set[str]]:
    """For each token of a parsed paragraph, the trigger groups its word belongs to."""
    groups: dict[int, set[str]] = {}
    for match_id, start, _ in matcher(doc):
        groups.setdefault(start, set()).add(doc.vocab.strings[match_id])
    return groups


def read_facts(analysis: Analysis) -> Iterator[Fact]:
    """Yield the facts of an analysed article."""
    yield from RelationReader(analysis).read()
