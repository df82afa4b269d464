"""What the listing's search box understands, beyond words found in a product's text.

People screening for allergies type what the filters say: "fragrance free", "nut-free", "vegan"
find exactly what the matching filter finds. A size ("5L", "5 L", "500ml", "1 litre") finds the
products sold in that size; a SKU ("CRM-ARN-0100") finds its product; other words are looked for
in the name, summary, description, how to use, ingredients and cautions ("pregnancy"), and
forgivingly in the name, summary and ingredients ("arnika" finds arnica: shop/catalog/text_match.py).
Everything becomes conditions on the one listing query; on PostgreSQL one small query before it
looks up the catalogue's words alike to the typed ones.
"""
import re
from dataclasses import dataclass, field

from sqlalchemy import and_, exists

from shop.catalog.models import Flag, Product, Variant, product_flags
from shop.catalog.text_match import rank, words_alike, words_match

MAX_WORDS = 8
# Other ways people write a suitability, by the flag's slug (its name and slug are always understood).
SYNONYMS = {"fragrance-free": ("unscented", "perfume free", "scent free")}
# A size typed with its unit, with or without the space: the amount in ml or g.
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*(ml|l|litres?|liters?|g|kg)$")
_TO_BASE = {"ml": ("ml", 1), "l": ("ml", 1000), "litre": ("ml", 1000), "litres": ("ml", 1000),
            "liter": ("ml", 1000), "liters": ("ml", 1000), "g": ("g", 1), "kg": ("g", 1000)}


@dataclass
class Search:
    flags: list[Flag] = field(default_factory=list)
    sizes: list[tuple[int, str]] = field(default_factory=list)  # (amount, unit)
    words: list[str] = field(default_factory=list)


def _phrase_pattern(phrase: str) -> re.Pattern:
    """'Fragrance-free' also as 'fragrance free' and 'fragrancefree'."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", phrase.lower()) if p]
    return re.compile(r"(?<![\w-])" + r"[\s-]*".join(parts) + r"(?![\w-])")


def parse_search(q: str, flags: list[Flag]) -> Search:
    search = Search()
    text = " ".join((q or "").lower().split())
    for flag in (f for f in flags if f.kind == "suitable"):
        for phrase in {flag.name, flag.slug, *SYNONYMS.get(flag.slug, ())}:
            text, found = _phrase_pattern(phrase).subn(" ", text)
            if found and flag not in search.flags:
                search.flags.append(flag)
    tokens = text.split()
    i = 0
    while i < len(tokens):
        # "5 L" is one size, as is "5L".
        pair = f"{tokens[i]}{tokens[i + 1]}" if i + 1 < len(tokens) else ""
        if pair and tokens[i][0].isdigit() and _SIZE.match(pair) and not _SIZE.match(tokens[i]):
            size, i = _SIZE.match(pair), i + 2
        elif _SIZE.match(tokens[i]):
            size, i = _SIZE.match(tokens[i]), i + 1
        else:
            if tokens[i] not in search.words:
                search.words.append(tokens[i])
            i += 1
            continue
        unit, factor = _TO_BASE[size.group(2)]
        amount = round(float(size.group(1)) * factor)
        if amount > 0 and (amount, unit) not in search.sizes:
            search.sizes.append((amount, unit))
    search.words = search.words[:MAX_WORDS]
    return search


@dataclass
class SearchPlan:
    conditions: list  # every matching product meets them all: each flag, each size, each word somewhere
    rank: object = None  # how well a product answers the typed words (higher first); None without words


def plan_search(q: str, flags: list[Flag], dialect: str) -> SearchPlan:
    search = parse_search(q, flags)
    conditions = [
        exists().where(and_(product_flags.c.product_id == Product.id, product_flags.c.flag_id == flag.id))
        for flag in search.flags
    ]
    conditions += [
        exists().where(and_(Variant.product_id == Product.id, Variant.amount == amount, Variant.unit == unit))
        for amount, unit in search.sizes
    ]
    if not search.words:
        return SearchPlan(conditions)
    typed = words_alike(search.words, dialect)
    conditions += words_match(typed)
    return SearchPlan(conditions, rank(typed))
