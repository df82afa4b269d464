"""Small SQL helpers every package may use (this module imports nothing of the shop)."""

LIKE_ESCAPE = "\\"


def escape_like(term: str) -> str:
    """`term` as literal text inside a LIKE pattern: % and _ are what someone typed, not wildcards.

    Use with `.like(..., escape=LIKE_ESCAPE)` or `.ilike(..., escape=LIKE_ESCAPE)`.
    """
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
