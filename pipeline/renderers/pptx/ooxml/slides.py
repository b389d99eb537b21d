"""Adding slides and their notes pages in constant time each.

python-pptx's `add_slide` looks for an existing relationship to the new slide among all of
the presentation's and scans every slide id for the next one, and each new notes page looks
the notes master up among all the presentation's relationships again: each slide costs as
much as the deck so far (even counting the slides to name the next walks them all), so a
deck of thousands of slides took minutes. `SlideAdder` does
the same steps with what it already knows (the next slide id, the notes master), so part
names, relationship ids and slide ids come out exactly as python-pptx would make them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.parts.slide import NotesSlidePart, SlidePart

if TYPE_CHECKING:
    from pptx.presentation import Presentation
    from pptx.slide import Slide, SlideLayout

MIN_SLIDE_ID = 256  # what python-pptx's CT_SlideIdList._next_id starts from


class SlideAdder:
    """Appends slides to one presentation, remembering what python-pptx would look up."""

    def __init__(self, prs: Presentation) -> None:
        self.part: Any = prs.part
        self.ids: Any = prs.slides._sldIdLst
        used = [int(sld_id.get("id")) for sld_id in self.ids]
        self.next_id = max([MIN_SLIDE_ID - 1, *used]) + 1
        self.count = len(used)  # counting an element's children walks them all
        self._notes_master: Any = None

    def add(self, layout: SlideLayout) -> Slide:
        """`prs.slides.add_slide(layout)`: a slide on the layout, its placeholders cloned."""
        self.count += 1
        partname = PackURI(f"/ppt/slides/slide{self.count}.xml")  # as python-pptx names it
        new_slide: Any = SlidePart.new  # python-pptx leaves these untyped
        slide_part = new_slide(partname, self.part.package, layout.part)
        # A part made just now has no relationship yet: add it without searching for one.
        rid = self.part._rels._add_relationship(RT.SLIDE, slide_part)
        slide: Slide = slide_part.slide
        slide.shapes.clone_layout_placeholders(layout)
        self.ids._add_sldId(id=self.next_id, rId=rid)
        self.next_id += 1
        return slide

    def notes(self, slide: Slide) -> Any:
        """`slide.notes_slide`: the slide's notes page, made on the notes master if new."""
        if not slide.has_notes_slide:
            master = self._master()
            package = self.part.package
            new_notes: Any = NotesSlidePart._add_notes_slide_part
            part = new_notes(package, slide.part, master)
            part.notes_slide.clone_master_placeholders(master.notes_master)
            slide.part.relate_to(part, RT.NOTES_SLIDE)
        return slide.notes_slide

    def _master(self) -> Any:
        if self._notes_master is None:  # looked up (or made) once, not once per slide
            self._notes_master = self.part.notes_master_part
        return self._notes_master
