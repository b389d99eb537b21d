"""Key takeaways: each section that has a verdict, with its verdicts, in document order.

The deck's "Key takeaways" slide, the briefing's box on its first content page and
`twinpress verify` (which reads that summary as a summary, not as a second copy of the
sections) all take it from here, so the summary only ever repeats verdict blocks of the
document as selected for the audience and never invents text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Document, Section, Verdict


@dataclass(frozen=True, slots=True)
class Takeaway:
    section: Section
    verdicts: tuple[str, ...]


def takeaways(document: Document) -> list[Takeaway]:
    """The sections with verdicts and their verdicts' texts; empty when there are none."""
    found = []
    for section in document.sections:
        verdicts = tuple(b.text for b in section.blocks if isinstance(b, Verdict))
        if verdicts:
            found.append(Takeaway(section, verdicts))
    return found


def summary_texts(document: Document, label: str) -> list[str]:
    """What the summary shows, in order: its label, then each section's title and verdicts."""
    texts = [label]
    for item in takeaways(document):
        texts += [item.section.title, *item.verdicts]
    return texts if len(texts) > 1 else []
