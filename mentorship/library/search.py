"""Search in Russian.

On PostgreSQL: full-text search with the ``russian`` configuration (Snowball stemming, so
«наставники» finds «наставник» and «наставничества» finds «наставничество»), the user's query
read by ``websearch_to_tsquery`` (quotes for phrases, ``or``, ``-word``), results ranked by
``ts_rank``; «ё» is folded to «е» on both sides, so «ёлка» and «елка» find each other. The
document (``LibraryItem.search_vector``, GIN-indexed) is kept by ``refresh_document`` on every
change: the title weighs more (A) than the description, forms and keywords (B).

On SQLite (the embedded default): the same text folded to lower case, and every word of the
query must occur in it (a plain "contains" test). A word's common Russian ending is cut off
first (``rough_stem``: «наставники» → «наставник», «наставничества» → «наставничеств»), so the
usual inflected forms still find each other; no dictionary, no ranking.
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import TSVECTOR

from core.extensions import db
from core.search import contains
from mentorship.library.models import LibraryItem

_WORD = re.compile(r"\w+")
_RUSSIAN = "russian"
# Inflectional endings of Russian nouns, adjectives and verbs, longest first (the fallback's
# rough stemming: what is left must still be a substring of every form of the word).
_ENDINGS = sorted({
    "иями", "ями", "ами", "ими", "ыми", "его", "ого", "ему", "ому", "иях", "иям", "ях", "ах", "ям", "ам",
    "ов", "ев", "ей", "ий", "ый", "ой", "ая", "яя", "ое", "ее", "ые", "ие", "ых", "их", "ым", "им", "ом", "ем",
    "ью", "ия", "ии", "ию", "ть", "а", "я", "о", "е", "и", "ы", "у", "ю", "ь", "й",
}, key=len, reverse=True)
_MIN_STEM = 3


def fold(text: str | None) -> str:
    """«ё» as «е» (both cases): the same on the document's side and on the query's."""
    return (text or "").replace("ё", "е").replace("Ё", "Е")


def dialect_name() -> str:
    return db.session.get_bind(mapper=sa.inspect(LibraryItem)).dialect.name


def _weighted(text: str, weight: str):
    return sa.func.setweight(sa.func.to_tsvector(_RUSSIAN, text), sa.literal_column(f"'{weight}'"))


def document(title: str, rest: str):
    """The search document of an item: a ``tsvector`` expression on PostgreSQL, folded text on
    SQLite (assigned to ``search_vector``; the flush writes it)."""
    if dialect_name() == "postgresql":
        return _weighted(fold(title), "A").op("||", return_type=TSVECTOR)(_weighted(fold(rest), "B"))
    return fold(f"{title}\n{rest}").lower()


def refresh_document(item: LibraryItem, form_names: list[str]) -> None:
    """Rebuild the item's search document from its title, description, forms and keywords."""
    rest = "\n".join(part for part in (item.description, " ".join(form_names), item.keywords) if part)
    item.search_vector = document(item.title, rest)


def rough_stem(word: str) -> str:
    """``word`` (folded, lower case) without its longest common Russian ending, keeping at
    least three letters: the SQLite fallback's stand-in for stemming."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def _tsquery(query: str):
    return sa.func.websearch_to_tsquery(_RUSSIAN, fold(query))


def matches(query: str):
    """The condition "the item matches the user's query"."""
    if dialect_name() == "postgresql":
        return LibraryItem.search_vector.bool_op("@@")(_tsquery(query))
    words = _WORD.findall(fold(query).lower())
    if not words:
        return sa.true()
    return sa.and_(*(contains(LibraryItem.search_vector, rough_stem(word)) for word in words))


def rank(query: str):
    """How well the item matches (higher first); None where there is no ranking."""
    if dialect_name() == "postgresql":
        return sa.func.ts_rank(LibraryItem.search_vector, _tsquery(query))
    return None
