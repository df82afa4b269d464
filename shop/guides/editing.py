"""Writing and editing guides from the back office (markdown in, sanitised HTML out on display)."""
from dataclasses import dataclass, field

from sqlalchemy import select

from shop.audit.services import record_audit
from shop.catalog.editing import SLUG, CatalogueError, slugify
from shop.catalog.models import Product
from shop.clock import utcnow
from shop.extensions import db
from shop.guides.models import Guide
from shop.problems import Problem


@dataclass
class GuideFields:
    title: str = ""
    slug: str = ""
    summary: str = ""
    body: str = ""
    published: bool = False
    product_ids: list[int] = field(default_factory=list)


def _snapshot(title, slug, summary, body, published, products) -> dict:
    # Products by name: the audit log reads "Arnica Cream", not an id.
    return {"title": title, "slug": slug, "summary": summary, "body": body, "published": published,
            "products": sorted(p.name for p in products)}


def save_guide(guide_id: int | None, fields: GuideFields, *, actor) -> Guide:
    guide = db.session.get(Guide, guide_id) if guide_id else None
    if guide_id and guide is None:
        raise CatalogueError(["That guide no longer exists."])
    title, summary, body = (fields.title or "").strip(), (fields.summary or "").strip(), fields.body or ""
    slug = (fields.slug or "").strip().lower() or slugify(title)
    problems = []
    if not title or len(title) > 160:
        problems.append(Problem("Enter a title (at most 160 characters).", "title"))
    if not SLUG.match(slug):
        problems.append(Problem("The address name (slug) may use only lower-case letters, digits and single hyphens.", "slug"))
    elif db.session.scalar(select(Guide.id).where(Guide.slug == slug, Guide.id != (guide_id or 0))):
        problems.append(Problem(f"Another guide already uses the address /guides/{slug}.", "slug"))
    if len(summary) > 300:
        problems.append(Problem("Keep the summary under 300 characters.", "summary"))
    if not body.strip():
        problems.append(Problem("Write the guide's text.", "body"))
    elif len(body) > 100_000:
        problems.append(Problem("The guide is too long (at most 100,000 characters).", "body"))
    products = list(db.session.scalars(select(Product).where(Product.id.in_(fields.product_ids or [0]))))
    if len(products) != len(set(fields.product_ids)):
        problems.append("Choose linked products from the list.")
    if problems:
        raise CatalogueError(problems)
    before = _snapshot(guide.title, guide.slug, guide.summary, guide.body, guide.published, guide.products) if guide else {}
    if guide is None:
        guide = Guide(published_at=utcnow())
        db.session.add(guide)
    if fields.published and not guide.published:
        guide.published_at = utcnow()
    guide.title, guide.slug, guide.summary, guide.body, guide.published = title, slug, summary, body, fields.published
    guide.products = products
    db.session.flush()
    record_audit(actor, "guide.update" if before else "guide.create", guide, before,
                 _snapshot(title, slug, summary, body, fields.published, products), summary=title)
    db.session.commit()
    return guide
