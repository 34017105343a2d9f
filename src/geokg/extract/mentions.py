"""Mentions: the spans of a sentence that name an entity, and the entity each names.

Names come from the lexicon (through the EntityRulers), from spaCy's NER for persons
and organizations the lexicon lacks, from designation patterns for weapon systems
(Su-35, CH-53K, M270 ... near a cue word such as "system" or "helicopters"), and from
name patterns for laws ("the ... Act", "Executive Order 13949"). A definition such as
"Marine Industries Organization (MIO)" makes MIO an alias within the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from geokg.extract.lexicon import LexEntry, Lexicon, fold
from geokg.model import Entity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True)
class Mention:
    """A token span ``[start, end)`` of a parsed paragraph that names an entity.

    Attributes:
        start: Index of the first token in its ``Doc``.
        end: Index after the last token.
        entity: The entity named.
        kind: "name", "demonym", "capital", "designation", "acronym" or "law".
        lex: The lexicon entry, when the entity is known.
    """

    start: int
    end: int
    entity: Entity
    kind: str = "name"
    lex: LexEntry | None = None


DESIGNATION = re.compile(
    r"(?<![\w/.-])"
    r"(?P<code>(?:[A-Z]{1,4}/)?[A-Z][A-Za-z]{0,5}-?\d{1,5}[A-Z]{0,3}\d{0,3}(?:\([A-Z0-9]{1,3}\)\d?)?"
    r"(?:-[A-Z0-9]{1,6})*"
    r"|[A-Z]\d{1,4}(?:-[A-Z0-9]{1,6})+)"
    r"(?P<plural>s)?(?![\w/-])"
)
ACRONYM_AFTER = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z0-9&./-]{1,11})\)")
LAW_NUMBERED = re.compile(
    r"\b(?:(?:U\.?N\.?|UNSC|United Nations Security Council|Security Council)\s+)?"
    r"(?P<kind>Executive Order|E\.O\.|EO|Public Law|Resolution|UNSCR)\s+(?:No\.\s*)?(?P<number>\d+(?:-\d+)?)"
)
LAW_NAMED = re.compile(
    r"\b(?P<name>(?:[A-Z][\w'’-]*\s+(?:(?:of|on|and|for|the|to|against|Through|through)\s+)*){1,10}"
    r"(?:Act|Law|Order|Regulations?|Resolution|Directive|Authority))"
    r"(?:\s+of\s+(?P<year>(?:19|20)\d\d))?\b"
)


@dataclass
class Acronyms:
    """Acronyms an article defines ("Long Name (ABBR)"), mapped to their entities."""

    by_abbr: dict[str, Entity] = field(default_factory=dict)


def _entity_from_lex(entry: LexEntry) -> Entity:
    return entry.entity


def lexicon_mentions(doc: Doc, lexicon: Lexicon) -> list[Mention]:
    """Mentions from the EntityRulers: entities whose ``ent_id_`` is a lexicon id."""
    found = []
    for ent in doc.ents:
        entry_id = ent.ent_id_
        if not entry_id:
            continue
        entry = lexicon.entries.get(entry_id)
        if entry is None:
            continue
        kind = "name"
        text = fold(ent.text)
        if ent.label_ == "NORP" or text in lexicon.demonyms:
            kind = "demonym"
        elif text in lexicon.capitals:
            kind = "capital"
        found.append(Mention(ent.start, ent.end, entry.entity, kind, entry))
    return found


def designation_mentions(
    doc: Doc, lexicon: Lexicon, taken: set[int], weapons: list[Mention] | None = None
) -> list[Mention]:
    """Weapon systems named by a designation: known ones, or new ones near a cue word.

    A designation the lexicon knows (an alias, or an alias plus a plural "s") is that
    system, unless the text gives a more specific variant of it ("AN/APR-39A(V)1" of
    the AN/APR-39): a variant, like an unknown designation, is a new weapon system
    when a cue word ("system", "helicopters", "launchers" ...) follows it in the same
    noun phrase. Its label is the designation and what follows up to the cue, or the
    designation and the acronym the text defines right after ("M270 ... (MLRS)" ->
    "M270 MLRS"). A known name right after a designation is part of it ("XM99 Army
    Tactical Missile System").

    Args:
        doc: The parsed paragraph.
        lexicon: The lexicon.
        taken: Tokens already in a mention; updated.
        weapons: Weapon mentions from the lexicon that a designation may absorb.
    """
    found: list[Mention] = []
    weapons = weapons or []
    starts = {m.start: m for m in weapons}
    text = doc.text
    for match in DESIGNATION.finditer(text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None or any(t.i in taken for t in span):
            continue
        if any(w.start < span.start and span.end <= w.end for w in weapons):
            continue  # the "F1" of a known "Mirage F1"
        code = match.group("code")
        entry = lexicon.lookup(code, types=("weapon-system",))
        following = starts.get(span.end)
        if entry is not None and not _variant(code, entry.entity):
            end = following.end if following is not None else span.end
            entity = _acronym_variant(doc, span.end, code, entry.entity)
            found.append(
                Mention(
                    span.start,
                    _after_acronym(doc, end),
                    entity,
                    "designation",
                    entry if entity is entry.entity else None,
                )
            )
            taken.update(range(span.start, end))
            continue
        mention = _new_weapon(doc, span, code, lexicon)
        if mention is None and following is not None:
            label = (
                f"{code} {_acronym_after(doc, following.end) or following.entity.label}"
            )
            known = lexicon.lookup(label, types=("weapon-system",))
            entity = (
                known.entity
                if known
                else Entity(
                    "weapon-system",
                    label,
                    category=following.entity.category,
                    designation=code,
                )
            )
            mention = Mention(
                span.start,
                _after_acronym(doc, following.end),
                entity,
                "designation",
                known,
            )
        if mention is None and entry is not None:
            mention = Mention(span.start, span.end, entry.entity, "designation", entry)
        if mention is not None:
            known = lexicon.lookup(mention.entity.label, types=("weapon-system",))
            if known is not None:
                mention = Mention(
                    mention.start, mention.end, known.entity, "designation", known
                )
            found.append(mention)
            taken.update(range(mention.start, mention.end))
    return found


def _acronym_variant(doc: Doc, end: int, code: str, entity: Entity) -> Entity:
    """ "M31A2 Guided ... System-Unitary pods (GMLRS-U)" names the Unitary variant of the
    known M31A2 GMLRS: when the acronym the text defines right after the phrase is not a
    name of the known system, the system is the variant "M31A2 GMLRS-U"."""
    for index in range(end, min(end + 10, len(doc))):
        if doc[index].text == "(":
            abbr = _acronym_after(doc, index)
            if abbr is None:
                match = ACRONYM_AFTER.match(doc.text[doc[index].idx :])
                abbr = match.group("abbr") if match else None
            names = {fold(n) for n in (entity.label, *entity.aliases)}
            if (
                abbr
                and fold(abbr) not in names
                and not any(fold(abbr) in n.split() for n in names)
            ):
                return Entity(
                    "weapon-system",
                    f"{code} {abbr}",
                    category=entity.category,
                    designation=code,
                )
            return entity
        if doc[index].is_punct and doc[index].text != "-":
            break
    return entity


def _variant(code: str, entity: Entity) -> bool:
    """Whether a designation is a more specific variant of a known system's designation."""
    base = entity.designation or entity.label.split()[0]
    return (
        fold(code) != fold(base)
        and fold(code).startswith(fold(base))
        and len(code) > len(base)
    )


def _acronym_after(doc: Doc, end: int) -> str | None:
    if end == 0 or end > len(doc):
        return None
    last = doc[end - 1]
    match = ACRONYM_AFTER.match(doc.text[last.idx + len(last.text) :])
    return match.group("abbr") if match else None


def _after_acronym(doc: Doc, end: int) -> int:
    """The token index after a "(ABBR)" that follows ``end``, or ``end``."""
    if end == 0 or end > len(doc):
        return end
    last = doc[end - 1]
    match = ACRONYM_AFTER.match(doc.text[last.idx + len(last.text) :])
    if match is None:
        return end
    closing = doc.char_span(
        last.idx + len(last.text) + match.end() - 1,
        last.idx + len(last.text) + match.end(),
        alignment_mode="expand",
    )
    return closing.end if closing is not None else end


def _cue(token: Token, lexicon: Lexicon) -> bool:
    return (
        token.lemma_.lower() in lexicon.weapon_cues
        or token.text.lower() in lexicon.weapon_cues
    )


def _new_weapon(doc: Doc, span: Span, code: str, lexicon: Lexicon) -> Mention | None:
    """A new weapon system if a cue word follows the designation within its phrase."""
    if re.fullmatch(r"(?:19|20)\d\d", code) or not re.search(r"[A-Za-z]", code):
        return None
    end = span.end
    limit = min(len(doc), span.end + 8)
    cue_at = None
    for index in range(span.end, limit):
        token = doc[index]
        if token.is_punct and token.text not in ("-", "/"):
            break
        if token.pos_ in ("VERB", "AUX", "ADP", "DET", "PRON", "SCONJ", "CCONJ"):
            break
        if _cue(token, lexicon):
            cue_at = index
            if index + 1 < limit and _cue(doc[index + 1], lexicon):
                continue
            break
    if cue_at is None:
        head = span.root.head
        if not (_cue(head, lexicon) and head.i >= span.end):
            return None
        cue_at = head.i
    end = cue_at + 1
    # "... Rocket System-Unitary pods (GMLRS-U)": the phrase runs on to its acronym.
    for extra in range(end, min(end + 4, len(doc))):
        if doc[extra].text == "(":
            break
        if doc[extra].is_punct and doc[extra].text != "-":
            break
        if doc[extra].pos_ in ("VERB", "AUX", "ADP", "DET"):
            break
    else:
        extra = end
    if extra < len(doc) and doc[extra].text == "(" and extra > end:
        end = extra
    after = doc.text[doc[end - 1].idx + len(doc[end - 1].text) :]
    acronym = ACRONYM_AFTER.match(after)
    if acronym:
        label = f"{code} {acronym.group('abbr')}"
        abbr_end = doc[end - 1].idx + len(doc[end - 1].text) + acronym.end()
        closing = doc.char_span(abbr_end - 1, abbr_end, alignment_mode="expand")
        end = closing.end if closing is not None else end
    else:
        words = [code] + [t.text for t in doc[span.end : cue_at]] + [doc[cue_at].lemma_]
        label = " ".join(words)
    category = lexicon.weapon_cues.get(doc[cue_at].lemma_.lower(), ("missile", True))[0]
    entity = Entity("weapon-system", label, category=category, designation=code)
    return Mention(span.start, end, entity, "designation")


def law_mentions(doc: Doc, lexicon: Lexicon, taken: set[int]) -> list[Mention]:
    """Laws, orders and resolutions: known ones by name, new ones by their patterns.

    A name the lexicon lacks still resolves to a known law when it shares the known
    name's opening words and kind ("Countering America's Adversarial ... Act" and
    "Countering America's Adversaries Through Sanctions Act"); the article's wording is
    then kept as an alias of the law.
    """
    found: list[Mention] = []
    for pattern in (LAW_NUMBERED, LAW_NAMED):
        for match in pattern.finditer(doc.text):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None or any(t.i in taken for t in span):
                continue
            name = match.group(0).strip()
            name = re.sub(r"^(?:the|The)\s+", "", name)
            if pattern is LAW_NAMED and not _plausible_law(name):
                continue
            entity = _law_entity(name, match, lexicon)
            found.append(
                Mention(
                    span.start,
                    span.end,
                    entity,
                    "law",
                    lexicon.entries.get(f"law:{entity.label}"),
                )
            )
            taken.update(range(span.start, span.end))
    return found


_LAW_STOP = {"the", "of", "on", "and", "for", "to", "against", "through"}


def _plausible_law(name: str) -> bool:
    words = [w for w in name.split() if w.lower() not in _LAW_STOP]
    return len(words) >= 3


def _law_entity(name: str, match: re.Match[str], lexicon: Lexicon) -> Entity:
    if "number" in match.groupdict() and match.groupdict().get("number"):
        kind = match.group("kind")
        number = match.group("number")
        canonical = {
            "E.O.": "Executive Order",
            "EO": "Executive Order",
            "UNSCR": "UN Security Council Resolution",
        }.get(kind, kind)
        if kind == "Resolution" and re.search(r"U\.?N|Security Council", name):
            canonical = "UN Security Council Resolution"
        for candidate in (f"{canonical} {number}", f"{kind} {number}", name):
            entry = lexicon.lookup(candidate, types=("law",))
            if entry is not None:
                return entry.entity
        return Entity("law", f"{canonical} {number}")
    entry = lexicon.lookup(name, types=("law",)) or _similar_law(name, lexicon)
    if entry is not None:
        entity = entry.entity
        if fold(name) not in {fold(n) for n in entry.names}:
            entity = Entity(
                "law",
                entity.label,
                aliases=tuple(sorted({*entity.aliases, name})),
                wikidata=entity.wikidata,
                official_name=entity.official_name,
            )
        return entity
    return Entity("law", name)


def _stem(word: str) -> str:
    return fold(word).replace("'s", "").replace("’s", "")[:6]


def _similar_law(name: str, lexicon: Lexicon) -> LexEntry | None:
    """A known law whose name opens with the same two words and ends with the same kind."""
    words = [w for w in name.split() if w.lower() not in _LAW_STOP]
    if len(words) < 3:
        return None
    best = None
    for entry in lexicon.entries.values():
        if entry.entity.type != "law":
            continue
        for known in entry.names:
            other = [w for w in known.split() if w.lower() not in _LAW_STOP]
            if len(other) < 3 or fold(other[-1]) != fold(words[-1]):
                continue
            if [_stem(w) for w in other[:2]] == [_stem(w) for w in words[:2]]:
                if best is not None and best.id != entry.id:
                    return None
                best = entry
    return best


ORG_HEADS = re.compile(
    r"(?:Organi[sz]ation|Agency|Ministry|Department|Council|Committee|Corps|Company|Corporation|"
    r"Group|Inc\.?|Ltd\.?|Army|Forces?|Navy|Administration|Office|Service|Industries|Bank|Union|"
    r"Party|Front|Movement|Brigades?|Guards?|Institute|Commission|Assembly|Parliament|Congress|"
    r"Senate|Authority|Bureau|Directorate|Command|Center|Centre|Alliance|Coalition|Federation|"
    r"Association|Foundation|Network|Systems|Technologies|Aerospace|Dynamics|Defen[cs]e)$"
)
PERSON_PREFIXES = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Dr|Gen|Adm|Col|Lt|Sen|Rep|Gov|Amb|Prof)\.?\s+)+", re.I
)


def ner_mentions(doc: Doc, lexicon: Lexicon, taken: set[int]) -> list[Mention]:
    """Persons and organizations spaCy's NER finds that the lexicon does not know."""
    found: list[Mention] = []
    for ent in doc.ents:
        if ent.ent_id_ or any(t.i in taken for t in ent):
            continue
        if ent.label_ == "PERSON":
            label = _person_label(ent)
            if label:
                found.append(Mention(ent.start, ent.end, Entity("person", label)))
                taken.update(range(ent.start, ent.end))
        elif ent.label_ == "ORG":
            tokens = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
            if not tokens:
                continue
            text = doc[tokens[0].i : ent.end].text.rstrip("’'s ").strip()
            leader_state = government_of(text, lexicon)
            if leader_state is not None:
                found.append(Mention(tokens[0].i, ent.end, leader_state, "name"))
                taken.update(range(tokens[0].i, ent.end))
                continue
            if not (
                (ORG_HEADS.search(text) and len(text.split()) > 1)
                or re.fullmatch(r"[A-Z]{2,6}", text)
            ):
                continue
            entry = lexicon.lookup(text)
            entity = entry.entity if entry else Entity("organization", text)
            found.append(Mention(tokens[0].i, ent.end, entity, "name", entry))
            taken.update(range(tokens[0].i, ent.end))
    return found


GOVERNMENT_OF = re.compile(
    r"^(?P<name>[A-Z][\w'’-]+)\s+(?:[Aa]dministration|[Gg]overnment|[Cc]abinet)$"
)


def government_of(text: str, lexicon: Lexicon) -> Entity | None:
    """The state of "the Obama Administration": the state of the leader the lexicon knows."""
    match = GOVERNMENT_OF.match(text)
    if match is None:
        return None
    labels = lexicon.surnames.get(fold(match.group("name")), [])
    people = [lexicon.entries.get(f"person:{label}") for label in labels]
    states = {p.entity.of_state for p in people if p is not None}
    # "the Carter administration": Jimmy or Ash, both served the United States
    if len(states) != 1 or None in states:
        return None
    (state,) = states
    return lexicon.state(state) if state else None


def _person_label(ent: Span) -> str:
    text = PERSON_PREFIXES.sub("", ent.text).strip(" ,'’\"")
    words = text.split()
    if not words or any(ch.isdigit() for ch in text):
        return ""
    if all(w.isupper() for w in words if w.isalpha()):
        words = [w.capitalize() for w in words]
    if len(words) == 1 and len(words[0]) < 3:
        return ""
    return " ".join(words)


def find_mentions(doc: Doc, lexicon: Lexicon) -> list[Mention]:
    """Every mention of a parsed paragraph, sorted by position, none overlapping."""
    mentions = lexicon_mentions(doc, lexicon)
    # A law's name may contain a state's ("Countering America's ... Act"): laws first.
    taken = {
        i for m in mentions if m.entity.type == "law" for i in range(m.start, m.end)
    }
    laws = law_mentions(doc, lexicon, taken)
    in_laws = {i for m in laws for i in range(m.start, m.end)}
    mentions = [
        m for m in mentions if not any(i in in_laws for i in range(m.start, m.end))
    ] + laws
    weapons = [m for m in mentions if m.entity.type == "weapon-system"]
    taken = {
        i
        for m in mentions
        if m.entity.type != "weapon-system"
        for i in range(m.start, m.end)
    }
    designations = designation_mentions(doc, lexicon, taken, weapons)
    in_designations = {i for m in designations for i in range(m.start, m.end)}
    mentions = [
        m
        for m in mentions
        if not any(i in in_designations for i in range(m.start, m.end))
    ] + designations
    taken = {i for m in mentions for i in range(m.start, m.end)}
    mentions += ner_mentions(doc, lexicon, taken)
    return _drop_restated_acronyms(
        doc, sorted(mentions, key=lambda m: (m.start, m.end))
    )


def _drop_restated_acronyms(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "M57 Army Tactical Missile System (ATACMS)": the bracketed acronym restates the
    weapon before it, so it is not a second weapon."""
    kept: list[Mention] = []
    for mention in mentions:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and mention.entity.type == "weapon-system"
            and previous.entity.type == "weapon-system"
            and mention.start > 0
            and doc[mention.start - 1].text == "("
            and mention.start - previous.end <= 8
        ):
            continue
        kept.append(mention)
    return kept


def acronym_definitions(doc: Doc, mentions: list[Mention]) -> dict[str, Mention]:
    """ABBR -> the mention it abbreviates, for each "Long Name (ABBR)" in the paragraph."""
    found: dict[str, Mention] = {}
    for mention in mentions:
        last = doc[mention.end - 1]
        after = doc.text[last.idx + len(last.text) :]
        match = ACRONYM_AFTER.match(after)
        if match:
            found[match.group("abbr")] = mention
    return found
