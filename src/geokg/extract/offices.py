"""Offices and their holders: "French President Jane Roe", "John Doe, the
under-secretary of state for political and military affairs", "the NATO chief".

A title (a variant from ``offices.tsv``) with the state or organization it belongs to
(a demonym or name before it, "of X" after it) makes a post; a person named right after
the title, or right before it with a comma, holds it. A title with no name is a role
mention, resolved to whoever the article names in that post, or to an unnamed holder.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from geokg.extract.lexicon import Office, fold
from geokg.model import Entity

if TYPE_CHECKING:
    from spacy.tokens import Token

    from geokg.extract.analysis import Analysis, Holding, Sentence

ORG_TYPES = {
    "state",
    "alliance",
    "international-organization",
    "government-body",
    "organization",
    "company",
}
LOWER_WORDS = {"of", "for", "and", "the", "on", "in", "to", "at"}


def _variant_tokens(variant: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for word in variant.split():
        parts = re.split(r"(-)", word)
        tokens += [p for p in parts if p]
    return tuple(tokens)


_TITLE_INDEXES: dict[int, dict[str, list[tuple[tuple[str, ...], Office]]]] = {}


def _title_index(analysis: Analysis) -> dict[str, list[tuple[tuple[str, ...], Office]]]:
    """Office variants by first word, longest first (built once per lexicon)."""
    key = id(analysis.lexicon.offices)
    if key in _TITLE_INDEXES:
        return _TITLE_INDEXES[key]
    index: dict[str, list[tuple[tuple[str, ...], Office]]] = {}
    for office in analysis.lexicon.offices:
        for variant in office.variants:
            tokens = _variant_tokens(variant)
            index.setdefault(tokens[0], []).append((tokens, office))
    for options in index.values():
        options.sort(key=lambda item: -len(item[0]))
    _TITLE_INDEXES[key] = index
    return index


def find_holdings(analysis: Analysis) -> list[Holding]:
    """Every office title in the article, with its post and its holder if named."""
    index = _title_index(analysis)
    found: list[Holding] = []
    for sentence in analysis.sentences:
        found += _sentence_holdings(analysis, sentence, index)
    return found


def _sentence_holdings(
    analysis: Analysis,
    sentence: Sentence,
    index: dict[str, list[tuple[tuple[str, ...], Office]]],
) -> list[Holding]:
    from geokg.extract.analysis import Holding

    doc = sentence.doc
    found = []
    i = sentence.span.start
    while i < sentence.span.end:
        match = _match_title(doc, i, sentence.span.end, index)
        if match is None or _inside_org_name(sentence, i):
            i += 1
            continue
        length, office = match
        start, end = i, i + length
        org, org_start = _org_before(analysis, sentence, start)
        end, complement = _complement(doc, end, sentence)
        if org is None:
            org, end = _org_after(analysis, sentence, end)
        target, end = _target_after(analysis, sentence, end, office)
        holder = _holder(
            analysis, sentence, org_start if org_start is not None else start, end
        )
        if org is None and holder is not None:
            org = _known_home(analysis, holder)
        office = _head_office(analysis, office, org)
        post = _post(office, complement, org, target, analysis) or Entity(
            "post", office.title, role_name=fold(office.title)
        )
        found.append(
            Holding(
                sentence.index,
                post,
                holder,
                org_start if org_start is not None else start,
                end,
                office.title,
                office.head or office.title == "Head",
            )
        )
        i = end
    return found


def _match_title(doc, i: int, limit: int, index) -> tuple[int, Office] | None:  # type: ignore[no-untyped-def]
    options = index.get(doc[i].lower_)
    if not options:
        return None
    for tokens, office in options:
        if (
            i + len(tokens) <= limit
            and tuple(t.lower_ for t in doc[i : i + len(tokens)]) == tokens
        ):
            last = doc[i + len(tokens) - 1]
            if last.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") or len(tokens) > 1:
                return len(tokens), office
    return None


def _inside_org_name(sentence: Sentence, i: int) -> bool:
    mention = sentence.by_token.get(i)
    return (
        mention is not None
        and mention.lex is not None
        and mention.entity.type in ORG_TYPES - {"state"}
    )


def _entity_of(analysis: Analysis, sentence: Sentence, token: Token) -> Entity | None:
    mention = sentence.by_token.get(token.i)
    if mention is None or mention.entity.type not in ORG_TYPES:
        return None
    return mention.entity


def _org_before(
    analysis: Analysis, sentence: Sentence, start: int
) -> tuple[Entity | None, int | None]:
    """The state or organization named right before a title: "Turkish", "Turkey's", "NATO"."""
    doc = sentence.doc
    j = start - 1
    while (
        j >= sentence.span.start
        and doc[j].pos_ == "ADJ"
        and sentence.by_token.get(j) is None
    ):
        j -= 1
    if j >= sentence.span.start and doc[j].lower_ in ("'s", "’s", "'"):
        j -= 1
    if j < sentence.span.start:
        return None, None
    entity = _entity_of(analysis, sentence, doc[j])
    if entity is None:
        return None, None
    mention = sentence.by_token[j]
    first = mention.start
    if first - 1 >= sentence.span.start and doc[first - 1].lower_ in ("the", "a", "an"):
        first -= 1
    return analysis.as_agent(
        entity
    ) if entity.type == "government-body" else entity, first


def _complement(doc, end: int, sentence: Sentence) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """ "for political and military affairs" after a title, kept in the post's name."""
    if end < sentence.span.end and doc[end].lower_ == "for":
        k = end + 1
        words = []
        while (
            k < sentence.span.end
            and (doc[k].is_alpha or doc[k].text == "-")
            and doc[k].pos_
            in (
                "ADJ",
                "NOUN",
                "PROPN",
                "CCONJ",
                "PUNCT",
                "ADP",
            )
        ):
            if (
                sentence.by_token.get(k) is not None
                and sentence.by_token[k].entity.type == "person"
            ):
                break
            words.append(doc[k].text)
            k += 1
        while words and words[-1].lower() in LOWER_WORDS:
            words.pop()
            k -= 1
        if words:
            return k, "for " + " ".join(words)
    return end, ""


def _org_after(
    analysis: Analysis, sentence: Sentence, end: int
) -> tuple[Entity | None, int]:
    doc = sentence.doc
    if end + 1 < sentence.span.end and doc[end].lower_ == "of":
        k = end + 1
        if doc[k].lower_ == "the" and k + 1 < sentence.span.end:
            k += 1
        entity = _entity_of(analysis, sentence, doc[k])
        if entity is not None:
            return entity, sentence.by_token[k].end
    return None, end


def _target_after(
    analysis: Analysis, sentence: Sentence, end: int, office: Office
) -> tuple[Entity | None, int]:
    doc = sentence.doc
    if end + 1 < sentence.span.end and doc[end].lower_ == "to":
        k = end + 1
        if doc[k].lower_ == "the" and k + 1 < sentence.span.end:
            k += 1
        entity = _entity_of(analysis, sentence, doc[k])
        if entity is not None:
            return entity, sentence.by_token[k].end
    return None, end


def _holder(
    analysis: Analysis, sentence: Sentence, start: int, end: int
) -> Entity | None:
    """The person named right after the title phrase, or right before it with a comma."""
    doc = sentence.doc
    k = end
    if k < sentence.span.end and doc[k].text == ",":
        k += 1
    mention = sentence.by_token.get(k)
    if mention is not None and mention.entity.type == "person" and mention.start == k:
        return analysis.persons.get(mention.entity.label, mention.entity)
    named = _name_after(analysis, sentence, k)
    if named is not None:
        return named
    k = start - 1
    while k >= sentence.span.start and (
        doc[k].lower_ in ("the", "a", "an") or doc[k].pos_ == "ADJ"
    ):
        k -= 1
    if k >= sentence.span.start and doc[k].text == ",":
        mention = sentence.by_token.get(k - 1)
        if mention is not None and mention.entity.type == "person":
            return analysis.persons.get(mention.entity.label, mention.entity)
    return None


def _name_after(analysis: Analysis, sentence: Sentence, k: int) -> Entity | None:
    """ "Title Firstname Lastname": two or more capitalised names right after a title make a
    person even where the NER found none; the name becomes a mention of the sentence."""
    from geokg.extract.mentions import Mention

    doc = sentence.doc
    j = k
    words = 0
    while j < sentence.span.end:
        token = doc[j]
        if (
            token.pos_ == "PROPN"
            and token.is_title
            and sentence.by_token.get(j) is None
        ):
            words += 1
            j += 1
        elif (
            token.text == "-"
            and j + 1 < sentence.span.end
            and doc[j + 1].is_alpha
            and words
        ):
            j += 2
        else:
            break
    if words < 2:
        return None
    entity = Entity("person", doc[k:j].text)
    mention = Mention(k, j, entity)
    sentence.mentions = sorted(
        [*sentence.mentions, mention], key=lambda m: (m.start, m.end)
    )
    sentence.index_mentions()
    return entity


def _known_home(analysis: Analysis, holder: Entity) -> Entity | None:
    """The state or organization the lexicon says a person serves."""
    entry = analysis.lexicon.entries.get(f"person:{holder.label}")
    if entry is None:
        return None
    if entry.entity.of_state:
        return analysis.lexicon.state(entry.entity.of_state)
    if entry.parent:
        for kind in ("alliance", "international-organization", "organization"):
            org = analysis.lexicon.entries.get(f"{kind}:{entry.parent}")
            if org is not None:
                return org.entity
    return None


def _head_office(analysis: Analysis, office: Office, org: Entity | None) -> Office:
    """ "the NATO chief" is NATO's Secretary General: a generic head title becomes the
    organization's own title for its head, where the lexicon gives one."""
    if org is None or office.title not in ("Head", "Leader"):
        return office
    entry = analysis.lexicon.entries.get(f"{org.type}:{org.label}")
    if entry is None or not entry.head_title:
        return office
    for candidate in analysis.lexicon.offices:
        if candidate.title == entry.head_title:
            return candidate
    return office


def _named(entity: Entity, analysis: Analysis) -> str:
    """A name as it reads after "of": "the United States", "NATO", "the United Nations"."""
    if entity.type == "state":
        entry = analysis.lexicon.entries.get(f"state:{entity.label}")
        return (
            f"the {entity.label}"
            if entry is not None and entry.article
            else entity.label
        )
    words = entity.label.split()
    return (
        f"the {entity.label}"
        if len(words) > 1 and not words[0].isupper()
        else entity.label
    )


def _post(
    office: Office,
    complement: str,
    org: Entity | None,
    target: Entity | None,
    analysis: Analysis,
) -> Entity | None:
    if org is None:
        return None
    title = office.title
    if complement:
        title += " " + " ".join(
            w if w in LOWER_WORDS else w[:1].upper() + w[1:] for w in complement.split()
        )
    label = f"{title} of {_named(org, analysis)}"
    if target is not None:
        label += f" to {_named(target, analysis)}"
    return Entity(
        "post",
        label,
        post_in=org.label,
        post_in_type=org.type,
        role_name=fold(office.title),
    )
