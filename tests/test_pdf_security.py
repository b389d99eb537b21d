"""Safe by default: content cannot inject markup, and neither content nor a theme can make a
briefing read a file outside the project or touch the network."""

from __future__ import annotations

import io
import json
import re
import socket
import threading
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pypdf
import pytest
from conftest import render, twinpress, write

from pipeline import fetcher as fetcher_module
from pipeline.errors import ContentError, RenderError
from pipeline.fetcher import AssetPolicy, BlockedURL
from pipeline.loader import load_document
from pipeline.themes import load_theme

SECRET = Path("/etc/passwd")
# More "../" than any temporary folder is deep (pytest-xdist adds a level), so it reaches /.
UP_TO_ROOT = "../" * 24
SECRET_LINES = [line for line in SECRET.read_text().splitlines() if len(line) >= 12]


# --- a real listener that must never hear from us -------------------------------------------


@pytest.fixture
def trap():
    """A TCP listener on 127.0.0.1 recording every connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    hits: list = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, address = server.accept()
            except (TimeoutError, OSError):
                continue
            hits.append(address)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = server.getsockname()[1]
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}", hits=hits)
    stop.set()
    thread.join(timeout=2)
    server.close()


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the asset policy is asked about during the test."""
    seen: list[str] = []
    original = AssetPolicy.resolve

    def spy(self, url):
        seen.append(url)
        return original(self, url)

    monkeypatch.setattr(AssetPolicy, "resolve", spy)
    return seen


# --- helpers --------------------------------------------------------------------------------


def payloads(trap_url: str) -> list[str]:
    return [
        '<script>alert("owned")</script>',
        '<img src="file:///etc/passwd">',
        '<link rel="attachment" href="file:///etc/passwd">',
        "<style>body { background: url(file:///etc/passwd) }</style>",
        "a CSS url(file:///etc/passwd) in text",
        f'<img src="{trap_url}/pixel.png">',
        '<img src="http://127.0.0.1:9/">',
        '<base href="file:///etc/">',
        "{{ 7 * 7 }} and {% raw %}",
        "&amp; &lt;b&gt; stays literal",
    ]


def hostile_source(project, trap_url: str) -> Path:
    """A source whose every kind of text carries markup, CSS and template syntax."""
    p = [json.dumps(t) for t in payloads(trap_url)]
    return write(
        project,
        "hostile.yaml",
        f"""\
title: {p[0]}
subtitle: {p[1]}
organisation: {p[2]}
date: 2026-01-02
description: {p[3]}
sections:
  - id: one
    title: {p[4]}
    summary: {p[5]}
    blocks:
      - paragraph: {p[0]}
      - heading: {p[6]}
      - bullets: [{p[1]}, {p[2]}, {p[7]}]
      - verdict: {{text: {p[3]}, label: {p[8]}}}
      - callout: {{text: {p[9]}, label: {p[4]}, tone: warning}}
      - comparison:
          title: {p[5]}
          columns:
            - {{heading: {p[6]}, items: [{p[0]}]}}
            - {{heading: {p[7]}, items: [{p[8]}]}}
      - table:
          caption: {p[9]}
          header: [{p[0]}, {p[1]}]
          rows: [[{p[2]}, {p[3]}], [{p[5]}, {p[6]}]]
      - quote: {{text: {p[8]}, source: {p[9]}}}
      - call-to-action: {{action: {p[0]}, items: [{p[2]}]}}
""",
    )


def every_stream(data: bytes) -> bytes:
    """The PDF's bytes plus every stream decompressed."""
    chunks = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf_file:
        for obj in pdf_file.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    chunks.append(obj.read_bytes())
                except pikepdf.PdfError:
                    chunks.append(obj.read_raw_bytes())
    return b"\n".join(chunks)


def assert_no_secret(data: bytes) -> None:
    everything = every_stream(data)
    for line in SECRET_LINES:
        assert line.encode() not in everything, f"a line of {SECRET} is in the output"


def assert_no_embedded_files(data: bytes) -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf_file:
        names = pdf_file.Root.get("/Names")
        assert names is None or "/EmbeddedFiles" not in names
        assert "/AF" not in pdf_file.Root
        assert len(pdf_file.attachments) == 0


def normalise(text: str) -> str:
    return re.sub(r"[\s\u00ad]+", "", text)


def child_theme(project, name: str, files: dict[str, str | Path], parent: str = "corporate"):
    """A throwaway theme; a Path value makes that file a symlink to it."""
    folder = project.themes / name
    entries = {"theme.yaml": f"description: Throwaway test theme.\nextends: {parent}\n", **files}
    for relative, content in entries.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            path.symlink_to(content)
        else:
            path.write_text(content, encoding="utf-8")
    return load_theme(name, project)


def article(project):
    return load_document(project.content / "rust-vs-go.yaml", project)


# --- content cannot inject --------------------------------------------------------------------


def test_hostile_content_prints_literally_and_fetches_nothing(project, trap, fetched):
    document = load_document(hostile_source(project, trap.url), project)
    rendered = render("pdf", document, load_theme("corporate", project))
    text = normalise(
        "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(rendered.data)).pages)
    )
    rest = text.replace("2026", "")
    for payload in payloads(trap.url):
        assert normalise(payload) in text, payload
        rest = rest.replace(normalise(payload), "")  # the trap's port may hold a "49"
    assert "49" not in rest  # {{ 7*7 }} was printed, not evaluated
    assert trap.hits == []
    assert not [u for u in fetched if "passwd" in u or "127.0.0.1" in u or "/etc" in u]
    assert all(u.startswith(("data:", project.themes.resolve().as_uri())) for u in fetched), fetched
    assert_no_secret(rendered.data)
    assert_no_embedded_files(rendered.data)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_hostile_content_is_escaped_in_the_html_page(project, trap, fetched):
    document = load_document(hostile_source(project, trap.url), project)
    page = render("html", document, load_theme("corporate", project)).data
    parsed = _Elements()
    parsed.feed(page.decode("utf-8"))
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "link" not in tags and "base" not in tags
    assert [attrs["src"][:5] for tag, attrs in parsed.tags if tag == "img"] == ["data:"]
    assert tags.count("style") == 1
    text = normalise("".join(parsed.text))
    for payload in payloads(trap.url):
        assert normalise(payload) in text, payload
    assert trap.hits == []
    assert b"root:x:0:0" not in page
    assert not [u for u in fetched if "passwd" in u or "127.0.0.1" in u]


def test_image_sources_are_checked_by_the_loader(project, trap, tmp_path):
    link = project.content / "images" / "innocent.png"
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(SECRET)
    for src, code in (
        ("file:///etc/passwd", "image-url"),
        (f"{trap.url}/x.png", "image-url"),
        (
            "../../../../../../../../../../../../../../../../../../../../../../../../etc/passwd",
            "image-outside",
        ),
        ("images/innocent.png", "image-outside"),
    ):
        path = write(
            project,
            "img.yaml",
            f"""\
title: Images
date: 2026-01-02
sections:
  - id: one
    title: One
    blocks:
      - image: {{src: {json.dumps(src)}, alt: An image}}
""",
        )
        with pytest.raises(ContentError, match=code):
            load_document(path, project)
    assert trap.hits == []


# --- a theme cannot fetch either ------------------------------------------------------------


@pytest.mark.parametrize(
    "css, shown",
    [
        ("body { background: url(file:///etc/passwd); }", "file:///etc/passwd"),
        ("body { background: url('/etc/passwd'); }", "file:///etc/passwd"),
        (
            f".cover {{ background-image: url('{UP_TO_ROOT}etc/passwd'); }}",
            "file:///etc/passwd",
        ),
        (
            "@font-face { font-family: Evil; src: url(file:///etc/passwd); }\n"
            ".paragraph { font-family: Evil; }",
            "file:///etc/passwd",
        ),
        ('.cover { background: url("TRAP/x.png"); }', "TRAP/x.png"),
        ('@import url("TRAP/x.css");', "TRAP/x.css"),
        (".cover { background: url(ftp://127.0.0.1/x.png); }", "ftp://127.0.0.1/x.png"),
    ],
)
def test_a_theme_stylesheet_cannot_fetch_outside(project, trap, css, shown):
    css, shown = css.replace("TRAP", trap.url), shown.replace("TRAP", trap.url)
    theme = child_theme(project, "evil", {})
    (project.themes / "evil" / "styles" / "extra.css").parent.mkdir()
    (project.themes / "evil" / "styles" / "extra.css").write_text(css)
    # Loading the theme finds it, at the stylesheet's line, before anything renders...
    with pytest.raises(ContentError) as found:
        load_theme("evil", project)
    (problem,) = found.value.diagnostics
    assert problem.code == "theme.stylesheet-url" and problem.loc.path.name == "extra.css"
    assert problem.loc.line >= 1 and problem.loc.column >= 1
    # ...and the renderers' own fetch policy still refuses it (a theme loaded before the edit).
    for fmt in ("pdf", "html"):
        with pytest.raises(RenderError) as caught:
            render(fmt, article(project), theme)
        message = str(caught.value)
        assert f"refused to fetch '{shown}'" in message, message
        assert "[render.blocked-url]" in message
        assert "root:x" not in message
    assert trap.hits == []


@pytest.mark.parametrize(
    "markup, shown",
    [
        ('<link rel="attachment" href="file:///etc/passwd">', "file:///etc/passwd"),
        ('<a rel="attachment" href="file:///etc/passwd">x</a>', "file:///etc/passwd"),
        ('<img src="TRAP/pixel.png" alt="x">', "TRAP/pixel.png"),
        ('<img src="http://127.0.0.1:9/" alt="x">', "http://127.0.0.1:9/"),
        ('<object data="file:///etc/passwd"></object>', "file:///etc/passwd"),
        ('<base href="file:///etc/"><img src="passwd" alt="x">', "file:///etc/passwd"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>x</title>'
            '<image href="file:///etc/passwd" width="10" height="10"/></svg>',
            "file:///etc/passwd",
        ),
    ],
)
def test_a_theme_template_cannot_fetch_outside(project, trap, markup, shown):
    markup, shown = markup.replace("TRAP", trap.url), shown.replace("TRAP", trap.url)
    theme = child_theme(
        project,
        "evil",
        {"templates/abstract.html.j2": markup + '\n{% include "!base/abstract.html.j2" %}\n'},
    )
    with pytest.raises(RenderError, match=re.escape(f"refused to fetch '{shown}'")):
        render("pdf", article(project), theme)
    with pytest.raises(RenderError, match="render.external-reference"):
        render("html", article(project), theme)
    assert trap.hits == []


def test_a_theme_cannot_attach_even_its_own_files(project):
    theme = child_theme(
        project,
        "evil",
        {"templates/abstract.html.j2": '<link rel="attachment" href="theme.yaml">\n'},
    )
    with pytest.raises(RenderError, match="render.attachment"):
        render("pdf", article(project), theme)


def test_an_svg_logo_cannot_fetch_outside(project):
    theme_dir = project.themes / "evil"
    theme = child_theme(
        project,
        "evil",
        {
            "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
            '<title>Evil</title><image href="file:///etc/passwd" width="64" '
            'height="64"/></svg>',
            "theme.yaml": "description: Evil.\nextends: corporate\n"
            "logo: {svg: logo.svg, png: ../base/logo.png, alt: Evil}\n",
        },
    )
    assert theme.logo.svg == (theme_dir / "logo.svg").resolve()
    with pytest.raises(RenderError, match=re.escape("refused to fetch 'file:///etc/passwd'")):
        render("pdf", article(project), theme)


@pytest.mark.parametrize(
    "relative",
    [
        "templates/blocks/paragraph.html.j2",
        "styles/extra.css",
        "styles/print.css",
        "icons/check.svg",
    ],
)
def test_a_symlink_out_of_the_theme_is_refused(project, relative):
    theme = child_theme(project, "evil", {relative: SECRET})
    for fmt in ("pdf", "html"):
        if relative == "styles/print.css" and fmt == "html":
            continue  # the page uses screen.css
        with pytest.raises(RenderError) as caught:
            render(fmt, article(project), theme)
        message = str(caught.value)
        assert "outside the theme and content folders" in message
        assert "root:x" not in message


def test_the_cli_reports_a_refused_url_without_a_traceback(project, trap):
    child_theme(project, "evil", {})
    (project.themes / "evil" / "styles").mkdir()
    (project.themes / "evil" / "styles" / "extra.css").write_text(
        f'@import url("{trap.url}/x.css");\n'
    )
    result = twinpress(
        "build",
        "--format",
        "pdf",
        "--audience",
        "tech-leaders",
        "--theme",
        "evil",
        cwd=project.root,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        f"themes/evil/styles/extra.css:1:9: error: stylesheet refers to '{trap.url}/x.css'"
        in result.stderr
    )
    assert "[theme.stylesheet-url]" in result.stderr and trap.hits == []
    assert "Traceback" not in result.stderr
    assert not (project.output / "tech-leaders" / "rust-vs-go.pdf").exists()
    assert trap.hits == []


# --- the policy itself ----------------------------------------------------------------------


def test_the_asset_policy_allows_only_files_inside_its_folders(tmp_path):
    inside = tmp_path / "theme"
    (inside / "fonts").mkdir(parents=True)
    font = inside / "fonts" / "a.ttf"
    font.write_bytes(b"font")
    (inside / "link").symlink_to(SECRET)
    policy = AssetPolicy.of([inside])
    assert policy.resolve(font.as_uri()) == font.resolve()
    assert policy.resolve("data:text/plain;base64,aGk=") is None
    assert policy.read("data:text/plain,hi%21") == (b"hi!", "text/plain")
    refused = [
        "file:///etc/passwd",
        (inside / "link").as_uri(),
        inside.as_uri() + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        inside.as_uri() + "/../../../../../../etc/passwd",
        "file://evil.example/etc/passwd",
        "http://127.0.0.1:9/",
        "https://example.com/a.png",
        "ftp://127.0.0.1/a",
        "gopher://127.0.0.1/",
        "javascript:alert(1)",
        "fonts/a.ttf",
        (inside / "missing.ttf").as_uri(),
    ]
    for url in refused:
        with pytest.raises(BlockedURL):
            policy.resolve(url)


def test_the_fetcher_follows_no_redirects_and_uses_the_policy(tmp_path):
    fetch = fetcher_module.asset_fetcher(AssetPolicy.of([tmp_path]))
    (tmp_path / "ok.css").write_text("p {}")
    assert fetch.fetch((tmp_path / "ok.css").as_uri()).read() == b"p {}"
    with pytest.raises(BaseException) as caught:
        fetch.fetch("http://127.0.0.1:9/")
    assert isinstance(caught.value.blocked, BlockedURL)
    assert not any(type(h).__name__ == "HTTPRedirectHandler" for h in fetch.handlers)
    assert [b.url for b in fetch.refused] == ["http://127.0.0.1:9/"]
