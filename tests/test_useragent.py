"""The user-agent stylesheet without WeasyPrint's footnote and note rules
(renderers/briefing/useragent.py): given only to documents that cannot make a footnote or
a note, and laying them out into the same bytes."""

from __future__ import annotations


def test_only_stylesheets_that_could_make_a_footnote_or_note_keep_their_pseudo_elements():
    from pipeline.renderers.briefing import useragent

    assert useragent.may_make_notes(["a { float: FOOTNOTE }"])
    assert useragent.may_make_notes(["a { float: foot\\6eote }"])  # an escaped n
    assert useragent.may_make_notes(["a { position: note(aside) }"])
    assert useragent.may_make_notes(['@import "more.css";'])  # not read here: assumed to
    assert not useragent.may_make_notes(
        [".derived-note { margin: 0 }", 'b::before { content: "\\2014" }']
    )


def _notes_page(body: str) -> bytes:
    import weasyprint

    from pipeline.renderers.briefing import tuning, useragent

    tuning.install()
    html = f"<html lang=en><body>{body}</body></html>"
    quiet = weasyprint.HTML(string=html)
    useragent.quiet_user_agent(quiet)
    full = weasyprint.HTML(string=html)
    quiet_pdf, full_pdf = quiet.write_pdf(), full.write_pdf()
    assert quiet_pdf == full_pdf
    return quiet_pdf


def test_a_document_without_notes_lays_out_the_same_without_the_note_rules():
    import weasyprint

    from pipeline.renderers.briefing import useragent

    source = weasyprint.HTML(string="<p>Plain <em>text</em></p><ol><li>one</li></ol>")
    useragent.quiet_user_agent(source)
    assert source._ua_stylesheets() == [useragent._quiet_ua()]
    _notes_page("<p>Plain <em>text</em></p><ol><li>one</li><li>two</li></ol>")


def test_a_footnote_in_a_style_attribute_keeps_weasyprints_own_user_agent_stylesheet():
    import io

    import pypdf
    import weasyprint

    from pipeline.renderers.briefing import useragent

    body = '<p>Claim<span style="float: footnote">Where it comes from</span> made.</p>'
    source = weasyprint.HTML(string=body)
    useragent.quiet_user_agent(source)
    assert "_ua_stylesheets" not in vars(source)  # WeasyPrint's own
    text = pypdf.PdfReader(io.BytesIO(_notes_page(body))).pages[0].extract_text()
    assert "1. Where it comes from" in text  # the footnote marker its UA rule writes
