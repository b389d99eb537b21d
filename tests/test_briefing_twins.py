"""Computed values shared by twin styles (renderers/briefing/twins.py) are WeasyPrint's own:
the same PDF in every theme, and a style that WeasyPrint writes into computes alone again."""

from __future__ import annotations

import pytest
from conftest import SHIPPED_THEMES, render

from pipeline.audience import select
from pipeline.themes import load_theme


def _computing(counts: dict[str, int]):
    from pipeline.renderers.briefing import tuning

    compute = tuning.anew["compute"]

    def counted(style, key):
        counts["computed"] += 1
        return compute(style, key)

    return counted


@pytest.mark.parametrize("theme_name", SHIPPED_THEMES)
def test_values_computed_once_for_every_twin_draw_the_bytes_weasyprint_computes_for_each(
    article_inputs, monkeypatch, theme_name
):
    from weasyprint.css import ComputedStyle, StyleFor

    from pipeline.renderers.briefing import tuning, twins

    tuning.install()
    document, profiles, repo = article_inputs
    profile = profiles["tech-leaders"]
    document, theme = select(document, profile), load_theme(theme_name, repo)
    options = profile.options_for("pdf")
    counts = {"computed": 0}
    monkeypatch.setattr(ComputedStyle, "__missing__", twins._shared(_computing(counts)))
    shared = render("pdf", document, theme, options)
    computed_with_twins, counts["computed"] = counts["computed"], 0
    monkeypatch.setattr(ComputedStyle, "__missing__", _computing(counts))
    monkeypatch.setattr(StyleFor, "set_computed_styles", tuning.anew["set_computed_styles"])
    alone = render("pdf", document, theme, options)
    assert shared.data == alone.data and shared.units == alone.units
    assert computed_with_twins < 0.8 * counts["computed"], (computed_with_twins, counts)


PAGE = """<html><head><style>
  section { font-size: 20px } .card { margin-top: 1em } .quiet { margin-top: inherit }
</style></head><body>
  <section id="one"><div class="card"><p>one</p><p class="quiet">one</p></div></section>
  <section id="two"><div class="card"><p>two</p><p class="quiet">two</p></div></section>
</body></html>"""


def _styles():
    """The element styles of PAGE: two sections whose subtrees are twins (cousins, which
    WeasyPrint does not share as it shares siblings)."""
    import weasyprint
    from weasyprint.css import get_all_computed_styles

    from pipeline.renderers.briefing import tuning

    tuning.install()
    html = weasyprint.HTML(string=PAGE)
    style_for = get_all_computed_styles(html)
    by_text: dict[str, list] = {}
    for element in html.etree_element.iter():
        if element.tag in ("section", "div", "p"):
            by_text.setdefault(element.tag, []).append(style_for(element))
    return by_text


def test_cousins_with_the_same_cascade_share_their_computations_whatever_their_anchors():
    styles = _styles()
    one, two = styles["section"]
    assert one is not two and one._memo is not two._memo  # their anchors differ
    (card_one, card_two), (p_one, quiet_one, p_two, quiet_two) = styles["div"], styles["p"]
    assert card_one is not card_two and card_one._memo is card_two._memo
    assert p_one._memo is p_two._memo and quiet_one._memo is quiet_two._memo
    assert card_one["margin_top"] == card_two["margin_top"] == (20, "px")
    assert card_two["display"] == card_one["display"]
    assert card_two.specified["display"] == card_one.specified["display"]  # as WeasyPrint keeps


def test_a_style_written_into_computes_alone_with_the_children_that_read_what_was_written():
    styles = _styles()
    (card_one, card_two), (p_one, quiet_one, p_two, quiet_two) = styles["div"], styles["p"]
    card_one["margin_top"] = (0, "px")  # read by no other property, nor by children that
    assert card_one._memo is card_two._memo is not None  # do not declare it inherit
    assert p_one._memo is p_two._memo is not None
    assert quiet_one._memo is None
    assert quiet_one["margin_top"] == (0, "px") and quiet_two["margin_top"] == (20, "px")
    card_one["width"] = (10, "px")  # perhaps read by another property: card_one alone
    assert card_one._memo is None and card_two._memo is not None
    assert p_one._memo is p_two._memo is not None
    card_two["font_size"] = 30  # inherited: every descendant computes alone
    assert p_two._memo is None and quiet_two._memo is None
    assert p_two["font_size"] == 30 and p_one["font_size"] == 20
