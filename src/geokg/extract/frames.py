"""Attribution and epistemic status: who claims a fact, and how the text frames it.

A fact read inside the clause of a reporting verb ("Ankara argues that ...") or inside
a quotation is a claim of the speaker. Modals and hedges ("may", "could", "a
possibility that") make it possible; futures and plans ("will", "plans to", "is
expected to", "a possible sale") make it expected; "allegedly", "accused of" make it
alleged; a negation makes it denied, so it is never asserted. An "if" clause is kept
as the condition.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from geokg.extract.temporal import parse_anchor, resolve_date
from geokg.model import Entity

if TYPE_CHECKING:
    from spacy.tokens import Token

    from geokg.extract.analysis import Analysis, Sentence

#: Stronger framings win: a denied claim is denied, a possible claim possible.
STATUS_ORDER = (
    "denied",
    "alleged",
    "possible",
    "expected",
    "threatened",
    "claimed",
    "reported",
)
CLAUSE_DEPS = {
    "ccomp",
    "xcomp",
    "advcl",
    "relcl",
    "acl",
    "conj",
    "pcomp",
    "csubj",
    "parataxis",
}


@dataclass(frozen=True)
class Frame:
    """How a trigger is framed: status, claimant, condition and date."""

    status: str = "reported"
    claimant: Entity | None = None
    condition: str | None = None
    date: str | None = None
    date_text: str | None = None


def stronger(a: str, b: str) -> str:
    """The stronger of two statuses (see :data:`STATUS_ORDER`)."""
    return a if STATUS_ORDER.index(a) <= STATUS_ORDER.index(b) else b


class Framer:
    """Reads the frame of triggers in an analysed article."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.words = analysis.lexicon.words
        self.anchor = parse_anchor(analysis.document.date)

    # ---- speakers --------------------------------------------------------------------------

    def is_report(self, token: Token) -> bool:
        """Whether a token is a reporting verb (said, argued, warned, "points out")."""
        return (
            token.pos_ in ("VERB", "AUX")
            and token.dep_ not in ("amod", "compound")
            and token.lemma_.lower() in self.words("report")
        )

    def speakers(self, sentence: Sentence, verb: Token) -> list[Entity]:
        """Who speaks with a reporting verb: its subjects (or "according to X")."""
        from geokg.extract.rules import subjects_of

        return subjects_of(self.analysis, sentence, verb, agent=True, keep_persons=True)

    def report_ancestor(self, sentence: Sentence, token: Token) -> Token | None:
        """The reporting verb whose clause contains ``token``, if any."""
        current = token
        steps = 0
        while current.head is not current and steps < 8:
            dep = current.dep_
            head = current.head
            if dep in (
                "ccomp",
                "xcomp",
                "advcl",
                "parataxis",
                "conj",
                "csubj",
            ) and self.is_report(head):
                if dep in ("conj", "advcl") and not self._embeds(head, current):
                    current = head
                    steps += 1
                    continue
                return head
            if dep == "acl" and head.lemma_.lower() in self.words("report_noun"):
                return head
            if (
                dep == "dobj"
                and self.is_report(head)
                and head.lemma_.lower() in self.words("report_object")
            ):
                return head  # "reaffirmed the country's plans to use X": the plans are claimed
            current = head
            steps += 1
        root = sentence.span.root
        if (
            self.is_report(root)
            and token.i != root.i
            and self._before_or_quoted(sentence, token, root)
        ):
            return root
        return None

    def _embeds(self, head: Token, child: Token) -> bool:
        """A reporting verb embeds a conjunct only when the conjunct has no subject of its own."""
        return child.dep_ == "conj" and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in child.children
        )

    def _before_or_quoted(self, sentence: Sentence, token: Token, root: Token) -> bool:
        return token.i in sentence.quoted

    def claimant(self, sentence: Sentence, token: Token) -> Entity | None:
        """The speaker whose claim contains ``token``, if any."""
        report = self.report_ancestor(sentence, token)
        if report is not None and report.i != token.i:
            speakers = self.speakers(sentence, report)
            if speakers:
                return speakers[0]
        if token.i in sentence.quoted:
            return self.analysis.speakers.get(sentence.index)
        according = self._according_to(sentence, token)
        if according is not None:
            return according
        if sentence.label:
            # Everything said in a transcript turn ("MR MILLER: ...") is the speaker's.
            return self.analysis.speakers.get(sentence.index)
        return None

    def _according_to(self, sentence: Sentence, token: Token) -> Entity | None:
        """ "According to X, ...": the facts of the clause are X's claims."""
        from geokg.extract.rules import phrase_entities, prep_objects

        ancestors = {token.i, *(a.i for a in token.ancestors)}
        for candidate in sentence.span:
            if candidate.lower_ == "according" and candidate.head.i in ancestors:
                for obj in prep_objects(candidate, ("to",)):
                    found = phrase_entities(self.analysis, sentence, obj, agent=True)
                    if found:
                        return found[0]
        return None

    # ---- status ----------------------------------------------------------------------------

    def frame(self, sentence: Sentence, trigger: Token, *, claim: bool = True) -> Frame:
        """The frame of a trigger: status, claimant, condition and date."""
        special = self._special_frame(sentence, trigger)
        if special is not None:
            date, date_text = self.date(sentence, trigger)
            return replace(
                special,
                condition=self.condition(sentence, trigger),
                date=date,
                date_text=date_text,
            )
        status = "reported"
        claimant = self.claimant(sentence, trigger) if claim else None
        if claimant is not None:
            status = "claimed"
            report = self.report_ancestor(sentence, trigger)
            if report is not None and report.lemma_.lower() in (
                "deny",
                "dismiss",
                "reject",
                "refute",
            ):
                status = (
                    "denied"  # "Moscow denied that it had supplied ...": never asserted
                )
        status = stronger(self.modality(sentence, trigger), status)
        condition = self.condition(sentence, trigger)
        date, date_text = self.date(sentence, trigger)
        return Frame(status, claimant, condition, date, date_text)

    def _special_frame(self, sentence: Sentence, trigger: Token) -> Frame | None:
        """Frames a governing verb gives outright: "X threatened to deploy" (threatened),
        "Y accused X of supplying" (alleged by Y)."""
        from geokg.extract.rules import subjects_of

        head = trigger.head
        if trigger.dep_ == "xcomp" and head.lemma_.lower() == "threaten":
            return Frame("threatened")
        if (
            trigger.dep_ == "pcomp"
            and head.lower_ == "of"
            and head.head.lemma_.lower() in ("accuse", "suspect", "charge")
        ):
            accusers = subjects_of(self.analysis, sentence, head.head, agent=True)
            return Frame("alleged", accusers[0] if accusers else None)
        return None

    def modality(self, sentence: Sentence, trigger: Token) -> str:
        """The status the words around a trigger give it (reported if none).

        The trigger's own negation, modal, hedging adverb or "possible"/"proposed"
        modifier counts; so do those of the verbs and nouns that govern it through
        control and complement clauses ("plans to buy", "expected to take", "a
        possibility that ... would impose"), but not through a prepositional phrase:
        "will not give up X despite the pressure of Y" does not negate the pressure.
        """
        status = "reported"
        for depth, token in enumerate(self._clause_chain(trigger)):
            for child in token.children:
                status = stronger(self._child_status(child, token, depth), status)
            if depth > 0:
                status = stronger(self._governor_status(token), status)
        return status

    def _child_status(self, child: Token, token: Token, depth: int) -> str:
        lemma, text = child.lemma_.lower(), child.lower_
        if child.dep_ == "neg" or (
            child.dep_ == "det"
            and text == "no"
            and (depth == 0 or token.pos_ == "NOUN")  # "had no plans to sell"
        ):
            return "denied"
        if child.dep_ in ("aux", "auxpass") and child.tag_ == "MD":
            if text in self.words("possible") or lemma in self.words("possible"):
                return "possible"
            if text in self.words("expected") or lemma in self.words("expected"):
                return "expected"
        if child.dep_ == "advmod" and (
            lemma in self.words("alleged") or text in self.words("alleged")
        ):
            return "alleged"
        if (
            child.dep_ == "advmod"
            and text in self.words("possible")
            and text not in ("can", "could", "may", "might")
        ):
            return "possible"
        if (
            child.dep_ in ("amod", "compound")
            and depth == 0
            and text in self.words("expected")
        ):
            return "expected"
        return "reported"

    def _governor_status(self, token: Token) -> str:
        lemma = token.lemma_.lower()
        if lemma in self.words("alleged"):
            return "alleged"
        if lemma in (
            "possibility",
            "appear",
            "seem",
            "likely",
            "consider",
            "mull",
            "prospect",
        ):
            return "possible"
        if lemma in self.words("expected") and token.pos_ in ("VERB", "NOUN", "ADJ"):
            return "expected"
        if (
            lemma in self.words("negation")
            and token.pos_ == "VERB"
            and lemma != "refuse"
        ):
            return "denied"
        if lemma in self.words("prevent_from") and any(
            c.dep_ == "prep" and c.lower_ == "from" for c in token.children
        ):
            return "denied"  # "kept China from vetoing"
        return "reported"

    def _clause_chain(self, trigger: Token) -> list[Token]:
        """The trigger and the words that govern it through control and complements."""
        chain = [trigger]
        current = trigger
        while current.head is not current and len(chain) < 5:
            dep = current.dep_
            head = current.head
            if (
                dep == "pcomp"
                and current.head.lower_ == "from"
                and current.head.head.lemma_.lower() in self.words("prevent_from")
            ):
                # "keep China from vetoing": the prevention governs the act
                chain.append(current.head.head)
                current = current.head.head
                continue
            if dep not in (
                "xcomp",
                "acl",
                "ccomp",
                "relcl",
                "dobj",
                "nsubj",
                "nsubjpass",
                "attr",
                "conj",
            ):
                break
            if dep in ("dobj", "nsubj", "nsubjpass", "attr") and current.pos_ in (
                "VERB",
                "AUX",
            ):
                break
            if dep == "ccomp" and head.pos_ not in ("NOUN", "ADJ"):
                break
            if self.is_report(head) and dep != "xcomp":
                break  # what is reported is the reporter's; "required X to" is not
            if dep == "pcomp":
                break
            if dep == "relcl" and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in current.children
            ):
                break  # "plans to use a system that it bought": bought stands alone
            chain.append(head)
            current = head
        return chain

    def condition(self, sentence: Sentence, trigger: Token) -> str | None:
        """The text of an "if" clause attached to the trigger or its governing verb."""
        candidates = [trigger, trigger.head]
        for token in candidates:
            for child in token.children:
                if child.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in self.words("condition")
                    for m in child.children
                ):
                    words = sentence.doc[
                        child.left_edge.i : child.right_edge.i + 1
                    ].text
                    return words.rstrip(" .,;")
        return None

    def date(self, sentence: Sentence, trigger: Token) -> tuple[str | None, str | None]:
        """The date attached to a trigger: a date entity in its clause."""
        scope = [trigger]
        if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in (
            "nsubj",
            "nsubjpass",
            "dobj",
            "attr",
            "pobj",
        ):
            scope.append(trigger.head)
        current = trigger
        for _ in range(2):  # "signed a deal on Thursday to buy": the date of the deal
            purpose = current.dep_ == "advcl" and any(
                c.lower_ == "to" for c in current.children
            )
            if (
                current.dep_ in ("xcomp", "acl") or purpose
            ) and current.head is not current:
                current = current.head
                scope.append(current)
                if current.dep_ in ("dobj", "attr") and current.pos_ in (
                    "NOUN",
                    "PROPN",
                ):
                    scope.append(current.head)
        for ent in sentence.span.ents:
            if ent.label_ != "DATE":
                continue
            if any(self._attached(ent.root, head) for head in scope):
                resolved = resolve_date(ent.text, self.anchor)
                if resolved.iso is not None:
                    return resolved.iso, None if resolved.iso in ent.text else ent.text
                return None, ent.text
        return None, None

    def _attached(self, token: Token, head: Token) -> bool:
        current = token
        for _ in range(4):
            if current.head is current:
                return False
            current = current.head
            if current.i == head.i:
                return True
            if current.pos_ in ("VERB", "AUX") and current.i != head.i:
                return False
        return False
