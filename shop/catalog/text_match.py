"""Finding and ranking products by the words typed, each backend with its own index.

A product matches a word when
- PostgreSQL: the word (stemmed, as a prefix: "massaging" finds massage), or a word of the
  catalogue's names, summaries and ingredients trigram-similar to it ("almnd": almond), is in its
  weighted text. One small query first looks the similar words up (`words_alike`, by their
  trigram index); the full-text GIN index then answers the rest (shop/catalog/search_index.py).
  A word that is only a stop word ("with") says nothing about a product and is left out;
- SQLite: the word is found anywhere in its text by the FTS5 trigram index, or, likewise, it is
  trigram-similar to a word of its name, summary or ingredients;
- either: a word that could be a SKU (it has a digit or a dash) is part of one of its SKUs.
"""
import json
import re
from dataclasses import dataclass, field

from sqlalchemy import Float, and_, case, cast, column, func, literal, literal_column, or_, select, table, text, true
from sqlalchemy.dialects.postgresql import TSQUERY

from shop.catalog.models import Product, Variant
from shop.catalog.search_index import DOCUMENT_SQL, FUZZY_MIN_LENGTH, FUZZY_TEXT_SQL, FUZZY_THRESHOLD, RANKED_SQL, trigrams
from shop.extensions import db
from shop.sql import LIKE_ESCAPE, escape_like

_document = literal_column(f"({DOCUMENT_SQL})")
_ranked = literal_column(f"({RANKED_SQL})")
_fuzzy_text = literal_column(f"({FUZZY_TEXT_SQL})")
_fts = table("product_search", column("rowid"))
# Type instances made once: cast(x, TSQUERY) makes a new instance per call, and SQLAlchemy works out
# each new instance's part of the statement's cache key by inspecting its class (about 0.3 ms a search).
_TSQUERY = TSQUERY()
_FLOAT = Float()
TEXT_COLUMNS = (Product.name, Product.summary, Product.description, Product.how_to_use,
                Product.ingredients, Product.cautions)
# Ranking on SQLite: a word in the name counts most, then in summary or ingredients, then elsewhere.
_SQLITE_WEIGHTS = ((Product.name, 4), (Product.summary, 2), (Product.ingredients, 2), (Product.description, 1))


def _lexemes(word: str) -> list[str]:
    # Letters and digits only: nothing typed can become tsquery or FTS5 syntax.
    return re.findall(r"[^\W_]+", word.lower())


def _may_be_sku(word: str) -> bool:
    return any(c.isdigit() or c == "-" for c in word)


def _fuzzy(word: str) -> bool:
    return len(word) >= FUZZY_MIN_LENGTH and word.isalpha()


def _sku_contains(word: str):
    return Product.id.in_(select(Variant.product_id).where(
        Variant.sku.ilike(f"%{escape_like(word)}%", escape=LIKE_ESCAPE)))


def _anywhere_like(word: str):
    pattern = f"%{escape_like(word)}%"
    return or_(*(c.ilike(pattern, escape=LIKE_ESCAPE) for c in TEXT_COLUMNS))


def _fts_match(expression: str):
    return Product.id.in_(select(_fts.c.rowid).where(literal_column("product_search").op("MATCH")(literal(expression))))


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class TypedWords:
    """The words typed, and on PostgreSQL each one's text-search query: its lexemes as prefixes, or
    any catalogue word alike to it ('' when it holds only stop words)."""

    dialect: str
    words: tuple[str, ...]
    queries: dict[str, str] = field(default_factory=dict)


def _own_query(word: str) -> str:
    return " & ".join(f"{x}:*" for x in _lexemes(word))


# Per typed word (its own query, and whether a slip is to be looked for): the text-search query,
# normalised by PostgreSQL itself, with the catalogue's words alike to it as alternatives, leaving
# out those its own query finds already: "arnica" is not asked for as "arnica:* | arnica", which
# the planner would count twice and answer by reading every product.
#
# The same query tells the planner, for the rest of this transaction (the request's), to find the
# matches by the text index rather than read the table: it prices testing a product's text as one
# cheap step, but a word most products have ("massage", 8,751 of 10,000) made it read and test every
# document, 37 ms for the filter counts and as much again for the page, against 7 ms from the index.
# Set here, not as a statement of its own: a search runs no more queries for it.
_ALIKE_SQL = text(
    "SELECT typed.word, to_tsquery('english', CASE WHEN typed.own = '' THEN '' ELSE '(' || typed.own || ')' END"
    " || coalesce((SELECT string_agg(' | ' || w.word, '') FROM product_search_words w"
    "              WHERE typed.fuzzy AND typed.word <% w.word"
    "              AND NOT to_tsvector('english', w.word) @@ to_tsquery('english', typed.own)), ''))::text,"
    " set_config('enable_seqscan', 'off', true)"
    " FROM jsonb_to_recordset(CAST(:typed AS jsonb)) AS typed(word text, own text, fuzzy boolean)")


def words_alike(words: list[str], dialect: str) -> TypedWords:
    """The typed words ready to match: on PostgreSQL with their queries, in one query for all of them."""
    if dialect != "postgresql" or not words:
        return TypedWords(dialect, tuple(words))
    typed = json.dumps([{"word": w, "own": _own_query(w), "fuzzy": _fuzzy(w)} for w in words])
    rows = db.session.execute(_ALIKE_SQL, {"typed": typed}).all()
    return TypedWords(dialect, tuple(words), {word: query for word, query, _ in rows})


def _matches(query: str):
    """The product's weighted text answers `query`, a text-search query as PostgreSQL wrote it (bound, never spliced)."""
    return _document.op("@@")(cast(literal(query), _TSQUERY))


def word_matches(word: str, typed: TypedWords):
    dialect = typed.dialect
    if dialect == "postgresql":
        query = typed.queries.get(word, "")
        ways = [_matches(query)] if query else []
        if not _lexemes(word):
            ways.append(_anywhere_like(word))
    else:
        ways = [_fts_match(_quoted(word)) if len(word) >= 3 else _anywhere_like(word)]
        if _fuzzy(word):
            # Candidates share a trigram with the word (by index); the function then decides.
            inner = sorted({t for t in trigrams(word) if " " not in t})
            ways.append(and_(_fts_match(" OR ".join(_quoted(t) for t in inner)),
                             func.word_similarity(word, _fuzzy_text) >= FUZZY_THRESHOLD))
    if _may_be_sku(word):
        ways.append(_sku_contains(word))
    return or_(*ways) if ways else true()  # nothing but stop words: no condition


def words_match(typed: TypedWords) -> list:
    """A condition per typed word, except that on PostgreSQL the words found only by text search are
    asked for in one query ("massage & oil"): each product's text is read and matched once, and the
    index answers the whole, where a condition per word read and matched it once a word."""
    if typed.dialect != "postgresql":
        return [word_matches(word, typed) for word in typed.words]
    text_only = [w for w in typed.words if typed.queries.get(w) and not _may_be_sku(w)]
    conditions = [word_matches(word, typed) for word in typed.words if word not in text_only]
    if text_only:
        both = " & ".join(f"({typed.queries[w]})" for w in text_only)
        conditions.append(_matches(both))
    return conditions


def rank(typed: TypedWords):
    """Higher for a better match: words in the name first, then summary and ingredients, then the rest
    (on PostgreSQL those rank 0, after all the others: search_index._RANKED says why).

    On PostgreSQL ts_rank weighs the words alike to a slip as it does the typed ones ("arnika" ranks
    a product named arnica first); SQLite adds how alike the name is to each word typed."""
    words = typed.words
    if typed.dialect == "postgresql":
        queries = [f"({q})" for q in typed.queries.values() if q]
        score = func.ts_rank(_ranked, cast(literal(" | ".join(queries)), _TSQUERY)) if queries else literal(0.0)
        return cast(score, _FLOAT)
    score = sum((case((func.instr(func.lower(c), w) > 0, weight), else_=0) for w in words for c, weight in _SQLITE_WEIGHTS),
                literal(0))
    similar = [func.word_similarity(w, func.lower(Product.name)) for w in words if _fuzzy(w)]
    return cast(score, _FLOAT) + sum(similar, literal(0.0))


def sku_product_slug(q: str) -> str | None:
    """The one published product whose SKU is `q` or contains it; None when none or several do."""
    pattern = f"%{escape_like(q.strip())}%"
    slugs = db.session.scalars(
        select(Product.slug).join(Variant)
        .where(Product.published.is_(True), Variant.sku.ilike(pattern, escape=LIKE_ESCAPE))
        .group_by(Product.slug).limit(2)
    ).all()
    return slugs[0] if len(slugs) == 1 else None


def looks_like_sku(q: str) -> bool:
    q = q.strip()
    return len(q) >= 3 and " " not in q and bool(re.fullmatch(r"[A-Za-z0-9-]+", q)) and any(c.isalpha() for c in q) and _may_be_sku(q)


def closest_names(words: list[str], conditions: list, limit: int = 3) -> list[Product]:
    """Products whose names are nearest the typed words, within the other filters: "did you mean"."""
    typed = " ".join(words)
    likeness = func.word_similarity(typed, func.lower(Product.name))
    return list(db.session.scalars(
        select(Product).where(*conditions, likeness >= 0.3).order_by(likeness.desc(), Product.name).limit(limit)))

