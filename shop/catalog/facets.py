"""How many products each filter of the listing would leave, in one query however many exist.

The products matching everything but the category are counted per category and per
(category, flag) in one statement; every filter's number follows from those few rows:
- a category: its products (the category choice replaces the current one);
- a suitability: products in the chosen category (or any) that have it as well;
- an allergen to avoid: products in the chosen category (or any) that do not contain it.
A filter already on shows the count the page shows.

Without words to search for, the counts change only when the catalogue version does (a product
added, removed, (un)published or moved to another category, use or flag: shop/page_cache/versions.py),
so they are remembered per app under that version (`remembered`): a listing then counts nothing.
With words, what they find changes with a product's text or a size's SKU too, which move the search
version: a search's counts are remembered under both (in a store of their own, so many different
searches never push out the listings' counts).
"""
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import current_app

from sqlalchemy import func, null, select, union_all

from shop.catalog.models import Flag, Product, product_flags
from shop.extensions import db


@dataclass
class FilterCounts:
    per_category: dict[int, int] = field(default_factory=dict)
    any_category: int = 0
    chosen: int = 0  # what the listing itself shows: in the chosen category (or any), every filter on
    per_flag: dict[int, int] = field(default_factory=dict)

    def for_category(self, category_id: int) -> int:
        return self.per_category.get(category_id, 0)

    def for_flag(self, flag_id: int) -> int:
        return self.per_flag.get(flag_id, 0)


def count_filters(conditions_but_category: list, category_id: int | None, flags: list[Flag]) -> FilterCounts:
    matching = select(Product.id, Product.category_id).where(*conditions_but_category).cte("matching")
    per_category = select(matching.c.category_id, null().label("flag_id"), func.count()).group_by(matching.c.category_id)
    per_pair = (
        select(matching.c.category_id, product_flags.c.flag_id, func.count())
        .join(product_flags, product_flags.c.product_id == matching.c.id)
        .group_by(matching.c.category_id, product_flags.c.flag_id)
    )
    totals: dict[int, int] = {}
    with_flag: dict[int, int] = {}  # flag id -> products having it, within the chosen category
    for category, flag_id, n in db.session.execute(union_all(per_category, per_pair)).all():
        if flag_id is None:
            totals[category] = n
        elif category_id is None or category == category_id:
            with_flag[flag_id] = with_flag.get(flag_id, 0) + n
    in_scope = totals.get(category_id, 0) if category_id is not None else sum(totals.values())
    per_flag = {
        flag.id: with_flag.get(flag.id, 0) if flag.kind == "suitable" else in_scope - with_flag.get(flag.id, 0)
        for flag in flags
    }
    return FilterCounts(per_category=totals, any_category=sum(totals.values()), chosen=in_scope, per_flag=per_flag)


REMEMBERED = 512  # keys kept per store and app process


def remembered(key: tuple, count, store: str = "listing_counts"):
    """What `count()` gives, under `key` (which holds the versions read with the page's categories),
    worked out the first time. A key is never worked out twice with different data in view: the data
    can only be newer than the versions read, and any change to what is counted moves a version, so
    later requests ask under a new key. `store` names the app's store (listing counts by default)."""
    return current_app.extensions.setdefault(store, _Remembered()).get(key, count)


class _Remembered:
    def __init__(self):
        self._counts: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, count):
        with self._lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
        counts = count()
        with self._lock:
            self._counts[key] = counts
            while len(self._counts) > REMEMBERED:
                self._counts.popitem(last=False)
        return counts
