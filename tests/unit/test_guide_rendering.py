"""Guide markdown: tables come out as tables, still sanitised."""
from shop.guides.rendering import render_markdown


def test_a_markdown_table_becomes_a_table_with_its_alignment():
    html = render_markdown("| Use | Drops |\n|:--|--:|\n| Face | 1 |\n")
    assert "<table>" in html and "<th align=\"left\">Use</th>" in html and '<td align="right">1</td>' in html
    assert "|" not in html


def test_tables_are_sanitised_like_the_rest():
    html = render_markdown('| a |\n|---|\n| <span onclick="x()" style="color:red">b</span><script>alert(1)</script> |\n')
    assert "<td>" in html and "onclick" not in html and "style" not in html and "<script" not in html


def test_a_blockquote_stays_a_blockquote():
    assert "<blockquote>" in render_markdown("> **Safety:** stop if it hurts.")
