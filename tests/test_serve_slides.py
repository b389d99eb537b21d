"""The preview's slide images: LibreOffice draws each deck once, in the background, and the
page keeps showing the previous slides until the new ones are in."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from pipeline.serve.slides import Slides
from pipeline.serve.state import Output, View


def deck(path: Path, titles: list[str]) -> Output:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(13.333), Inches(7.5)
    for title in titles:
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])  # title only
        slide.shapes.title.text = title
    presentation.save(str(path))
    return Output("pptx", path, hashlib.sha256(path.read_bytes()).hexdigest())


def view(audience: str, output: Output) -> View:
    return View("talk", audience, audience, "Talk", outputs={"pptx": output})


def wait_ready(slides: Slides, v: View, timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = slides.describe(v)
        if shown["status"] == "ready":
            return shown
        assert shown["status"] != "failed", shown["message"]
        time.sleep(0.1)
    raise AssertionError(f"never ready: {slides.describe(v)}")


def test_each_deck_is_drawn_once_and_the_old_slides_stay_until_the_new_are_in(tmp_path):
    drawn: list[str] = []
    updates: list[int] = []
    slides = Slides(tmp_path / "cache", lambda: updates.append(1), drawn.append)
    assert slides.libreoffice
    slides.start()
    try:
        first = deck(tmp_path / "one.pptx", ["Opening", "Plan"])
        a, b = view("a", first), view("b", first)
        slides.want(a)
        slides.want(b)  # the same deck for another audience: not drawn twice
        shown = wait_ready(slides, a)
        assert [s["title"] for s in shown["slides"]] == ["Opening", "Plan"]
        assert wait_ready(slides, b)["slides"] == shown["slides"]
        number = int(shown["slides"][1]["url"].rsplit("/", 1)[1].removesuffix(".png"))
        image = slides.image(shown["slides"][1]["url"].split("/")[2], number)
        assert image is not None
        with Image.open(image) as png:
            assert png.size[0] == 1280

        second = deck(tmp_path / "two.pptx", ["Opening", "Plan", "Verdict"])
        a = view("a", second)
        slides.want(a)
        meanwhile = slides.describe(a)
        assert meanwhile["status"] in ("queued", "rendering")
        assert meanwhile["stale"] and meanwhile["slides"] == shown["slides"]
        now = wait_ready(slides, a)
        assert [s["title"] for s in now["slides"]] == ["Opening", "Plan", "Verdict"]
        assert not now["stale"] and updates
    finally:
        slides.close()
    assert len(drawn) == 2, drawn

    again = Slides(tmp_path / "cache", lambda: None)  # a restart: from the cache, at once
    again.want(view("a", first))
    cached = again.describe(view("a", first))
    assert cached["status"] == "ready" and cached["slides"] == shown["slides"]
    third = view("a", deck(tmp_path / "three.pptx", ["Changed"]))
    again.want(third)  # an edit after the restart: the cached slides stay meanwhile
    assert again.describe(third)["slides"] == shown["slides"]
    assert again.describe(third)["stale"]
