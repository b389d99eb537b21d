"""A section's structure as the deck sees it: topics, one per sub-heading.

The blocks before the first sub-heading form a topic titled with the section; a closing
verdict and a call to action stand alone; a short opening paragraph can sit on the divider.
"""

from __future__ import annotations

from ...model import Block, CallToAction, Heading, Paragraph, Section, Verdict

DIVIDER_LEAD_WORDS = 40  # a section's one-paragraph opening may sit on its divider
Topic = tuple[str | None, list[Block]]  # a sub-heading (None: the section's opening) and blocks


def topics_of(section: Section) -> list[Topic]:
    """Split a section at its sub-headings; a closing verdict and a call to action stand alone.

    A sub-heading still waiting for content keeps whatever comes next, even a verdict, a
    call to action or another sub-heading: a topic without blocks would drop its heading.
    """
    topics: list[tuple[str | None, list[Block]]] = [(None, [])]
    for block in section.blocks:
        heading, blocks = topics[-1]
        waiting = heading is not None and not blocks
        if isinstance(block, Heading) and not waiting:
            topics.append((block.text, []))
        elif isinstance(block, CallToAction):
            if waiting:
                blocks.append(block)
            else:
                topics.append((None, [block]))
            topics.append((None, []))
        elif isinstance(block, Verdict) and heading is not None and not waiting:
            topics.append((None, [block]))
        else:
            blocks.append(block)
    return [(h, b) for h, b in topics if b]


def has_headings(section: Section) -> bool:
    return any(isinstance(b, Heading) for b in section.blocks)


def divider_lead(topics: list[Topic]) -> str | None:
    """A section's opening topic that is one short paragraph can sit on the divider."""
    if len(topics) < 2 or topics[0][0] is not None:
        return None
    blocks = topics[0][1]
    if (
        len(blocks) == 1
        and isinstance(blocks[0], Paragraph)
        and len(blocks[0].text.split()) <= DIVIDER_LEAD_WORDS
    ):
        return blocks[0].text
    return None
