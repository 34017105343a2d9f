"""Statements: who said what. Reporting verbs with their clause or quotation ("Ankara
argues that ...", '"We will ...," said the defense minister'), claim nouns ("Finnish and
Swedish assertions that ..."), "according to X", and the turns of a transcript
("MR MILLER: ...").
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from geokg.extract.analysis import ACTOR_TYPES, Analysis, Sentence
from geokg.extract.frames import Frame
from geokg.extract.rules import (
    RelationReader,
    children,
    np_text,
    prep_objects,
    subjects_of,
)
from geokg.model import Entity

if TYPE_CHECKING:
    from spacy.tokens import Token

NOT_SPEAKERS = {
    "QUESTION",
    "ANSWER",
    "Q",
    "A",
    "MODERATOR",
    "OPERATOR",
    "NOTE",
    "UPDATE",
    "EDITOR",
}
MAX_CONTENT = 240


def transcript_speaker(analysis: Analysis, sentence: Sentence) -> Entity | None:
    """The speaker of a transcript turn ("MR MILLER: ...") the sentence belongs to.

    A label names a speaker when it has a courtesy title ("MR MILLER") or is a name
    in capitals of two words or more; labels such as "QUESTION" and names the lexicon
    knows as places or organizations ("WASHINGTON", "NATO") are not speakers.
    """
    name = (sentence.label or "").strip()
    if (
        not name
        or name.upper() in NOT_SPEAKERS
        or analysis.lexicon.lookup(name) is not None
    ):
        return None
    titled = re.match(r"(?:MR|MS|MRS|DR|Mr|Ms|Mrs|Dr)\.?\s", name) is not None
    if not titled and not (name.isupper() and len(name.split()) >= 2):
        return None
    name = re.sub(r"^(?:MR|MS|MRS|DR|Mr|Ms|Mrs|Dr)\.?\s+", "", name)
    label = " ".join(w.capitalize() if w.isupper() else w for w in name.split())
    return analysis.persons.get(label, Entity("person", label))


def is_turn_label(sentence: Sentence) -> bool:
    """Whether the sentence belongs to a turn of someone nobody names ("QUESTION:")."""
    return (sentence.label or "").strip().upper() in NOT_SPEAKERS


def assign_speakers(reader: RelationReader) -> None:
    """Record who speaks in each sentence with a quotation or in a transcript turn."""
    analysis = reader.analysis
    framer = reader.framer
    last: Entity | None = None
    last_doc = None
    for sentence in analysis.sentences:
        if sentence.doc is not last_doc:
            last = None
            last_doc = sentence.doc
        turn = transcript_speaker(analysis, sentence)
        if turn is not None:
            analysis.speakers[sentence.index] = _speaking_for(analysis, turn)
            continue
        if not sentence.quoted:
            continue
        speaker = None
        for token in sentence.span:
            if token.i not in sentence.quoted and framer.is_report(token):
                found = framer.speakers(sentence, token)
                if found:
                    speaker = found[0]
                    break
        speaker = speaker or last
        if speaker is not None:
            analysis.speakers[sentence.index] = speaker
            last = speaker


def _speaking_for(analysis: Analysis, person: Entity) -> Entity:
    return person


class StatementReader:
    """Reads statements (statesThat facts) sentence by sentence."""

    def __init__(self, reader: RelationReader) -> None:
        self.reader = reader
        self.analysis = reader.analysis
        self.framer = reader.framer
        assign_speakers(reader)

    def read(self, sentence: Sentence) -> None:
        """Add the statements of one sentence to the reader's facts."""
        if is_turn_label(sentence) or sentence.text.rstrip().endswith("?"):
            return
        said = False
        for token in sentence.span:
            if self.framer.is_report(token) and token.i not in sentence.quoted:
                said |= self._report(sentence, token)
            elif token.pos_ == "NOUN" and self.reader.is_group(token, "report_noun"):
                said |= self._claim_noun(sentence, token)
            elif token.lower_ == "according" and token.dep_ == "prep":
                said |= self._according(sentence, token)
        turn = transcript_speaker(self.analysis, sentence)
        if turn is None and not said:
            self._sale_assessment(sentence)
        if turn is not None and not said:
            content = _clean(sentence.text)
            if content:
                self.reader.emit(
                    "statesThat",
                    sentence,
                    sentence.span.root,
                    turn,
                    None,
                    content,
                    rule="statesThat.transcript",
                    frame=Frame("claimed", turn),
                )

    def _report(self, sentence: Sentence, verb: Token) -> bool:
        lemma = verb.lemma_.lower()
        if (
            self.reader.is_group(verb, "propose")
            and self.reader._proposal_content(sentence, verb) is not None
        ):
            return False
        if not self._speaks(verb):
            return False
        content, quotation = self._content(sentence, verb)
        if not content:
            return False
        if lemma in ("deny", "refute"):
            content = f"denied: {content}"  # the speaker says it is not so
        if lemma in ("warn", "threaten") and any(
            self.reader._is_sanction_noun(t)
            for c in children(verb, "ccomp")
            for t in c.subtree
        ):
            return (
                True  # a warning of sanctions is read as a threat, not as a statement
            )
        speakers = subjects_of(self.analysis, sentence, verb, agent=True)
        if not speakers and verb.dep_ == "advcl":
            speakers = subjects_of(self.analysis, sentence, verb.head, agent=True)
        if not speakers:
            return False
        for speaker in speakers:
            if speaker.type not in ACTOR_TYPES:
                continue
            frame = Frame("claimed", speaker, None, *self.framer.date(sentence, verb))
            self.reader.emit(
                "statesThat",
                sentence,
                verb,
                speaker,
                None,
                content,
                rule=f"statesThat.{lemma}",
                frame=frame,
                quotation=quotation,
            )
        return True

    def _sale_assessment(self, sentence: Sentence) -> None:
        """ "The proposed sale will not alter the basic military balance in the region":
        what an arms-sale notice says of the sale it proposes is the assessment of the
        state that notifies it (the article's voice, else the seller of its sale)."""
        root = sentence.span.root
        if root.pos_ not in ("VERB", "AUX") or any(
            self.reader.is_group(root, group)
            for group in ("include", "supply", "acquire", "deliver")
        ):
            return
        if not any(self._proposed_sale(s) for s in children(root, "nsubj")):
            return
        speaker = self.analysis.voice or next(
            (
                f.subject
                for f in reversed(self.reader.facts)
                if f.relation == "supplies"
            ),
            None,
        )
        content = _clean(sentence.text)
        if speaker is None or speaker.type != "state" or not content:
            return
        self.reader.emit(
            "statesThat",
            sentence,
            root,
            speaker,
            None,
            content,
            rule="statesThat.sale-assessment",
            frame=Frame("claimed", speaker, None, *self.framer.date(sentence, root)),
        )

    def _proposed_sale(self, noun: Token) -> bool:
        """ "the proposed sale", "this possible sale": the sale the notice is about."""
        if noun.pos_ not in ("NOUN", "PROPN") or not self.reader.is_group(
            noun, "supply_noun"
        ):
            return False
        return any(
            (
                c.dep_ in ("amod", "compound")
                and c.lower_ in ("proposed", "possible", "potential")
            )
            or (c.dep_ == "det" and c.lower_ == "this")
            for c in noun.children
        )

    def _speaks(self, verb: Token) -> bool:
        """A reporting verb with its own subject, a participle ("..., arguing that"), or a
        conjunct of another reporting verb; not a bare past form the parser joined to
        another verb ("as evidenced by ... and confirmed arms transfers")."""
        if children(verb, "nsubj", "nsubjpass", "csubj"):
            return True
        if verb.dep_ == "advcl" and verb.tag_ == "VBG":
            return True
        if verb.dep_ == "conj" and self.framer.is_report(verb.head):
            return True
        return verb.dep_ in ("xcomp", "relcl", "acl")

    def _content(
        self, sentence: Sentence, verb: Token
    ) -> tuple[str | None, str | None]:
        clauses = children(verb, "ccomp", "xcomp")
        if verb.lemma_.lower() == "point":
            clauses = clauses or children(verb, "dobj")
        quoted = [c for c in clauses if c.i in sentence.quoted]
        if quoted or (
            not clauses and sentence.quoted and self._quote_is_content(sentence, verb)
        ):
            quote = _quote_text(sentence)
            if quote:
                return _clean(quote), quote
        if clauses:
            clause = clauses[0]
            if clause.dep_ == "xcomp" and clause.pos_ != "VERB":
                return None, None
            return _clean(np_text(sentence, clause)), None
        if verb.lemma_.lower() in self.reader.words("report_object"):
            objects = children(verb, "dobj")
            # "denied the report", "confirmed it": a bare noun says nothing
            if objects and len(np_text(sentence, objects[0]).split()) >= 3:
                return _clean(
                    np_text(sentence, objects[0]) + _with_reason(sentence, verb)
                ), None
        if verb.lemma_.lower() == "concur":
            objects = prep_objects(verb, ("with",))
            if objects:
                return _clean(np_text(sentence, objects[0])), None
        return None, None

    def _quote_is_content(self, sentence: Sentence, verb: Token) -> bool:
        return sentence.span.root.i == verb.i or verb.dep_ in ("parataxis", "ccomp")

    def _claim_noun(self, sentence: Sentence, noun: Token) -> bool:
        lemma = noun.lemma_.lower()
        if lemma not in (
            "assertion",
            "claim",
            "statement",
            "argument",
            "warning",
            "declaration",
            "allegation",
            "accusation",
            "announcement",
            "assessment",
            "view",
            "position",
        ):
            return False
        clauses = [
            c
            for c in noun.children
            if c.dep_ in ("acl", "ccomp", "relcl")
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ]
        if not clauses:
            return False
        speakers = self.reader.actors(
            sentence,
            [c for c in noun.children if c.dep_ in ("amod", "poss", "compound")]
            + prep_objects(noun, ("by", "of", "from")),
        )
        content = _clean(np_text(sentence, clauses[0]))
        for speaker in speakers:
            frame = Frame("claimed", speaker)
            self.reader.emit(
                "statesThat",
                sentence,
                noun,
                speaker,
                None,
                content,
                rule=f"statesThat.{lemma}",
                frame=frame,
            )
        return bool(speakers)

    def _according(self, sentence: Sentence, token: Token) -> bool:
        speakers = self.reader.actors(sentence, prep_objects(token, ("to",)))
        if not speakers:
            return False
        root = sentence.span.root
        doc = sentence.doc
        words = [
            t
            for t in sentence.span
            if not (token.left_edge.i <= t.i <= token.right_edge.i)
        ]
        content = _clean(doc[words[0].i : words[-1].i + 1].text if words else "")
        for speaker in speakers:
            self.reader.emit(
                "statesThat",
                sentence,
                root,
                speaker,
                None,
                content,
                rule="statesThat.according",
                frame=Frame("claimed", speaker),
            )
        return True


def _with_reason(sentence: Sentence, verb: Token) -> str:
    for prep in children(verb, "prep"):
        if prep.lower_ == "for":
            return " " + np_text(sentence, prep, skip_det=False)
    return ""


def _quote_text(sentence: Sentence) -> str:
    doc = sentence.doc
    indices = sorted(sentence.quoted)
    if not indices:
        return ""
    return doc[indices[0] : indices[-1] + 1].text


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" ,.;:\"“”'")
    text = re.sub(r"^that\s+", "", text)
    if len(text) > MAX_CONTENT:
        text = text[: MAX_CONTENT - 1].rsplit(" ", 1)[0] + "…"
    return text
