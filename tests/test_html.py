"""The html briefing: one self-contained page with the same content as the PDF."""

from __future__ import annotations

import base64
import io
import itertools
import re
from html.parser import HTMLParser

import pytest
from conftest import THEMES, render, write
from fontTools.ttLib import TTFont
from test_pdf import AUDIENCES, THEME_FAMILIES, all_texts, assert_in_order, expected_texts

from pipeline.coverage import drawn
from pipeline.loader import load_document
from pipeline.themes import load_theme


class Page(HTMLParser):
    """Start tags with their attributes, body text, and the text of <style> elements."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("style", "title"):
            self._in.append(tag)

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        elif not self._in:
            self.text.append(data)

    def attrs(self, name: str) -> list[tuple[str, str]]:
        return [(tag, a[name]) for tag, a in self.tags if name in a]

    @property
    def body_text(self) -> str:
        return "\n".join(self.text)


def page_of(briefing, audience: str, **kw) -> tuple[str, object]:
    rendered, document = briefing(audience, "html", **kw)
    return rendered.data.decode("utf-8"), document


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_page_refers_to_nothing_outside_itself(briefing, audience, theme):
    markup, _ = page_of(briefing, audience, theme=theme)
    page = Page(markup)
    for attribute in ("src", "href", "srcset", "data", "poster", "action", "xlink:href"):
        for tag, value in page.attrs(attribute):
            assert value.startswith(("data:", "#")), (tag, attribute, value[:80])
    for url in re.findall(r"url\(\s*['\"]?([^'\")\s]{0,40})", markup):
        assert url.startswith(("data:", "#")), url
    assert "@import" not in markup
    assert not [t for t, _ in page.tags if t in ("link", "script", "base", "iframe", "object")]
    assert len(markup.encode()) < 400_000


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_page_holds_every_heading_bullet_and_verdict_in_order(briefing, audience):
    markup, document = page_of(briefing, audience)
    text = Page(markup).body_text
    # The contents list repeats the headings; the sections come after the abstract.
    assert_in_order(text[text.find("About this briefing") :], expected_texts(document))


def test_the_page_holds_all_the_content(briefing):
    markup, document = page_of(briefing, "engineers")
    text = Page(markup).body_text
    assert_in_order(text[text.find("About this briefing") :], all_texts(document))


def test_contents_links_point_at_headings_on_the_page(briefing):
    markup, document = page_of(briefing, "tech-leaders")
    page = Page(markup)
    ids = {a["id"] for _, a in page.tags if "id" in a}
    links = [href for tag, href in page.attrs("href") if tag == "a"]
    assert links and all(href.startswith("#") and href[1:] in ids for href in links)
    assert len([h for h in links if h.count("-") >= 1]) >= len(document.sections)


def test_contents_can_be_left_out(briefing):
    markup, _ = page_of(briefing, "tech-leaders", toc=False)
    assert 'class="toc"' not in markup


@pytest.mark.parametrize("audience", AUDIENCES)
def test_fonts_are_embedded_subsets_that_cover_the_text(briefing, audience, article_inputs):
    markup, _ = page_of(briefing, audience)
    theme = article_inputs[1][audience].theme
    fonts = re.findall(
        r"font-family: \"([^\"]+)\"; src: url\(\"data:font/woff2;base64,"
        r"([A-Za-z0-9+/=]+)\"\)",
        markup,
    )
    assert fonts
    assert {name for name, _ in fonts} == THEME_FAMILIES[theme]
    text = set(drawn(Page(markup).body_text))
    for name, payload in fonts:
        font = TTFont(io.BytesIO(base64.b64decode(payload)))
        assert font.flavor == "woff2"
        cmap = set(font.getBestCmap())
        assert len(cmap) < 600, "not a subset"
        assert text <= cmap, (name, sorted(chr(c) for c in text - cmap))


def test_screen_colours_are_used_not_paper_colours(briefing, article_inputs):
    markup, _ = page_of(briefing, "engineers")
    keynote = load_theme("keynote", article_inputs[2])
    assert f"--color-background: {keynote.colors.background.lower()};" in markup
    assert keynote.paper_colors.background != keynote.colors.background
    assert '<meta name="color-scheme" content="dark">' in markup


def test_the_page_is_an_accessible_document(briefing):
    markup, document = page_of(briefing, "executives")
    page = Page(markup)
    assert page.tags[0] == ("html", {"lang": "en", "class": "media-screen"})
    assert f"<title>{document.title}</title>" in markup.replace("&#34;", '"')
    assert all(a.get("alt") for t, a in page.tags if t == "img")
    levels = [int(t[1]) for t, _ in page.tags if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert '<meta name="viewport"' in markup


def test_the_page_is_reproducible(briefing, article_inputs):
    from pipeline.audience import select

    markup, _ = page_of(briefing, "tech-leaders")
    document, profiles, repo = article_inputs
    again = render(
        "html", select(document, profiles["tech-leaders"]), load_theme("corporate", repo)
    ).data
    assert again.decode("utf-8") == markup


def test_emoji_in_the_text_embed_a_subset_of_the_emoji_font(project):
    path = write(
        project,
        "emoji.yaml",
        """\
title: Launch notes
date: 2026-01-02
sections:
  - id: one
    title: Ready
    blocks:
      - paragraph: Shipped 🚀 in 2026.
""",
    )
    markup = render(
        "html", load_document(path, project), load_theme("corporate", project)
    ).data.decode("utf-8")
    match = re.search(
        r'font-family: "twinpress emoji"; src: url\("data:font/woff2;base64,'
        r'([A-Za-z0-9+/=]+)"\); unicode-range: ([^;]+);',
        markup,
    )
    assert match, "no emoji face"
    font = TTFont(io.BytesIO(base64.b64decode(match.group(1))))
    assert 0x1F680 in font.getBestCmap() and len(font.getBestCmap()) < 10
    assert "U+30" not in match.group(2).split(", ")  # digits never come from it


def test_a_theme_screen_stylesheet_can_use_its_own_images(project):
    folder = project.themes / "pattern"
    (folder / "styles").mkdir(parents=True)
    (folder / "theme.yaml").write_text("description: Pattern.\nextends: corporate\n")
    (folder / "styles" / "bg.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    )
    (folder / "styles" / "extra.css").write_text(".cover { background: url(bg.svg); }\n")
    markup = render(
        "html",
        load_document(project.content / "rust-vs-go.yaml", project),
        load_theme("pattern", project),
    ).data.decode("utf-8")
    assert "url(data:image/svg+xml;base64," in markup
    assert "bg.svg" not in markup.split("/* pattern/styles/extra.css */")[1]
