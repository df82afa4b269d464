"""In Chromium, a product page's schema.org data is read as data: no CSP violation, while the CSP
still refuses inline script (so the absence of a violation means something)."""
import json

import pytest

from tests import factories as make

pytestmark = pytest.mark.e2e

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));
"""


def test_json_ld_is_data_the_csp_lets_through_while_inline_script_stays_blocked(live_server, page, app):
    make.product("Arnica Massage Oil", slug="arnica-massage-oil", summary='Arnica </script> "oil"')
    page.add_init_script(WATCH_VIOLATIONS)
    page.goto(live_server + "/products/arnica-massage-oil")
    blocks = [json.loads(text) for text in page.locator('script[type="application/ld+json"]').all_text_contents()]
    product = next(block for block in blocks if block["@type"] == "Product")
    assert product["name"] == page.locator("h1").inner_text()
    assert product["description"] == 'Arnica </script> "oil"'
    assert page.evaluate("window.__violations") == []
    assert page.console_errors == []

    page.evaluate("""() => { const s = document.createElement('script');
                              s.textContent = 'window.__ran = true'; document.body.append(s); }""")
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__violations")[0].startswith("script-src")
    assert page.evaluate("window.__ran === undefined")
