"""Finding and ranking products by the words typed, each backend with its own index.

A product matches a word when
- PostgreSQL: the word (stemmed, as a prefix: "massaging" finds massage) is in its weighted
  text, or it is trigram-similar to a word of its name, summary or ingredients ("almnd"), both
  answered by GIN indexes (shop/catalog/search_index.py);
- SQLite: the word is found anywhere in its text by the FTS5 trigram index, or, likewise, it is
  trigram-similar to a word of its name, summary or ingredients;
- either: a word that could be a SKU (it has a digit or a dash) is part of one of its SKUs.
"""
import re

from sqlalchemy import Float, and_, case, cast, column, func, literal, literal_column, or_, select, table

from shop.catalog.models import Product, Variant
from shop.catalog.search_index import DOCUMENT_SQL, FUZZY_MIN_LENGTH, FUZZY_TEXT_SQL, FUZZY_THRESHOLD, trigrams
from shop.extensions import db
from shop.sql import LIKE_ESCAPE, escape_like

_ENGLISH = literal_column("'english'::regconfig")
_document = literal_column(f"({DOCUMENT_SQL})")
_fuzzy_text = literal_column(f"({FUZZY_TEXT_SQL})")
_fts = table("product_search", column("rowid"))
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


def word_matches(word: str, dialect: str):
    lexemes = _lexemes(word)
    if dialect == "postgresql":
        ways = [_document.op("@@")(func.to_tsquery(_ENGLISH, " & ".join(f"{x}:*" for x in lexemes)))] if lexemes else [
            _anywhere_like(word)]
        if _fuzzy(word):
            ways.append(literal(word).op("<%")(_fuzzy_text))
    else:
        ways = [_fts_match(_quoted(word)) if len(word) >= 3 else _anywhere_like(word)]
        if _fuzzy(word):
            # Candidates share a trigram with the word (by index); the function then decides.
            inner = sorted({t for t in trigrams(word) if " " not in t})
            ways.append(and_(_fts_match(" OR ".join(_quoted(t) for t in inner)),
                             func.word_similarity(word, _fuzzy_text) >= FUZZY_THRESHOLD))
    if _may_be_sku(word):
        ways.append(_sku_contains(word))
    return or_(*ways)


def rank(words: list[str], dialect: str):
    """Higher for a better match: words in the name first, then summary and ingredients, then the rest."""
    similar = [func.word_similarity(w, func.lower(Product.name)) for w in words if _fuzzy(w)]
    if dialect == "postgresql":
        lexemes = [x for w in words for x in _lexemes(w)]
        score = func.ts_rank(_document, func.to_tsquery(_ENGLISH, " | ".join(f"{x}:*" for x in lexemes))) if lexemes else literal(0.0)
    else:
        score = sum((case((func.instr(func.lower(c), w) > 0, weight), else_=0) for w in words for c, weight in _SQLITE_WEIGHTS),
                    literal(0))
    return cast(score, Float) + sum(similar, literal(0.0))


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

