from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db


class PageVersion(db.Model):
    """A version no single product owns: 'catalogue' (categories, navigation, guides, delivery, listings).

    Written only by the database's triggers (shop/page_cache/versions.py); the row appears with the
    first change, so reading none means 0.
    """

    __tablename__ = "page_versions"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(default=0, server_default="0")
