"""The analysed article: sentences with their mentions, and who each word refers to.

Resolution happens here, for the whole article: surnames to full names ("Doe" ->
"Jane Doe"), acronyms the article defines, offices and their holders ("the defense
minister" -> the person the article names as defence minister, or an unnamed holder of
the post), pronouns ("it", "he", "the country") to the nearest compatible entity, "we"
and "our" to the speaker of a quotation or to the voice of the document, government
bodies acting for their state, and generic weapon phrases ("the Russian system") to
the weapon system the article is about.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from geokg.extract.lexicon import LexEntry, Lexicon, Office, fold
from geokg.extract.mentions import Mention, acronym_definitions, find_mentions
from geokg.extract.nlp import Paragraph
from geokg.model import Entity, SourceDocument, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

ACTOR_TYPES = {
    "state",
    "alliance",
    "international-organization",
    "government-body",
    "company",
    "organization",
    "person",
}
STATE_NOUNS = {
    "government",
    "administration",
    "authorities",
    "officials",
    "leadership",
    "regime",
    "side",
    "state",
}
COUNTRY_NOUNS = {
    "country",
    "nation",
    "state",
    "ally",
    "partner",
    "government",
    "regime",
    "kingdom",
    "republic",
}
FIRST_PERSON = {"we", "our", "us", "ours", "ourselves"}
THIRD_PERSON_HUMAN = {"he", "she", "him", "her", "his", "hers"}
THIRD_PERSON_THING = {"it", "its"}
THIRD_PERSON_PLURAL = {"they", "them", "their", "theirs"}
QUOTES = {'"', "\u201c", "\u201d", "''", "``"}
GROUP_MEMBERS = {
    "member",
    "official",
    "representative",
    "lawmaker",
    "senator",
    "delegate",
    "delegation",
    "diplomat",
    "envoy",
    "negotiator",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "leader",
}
SELF_NOUNS = {
    "interest",
    "interests",
    "law",
    "policy",
    "government",
    "officials",
    "authority",
    "security",
}


@dataclass
class Sentence:
    """A sentence of the article with its mentions.

    Attributes:
        index: Position in the article.
        doc: The parsed paragraph it belongs to.
        span: The spaCy sentence.
        offset: Character offset of the paragraph in the article.
        mentions: Its mentions, sorted.
        quoted: Indices of the tokens inside quotation marks.
    """

    index: int
    doc: Doc
    span: SpacySpan
    offset: int
    mentions: list[Mention] = field(default_factory=list)
    quoted: set[int] = field(default_factory=set)
    by_token: dict[int, Mention] = field(default_factory=dict)
    label: str | None = None

    @property
    def start(self) -> int:
        """Offset of the sentence's first character in the article."""
        return self.offset + self.span.start_char

    @property
    def end(self) -> int:
        """Offset just after the sentence's last character in the article."""
        return self.offset + self.span.end_char

    @property
    def text(self) -> str:
        """The sentence, verbatim."""
        return self.span.text

    def evidence(self) -> Span:
        """The sentence as evidence: its text and offsets in the article."""
        return Span(self.start, self.end, self.text)

    def index_mentions(self) -> None:
        """Map every token of every mention to the mention."""
        self.by_token = {i: m for m in self.mentions for i in range(m.start, m.end)}


@dataclass(frozen=True)
class Holding:
    """A person (or an unnamed holder) holding a post, as a sentence states it."""

    sentence: int
    post: Entity
    holder: Entity | None
    title_start: int
    title_end: int
    role: str
    head: bool = False


@dataclass
class Analysis:
    """Everything known about one article before relations are read from it."""

    document: SourceDocument
    lexicon: Lexicon
    sentences: list[Sentence]
    holdings: list[Holding] = field(default_factory=list)
    acronyms: dict[str, Entity] = field(default_factory=dict)
    persons: dict[str, Entity] = field(default_factory=dict)
    weapon_counts: Counter[Entity] = field(default_factory=Counter)
    voice: Entity | None = None
    speakers: dict[int, Entity] = field(default_factory=dict)

    # ---- entities of tokens -------------------------------------------------------------

    def mention_at(self, sentence: Sentence, token: Token) -> Mention | None:
        """The mention covering a token, if any."""
        return sentence.by_token.get(token.i)

    def entity(
        self, sentence: Sentence, token: Token, *, agent: bool = False
    ) -> Entity | None:
        """The entity a token (the head of a phrase) refers to, or None.

        Args:
            sentence: The sentence of the token.
            token: The head token of a noun phrase.
            agent: The phrase acts or speaks: a government body that acts for its
                state then stands for the state, and a demonym modifier of a state
                noun ("the Turkish government") for the state.
        """
        found = self._entity(sentence, token)
        if found is None:
            return None
        return self.as_agent(found) if agent else found

    def as_agent(self, entity: Entity) -> Entity:
        """The actor an entity's acts count for: a body acting for a state is its state."""
        if entity.type == "government-body":
            entry = self.lexicon.entries.get(f"government-body:{entity.label}")
            if entry is not None and entry.acts_for_state and entity.of_state:
                return self.lexicon.state(entity.of_state)
        return entity

    def _entity(self, sentence: Sentence, token: Token) -> Entity | None:
        mention = self.mention_at(sentence, token)
        if mention is not None:
            if mention.entity.type == "person":
                return self.persons.get(mention.entity.label, mention.entity)
            return mention.entity
        lower = token.lower_
        if (
            lower in ("which", "who", "that")
            and token.dep_ in ("nsubj", "nsubjpass", "dobj")
            and token.head.dep_ == "relcl"
            and token.head.head.i != token.i
        ):
            # "Egypt, which bought the Rafale": the relative pronoun is its antecedent
            return self._entity(sentence, token.head.head)
        if (
            token.pos_ == "PRON"
            or lower in FIRST_PERSON | THIRD_PERSON_HUMAN | THIRD_PERSON_THING
        ):
            return self.pronoun(sentence, token)
        if token.text in self.acronyms:
            return self.acronyms[token.text]
        holder = self.role_holder(sentence, token)
        if holder is not None:
            return holder
        if lower in STATE_NOUNS or token.lemma_.lower() in STATE_NOUNS | COUNTRY_NOUNS:
            return self._state_noun(sentence, token)
        return self._modifier_entity(sentence, token)

    def _modifier_entity(self, sentence: Sentence, token: Token) -> Entity | None:
        """An entity named by a modifier of a head noun that names none: "U.S. officials"
        -> United States; "Iranian proliferation" -> Iran; "Members of Congress" -> the
        Congress; "the X administration" -> its state."""
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma = token.lemma_.lower()
        if lemma in GROUP_MEMBERS:
            for prep in token.children:
                if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
                    for pobj in prep.children:
                        mention = self.mention_at(sentence, pobj)
                        if (
                            mention is not None
                            and mention.entity.type in ACTOR_TYPES - {"person"}
                        ):
                            return mention.entity
        if lemma in ("administration", "government", "cabinet"):
            from geokg.extract.mentions import government_of

            for child in token.children:
                if child.dep_ == "compound":
                    state = government_of(f"{child.text} administration", self.lexicon)
                    if state is not None:
                        return state
        if token.lemma_.lower() not in STATE_NOUNS | {
            "official",
            "diplomat",
            "spokesman",
            "spokesperson",
            "proliferation",
            "military",
            "force",
            "army",
            "navy",
            "regime",
            "leader",
            "leadership",
            "administration",
            # "South Korea's intelligence service said": a body of the state
            "service",
            "agency",
            "ministry",
            "department",
            "office",
            "embassy",
            "mission",
            "delegation",
            "intelligence",
        }:
            return None
        for child in token.children:
            if child.dep_ in ("compound", "amod", "poss", "nmod"):
                mention = self.mention_at(sentence, child)
                if mention is not None and mention.entity.type in ACTOR_TYPES:
                    return mention.entity
        return None

    def _state_noun(self, sentence: Sentence, token: Token) -> Entity | None:
        """ "the Turkish government", "the country", "the Government of the Turkey",
        "the Reagan administration" (the state its leader served)."""
        for child in token.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod"):
                mention = self.mention_at(sentence, child)
                if mention is not None and mention.entity.type == "person":
                    from geokg.extract.mentions import government_of

                    person = self.persons.get(mention.entity.label, mention.entity)
                    return self.state_of(person) or government_of(
                        f"{child.text} administration", self.lexicon
                    )
                if mention is not None and mention.entity.type in ACTOR_TYPES:
                    return mention.entity
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        mention = self.mention_at(sentence, pobj)
                        if mention is not None and mention.entity.type == "state":
                            return mention.entity
        determiners = {c.lower_ for c in token.children if c.dep_ in ("det", "poss")}
        if determiners & {"the", "this", "that", "our", "its"}:
            return self.nearest(sentence, token, {"state"})
        return None

    # ---- pronouns ------------------------------------------------------------------------

    def pronoun(self, sentence: Sentence, token: Token) -> Entity | None:
        """The entity a pronoun refers to, or None."""
        lower = token.lower_
        if lower in FIRST_PERSON:
            if token.i in sentence.quoted or sentence.index in self.speakers:
                speaker = self.speakers.get(sentence.index)
                if speaker is not None:
                    return self.state_of(speaker) or speaker
            return self.voice
        if lower in THIRD_PERSON_HUMAN:
            return self.nearest(sentence, token, {"person"})
        if lower in THIRD_PERSON_THING:
            governing = self._governing_subject(sentence, token)
            if governing is not None:
                return governing
            return self.nearest(sentence, token, ACTOR_TYPES - {"person"})
        if lower in THIRD_PERSON_PLURAL:
            return self.nearest(sentence, token, ACTOR_TYPES - {"person"})
        return None

    def _governing_subject(self, sentence: Sentence, token: Token) -> Entity | None:
        """For "Ankara warned that it ...": the subject of the clause that embeds the pronoun."""
        clause = token.head
        while (
            clause.dep_ not in ("ccomp", "advcl", "xcomp", "relcl", "ROOT")
            and clause.head is not clause
        ):
            clause = clause.head
        if clause.dep_ in ("ccomp", "advcl", "xcomp"):
            parent = clause.head
            # "X warned Y that it ...": "it" is the one warned; "X warned that it ...": X.
            ordered = sorted(parent.children, key=lambda c: c.dep_ != "dobj")
            for child in ordered:
                if child.dep_ in ("dobj", "nsubj", "nsubjpass") and child.i != token.i:
                    found = self._entity(sentence, child)
                    if found is not None and found.type in ACTOR_TYPES - {"person"}:
                        return found
        return None

    def nearest(
        self, sentence: Sentence, token: Token, types: set[str]
    ) -> Entity | None:
        """The nearest earlier mention of one of ``types``: in this sentence, then before.

        Mentions that only modify a noun ("Russian" in "Russian-made missiles") are
        passed over; in earlier sentences, subjects come first.
        """
        candidates = [
            m
            for m in sentence.mentions
            if m.end <= token.i
            and m.entity.type in types
            and not self._modifier(sentence, m)
        ]
        if candidates:
            return self._resolved(candidates[-1].entity)
        for previous in reversed(
            self.sentences[max(0, sentence.index - 3) : sentence.index]
        ):
            candidates = [
                m
                for m in previous.mentions
                if m.entity.type in types and not self._modifier(previous, m)
            ]
            if candidates:
                subjects = [
                    m
                    for m in candidates
                    if previous.doc[m.end - 1].dep_ in ("nsubj", "nsubjpass")
                ]
                return self._resolved(
                    (subjects[0] if subjects else candidates[-1]).entity
                )
        return None

    def _modifier(self, sentence: Sentence, mention: Mention) -> bool:
        head = sentence.doc[mention.end - 1]
        if mention.kind == "demonym" and head.dep_ in (
            "amod",
            "npadvmod",
            "compound",
            "nmod",
        ):
            return True
        after = mention.end
        doc = sentence.doc
        return after + 1 < len(doc) and doc[after].text == "-"

    def _resolved(self, entity: Entity) -> Entity:
        if entity.type == "person":
            return self.persons.get(entity.label, entity)
        return entity

    # ---- offices -------------------------------------------------------------------------

    def state_of(self, entity: Entity) -> Entity | None:
        """The state a person, post or body belongs to, when the article says."""
        if entity.type == "state":
            return entity
        if entity.of_state:
            return self.lexicon.state(entity.of_state)
        if (
            entity.holds is not None
            and entity.holds.post_in
            and entity.holds.post_in_type == "state"
        ):
            return self.lexicon.state(entity.holds.post_in)
        if entity.type == "person":
            for holding in self.holdings:
                same = (
                    holding.holder is not None and holding.holder.label == entity.label
                )
                if (
                    same
                    and holding.post.post_in_type == "state"
                    and holding.post.post_in
                ):
                    return self.lexicon.state(holding.post.post_in)
                if same and holding.post.post_in:
                    return Entity(
                        holding.post.post_in_type or "organization",
                        holding.post.post_in,
                    )
        return None

    def role_holder(self, sentence: Sentence, token: Token) -> Entity | None:
        """The holder of the office a role noun names ("the defense minister")."""
        for holding in self.holdings:
            if (
                holding.sentence == sentence.index
                and holding.title_start <= token.i < holding.title_end
            ):
                if holding.holder is not None:
                    return holding.holder
                holder = self.holder_of(holding.post)
                if (
                    not holding.post.post_in
                    and holder.holds is None
                    and holder.label == holding.post.label
                ):
                    # "a defence ministry spokesman": no named holder and no organization;
                    # "Pakistan's foreign office spokesperson" speaks for Pakistan
                    words = [
                        t
                        for t in token.subtree
                        if t.dep_ not in ("det", "punct") and t.i <= token.i
                    ]
                    for word in words:
                        mention = self.mention_at(sentence, word)
                        if mention is not None and mention.entity.type == "state":
                            return mention.entity
                    label = sentence.doc[words[0].i : token.i + 1].text if words else ""
                    return Entity("person", label or holder.label)
                return holder
        return None

    def holder_of(self, post: Entity) -> Entity:
        """The person the article names as holder of a post, or an unnamed holder."""
        for holding in self.holdings:
            if holding.holder is not None and holding.post.label == post.label:
                return holding.holder
        for holding in self.holdings:
            if (
                holding.holder is not None
                and holding.post.role_name == post.role_name
                and not post.post_in
            ):
                return holding.holder
        return Entity(
            "person", unnamed_holder_label(post), holds=post if post.post_in else None
        )


def unnamed_holder_label(post: Entity) -> str:
    """The label of an unnamed holder of a post: "NATO Secretary General"."""
    title = post.role_name.title() if post.role_name else post.label
    if post.post_in:
        return f"{post.post_in} {title}"
    return title


# ---- building the analysis ------------------------------------------------------------------


def analyse(
    document: SourceDocument, paragraphs: list[Paragraph], lexicon: Lexicon
) -> Analysis:
    """Find and resolve the mentions of a parsed article."""
    sentences: list[Sentence] = []
    acronyms: dict[str, Entity] = {}
    label: str | None = None
    for paragraph in paragraphs:
        label = paragraph.label or label  # a transcript turn runs until the next label
        mentions = _dated(
            find_mentions(paragraph.doc, lexicon), paragraph.doc, document, lexicon
        )
        for abbr, mention in acronym_definitions(paragraph.doc, mentions).items():
            acronyms.setdefault(abbr, mention.entity)
        quoted = _quoted_tokens(paragraph.doc)
        for span in paragraph.doc.sents:
            sentence = Sentence(
                len(sentences), paragraph.doc, span, paragraph.offset, label=label
            )
            sentence.mentions = [
                m for m in mentions if span.start <= m.start < span.end
            ]
            sentence.quoted = {i for i in quoted if span.start <= i < span.end}
            sentences.append(sentence)
    analysis = Analysis(document, lexicon, sentences, acronyms=acronyms)
    _qualify_bodies(analysis)
    _add_acronym_mentions(analysis)
    for sentence in sentences:
        sentence.index_mentions()
    _cluster_persons(analysis)
    from geokg.extract.offices import find_holdings

    analysis.holdings = find_holdings(analysis)
    for sentence in sentences:
        for mention in sentence.mentions:
            if mention.entity.type == "weapon-system":
                analysis.weapon_counts[mention.entity] += 1
    analysis.voice = _document_voice(analysis)
    return analysis


def _dated(
    mentions: list[Mention], doc: Doc, document: SourceDocument, lexicon: Lexicon
) -> list[Mention]:
    """Capitals read as the state they stood for when the article was written
    ("Moscow" in 1985 is the Soviet Union)."""
    found = []
    for mention in mentions:
        if mention.kind == "capital":
            text = doc[mention.start : mention.end].text
            state = lexicon.capital_state(text, document.date)
            if state is not None and state != mention.entity.label:
                mention = replace(
                    mention,
                    entity=lexicon.state(state),
                    lex=lexicon.entries.get(f"state:{state}"),
                )
        found.append(mention)
    return found


def _quoted_tokens(doc: Doc) -> set[int]:
    inside = False
    found: set[int] = set()
    for token in doc:
        if token.text in QUOTES or (
            token.text == "'" and token.whitespace_ == "" and token.i == 0
        ):
            inside = not inside
            continue
        if inside:
            found.add(token.i)
    return found if not inside else set()


def _qualify_bodies(analysis: Analysis) -> None:
    """ "India's Ministry of Defence", "the Indian Ministry of Defence": a body named
    without its state is the known body of the state named right before it."""
    demonyms: dict[str, list[str]] = {}
    for demonym, state in analysis.lexicon.demonyms.items():
        demonyms.setdefault(state, []).append(demonym)
    for sentence in analysis.sentences:
        doc = sentence.doc
        updated = []
        previous: Mention | None = None
        for mention in sentence.mentions:
            if (
                mention.lex is None
                and mention.entity.type in ("organization", "government-body")
                and previous is not None
                and previous.entity.type == "state"
                and doc[previous.end : mention.start].text.strip()
                in ("'s", "’s", "", "the")
            ):
                state = previous.entity.label
                name = doc[mention.start : mention.end].text
                candidates = [
                    f"{name} of {state}",
                    *(f"{d} {name}" for d in demonyms.get(state, [])),
                ]
                for candidate in candidates:
                    entry = analysis.lexicon.lookup(
                        candidate, types=("government-body",)
                    )
                    if entry is not None:
                        mention = Mention(
                            mention.start, mention.end, entry.entity, "name", entry
                        )
                        break
            updated.append(mention)
            previous = mention
        sentence.mentions = updated


def _add_acronym_mentions(analysis: Analysis) -> None:
    """Tokens spelling an acronym the article defines become mentions of its entity."""
    for sentence in analysis.sentences:
        covered = {i for m in sentence.mentions for i in range(m.start, m.end)}
        added = []
        for token in sentence.span:
            if token.i in covered:
                continue
            entity = analysis.acronyms.get(token.text)
            if entity is not None:
                added.append(Mention(token.i, token.i + 1, entity, "acronym"))
        if added:
            sentence.mentions = sorted(
                [*sentence.mentions, *added], key=lambda m: (m.start, m.end)
            )
        replaced = []
        for mention in sentence.mentions:
            text = sentence.doc[mention.start : mention.end].text
            if (
                mention.lex is None
                and text in analysis.acronyms
                and mention.entity != analysis.acronyms[text]
            ):
                mention = Mention(
                    mention.start, mention.end, analysis.acronyms[text], "acronym"
                )
            replaced.append(mention)
        sentence.mentions = replaced


def _cluster_persons(analysis: Analysis) -> None:
    """Map each short person name to the full name the article uses ("Doe" -> "Jane Doe")."""
    full: dict[str, set[str]] = {}
    labels = {
        m.entity.label
        for s in analysis.sentences
        for m in s.mentions
        if m.entity.type == "person"
    }
    for label in labels:
        words = label.split()
        if len(words) >= 2:
            full.setdefault(words[-1].casefold(), set()).add(label)
    for label in labels:
        if len(label.split()) == 1:
            names = full.get(label.casefold(), set())
            if len(names) == 1:
                analysis.persons[label] = Entity("person", next(iter(names)))


def _document_voice(analysis: Analysis) -> Entity | None:
    """The state the article speaks for when it says "we" or "our" outside quotations.

    Scored over the article: a state that modifies "interest", "law", "policy" or
    "government" ("U.S. national interest") is the article's own (3 points); a state
    that is the subject of the sentence right before a first-person one speaks in it
    (2 points); a state that is a subject or object in a first-person sentence may be
    the voice (1 point), and one named as a possessor there ("Iran's ministry") is less
    likely to be (-1). Ties go to the state named first in a first-person sentence.
    """
    first_person = [
        s
        for s in analysis.sentences
        if any(t.lower_ in FIRST_PERSON and t.i not in s.quoted for t in s.span)
    ]
    if not first_person:
        return None
    scores: Counter[Entity] = Counter()
    for sentence in analysis.sentences:
        for mention in _state_mentions(sentence):
            scores[mention.entity] += 0
            head = sentence.doc[mention.end - 1]
            if (
                head.dep_ in ("compound", "amod", "nmod")
                and head.head.lower_ in SELF_NOUNS
            ):
                scores[mention.entity] += 3
    order: dict[Entity, int] = {}
    indices = {s.index for s in first_person}
    for index in sorted(indices):
        if index > 0 and index - 1 not in indices:
            previous = analysis.sentences[index - 1]
            for mention in _state_mentions(previous):
                token = previous.doc[mention.end - 1]
                if token.dep_ == "nsubj":
                    scores[mention.entity] += 2
        sentence = analysis.sentences[index]
        for mention in _state_mentions(sentence):
            token = sentence.doc[mention.end - 1]
            order.setdefault(mention.entity, index * 10000 + mention.start)
            if token.i in sentence.quoted:
                continue
            if token.dep_ in ("nsubj", "nsubjpass", "dobj", "dative", "attr", "nmod"):
                scores[mention.entity] += 1
            elif token.dep_ == "poss":
                scores[mention.entity] -= 1  # the voice says "our", not "X's"
    best = max(scores, key=lambda e: (scores[e], -order.get(e, 10**9)), default=None)
    return best if best is not None and scores[best] > 0 else None


def _state_mentions(sentence: Sentence) -> list[Mention]:
    return [m for m in sentence.mentions if m.entity.type == "state"]


def office_by_word(lexicon: Lexicon) -> dict[str, Office]:
    """Each office variant (folded) mapped to its office."""
    return {fold(v): office for office in lexicon.offices for v in office.variants}


def lex_entry(analysis: Analysis, entity: Entity) -> LexEntry | None:
    """The lexicon entry of an entity, if it is known."""
    return analysis.lexicon.entries.get(f"{entity.type}:{entity.label}")
