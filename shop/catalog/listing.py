"""What a shopper asked the product listing for, read from the query string.

Parsing is forgiving where a sane page exists (a bad page number becomes page 1, an
unknown sort becomes the default) and strict where guessing would mislead (an unknown
category or filter is a 400 with a message).
"""
from dataclasses import dataclass, replace

MAX_QUERY_LENGTH = 200
SORTS = {
    "name": "Name A–Z",
    "price": "Price: low to high",
    "price-desc": "Price: high to low",
    "newest": "Newest first",
}
DEFAULT_SORT = "name"
# With words to search for, the best matches come first unless another order is chosen.
RELEVANCE = "relevance"
RELEVANCE_LABEL = "Best match"
USES = {"home": "Home care", "practice": "For practice"}


class BadListingQuery(ValueError):
    """The query string asks for something the listing cannot show."""


@dataclass(frozen=True)
class ListingQuery:
    q: str = ""
    category: str = ""
    use: str = ""
    suitable: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    sort: str = DEFAULT_SORT
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "ListingQuery":
        q = " ".join((args.get("q") or "").split())
        if len(q) > MAX_QUERY_LENGTH:
            raise BadListingQuery(f"Searches are limited to {MAX_QUERY_LENGTH} characters.")
        use = (args.get("use") or "").strip()
        if use and use not in USES:
            raise BadListingQuery("Choose products for home care or for practice.")
        sort = args.get("sort") or _default_sort(q)
        if sort not in SORTS and not (sort == RELEVANCE and q):
            sort = _default_sort(q)
        return cls(
            q=q,
            category=(args.get("category") or "").strip(),
            use=use,
            suitable=_slugs(args.getlist("suitable")),
            avoid=_slugs(args.getlist("avoid")),
            sort=sort,
            page=_page(args.get("page")),
        )

    def with_page(self, page: int) -> "ListingQuery":
        return replace(self, page=page)

    def url_args(self, **changes) -> dict:
        """The query string for a link that keeps every filter, with `changes` applied."""
        args = {
            "q": self.q or None,
            "category": self.category or None,
            "use": self.use or None,
            "suitable": list(self.suitable) or None,
            "avoid": list(self.avoid) or None,
            "sort": self.sort if self.sort != _default_sort(self.q) else None,
            "page": self.page if self.page != 1 else None,
        }
        args.update(changes)
        return {k: v for k, v in args.items() if v not in (None, "", [])}

    @property
    def is_filtered(self) -> bool:
        return bool(self.q or self.category or self.use or self.suitable or self.avoid)


def _default_sort(q: str) -> str:
    return RELEVANCE if q else DEFAULT_SORT


def sorts_for(query: ListingQuery) -> dict[str, str]:
    """The orders a listing offers: "Best match" only when there are words to match."""
    return {RELEVANCE: RELEVANCE_LABEL, **SORTS} if query.q else SORTS


def _slugs(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))[:10]


def _page(raw) -> int:
    try:
        page = int(raw)
    except (TypeError, ValueError):
        return 1
    return page if 1 <= page <= 1_000_000 else 1
