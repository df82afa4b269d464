"""Reading the catalogue: the listing, a product page, the home page.

Every function here runs a fixed number of queries however many products exist:
relationships are loaded with one extra query each, never one per product.
"""
from dataclasses import dataclass, field, replace
from functools import lru_cache

from flask import current_app

from sqlalchemy import Integer, and_, bindparam, exists, func, or_, select, true, union
from sqlalchemy.orm import joinedload, selectinload

from shop.catalog.cards import ProductCard, card_rows, product_cards
from shop.catalog.facets import FilterCounts, count_filters, remembered
from shop.catalog.listing import RELEVANCE, BadListingQuery, ListingQuery
from shop.catalog.models import Category, Flag, Product, Variant, product_flags
from shop.catalog.search import parse_search, plan_search
from shop.catalog.text_match import closest_names, looks_like_sku, sku_product_slug
from shop.extensions import db
from shop.page_cache.versions import catalogue_version, read_versions, search_version, versions_statement
from shop.sql import LIKE_ESCAPE, escape_like
from shop.paging import page_count


class ProductNotFound(LookupError):
    pass


@dataclass
class ListingPage:
    query: ListingQuery
    products: list[ProductCard]
    total: int
    per_page: int
    categories: list[Category]
    flags: list[Flag]
    counts: FilterCounts = field(default_factory=FilterCounts)
    # When nothing matches the words typed: the products whose names come nearest, within the filters.
    suggestions: list[Product] = field(default_factory=list)
    suggestions_keep_filters: bool = True  # False: found only outside the filters, so their links drop them

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def category(self) -> Category | None:
        return next((c for c in self.categories if c.slug == self.query.category), None)

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)

    @property
    def page_window(self) -> list[int | None]:
        """Pages to link: the first, the last and two either side of this one; None marks a gap.

        Worked out here, not by looping over every page in the template (834 pages at 10,000 products).
        """
        shown = sorted({1, self.pages, *range(max(1, self.page - 2), min(self.pages, self.page + 2) + 1)})
        window, previous = [], 0
        for n in shown:
            if n - previous > 1:
                window.append(None)
            window.append(n)
            previous = n
        return window


def list_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def list_flags() -> list[Flag]:
    return list(db.session.scalars(select(Flag).order_by(Flag.kind.desc(), Flag.name)))


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _chosen_category(query: ListingQuery, categories: list[Category]) -> Category | None:
    if not query.category:
        return None
    category = next((c for c in categories if c.slug == query.category), None)
    if category is None:
        raise BadListingQuery(f"There is no category called “{query.category}”.")
    return category


def _in_category(category) -> list:
    return [Product.category_id == category.id] if category else []


def _filters(query: ListingQuery, flags: list[Flag]) -> list:
    """Every condition of the query but its category and its search (the filter counts need the category apart)."""
    conditions = [Product.published.is_(True)]
    if query.use == "home":
        conditions.append(Product.for_home_care.is_(True))
    elif query.use == "practice":
        conditions.append(Product.for_practice.is_(True))
    by_slug = {f.slug: f for f in flags}
    for slug, kind, wanted in [(s, "suitable", True) for s in query.suitable] + [
        (s, "allergen", False) for s in query.avoid
    ]:
        flag = by_slug.get(slug)
        if flag is None or flag.kind != kind:
            raise BadListingQuery(f"“{slug}” is not a filter we know.")
        has_flag = exists().where(
            and_(product_flags.c.product_id == Product.id, product_flags.c.flag_id == flag.id)
        )
        conditions.append(has_flag if wanted else ~has_flag)
    return conditions


def _ordering(sort: str, relevance=None) -> list:
    if sort == RELEVANCE and relevance is not None:
        return [relevance.desc(), Product.name, Product.id]
    if sort == "price":
        return [Product.from_price_pence.asc(), Product.name, Product.id]
    if sort == "price-desc":
        return [Product.from_price_pence.desc(), Product.name, Product.id]
    if sort == "newest":
        return [Product.created_at.desc(), Product.id.desc()]
    return [Product.name, Product.id]


@dataclass
class ListingFilters:
    """What a listing query means in this catalogue: read once, by the cache key and the page alike."""

    categories: list[Category]
    flags: list[Flag]
    category: Category | None
    but_category: list  # every condition but the category (the filter counts need them apart)
    conditions: list
    ordering: list
    catalogue_version: int  # read in the same statement as the categories
    flags_version: int  # and as the flags: when both agree, the two lists are of that version
    search_version: int = 0  # read with the categories: what words find (a product's text, a size's SKU)


def listing_filters(query: ListingQuery) -> ListingFilters:
    # The categories and the catalogue version in one statement: the categories a page (and the cache
    # key, and the remembered filter counts) shows can never be older than the version read. The flags likewise.
    (version, searched), categories = _with_versions(Category)
    (flags_version, _), flags = _with_versions(Flag)
    category = _chosen_category(query, categories)
    search = plan_search(query.q, flags, _dialect()) if query.q else None
    but_category = _filters(query, flags) + (search.conditions if search else [])
    conditions = but_category + _in_category(category)
    ordering = _ordering(query.sort, search.rank if search else None)
    return ListingFilters(categories, flags, category, but_category, conditions, ordering, version, flags_version,
                          searched)


def _with_versions(model) -> tuple[tuple[int, int], list]:
    """((catalogue version, search version), every row of `model`) in one statement, the versions there even with no rows."""
    rows = db.session.execute(_every_row_with_version(model)).all()
    return (rows[0][0], rows[0][1]), [row[2] for row in rows if row[2] is not None]


@lru_cache(maxsize=None)
def _every_row_with_version(model):
    # Built once: every listing reads both, and building the statement cost as much as running it.
    versions = select(catalogue_version(), search_version()).subquery()
    order_by = (Category.position, Category.name) if model is Category else (Flag.kind.desc(), Flag.name)
    return (select(versions.c.catalogue_version, versions.c.search_version, model).select_from(versions)
            .outerjoin(model, true()).order_by(*order_by))


def _filter_counts(query: ListingQuery, filters: ListingFilters) -> FilterCounts:
    def count():
        return count_filters(filters.but_category, filters.category.id if filters.category else None, filters.flags)

    return remembered(_filters_key(query, filters), count, "search_counts" if query.q else "listing_counts")


def _filters_key(query: ListingQuery, filters: ListingFilters) -> tuple:
    """What a listing's matches depend on: the versions read with its categories, and what it asks.
    A search's words find what a product's text and a size's SKU say, which the search version covers."""
    category_id = filters.category.id if filters.category else None
    key = (filters.catalogue_version, query.use, tuple(sorted(query.suitable)), tuple(sorted(query.avoid)), category_id)
    return key + (filters.search_version, query.q) if query.q else key


def _best_matches(query: ListingQuery, filters: ListingFilters, per_page: int) -> list[ProductCard]:
    """A search's page in best-match order. Ranking reads every match, so the page's ids are
    remembered under the versions that cover what decides them (text, SKUs, what is listed); the
    cards, with their prices and stock, are read afresh every time."""
    ranked = []

    def rank():
        ranked.extend(_page_cards(filters, query.page, per_page))
        return [card.id for card in ranked]

    ids = remembered(_filters_key(query, filters) + (query.page, per_page), rank, "search_pages")
    if ranked:  # ranked just now, cards and all
        return ranked
    # Still published: one unpublished a moment ago moved the version, but this request read it before.
    cards = product_cards(card_rows().where(Product.id.in_(ids), Product.published.is_(True)), filters.categories,
                          filters.flags)
    place = {product_id: i for i, product_id in enumerate(ids)}
    return sorted(cards, key=lambda card: place[card.id])


def _page_cards(filters: ListingFilters, page: int, per_page: int) -> list[ProductCard]:
    chosen = _page_ids(filters.conditions, filters.ordering, page, per_page)
    return product_cards(card_rows().join(chosen, chosen.c.id == Product.id).order_by(*filters.ordering),
                         filters.categories, filters.flags)


def _page_ids(conditions, ordering, page: int, per_page: int):
    """The page's product ids: narrow rows, sorted once (the total is the filter counts' own)."""
    return (
        select(Product.id)
        .where(*conditions)
        .order_by(*ordering)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )


def listing_versions(query: ListingQuery, per_page: int) -> tuple[tuple | None, ListingFilters | None]:
    """The page cache's key for a listing, and the filters it read when it had to read them (for the
    page, on a miss). The key is the catalogue version and the ids and versions of the products on
    the page in order (one narrow query, answered by the listing's indexes). The total and the
    filter counts are not counted again for the key: only a product added, removed, (un)published or
    moved to another category, use or flag changes them, and each of those moves the catalogue version.

    The categories and flags that turn the query string into conditions are remembered with the
    catalogue version read in the same statements (every change to them moves it, so one version is
    one set of them): the key's query reads the catalogue version too, and when it is the remembered
    one the conditions were right, so a hit runs that one query. When it is not, they are read again,
    and the key's query runs again unless the rows already read were of the version just read, by
    conditions that mean the same (a product added moves the version but changes no category).

    None (do not cache) for a search with words, and for a page past the end (it shows the last
    page, whose products this did not read).
    """
    if query.q:
        return None, None
    known = _known_catalogue()
    tried = None
    if known is not None:
        try:
            statement = known.statement_for(query)
        except BadListingQuery:
            pass  # perhaps a category or flag added since: asked again below
        else:
            version, rows = read_versions(statement, _page_window(query, per_page))
            if version == known.version:
                return _listing_key(query, version, rows), None
            tried = (version, known.meaning(query), rows)
    filters = listing_filters(query)
    version = filters.catalogue_version
    if version == filters.flags_version:
        _remember_catalogue(filters)
        if tried and tried[0] == version and tried[1] == _meaning(query, filters.categories, filters.flags):
            # The rows were read at this very version, by conditions that mean what these do.
            return _listing_key(query, version, tried[2]), filters
    rows = read_versions(_page_statement(filters.conditions, filters.ordering), _page_window(query, per_page))[1]
    return _listing_key(query, version, rows), filters


def _page_statement(conditions, ordering):
    """The listing key's query, the page a bound parameter: one statement for every page of a filter.

    The page's numbers are written into the SQL at execution (literal_execute), not sent apart: for
    a LIMIT it cannot see, PostgreSQL's plan kept for a prepared statement sorts every product, so
    it planned each execution anew (about a quarter of a millisecond of its CPU on every hit). With
    them in the SQL, each page's statement is prepared by psycopg and planned once per connection.
    """
    on_page = (select(Product.id).where(*conditions).order_by(*ordering)
               .limit(bindparam("page_size", type_=Integer, literal_execute=True))
               .offset(bindparam("page_skip", type_=Integer, literal_execute=True)).subquery())
    return versions_statement(chosen=on_page, order_by=ordering)


def _page_window(query: ListingQuery, per_page: int) -> dict:
    return {"page_size": per_page, "page_skip": (query.page - 1) * per_page}


def _listing_key(query: ListingQuery, version, rows) -> tuple | None:
    if not rows and query.page != 1:
        return None
    return (version, tuple(rows))


@dataclass(frozen=True)
class _Named:
    """A category or flag as the listing's conditions use it: no ORM object outlives its request."""

    id: int
    slug: str
    kind: str = ""
    name: str = ""


class _KnownCatalogue:
    """The categories and flags as of one catalogue version, and the conditions made from them."""

    def __init__(self, filters: ListingFilters):
        self.version = filters.catalogue_version
        self.categories = [_Named(c.id, c.slug) for c in filters.categories]
        self.flags = [_Named(f.id, f.slug, f.kind, f.name) for f in filters.flags]
        self._made: dict = {}

    def meaning(self, query: ListingQuery) -> tuple:
        return _meaning(query, self.categories, self.flags)

    def statement_for(self, query: ListingQuery):
        """The key's query for a listing query without words, built once per filter (raises BadListingQuery)."""
        args = replace(query, page=1)
        made = self._made.get(args)
        if made is None:
            category = _chosen_category(query, self.categories)
            conditions = _filters(query, self.flags) + _in_category(category)
            made = _page_statement(conditions, _ordering(query.sort))
            if len(self._made) < 1000:  # the filters offered on the page, not every string a client can send
                self._made[args] = made
        return made


def _meaning(query: ListingQuery, categories, flags) -> tuple:
    """What a query without words asks of the catalogue's categories and flags: the only input its
    conditions take from them (raises BadListingQuery as _filters does)."""
    category = _chosen_category(query, categories)
    by_slug = {f.slug: f for f in flags}
    named = tuple((by_slug[s].id, by_slug[s].kind) if s in by_slug else None for s in query.suitable + query.avoid)
    return (category.id if category else None, named)


def _known_catalogue() -> _KnownCatalogue | None:
    return current_app.extensions.get("listing_catalogue")


def _remember_catalogue(filters: ListingFilters) -> None:
    known = _known_catalogue()
    if known is None or known.version != filters.catalogue_version:
        current_app.extensions["listing_catalogue"] = _KnownCatalogue(filters)


def browse_products(query: ListingQuery, per_page: int, filters: ListingFilters | None = None) -> ListingPage:
    """One page of published products matching the query, with the total, in a fixed number of queries."""
    filters = filters or listing_filters(query)
    categories, flags, category = filters.categories, filters.flags, filters.category

    counts = _filter_counts(query, filters)
    total = counts.chosen
    last = page_count(total, per_page)
    if query.page > last:
        query = query.with_page(last)  # past the last page: show the last
    cards = []
    if total:
        # Choose the page's ids first (narrow rows, sorted once), then load only those
        # products: wide columns and flag ids are never computed for the other rows.
        if query.q and query.sort == RELEVANCE:
            cards = _best_matches(query, filters, per_page)
        else:
            cards = _page_cards(filters, query.page, per_page)
    words = parse_search(query.q, flags).words if not total else []
    return ListingPage(
        query=query,
        products=cards,
        total=total,
        per_page=per_page,
        categories=categories,
        flags=flags,
        counts=counts,
        **_suggestions(words, query, flags, category),
    )


def _suggestions(words: list[str], query: ListingQuery, flags, category) -> dict:
    """Nearest names within the other filters; failing that, in the whole shop (the links then drop the filters)."""
    if not words:
        return {}
    near = closest_names(words, _filters(query, flags) + _in_category(category))
    if near:
        return {"suggestions": near}
    return {"suggestions": closest_names(words, [Product.published.is_(True)]), "suggestions_keep_filters": False}


def product_for_sku(q: str) -> str | None:
    """The slug of the one product a SKU (typed whole or in part) names, so search can go straight there."""
    return sku_product_slug(q) if looks_like_sku(q) else None


def product_page_versions(slug: str) -> tuple | None:
    """The page cache's key for a product page: the catalogue version and the product's versions
    (None when there is no such published product: its 404 is not cached)."""
    version, products = read_versions(_product_page_statement(), {"slug": slug})
    return (version, products) if products else None


@lru_cache(maxsize=None)
def _product_page_statement():
    # Built once: making the statement cost about as much as running it.
    return versions_statement(Product.slug == bindparam("slug"), Product.published.is_(True))


def get_product(slug: str, *, with_breaks: bool = False) -> Product:
    """The published product for its page; `with_breaks` loads the sizes' volume prices too (trade visitors only)."""
    variants = selectinload(Product.variants)
    # Flags and guides are a few rows each: joined to the product's own row (one query, not two).
    product = db.session.scalars(
        select(Product)
        .where(Product.slug == slug, Product.published.is_(True))
        .options(
            variants.selectinload(Variant.price_breaks) if with_breaks else variants,
            joinedload(Product.flags),
            joinedload(Product.guides),
        )
    ).unique().first()
    if product is None:
        raise ProductNotFound(slug)
    return product


def get_product_of_variant(variant_id) -> Product:
    """The published product a size belongs to, loaded for its page."""
    if not isinstance(variant_id, int):
        raise ProductNotFound(variant_id)
    slug = db.session.scalar(select(Product.slug).join(Variant).where(Variant.id == variant_id))
    if slug is None:
        raise ProductNotFound(variant_id)
    return get_product(slug)


def _sizes_matching(q: str):
    """Sizes of published products whose SKU, product name or size label contains `q`."""
    query = select(Variant).join(Variant.product).where(Product.published.is_(True))
    q = (q or "").strip()[:100]
    if q:
        like = f"%{escape_like(q.lower())}%"
        query = query.where(or_(*(func.lower(column).like(like, escape=LIKE_ESCAPE)
                                  for column in (Variant.sku, Product.name, Variant.size_label))))
    return query


def find_sizes(q: str = "", *, limit: int, offset: int = 0) -> list[Variant]:
    """Purchasable sizes by product name and size (the quick order pad, building a care plan)."""
    return list(db.session.scalars(
        _sizes_matching(q).options(joinedload(Variant.product), selectinload(Variant.price_breaks))
        .order_by(Product.name, Variant.amount, Variant.id).offset(offset).limit(limit)
    ))


def count_sizes(q: str = "") -> int:
    return db.session.scalar(select(func.count()).select_from(_sizes_matching(q).subquery()))


def get_product_art(slug: str) -> Product:
    product = db.session.scalar(select(Product).where(Product.slug == slug))
    if product is None:
        raise ProductNotFound(slug)
    return product


def home_versions() -> tuple:
    """The page cache's key for the home page: the catalogue version and the featured products' versions."""
    return read_versions(_home_statement())


@lru_cache(maxsize=None)
def _home_statement():
    return versions_statement(_featured(), order_by=[Product.name, Product.id])


def _featured(limit: int = 4):
    def first(condition, n):
        return select(
            select(Product.id)
            .where(Product.published.is_(True), Product.featured.is_(True), condition)
            .order_by(Product.name, Product.id)
            .limit(n)
            .subquery()
        )

    # Only the few the page can show, however many products are featured: the first practice
    # ones, and enough home-care ones to fill the other row after those are taken out. One IN of a
    # UNION, not an OR of two INs: PostgreSQL tested the OR on every product (5 ms at 10,000, for the
    # home page's key on every request); the union's dozen ids are looked up by primary key.
    return Product.id.in_(union(first(Product.for_practice.is_(True), limit),
                                first(Product.for_home_care.is_(True), 2 * limit)))


@dataclass
class HomePage:
    categories: list[Category]
    for_home: list[ProductCard]
    for_practice: list[ProductCard]


def featured_products(limit: int = 4) -> HomePage:
    """Categories and featured products for home care and for practice, for the home page."""
    categories = list_categories()
    flags = list_flags()

    featured = product_cards(card_rows().where(_featured(limit)).order_by(Product.name, Product.id), categories, flags)
    for_practice = [p for p in featured if p.for_practice][:limit]
    return HomePage(
        categories=categories,
        for_home=[p for p in featured if p.for_home_care and p not in for_practice][:limit],
        for_practice=for_practice,
    )
