"""Page arithmetic shared by every paginated list (shop, quick order pad, back office)."""


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` rows fill; an empty list still has its one (empty) page."""
    return max(1, -(-total // per_page))


def clamp_page(page: int, total: int, per_page: int) -> int:
    """The page asked for, kept between the first and the last: an old link past the end shows the last."""
    return min(max(1, page), page_count(total, per_page))
