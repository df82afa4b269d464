from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from shop.catalog.models import Product
from shop.extensions import db
from shop.guides.models import Guide, product_guides
from shop.page_cache.versions import catalogue_only, read_versions, versions_statement


class GuideNotFound(LookupError):
    pass


def list_guides(limit: int | None = None) -> list[Guide]:
    stmt = select(Guide).where(Guide.published.is_(True)).order_by(Guide.published_at.desc(), Guide.id.desc())
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def every_guide() -> list[Guide]:
    """Published or not, by title: the back office's list and the choices on a product's form."""
    return list(db.session.scalars(select(Guide).order_by(Guide.title)))


def guides_index_versions() -> tuple:
    """The page cache's key for the guides' index: the catalogue version covers guides."""
    return (catalogue_only(),)


def guide_versions(slug: str) -> tuple:
    """The page cache's key for a guide: the catalogue version and the versions of the products it shows."""
    return read_versions(_guide_statement(), {"slug": slug})


@lru_cache(maxsize=None)
def _guide_statement():
    # Built once, the guide a bound parameter: the page cache compiles each statement it runs once.
    linked = select(product_guides.c.product_id).join(Guide).where(Guide.slug == bindparam("slug"))
    return versions_statement(Product.id.in_(linked), order_by=[Product.name, Product.id])


def get_guide(slug: str) -> Guide:
    guide = db.session.scalar(
        select(Guide)
        .where(Guide.slug == slug, Guide.published.is_(True))
        .options(
            selectinload(Guide.products).selectinload(Product.variants),
            selectinload(Guide.products).selectinload(Product.flags),
        )
    )
    if guide is None:
        raise GuideNotFound(slug)
    return guide
