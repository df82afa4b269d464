"""Guide text in a real browser: long words, tables and safety notes, on a phone and a desktop."""
import pytest

from tests import factories as make

pytestmark = pytest.mark.e2e

BODY = """## Dilutions

Sensitive skin: use Hydroxypropyltetramethylcyclohexylmethylisobutyrateglycerylethylhexanoate-free blends only.

| Use | Essential oil | Carrier oil |
|:----|:-------------:|------------:|
| Face | 1 drop | 10 ml |
| Body | 3 drops | 10 ml |
| Sports recovery after a long event | 5 drops | 10 ml |

> **Safety:** never massage over a fresh injury, a rash or broken skin.
"""


@pytest.fixture
def guide(app):
    return make.guide("Dilution at a glance", slug="dilution", body=BODY)


def test_a_guide_fits_a_phone_with_a_long_word_and_a_table(live_server, browser, guide):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server + "/guides/dilution")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator(".prose table")
    assert table.locator("th").all_inner_texts() == ["Use", "Essential oil", "Carrier oil"]
    assert table.locator("tbody tr").count() == 3
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    context.close()


def test_tables_are_ruled_and_the_safety_note_stands_out(live_server, page, guide):
    page.goto(live_server + "/guides/dilution")
    assert page.locator(".prose").inner_text().count("|") == 0  # no raw pipes
    cell = page.locator(".prose td").first
    assert cell.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    assert page.locator(".prose td").nth(2).evaluate("e => getComputedStyle(e).textAlign") == "right"
    note = page.locator(".prose blockquote")
    assert "never massage over a fresh injury" in note.inner_text()
    assert note.evaluate("e => parseFloat(getComputedStyle(e).borderLeftWidth)") >= 3
    background = note.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    assert page.console_errors == []
