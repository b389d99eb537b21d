"""The briefing's changes to WeasyPrint's costs (renderers/briefing/tuning.py) draw what
WeasyPrint would: the same bytes where the change is exact, the same places where it is not
(the contents leaders, checked in test_pdf.py)."""

from __future__ import annotations

import dataclasses
import io
import re

import pydyf
import pypdf
import pypdfium2
import pytest
from conftest import EMOJI_SOURCE, REPO, render
from PIL import ImageChops

from pipeline.audience import select
from pipeline.themes import load_theme


def _tech_leaders(article_inputs):
    document, profiles, repo = article_inputs
    profile = profiles["tech-leaders"]
    return select(document, profile), load_theme(profile.theme, repo), profile.options_for("pdf")


def test_an_svg_background_is_one_form_per_size_that_looks_like_weasyprints_form_per_box(
    article_inputs, monkeypatch
):
    import weasyprint.draw as drawing

    from pipeline.renderers.briefing import forms, tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    placed: list[tuple[int, tuple[float, float]]] = []
    form = forms._form

    def counted(stream, layer):
        placed.append((id(layer.image), layer.size))
        return form(stream, layer)

    monkeypatch.setattr(forms, "_form", counted)
    shared = render("pdf", document, theme, options).data
    monkeypatch.setattr(drawing, "draw_background_image", tuning.anew["draw_background_image"])
    per_box = render("pdf", document, theme, options).data
    assert len(placed) > 40  # an icon for every bullet
    # WeasyPrint made a form for every box; the shared forms are one per icon and size
    assert _forms(per_box) - _forms(shared) == len(placed) - len(set(placed)) > 30
    assert len(shared) < 0.9 * len(per_box)  # 13 % smaller, fonts being most of the file
    assert _look_alike(shared, per_box) > 5


def test_sprites_and_transformed_boxes_show_the_parts_of_an_svg_background_weasyprint_shows(
    monkeypatch,
):
    """A sprite sheet's far icons lie pages away from where the image starts, and a
    transformed box sees the page elsewhere: the shared form cuts what WeasyPrint cuts."""
    import urllib.parse

    import weasyprint
    import weasyprint.draw as drawing

    from pipeline.renderers.briefing import tuning

    tuning.install()
    circles = "".join(
        f"<circle cx='{16 + 32 * i}' cy='16' r='14' fill='{('red', 'green', 'blue')[i % 3]}'/>"
        for i in range(100)
    )
    sheet = "<svg xmlns='http://www.w3.org/2000/svg' width='3200' height='32'>" + circles + "</svg>"
    url = "data:image/svg+xml," + urllib.parse.quote(sheet)
    icons = "".join(
        f"<span class='i' style='background-position: -{x}px 0'></span> "
        for x in (320, 1600, 2400, 3136)
    )
    html = f"""<style>
      @page {{ size: 400px 300px; margin: 20px }}
      .i {{ display: inline-block; width: 32px; height: 32px; background: url("{url}") no-repeat }}
      .moved {{ position: absolute; left: 600px; top: 60px; width: 64px; height: 32px;
        transform: translateX(-600px); background: url("{url}") no-repeat }}
      .small {{ margin-top: 60px; width: 1000px; height: 32px; transform-origin: 0 0;
        transform: scale(.25); background: url("{url}") no-repeat right / 400px 32px }}
    </style><p>{icons}</p><div class="moved"></div><div class="small"></div>"""

    def pdf() -> bytes:
        return weasyprint.HTML(string=html).write_pdf()

    shared = pdf()
    monkeypatch.setattr(drawing, "draw_background_image", tuning.anew["draw_background_image"])
    assert _look_alike(shared, pdf()) == 1


def _look_alike(ours: bytes, theirs: bytes) -> int:
    """The pages of two PDFs drawn by PDFium at 144 dpi, compared: how many there are."""
    mine, other = pypdfium2.PdfDocument(ours), pypdfium2.PdfDocument(theirs)
    assert len(mine) == len(other)
    for a, b in zip(mine, other):
        # PDFium rounds a few edge pixels of an icon differently when the form is moved
        # from outside (at most 1 of 255, on at most 9 pixels of 2.5 million); poppler
        # draws both alike to the bit
        difference = ImageChops.difference(a.render(scale=2).to_pil(), b.render(scale=2).to_pil())
        assert max(high for _, high in difference.getextrema()) <= 1
        assert difference.convert("L").point(lambda v: 255 if v else 0).histogram()[255] <= 20
    return len(mine)


def _forms(data: bytes) -> int:
    """How many form XObjects the pages of a PDF draw."""
    found = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for entry in page["/Resources"].get("/XObject", {}).values():
            if entry.get_object()["/Subtype"] == "/Form":
                found.add(entry.idnum)
    return len(found)


def test_pages_tagged_as_they_are_painted_make_weasyprints_structure_tree(
    article_inputs, monkeypatch
):
    """Each page's structure elements are made when it is painted: the tree, the parent
    tree and the pages' contents are those WeasyPrint makes after the last page."""
    import weasyprint.pdf as weasy_pdf

    from pipeline.renderers.briefing import tagging, tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    early: list[int] = []
    tag = tagging._tag

    def watched(pdf, tree, number, page_box, tags):
        early.append(number)
        tag(pdf, tree, number, page_box, tags)

    monkeypatch.setattr(tagging, "_tag", watched)
    ours = render("pdf", document, theme, options)
    assert early == list(range(ours.units))  # every page, each as it was painted
    monkeypatch.setattr(weasy_pdf, "add_tags", tuning.anew["add_tags"])
    early.clear()
    theirs = render("pdf", document, theme, options)
    assert not early
    assert ours.data != theirs.data  # the objects are numbered in another order
    mine, other = _structure(ours.data), _structure(theirs.data)
    assert mine == other
    assert len(repr(mine)) > 100_000  # elements for every paragraph, item and link
    for a, b in zip(*(pypdf.PdfReader(io.BytesIO(d)).pages for d in (ours.data, theirs.data))):
        assert a.get_contents().get_data() == b.get_contents().get_data()
        assert (a["/StructParents"], a["/Tabs"]) == (b["/StructParents"], b["/Tabs"])


_HEADER = re.compile(r"(\d+)(-\d+-\d+)")


def _structure(data: bytes) -> object:
    """A PDF's structure tree and the catalog entries tagging adds, every object named by
    the order in which a walk from the catalog meets it and every page by its index."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        StreamObject,
        TextStringObject,
    )

    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    named: dict[int, int] = {}

    def walk(value: object) -> object:
        if isinstance(value, IndirectObject):
            if value.idnum in pages:
                return ("page", pages[value.idnum])
            if value.idnum in named:
                return ("seen", named[value.idnum])
            named[value.idnum] = len(named)
            return ("object", named[value.idnum], walk(value.get_object()))
        if isinstance(value, StreamObject):
            return ("stream", value.get_data())
        if isinstance(value, DictionaryObject):
            return tuple((key, walk(item)) for key, item in sorted(value.items()))
        if isinstance(value, ArrayObject):
            return tuple(walk(item) for item in value)
        if isinstance(value, TextStringObject) and (header := _HEADER.fullmatch(value)):
            # a table header's ID starts with its table's object number
            return ("header of", named[int(header[1])], header[2])
        return repr(value)

    catalog = reader.trailer["/Root"]
    return tuple(
        walk(catalog.raw_get(key)) for key in ("/StructTreeRoot", "/MarkInfo", "/ViewerPreferences")
    )


def test_a_briefing_lets_each_pages_boxes_go_once_the_page_is_painted(article_inputs, monkeypatch):
    """A briefing's pages are painted once: each drops its boxes when painted (and tagged),
    so a long briefing does not hold every page's layout until its file is written."""
    import gc
    import weakref

    from pipeline.renderers.briefing import tagging, tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    boxes: list[weakref.ref] = []
    alive: list[int] = []  # earlier pages whose boxes are alive as each page is painted
    painted = tagging.page_painted

    def watched(page, stream):
        gc.collect()
        alive.append(sum(ref() is not None for ref in boxes))
        boxes.append(weakref.ref(page._page_box))
        painted(page, stream)
        assert page._page_box is None

    monkeypatch.setattr(tagging, "page_painted", watched)
    rendered = render("pdf", document, theme, options)
    assert len(boxes) == rendered.units > 5
    # WeasyPrint's layout context keeps the footnote area of the page it laid out last
    # (the contents page, laid out again), and that page with it
    assert max(alive) <= 1
    gc.collect()
    assert sum(ref() is not None for ref in boxes) <= 1


def test_a_tagged_pages_structure_elements_wait_for_the_file_as_the_bytes_pydyf_writes(
    article_inputs, monkeypatch
):
    """Once a page is tagged its elements are final: they are kept as their bytes, and only
    the document element, which gains every page's children, stays a dictionary."""
    from pipeline.renderers.briefing import tagging, tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    seen: dict[str, int] = {}
    write = pydyf.PDF.write

    def counted(pdf, *args, **kwargs):
        kinds = [type(obj) for obj in pdf.objects]
        seen["written"] = kinds.count(tagging.Written)
        seen["dictionaries"] = sum(
            isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem"
            for obj in pdf.objects
        )
        return write(pdf, *args, **kwargs)

    monkeypatch.setattr(pydyf.PDF, "write", counted)
    data = render("pdf", document, theme, options).data
    assert seen["dictionaries"] == 1
    elements = _elements(data)
    assert seen["written"] >= elements - 1 > 500


def _elements(data: bytes) -> int:
    """The structure elements a PDF's tree holds."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    count, stack = 0, [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        element = stack.pop().get_object()
        count += element.get("/Type") == "/StructElem"
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, pypdf.generic.IndirectObject):
                stack.append(kid)
    return count


def test_page_references_follow_the_pages_added():
    from pipeline.renderers.briefing import tuning

    tuning.install()
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert pdf.page_references is first  # kept, not rebuilt per read
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 4
    assert pdf.page_references[:3] == first
    assert pdf.page_references[3] == f"{pdf.pages['Kids'][-3]} 0 R".encode()


def test_contents_pages_are_laid_out_again_once_their_page_numbers_are_known(
    article_inputs, monkeypatch
):
    import weasyprint.layout.page as paging

    from pipeline.renderers.briefing import tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    made: list[int] = []
    remake = paging.remake_page

    def counted(index, *args):
        made.append(index)
        return remake(index, *args)

    monkeypatch.setattr(paging, "remake_page", counted)
    rendered = render("pdf", document, theme, options)
    contents_pages = 1  # the article's contents fit page 2
    assert sorted(made) == sorted([*range(rendered.units), *range(1, 1 + contents_pages)])


def test_margin_boxes_and_contents_numbers_found_without_walking_every_page_are_weasyprints(
    article_inputs, monkeypatch
):
    """A page's margin boxes come from its own page type's list, a contents entry's page
    number from the entries waiting for its anchor: the bytes WeasyPrint's walks over
    every page and every entry give, and the walks are shorter."""
    import weasyprint.layout.page as paging
    from weasyprint.css import StyleFor, targets

    from pipeline.renderers.briefing import tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    waited: list[int] = []
    waiting_for = tuning._waiting_for

    def counted(collector):
        found = waiting_for(collector)
        waited.append(sum(map(len, found.values())))
        return found

    monkeypatch.setattr(tuning, "_waiting_for", counted)
    listed = render("pdf", document, theme, options)
    anew = tuning.anew
    monkeypatch.setattr(StyleFor, "add_page_declarations", anew["add_page_declarations"])
    monkeypatch.setattr(
        paging, "set_page_type_computed_styles", anew["set_page_type_computed_styles"]
    )
    monkeypatch.setattr(
        targets.TargetCollector, "cache_target_page_counters", anew["cache_target_page_counters"]
    )
    walked = render("pdf", document, theme, options)
    assert listed.data == walked.data and listed.units == walked.units > 5
    sections = len(document.sections)
    assert waited and max(waited) >= sections  # the contents waited for every section


def test_pages_the_same_page_rules_select_share_one_set_of_computed_styles(
    article_inputs, monkeypatch
):
    """Every page has a page type of its own, but without `:nth()` rules a page's cascade
    depends only on its side, blankness, name and being first: the pages after the first of
    each kind take the styles computed for it (the bytes are WeasyPrint's: the test above)."""
    from pipeline.renderers.briefing import tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    shared: list[tuple[object, object]] = []
    share = tuning._share_page_styles

    def counted(style_for, earlier, page_type):
        shared.append((earlier, page_type))
        return share(style_for, earlier, page_type)

    monkeypatch.setattr(tuning, "_share_page_styles", counted)
    rendered = render("pdf", document, theme, options)
    later_pages = {page_type.index for _, page_type in shared}
    assert later_pages >= set(range(3, rendered.units)), (later_pages, rendered.units)
    for earlier, page_type in shared:
        assert earlier.index <= page_type.index and earlier.name == page_type.name  # <=: remade


def test_running_strings_are_measured_once_a_render_for_each_text_they_show(
    article_inputs, monkeypatch
):
    """The header's title and organisation and the footer's confidentiality line are the
    same on every page, and measured once for each kind of page; the page number changes,
    and is measured on every page; the bytes are those of measuring every box."""
    import weasyprint.layout.page as paging
    from weasyprint.formatting_structure import boxes

    from pipeline.renderers.briefing import margins, tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    measured: list[str] = []
    widest = tuning.anew["max_content_width"]

    def counted(context, box, outer=True):
        if isinstance(box, boxes.MarginBox):
            measured.append(box.at_keyword)
        return widest(context, box, outer)

    monkeypatch.setattr(paging, "max_content_width", margins.remembered(counted))
    remembering = render("pdf", document, theme, options)
    running = remembering.units - 1  # the cover has no running strings
    assert measured.count("@bottom-right") == running  # "Page 4 of 9" on page 4 only
    for keyword in ("@top-left", "@top-right", "@bottom-left"):
        assert 1 <= measured.count(keyword) <= 3, (keyword, measured)  # first, left, right
    monkeypatch.setattr(paging, "max_content_width", widest)
    monkeypatch.setattr(paging, "min_content_width", tuning.anew["min_content_width"])
    measuring = render("pdf", document, theme, options)
    assert remembering.data == measuring.data and remembering.units == measuring.units


MARGIN_AND_PAGE_CASES = {
    # a wrapping header, whose min- and max-content widths both size it
    "wrapping header": (
        "<style>@page{size:300px 200px;margin:40px;@top-center{content:'alpha beta gamma"
        " delta epsilon zeta eta theta iota kappa'}}</style><p>Body.</p>"
    ),
    "fixed and auto neighbours": (
        "<style>@page{size:300px 200px;margin:40px;@top-left{content:'Left header text'}"
        " @top-right{content:'R';width:50px}}</style><p>Body.</p>"
    ),
    # viewport units resolve against the first page, laid out again for `counter(pages)`
    "viewport margins": (
        "<style>@page{size:400px 300px;margin:10vw} span::after{content:' of '"
        " counter(pages)}</style><p><span>Page</span></p>"
    ),
    "many pages of both sides": (
        "<style>@page{size:300px 200px;margin:40px;@top-left{content:'A running title"
        " that wraps'} @top-right{content:'Org'} @bottom-right{content:counter(page)}}"
        " @page :left{margin-left:60px} @page :first{margin-top:50px}</style>"
        + "<p>Body text of a page.</p>"
        * 40
    ),
}


@pytest.mark.parametrize("case", sorted(MARGIN_AND_PAGE_CASES))
def test_margin_widths_and_shared_page_styles_draw_weasyprints_bytes(case, monkeypatch):
    """Documents that read a margin box's min- and max-content widths, or resolve page
    margins against a first page laid out twice: the bytes of WeasyPrint measuring every
    box and computing every page type's styles."""
    import weasyprint
    import weasyprint.layout.page as paging

    from pipeline.renderers.briefing import tuning

    tuning.install()
    html = MARGIN_AND_PAGE_CASES[case]

    def pdf() -> bytes:
        return weasyprint.HTML(string=html).write_pdf(pdf_identifier=b"0" * 16)

    ours = pdf()
    monkeypatch.setattr(paging, "min_content_width", tuning.anew["min_content_width"])
    monkeypatch.setattr(paging, "max_content_width", tuning.anew["max_content_width"])
    monkeypatch.setattr(tuning, "_selected_alike", lambda style_for, page_type: None)
    assert ours == pdf()


def test_an_nth_page_rule_still_styles_only_the_pages_it_selects(project, article_inputs):
    """With a `:nth()` page rule in a stylesheet, every page type keeps styles of its own."""
    from pipeline.renderers.briefing import tuning

    tuning.install()
    folder = project.themes / "nth"
    (folder / "styles").mkdir(parents=True)
    (folder / "theme.yaml").write_text("description: Marks page 4.\nextends: base\n")
    (folder / "styles" / "extra.css").write_text(
        '@page :nth(4) { @top-center { content: "FourthPageMark"; } }\n'
    )
    document, profiles, _ = article_inputs
    profile = profiles["tech-leaders"]
    rendered = render(
        "pdf", select(document, profile), load_theme("nth", project), profile.options_for("pdf")
    )
    pdf = pypdfium2.PdfDocument(rendered.data)
    marked = [
        i for i in range(len(pdf)) if "FourthPageMark" in pdf[i].get_textpage().get_text_range()
    ]
    assert marked == [3] and rendered.units > 5


def test_lines_written_from_whole_glyph_records_are_the_bytes_of_weasyprints_glyph_loop(
    project, monkeypatch
):
    """Latin, Japanese and Arabic lines take the records path; a line with a colour emoji or
    a raised mark is drawn by WeasyPrint; either way the PDF is the one WeasyPrint's loop
    writes."""
    import shutil

    import weasyprint.draw.text as drawing_text

    from pipeline.loader import load_document
    from pipeline.renderers.briefing import glyphruns, tuning

    tuning.install()
    shutil.copy(
        REPO / "tests" / "fixtures" / "sources" / "scripts.yaml", project.content / "scripts.yaml"
    )
    emoji = project.content / "emoji.yaml"
    emoji.write_text(EMOJI_SOURCE, encoding="utf-8")
    cases = [
        ("rust-vs-go.yaml", "corporate"),
        ("scripts.yaml", "international"),
        ("emoji.yaml", "corporate"),
    ]
    paths: dict[str, int] = {"records": 0, "weasyprint": 0}
    runs_of = glyphruns.plain_runs

    def counted(stream, textbox):
        runs = runs_of(stream, textbox)
        paths["records" if runs is not None else "weasyprint"] += 1
        return runs

    monkeypatch.setattr(glyphruns, "plain_runs", counted)
    for name, theme in cases:
        document = load_document(project.content / name, project)
        paths.update(records=0, weasyprint=0)
        ours = render("pdf", document, load_theme(theme, project))
        assert paths["records"] > 5, (name, paths)
        # The Arabic paragraph's tanween sits raised over its letter: WeasyPrint's text rise.
        assert (paths["weasyprint"] > 0) == (name != "rust-vs-go.yaml"), (name, paths)
        with monkeypatch.context() as weasyprints:
            weasyprints.setattr(drawing_text, "draw_first_line", tuning.anew["draw_first_line"])
            theirs = render("pdf", document, load_theme(theme, project))
        assert ours.data == theirs.data and ours.units == theirs.units, name


def test_an_icon_that_fails_to_draw_fails_every_render_not_only_the_first(
    article_inputs, monkeypatch
):
    import weasyprint.svg
    from pytest import raises

    from pipeline.errors import RenderError
    from pipeline.renderers.briefing import tuning, weasy

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    options = dataclasses.replace(options, toc=False)
    drawn_svg = weasyprint.svg.SVG.draw

    def half_drawn(svg, stream, *args):
        stream.stream.append(b"0 0 m")  # a partial path, then the failure
        raise ValueError("broken icon")

    monkeypatch.setattr(weasyprint.svg.SVG, "draw", half_drawn)
    monkeypatch.setattr(weasy, "_IMAGES", {})  # icons this process drew well are not in play
    failures = []
    for _ in range(2):
        with raises(RenderError, match="Failed to render SVG image") as failed:
            render("pdf", document, theme, options)
        failures.append(sorted(d.message for d in failed.value.diagnostics))
    assert len(failures[0]) > 2  # the cover's logo and the icons of the bullets
    assert failures[1] == failures[0]
    monkeypatch.setattr(weasyprint.svg.SVG, "draw", drawn_svg)


def _a_pdf_of_pages(count):
    pdf = pydyf.PDF()
    for number in range(count):
        content = pydyf.Stream(compress=True)
        content.push_state()
        content.set_matrix(1, 0, 0, 1, 72, 720 - number)
        content.pop_state()
        pdf.add_object(content)
        page = pydyf.Dictionary({"Type": "/Page", "Contents": content.reference})
        pdf.add_page(page)
    return pdf


def test_a_pdf_written_with_an_identifier_compresses_each_stream_once_into_the_same_bytes(
    monkeypatch,
):
    import io
    import zlib

    from pipeline.renderers.briefing import tuning

    tuning.install()
    compressed = []
    compressor = zlib.compressobj

    def counted(*args, **kwargs):
        compressed.append(1)
        return compressor(*args, **kwargs)

    monkeypatch.setattr(zlib, "compressobj", counted)
    written = {}
    for compress in (False, True):  # an xref table, and object streams as the briefing's
        for name, write in (("once", pydyf.PDF.write), ("twice", pydyf.PDF.write.__wrapped__)):
            compressed.clear()
            output = io.BytesIO()
            write(_a_pdf_of_pages(5), output, identifier=True, compress=compress)
            written[compress, name] = (output.getvalue(), len(compressed))
        assert written[compress, "once"][0] == written[compress, "twice"][0]
        # One per page's content stream, and with object streams the object stream and the
        # cross-reference stream; pydyf's own write compresses each numbered one again to hash.
        streams = 5 + (1 if compress else 0)
        assert written[compress, "once"][1] == streams + (1 if compress else 0), compress
        assert written[compress, "twice"][1] == written[compress, "once"][1] + streams, compress
        assert b"/ID [" in written[compress, "once"][0]


def test_pages_whose_streams_are_finished_when_painted_are_the_bytes_of_streams_kept_until_written(
    article_inputs, monkeypatch
):
    """Each page's operators are serialised right after the page is painted and dropped: the
    file is byte for byte the one pydyf writes from the operators it kept."""
    from weasyprint import document as weasy_document

    from pipeline.renderers.briefing import finishing, tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    painted: list = []
    finish = finishing.finish_page

    def watched(stream):
        finish(stream)
        painted.append(stream)

    monkeypatch.setattr(finishing, "finish_page", watched)
    finished = render("pdf", document, theme, options)
    assert len(painted) == finished.units > 5
    assert all(stream.stream == () and finishing.FINISHED in vars(stream) for stream in painted)
    monkeypatch.setattr(weasy_document.Page, "paint", weasy_document.Page.paint.__wrapped__)
    painted.clear()
    kept = render("pdf", document, theme, options)
    assert not painted
    assert finished.data == kept.data


def test_drawing_on_a_finished_page_fails_instead_of_being_left_out():
    import pytest

    from pipeline.renderers.briefing import finishing, tuning

    tuning.install()
    stream = pydyf.Stream(compress=True)
    stream.push_state()
    stream.pop_state()
    written = stream.data
    finishing.finish_page(stream)
    assert stream.data == written
    with pytest.raises(AttributeError):
        stream.push_state()
    stream.extra["Filter"] = "/None"  # a change the kept bytes would not show
    with pytest.raises(RuntimeError, match="changed after it was finished"):
        stream.data  # noqa: B018


def test_a_page_is_not_finished_where_its_bytes_would_not_be_written(monkeypatch):
    import pytest

    from pipeline.renderers.briefing import finishing, tuning

    tuning.install()
    monkeypatch.setattr(pydyf.Stream, "data", property(lambda stream: b""))  # pydyf unwrapped
    stream = pydyf.Stream()
    stream.push_state()
    with pytest.raises(RuntimeError, match="not installed"):
        finishing.finish_page(stream)
    assert stream.stream == [b"q"]


def test_font_descriptions_and_variable_checks_answered_from_memory_draw_weasyprints_bytes(
    article_inputs, monkeypatch
):
    """The remembered answers are WeasyPrint's: the same PDF as when every text layout
    makes its font description and every style checks its `var()` tokens anew, and far
    fewer of them are made."""
    import weasyprint.css as weasy_css
    from weasyprint.text import line_break

    from pipeline.renderers.briefing import remembered, tuning

    tuning.install()
    document, theme, options = _tech_leaders(article_inputs)
    asked = {"get_font_description": 0, "check_var": 0}
    anew = tuning.anew

    def counting(name):
        def ask(arg):
            asked[name] += 1
            return anew[name](arg)

        return ask

    calls = {"layouts": 0}
    setup = line_break.Layout.setup

    def counted_setup(layout, style):
        calls["layouts"] += 1
        return setup(layout, style)

    monkeypatch.setattr(line_break.Layout, "setup", counted_setup)
    monkeypatch.setattr(
        line_break,
        "get_font_description",
        remembered.font_descriptions(counting("get_font_description")),
    )
    monkeypatch.setattr(weasy_css, "check_var", remembered.variable_checks(counting("check_var")))
    render("pdf", document, theme, options)  # the memories are per process: warm them
    asked.update(get_font_description=0, check_var=0)
    calls["layouts"] = 0
    remembering = render("pdf", document, theme, options)
    assert calls["layouts"] > 500
    assert asked["get_font_description"] < calls["layouts"] / 10, (asked, calls)
    assert asked["check_var"] < 50, asked  # tokens resolve_var makes afresh; the theme's are known
    monkeypatch.setattr(line_break, "get_font_description", anew["get_font_description"])
    monkeypatch.setattr(weasy_css, "check_var", anew["check_var"])
    asking = render("pdf", document, theme, options)
    assert remembering.data == asking.data and remembering.units == asking.units


def test_a_variable_check_is_answered_for_the_very_token_it_was_asked_about():
    from types import SimpleNamespace

    from pipeline.renderers.briefing import remembered

    asked = []

    def check(token):
        asked.append(token)
        return token.uses

    check_var = remembered.variable_checks(check)
    uses, plain = SimpleNamespace(uses=True), SimpleNamespace(uses=False)
    assert [check_var(uses), check_var(plain), check_var(uses), check_var(plain)] == [
        True, False, True, False
    ]  # fmt: skip
    assert asked == [uses, plain]


class _Reading(dict):
    """A style that notes every property read from it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def test_a_font_description_is_remembered_under_every_style_value_weasyprint_reads_for_it():
    """The memory's key holds each property `get_font_description` reads, so two styles that
    differ in any of them never share a description."""
    from pipeline.renderers.briefing import remembered, tuning

    tuning.install()
    style = {
        "font_family": ("DejaVu Sans",),
        "font_style": "normal",
        "font_stretch": "normal",
        "font_weight": 400,
        "font_size": 12.0,
        "font_variant_caps": "normal",
        "font_variation_settings": (("wght", 500.0),),
    }
    weasyprint_reads, key_reads = _Reading(style), _Reading(style)
    tuning.anew["get_font_description"](weasyprint_reads)
    remembered._font_of(key_reads)
    assert weasyprint_reads.read == key_reads.read == set(style)


def test_the_installed_helpers_are_the_remembering_ones():
    import weasyprint.css as weasy_css
    from weasyprint.text import line_break

    from pipeline.renderers.briefing import tuning

    tuning.install()
    anew = tuning.anew
    assert line_break.get_font_description is not anew["get_font_description"]
    assert line_break.get_font_description.__wrapped__ is anew["get_font_description"]
    assert weasy_css.check_var.__wrapped__ is anew["check_var"]
