"""`twinpress init`: a new, valid source with one example of every block kind."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from .errors import ContentError, Diagnostic
from .outputs import write_atomic
from .project import Project

TEMPLATE = """\
# yaml-language-server: $schema=schema.json
#
# A twinpress source. Each section becomes slides in the deck and a numbered section in
# the briefing. `twinpress check` validates this file; `twinpress build` publishes it.

title: {title}
subtitle: What this briefing helps its readers decide
organisation: Your organisation
date: {date}
language: en
keywords: [example, twinpress]

sections:
  - id: overview
    title: Overview
    numbered: false
    summary: One sentence that short audiences see instead of the whole section.
    blocks:
      - paragraph: >-
          A paragraph of prose. In the deck, prose goes into the speaker notes unless an
          audience asks for full density; in the briefing it is printed as written.
      - heading: A sub-heading starts a new slide
      - bullets:
          marker: check
          items:
            - Bullets keep their semantic marker (check, bolt, rocket, pin, tools, globe, ...)
            - text: A bullet can nest
              items: [Nested bullets are indented one level]
      - quote:
          text: Publishing one source twice should not mean editing it twice.
          source: Every meeting organiser, ever

  - id: options
    title: Comparing the options
    blocks:
      - comparison:
          columns:
            - heading: Option A
              marker: bolt
              items: [Fast to adopt, Fits the current team]
            - heading: Option B
              marker: rocket
              items: [Scales further, Needs more training]
      - table:
          caption: Side by side
          header: [Criterion, Option A, Option B]
          rows:
            - [Cost, Low, Medium]
            - [Time to value, Weeks, Months]
      - chart:
          type: column       # bar, stacked-column, stacked-bar, line, pie, doughnut, scatter
          title: Weeks to the first release
          categories: [Pilot, Team A, Team B]
          series:
            - name: Option A
              values: [6, 4, 5]
            - name: Option B
              values: [10, 8, 9.5]
          y_title: Weeks
          alt: Option A reaches its first release sooner than Option B in every team.
          source: Delivery logs of the pilot teams
      - verdict: Choose A for speed today; choose B when scale matters more than speed.
      - callout:
          tone: warning
          text: Call-outs draw attention to a risk, a tip or a note.

  - id: how-it-works
    title: How the pipeline works
    blocks:
      - image:
          src: images/{name}-pipeline.png
          alt: >-
            Diagram: one YAML source flows into two outputs, a PowerPoint deck and a PDF
            briefing.
          caption: One source, two outputs, every audience.
      - call-to-action:
          marker: rocket
          items: ["Edit this file, then run `twinpress build`"]
          action: Publish your first briefing today
"""


def scaffold(project: Project, name: str, *, force: bool = False) -> list[Path]:
    """Write content/NAME.yaml and its example image; return the paths written."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ContentError(
            [
                Diagnostic(
                    "error",
                    "init.name",
                    f"'{name}' is not a valid name",
                    hint="use lowercase letters, digits and dashes",
                )
            ]
        )
    source = project.content / f"{name}.yaml"
    if source.exists() and not force:
        raise ContentError(
            [
                Diagnostic(
                    "error",
                    "init.exists",
                    f"{source} already exists",
                    hint="choose another name or pass --force",
                )
            ]
        )
    image = project.content / "images" / f"{name}-pipeline.png"
    title = name.replace("-", " ").capitalize()
    text = TEMPLATE.format(title=title, date=dt.date.today().isoformat(), name=name)
    write_atomic(image, _diagram_png())
    write_atomic(source, text.encode("utf-8"))
    return [source, image]


def _diagram_png() -> bytes:
    """Draw the 'one source, two outputs' diagram that the example image block shows."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (1200, 520), "#FFFFFF")
    draw = ImageDraw.Draw(im)
    boxes = {
        "source.yaml": (60, 200, 380, 320),
        "deck.pptx": (820, 60, 1140, 180),
        "briefing.pdf": (820, 340, 1140, 460),
    }
    for label, box in boxes.items():
        draw.rounded_rectangle(box, radius=24, fill="#EEF2F8", outline="#17386E", width=6)
        draw.text(
            ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2),
            label,
            fill="#17386E",
            anchor="mm",
            font_size=44,
        )
    for target in ((820, 120), (820, 400)):
        draw.line([(380, 260), target], fill="#0B7F73", width=8)
        draw.regular_polygon(
            (target[0] - 14, target[1], 18), 3, rotation=_angle(target), fill="#0B7F73"
        )
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _angle(target: tuple[int, int]) -> float:
    import math

    return -math.degrees(math.atan2(target[1] - 260, target[0] - 380)) - 90


THEME_TEMPLATE = """\
# yaml-language-server: $schema=../theme.schema.json
#
# A child of '{parent}': every token not written here is inherited from it. Uncomment and
# change what your brand needs; `twinpress themes --check {name}` checks the contrast and
# the README's token reference lists every token.
description: {title} theme, based on {parent}.
extends: {parent}

colors:
  primary: "{primary}"       # headings, title bars, table headers
  accent: "{accent}"        # bullet markers and icons
  # background: "{background}"
  # surface: "{surface}"
  # text: "{text}"
  # series: [...]            # chart colours, at least 8: `themes --check` tests them

# fonts:                     # files inside this theme, each with its licence (OFL.txt)
#   body:                    # a face replaces its parent's whole: give every file
#     family: Source Sans 3  # the family name stored in the files
#     regular: fonts/source-sans/SourceSans3-Regular.ttf
#     bold: fonts/source-sans/SourceSans3-Bold.ttf
#     italic: fonts/source-sans/SourceSans3-Italic.ttf
#     bold_italic: fonts/source-sans/SourceSans3-BoldItalic.ttf
#     licence: fonts/source-sans/OFL.txt
#   heading: ...             # the same keys; `mono` too
#   fallbacks:               # fonts for other scripts, drawing only what the faces lack
#     - family: Noto Sans Hebrew
#       regular: fonts/noto-sans-hebrew/NotoSansHebrew-Regular.ttf
#       licence: fonts/noto-sans-hebrew/OFL.txt
#       scripts: [hebrew]

# labels:                    # the words printed around the content, any language
#   kicker: Board briefing

# logo:                      # replace both files and the alt text together
#   svg: logo.svg
#   png: logo.png
#   alt: Your organisation's logo

# footer: "{{organisation}} · {{title}}"
# confidentiality: "{{confidential}} · {{prepared_for}}"
# paper: Letter
# pptx:
#   template: template.pptx  # your organisation's PowerPoint template
"""


def scaffold_theme(project: Project, name: str, parent: str) -> Path:
    """Write themes/NAME/theme.yaml extending `parent`; return its path."""
    from .themes import load_theme

    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise ContentError(
            [
                Diagnostic(
                    "error",
                    "theme.name",
                    f"'{name}' is not a valid name",
                    hint="use lowercase letters, digits and dashes",
                )
            ]
        )
    folder = project.themes / name
    if folder.exists():
        raise ContentError(
            [
                Diagnostic(
                    "error", "theme.exists", f"{folder} already exists", hint="choose another name"
                )
            ]
        )
    base = load_theme(parent, project)  # an unknown parent is reported with suggestions
    c = base.colors
    text = THEME_TEMPLATE.format(
        parent=parent,
        name=name,
        title=name.replace("-", " ").title(),
        primary=c.primary,
        accent=c.accent,
        background=c.background,
        surface=c.surface,
        text=c.text,
    )
    write_atomic(folder / "theme.yaml", text.encode("utf-8"))
    return folder / "theme.yaml"
