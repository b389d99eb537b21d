"""`twinpress verify`: read built outputs back, independently of the renderers, and check them.

Each output is read with a different library than the one that wrote it (python-pptx reads
the deck's XML back, pypdf extracts the PDF's text in content-stream order, Python's HTML
parser reads the html) and cut into units: slides, pages, or the html's headed parts. For
every section the audience should see, verify finds where it is, in source order, with all
of its text, and cross-checks the build manifest (placement, output hash, input hash).

Matching ignores everything but letters and digits (after NFKC and case folding), so line
breaks, hyphenation, typographic quotes and marker glyphs never cause false alarms; a text
broken across two slides or pages (a continuation) is matched piece by piece.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal, Mapping, Sequence

from . import manifest, renderers
from .errors import Diagnostic, SourceLocation, display_path
from .model import Document, Section, block_texts, section_label

Status = Literal["ok", "missing", "partial", "out-of-order", "unverifiable"]
# Shortest leading piece of a text split over units: continuation pieces are several words,
# and shorter pieces could reassemble a deleted text from words that occur elsewhere.
MIN_PIECE = 20


@dataclass(frozen=True)
class Unit:
    """A slide, a page, or a headed part of an html file, as plain text."""

    number: int
    text: str


@dataclass
class SectionResult:
    id: str
    title: str
    status: Status = "ok"
    units: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class OutputResult:
    path: Path
    format: str
    audience: str
    unit: str
    sections: list[SectionResult] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    def as_json(self) -> dict:
        return {"file": display_path(self.path), "format": self.format,
                "audience": self.audience, "ok": self.ok, "unit": self.unit,
                "sections": [vars(s) for s in self.sections],
                "problems": [{"level": p.level, "code": p.code, "message": p.message,
                              "location": str(p.loc) if p.loc else None}
                             for p in self.problems]}


# -- reading outputs -----------------------------------------------------------------------
def read_units(fmt: str, path: Path) -> list[Unit]:
    """The output's text, unit by unit, read without any twinpress renderer code."""
    if fmt == "pptx":
        return _read_pptx(path)
    if fmt == "pdf":
        return _read_pdf(path)
    if fmt == "html":
        return _read_html(path)
    if fmt == "markdown":
        return [Unit(1, path.read_text(encoding="utf-8"))]
    raise ValueError(f"verify cannot read format {fmt!r}")


def _read_pptx(path: Path) -> list[Unit]:
    from pptx import Presentation

    units = []
    for number, slide in enumerate(Presentation(str(path)).slides, 1):
        title = slide.shapes.title
        parts = [title.text_frame.text] if title is not None and title.has_text_frame else []
        parts += [t for shape in slide.shapes if shape is not title for t in _shape_texts(shape)]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
        units.append(Unit(number, "\n".join(parts)))
    return units


def _shape_texts(shape) -> list[str]:
    if shape.shape_type is not None and shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
        return [t for child in shape.shapes for t in _shape_texts(child)]
    if getattr(shape, "has_table", False) and shape.has_table:
        return [cell.text for row in shape.table.rows for cell in row.cells]
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return [shape.text_frame.text]
    return []


def _read_pdf(path: Path) -> list[Unit]:
    from pypdf import PdfReader

    # pypdf keeps content-stream order, which WeasyPrint writes box by box: a table cell's
    # or a column's lines stay together instead of interleaving by position.
    reader = PdfReader(str(path))
    return [Unit(n, page.extract_text() or "") for n, page in enumerate(reader.pages, 1)]


class _HtmlText(HTMLParser):
    """Collect text outside <head>, <script> and <style>, starting a unit at h1/h2/nav."""

    SKIP = {"head", "script", "style", "template"}
    BREAK = {"h1", "h2", "nav"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.units: list[list[str]] = [[]]
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAK and any(self.units[-1]):
            self.units.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag == "nav":
            self.units.append([])

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.units[-1].append(data)


def _read_html(path: Path) -> list[Unit]:
    parser = _HtmlText()
    parser.feed(path.read_text(encoding="utf-8"))
    texts = [" ".join(u) for u in parser.units if "".join(u).strip()]
    return [Unit(n, t) for n, t in enumerate(texts, 1)]


# -- matching ------------------------------------------------------------------------------
def norm(text: str, fold: Mapping[int, str] | None = None) -> str:
    """Letters and digits only, case-folded: robust to wrapping, hyphens, quotes, glyphs.

    `fold` maps characters that share one glyph in the output's fonts to one of them (a
    PDF's text layer can name only one character per glyph: Inter draws Latin 'ɩ' and
    Greek 'ι' alike, so the PDF says 'ι' for both).
    """
    # Upper case first: CSS may print a label in capitals, and capitals lose distinctions
    # that case folding alone keeps (dotless 'ı' prints as 'I', which folds to 'i').
    text = unicodedata.normalize("NFKC", text).upper().casefold()
    if fold:  # after case folding: CSS may have printed the text in capitals
        text = text.translate(fold)
    return "".join(c for c in text if c.isalnum())


@lru_cache(maxsize=16)
def _twins(fonts: tuple[Path, ...]) -> dict[int, str]:
    return glyph_twins(fonts)


def glyph_twins(font_files: Sequence[Path]) -> dict[int, str]:
    """For each group of characters drawn with one glyph in a font, map all to the first."""
    from fontTools.ttLib import TTFont

    fold: dict[int, str] = {}
    for path in font_files:
        groups: dict[str, list[int]] = {}
        with TTFont(str(path), lazy=True) as font:
            cmap = font.getBestCmap()
        for code, glyph in cmap.items():
            groups.setdefault(glyph, []).append(code)
        for codes in groups.values():
            folded = [unicodedata.normalize("NFKC", chr(c)).casefold() for c in codes]
            target = folded[0]
            for key in folded[1:]:
                if len(key) == 1 and key != target:
                    fold.setdefault(ord(key), target)
    return fold


@dataclass
class _Stream:
    """Normalised units laid end to end, with each unit's start offset and its lines."""

    units: list[Unit]
    texts: list[str]
    starts: list[int]
    lines: list[tuple[int, str]]  # (offset, normalised text) of every line, and line pairs
    spans: list[list[tuple[int, int]]]  # per unit, (start, end) of each single line
    fold: Mapping[int, str] | None = None
    skipping: bool = False  # decks: a continued text may skip slides (see _find_from)

    @classmethod
    def of(cls, units: list[Unit], fold: Mapping[int, str] | None = None,
           skipping: bool = False) -> "_Stream":
        texts, starts, lines, spans, at = [], [], [], [], 0
        for unit in units:
            starts.append(at)
            parts = [norm(line, fold) for line in unit.text.splitlines()]
            offset, unit_spans = at, []
            for i, part in enumerate(parts):
                if part:
                    lines.append((offset, part))
                    unit_spans.append((offset, offset + len(part)))
                    following = next((p for p in parts[i + 1:] if p), "")
                    if following:  # a heading wrapped over two lines
                        lines.append((offset, part + following))
                offset += len(part)
            texts.append("".join(parts))
            spans.append(unit_spans)
            at += len(texts[-1])
        return cls(units, texts, starts, lines, spans, fold, skipping)

    def __post_init__(self) -> None:
        self.joined = "".join(self.texts)

    def heading_lines(self, title: str, lo: int, hi: int) -> list[int]:
        """Offsets in [lo, hi) of lines that are `title`, maybe after a section number."""
        found = []
        for offset, line in self.lines:
            if lo <= offset < hi and line.endswith(title) and (
                    line == title or line[: -len(title)].isdigit()):
                found.append(offset + len(line) - len(title))
        return sorted(set(found))

    @property
    def end(self) -> int:
        return self.starts[-1] + len(self.texts[-1]) if self.texts else 0

    def unit_at(self, offset: int) -> int:
        """Index of the unit holding `offset`."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def find(self, needle: str, lo: int, hi: int) -> list[int] | None:
        """Indices of the units holding `needle` within [lo, hi): whole in one unit if it
        is anywhere, else split over consecutive units, else (decks only) over units that
        skip others."""
        first, last = self.unit_at(lo), self.unit_at(max(lo, hi - 1))
        for i in range(first, last + 1):
            if needle in self._window(i, lo, hi):
                return [i]
        for skipping in (False, True) if self.skipping else (False,):
            for i in range(first, last + 1):
                found = self._find_from(needle, i, lo, hi, last, skipping)
                if found is not None:
                    return found
        return None

    def _find_from(self, needle: str, i: int, lo: int, hi: int, last: int,
                   skipping: bool) -> list[int] | None:
        """`needle` starting in unit i, its rest continuing in the next unit, or with
        `skipping` in any later one: a deck continues each column of a comparison on its
        own slides, so an item's pieces can sit on slides 5, 8 and 9."""
        if needle in self._window(i, lo, hi):
            return [i]
        size = self.leading_piece(needle, i, lo, hi)
        if not size:
            return None
        for j in range(i + 1, (last if skipping else min(last, i + 1)) + 1):
            rest = self._find_from(needle[size:], j, lo, hi, last, skipping)
            if rest is not None:
                return [i, *rest]
        return None

    def leading_piece(self, needle: str, i: int, lo: int, hi: int) -> int:
        """Length of the longest start of `needle` that a text continued elsewhere could
        leave in unit i: it ends a line there (the end of its frame, cell or column) and is
        long, or is whole lines (a deck may continue a column one line per slide)."""
        begins = {start for start, _ in self.spans[i]}
        floor = max(lo, self.starts[i])
        best = 0
        for _start, end in self.spans[i]:
            if end > hi or end <= floor:
                continue
            for size in range(min(len(needle) - 1, end - floor), best, -1):
                if self.joined[end - size:end] == needle[:size]:
                    if size >= MIN_PIECE or end - size in begins:
                        best = size
                        break
        return best

    def _window(self, i: int, lo: int, hi: int) -> str:
        text, start = self.texts[i], self.starts[i]
        return text[max(0, lo - start):min(len(text), hi - start)]


def locate(document: Document, units: list[Unit], fold: Mapping[int, str] | None = None,
           whole_units: bool = False) -> list[SectionResult]:
    """Where each section of `document` is among `units`, and what of it is missing.

    With `whole_units` (slides), a unit belongs to one section: a section starts at the
    beginning of the slide carrying its heading, wherever on the slide the heading is read.
    """
    stream = _Stream.of(units, fold, skipping=whole_units)
    results = [SectionResult(s.id, section_label(s)) for s in document.sections]
    bounds = _section_bounds(document.sections, stream, results, whole_units)
    for section, result, (lo, hi) in zip(document.sections, results, bounds):
        if result.status in ("missing", "out-of-order", "unverifiable"):
            continue
        _check_texts(section, result, stream, lo, hi)
    return results


def _expected_texts(section: Section) -> list[str]:
    texts = [t for b in section.blocks for t in block_texts(b)]
    return ([section.summary] if section.summary else []) + texts


def _section_bounds(sections: Sequence[Section], stream: _Stream,
                    results: list[SectionResult],
                    whole_units: bool = False) -> list[tuple[int, int]]:
    """Each section's span: from its first heading after the previous section's content
    (agenda and contents pages excepted) to the next section's start."""
    contents = _contents_units(sections, stream)
    starts: list[int | None] = []
    cursor = 0
    for section, result in zip(sections, results):
        anchor = _anchor(section, stream.fold)
        if not anchor:  # only emoji and pictures without captions: no text to look for
            result.status = "unverifiable"
            starts.append(None)
            continue
        at = stream_find(stream, anchor, cursor)
        if at is None:
            heading = _first_heading(stream, norm(section.title, stream.fold), cursor, stream.end,
                                     contents)
            if heading is not None and stream.unit_at(heading) not in contents:
                starts.append(heading)  # the heading is there: texts decide 'partial'
                cursor = heading + len(norm(section.title, stream.fold))
                continue
            earlier = stream_find(stream, anchor, 0) if anchor else None
            result.status = "out-of-order" if earlier is not None else "missing"
            starts.append(None)
            continue
        title = norm(section.title, stream.fold)
        heading = _heading(stream, section, title, cursor, at, contents, whole_units)
        starts.append(heading if heading is not None else cursor)
        cursor = stream_end(stream, anchor, at)
    bounds = []
    for i, start in enumerate(starts):
        following = next((s for s in starts[i + 1:] if s is not None), stream.end)
        bounds.append((start or 0, following))
    return bounds


def _heading(stream: _Stream, section: Section, title: str, cursor: int, at: int,
             contents: set[int], whole_units: bool) -> int | None:
    """Where the section starts: of its title-lines up to its anchor's unit, the latest
    after which all its texts are still found and most of them before the anchor's end.

    Earlier candidates can be the same words inside the previous section (a wrapped table
    cell reading 'Straße'); later ones can be a kicker repeating the title on the section's
    third slide. Decks start sections at slide boundaries, and a slide's kicker may be
    read after the slide's own title.
    """
    unit = stream.unit_at(at)
    end = stream.starts[unit] + len(stream.texts[unit])
    found = [x for x in stream.heading_lines(title, cursor, end)
             if stream.unit_at(x) not in contents]
    if whole_units:
        found = sorted({max(cursor, stream.starts[stream.unit_at(x)]) for x in found})
    else:
        found = [x for x in found if x <= at]
    texts = [n for n in (norm(t, stream.fold) for t in _expected_texts(section)) if n]

    def score(candidate: int) -> tuple[bool, int]:
        # Texts found after the candidate, and how many sit between it and the anchor: a
        # repeated section (same title, same text) must not pull the start to its twin.
        return (all(stream.find(t, candidate, stream.end) is not None for t in texts),
                sum(stream.find(t, candidate, end) is not None for t in texts))

    if found:
        scores = [score(c) for c in found]
        best = max(scores)
        return next(c for c, sc in zip(reversed(found), reversed(scores)) if sc == best)
    heading = _first_heading(stream, title, cursor, end if whole_units else at + 1, contents)
    if heading is not None and whole_units:
        heading = max(cursor, stream.starts[stream.unit_at(heading)])
    return heading


def _contents_units(sections: Sequence[Section], stream: _Stream) -> set[int]:
    """Agenda slides and contents pages: units listing most sections' titles as lines of
    their own (with a number before or a page number after) and consisting largely of them
    (measured: contents pages 27-93 % titles, content pages under 10 %)."""
    titles = {norm(s.title, stream.fold) for s in sections} - {""}
    if len(titles) < 2:
        return set()
    needed = max(2, -(-len(titles) * 3 // 5))  # 60 % of the titles, rounded up
    listed: dict[int, set[str]] = {}
    for offset, line in stream.lines:
        for title in titles:
            if title in line and re.fullmatch(r"\d*" + re.escape(title) + r"\d*", line):
                listed.setdefault(stream.unit_at(offset), set()).add(title)
    return {unit for unit, found in listed.items()
            if len(found) >= needed and sum(map(len, found)) >= 0.15 * len(stream.texts[unit])}


def _first_heading(stream: _Stream, title: str, lo: int, hi: int,
                   contents: set[int]) -> int | None:
    """The first occurrence of `title` in [lo, hi) outside agenda and contents units.

    Headings are lines of their own in every output, so whole-line matches win: a short
    title that also occurs inside some earlier text must not end that text's section.
    """
    if not title:
        return None
    lines = [at for at in stream.heading_lines(title, lo, hi)
             if stream.unit_at(at) not in contents]
    if lines:
        return lines[0]
    joined = stream.joined
    first = None
    at = joined.find(title, lo, hi) if title else -1
    while at >= 0:
        first = at if first is None else first
        if stream.unit_at(at) not in contents:
            return at
        at = joined.find(title, at + 1, hi)
    return first


def _anchor(section: Section, fold: Mapping[int, str] | None) -> str:
    """The section's most distinctive text: its longest, which no agenda repeats."""
    texts = [norm(t, fold) for t in _expected_texts(section)] or [norm(section.title, fold)]
    return max(texts, key=len)


def stream_find(stream: _Stream, needle: str, lo: int) -> int | None:
    """Offset of `needle` (contiguous, or from the first piece when split) at or after `lo`."""
    at = stream.joined.find(needle, lo)
    if at >= 0:
        return at
    found = stream.find(needle, lo, stream.end)
    if not found:
        return None
    unit = found[0]
    piece = stream.leading_piece(needle, unit, lo, stream.end)
    start = stream.starts[unit]
    return start + stream.texts[unit].find(needle[:piece], max(0, lo - start))


def stream_end(stream: _Stream, needle: str, at: int) -> int:
    """Offset just past `needle` found at `at`: past its last piece when it is split over
    units (a paragraph continued on the next slide), so the next section starts after it."""
    if stream.joined.startswith(needle, at):
        return at + len(needle)
    found = stream.find(needle, at, stream.end) or [stream.unit_at(at)]
    rest = needle
    for unit in found[:-1]:
        rest = rest[stream.leading_piece(rest, unit, at, stream.end):]
    last = found[-1]
    start = stream.starts[last]
    where = stream.texts[last].find(rest, max(0, at - start))
    return start + where + len(rest) if where >= 0 else at + len(needle)


def _check_texts(section: Section, result: SectionResult, stream: _Stream,
                 lo: int, hi: int) -> None:
    units: set[int] = set()
    title = norm(section.title, stream.fold)
    if title:  # a title of only symbols or emoji has nothing to match on
        where = stream.find(title, lo, hi)
        if where is None:
            result.missing.append(section.title)
        else:
            units.update(where)
    for text in _expected_texts(section):
        needle = norm(text, stream.fold)
        if not needle:
            continue
        where = stream.find(needle, lo, hi)
        if where is None:
            result.missing.append(text)
        else:
            units.update(where)
    result.units = sorted(stream.units[i].number for i in units)
    if result.missing:
        result.status = "partial"


# -- checking an output --------------------------------------------------------------------
def verify_output(document: Document, path: Path, fmt: str, audience: str, *,
                  inputs: str | None = None, inputs_changed_by: str = "",
                  fonts: Sequence[Path] = ()) -> OutputResult:
    """Check one built output of `document` (already selected for the audience).

    `fonts` are the files a PDF was set in: characters sharing a glyph in them match.
    """
    unit = renderers.get(fmt).UNIT or "part"
    result = OutputResult(path, fmt, audience, unit)
    if not path.is_file():
        result.problems.append(_problem("verify.missing-output", f"{display_path(path)} does "
                                        "not exist", document, "run `twinpress build`"))
        return result
    try:
        units = read_units(fmt, path)
    except Exception as exc:  # a damaged file is a finding, not a crash
        result.problems.append(_problem("verify.unreadable", f"{display_path(path)} cannot be "
                                        f"read: {type(exc).__name__}: {exc}", document,
                                        "rebuild it with `twinpress build --force`"))
        return result
    fold = _twins(tuple(fonts)) if fmt == "pdf" and fonts else None
    result.sections = locate(document, units, fold, whole_units=fmt == "pptx")
    _report_sections(result, document)
    _check_manifest(result, document, inputs, inputs_changed_by)
    return result


def _report_sections(result: OutputResult, document: Document) -> None:
    by_id = {s.id: s for s in document.sections}
    name = display_path(result.path)
    for found in result.sections:
        section = by_id[found.id]
        if found.status == "missing":
            message = f"section '{found.id}' ({found.title}) is missing from {name}"
        elif found.status == "out-of-order":
            message = f"section '{found.id}' ({found.title}) is out of order in {name}"
        elif found.status == "partial":
            shown = "; ".join(f"'{_clip(t)}'" for t in found.missing[:3])
            more = f" and {len(found.missing) - 3} more" if len(found.missing) > 3 else ""
            message = (f"section '{found.id}' is only partly in {name}: missing {shown}{more}")
        elif found.status == "unverifiable":
            result.problems.append(Diagnostic(
                "warning", "verify.unverifiable", f"section '{found.id}' has no text with "
                f"letters or digits to look for in {name}", section.loc,
                "give it a title in words, or a caption to its picture"))
            continue
        else:
            continue
        result.problems.append(Diagnostic("error", f"verify.{found.status}", message,
                                          section.loc))


def _check_manifest(result: OutputResult, document: Document, inputs: str | None,
                    changed_by: str) -> None:
    data = manifest.read(manifest.path_for(result.path))
    entry = manifest.entry(data, result.format)
    name = display_path(result.path)
    if entry is None:
        result.problems.append(_problem("verify.no-manifest", f"{name} has no build manifest",
                                        document, "rebuild it with `twinpress build`",
                                        level="warning"))
        return
    if manifest.data_hash(result.path.read_bytes()) != entry.sha256:  # no cache: be exact
        result.problems.append(_problem("verify.modified", f"{name} was changed after it was "
                                        "built", document, "rebuild it with `twinpress build "
                                        "--force`"))
    if inputs is not None and entry.inputs != inputs:
        what = f" ({changed_by})" if changed_by else ""
        result.problems.append(_problem("verify.stale", f"{name} is older than its inputs"
                                        f"{what}", document, "run `twinpress build`"))
    for found in result.sections:
        placed = entry.sections.get(found.id)
        if placed and found.units and found.units[0] not in placed:
            result.problems.append(Diagnostic(
                "error", "verify.manifest-mismatch",
                f"the manifest puts section '{found.id}' on {_units(result.unit, placed)} "
                f"of {name}, but it starts on {result.unit.rstrip('s')} {found.units[0]}",
                next(s.loc for s in document.sections if s.id == found.id)))


def _problem(code: str, message: str, document: Document, hint: str,
             level: str = "error") -> Diagnostic:
    loc = SourceLocation(document.path, 1, 1) if document.path else None
    return Diagnostic(level, code, message, loc, hint)  # type: ignore[arg-type]


def _units(unit: str, units: Sequence[int]) -> str:
    """'pages 5-6' or 'page 5'."""
    if len(units) > 1:
        return f"{unit} {units[0]}-{units[-1]}"
    return f"{unit.rstrip('s')} {units[0]}"


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_checks(jobs) -> list[OutputResult]:
    """Verify the outputs of planned build jobs against their current inputs."""
    from .audience import select
    from .build import inputs_of

    results = []
    for job in jobs:
        data = manifest.read(manifest.path_for(job.target))
        source_changed = (data.get("source_sha256") and job.document.path is not None
                          and data["source_sha256"] != manifest.file_hash(job.document.path))
        changed = "the source changed" if source_changed else \
            "the theme, the audience profile or the options changed"
        results.append(verify_output(select(job.document, job.profile), job.target,
                                     job.format, job.profile.name, inputs=inputs_of(job),
                                     inputs_changed_by=changed, fonts=theme_fonts(job.theme)))
    return results


def theme_fonts(theme) -> tuple[Path, ...]:
    """Every font file a theme's outputs are set in."""
    faces = (theme.fonts.heading, theme.fonts.body, theme.fonts.mono)
    return tuple(sorted({p for face in faces for p in face.files().values()}))
