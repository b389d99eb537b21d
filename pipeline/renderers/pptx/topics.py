"""A section's structure as the deck sees it: topics, one per sub-heading, and their parts.

The blocks before the first sub-heading form a topic titled with the section; a verdict
closing a sub-heading's content and a call to action stand alone, and what follows them
is the section's again. Consecutive sub-sections that are *parallel* (each a heading
followed by the same kinds of blocks, prose aside: the article's "Rust: ..." / "Go: ..."
pairs) form one part, set side by side; a section's `side_by_side` asks for that or
forbids it. A verdict standing alone after a part concludes it: the planner sets it as a
banner at the foot of the part's last slide. All of it is decided from the structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import Block, Bullets, CallToAction, Heading, Paragraph, Section, Verdict

DIVIDER_LEAD_WORDS = 40  # a section's one-paragraph opening may sit on its divider
MAX_COLUMNS = 3  # sub-sections side by side on one slide
COLUMN_KINDS = (Paragraph, Bullets)  # what a column of a two-content slide can hold
Topic = tuple[str | None, list[Block]]  # a sub-heading (None: the section's opening) and blocks


@dataclass
class Part:
    """One topic, or parallel sub-sections side by side, and the verdicts concluding it."""

    topics: list[Topic]
    banner: list[Verdict] = field(default_factory=list)

    @property
    def side_by_side(self) -> bool:
        return len(self.topics) > 1


def topics_of(section: Section) -> list[Topic]:
    """Split a section at its sub-headings; a closing verdict and a call to action stand alone.

    A sub-heading still waiting for content keeps whatever comes next, even a verdict, a
    call to action or another sub-heading: a topic without blocks would drop its heading.
    After a verdict that closes a sub-heading's content, the blocks that follow belong to
    the section again (a continuation slide is titled after the section, not the verdict).
    """
    topics: list[tuple[str | None, list[Block]]] = [(None, [])]
    for block in section.blocks:
        heading, blocks = topics[-1]
        waiting = heading is not None and not blocks
        standing = len(topics) > 1 and is_verdicts(topics[-1])
        if isinstance(block, Heading) and not waiting:
            topics.append((block.text, []))
        elif isinstance(block, CallToAction):
            if waiting:
                blocks.append(block)
            else:
                topics.append((None, [block]))
            topics.append((None, []))
        elif isinstance(block, Verdict) and (standing or (heading is not None and not waiting)):
            if standing:
                blocks.append(block)  # verdicts in a row stand together
            else:
                topics.append((None, [block]))
        elif standing:
            topics.append((None, [block]))  # what follows a standing verdict is the section's
        else:
            blocks.append(block)
    return [(h, b) for h, b in topics if b]


def _only_verdicts(blocks: list[Block]) -> bool:
    return bool(blocks) and all(isinstance(b, Verdict) for b in blocks)


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


def is_verdicts(topic: Topic) -> bool:
    """A verdict standing alone (after a sub-section, or closing the section)."""
    return topic[0] is None and _only_verdicts(topic[1])


def is_closing(topic: Topic) -> bool:
    return bool(topic[1]) and isinstance(topic[1][0], CallToAction)


def parts_of(section: Section, topics: list[Topic], banners: bool) -> list[Part]:
    """The topics as parts: parallel runs of sub-sections grouped, standing verdicts moved
    under the part they conclude (with `banners`), everything else a part of its own."""
    parts: list[Part] = []
    run: list[Topic] = []

    def flush() -> None:
        parts.extend(Part(group) for group in _groups(section, run))
        run.clear()

    for topic in topics:
        if topic[0] is not None and not is_closing(topic):
            run.append(topic)
            continue
        flush()
        if banners and is_verdicts(topic) and parts and _concludable(parts[-1]):
            parts[-1].banner = [b for b in topic[1] if isinstance(b, Verdict)]
        else:
            parts.append(Part([topic]))
    flush()
    return parts


def _concludable(part: Part) -> bool:
    """A part a verdict can conclude with a banner: content, not a closing slide or verdict."""
    if part.banner:
        return False
    return part.side_by_side or not (is_closing(part.topics[0]) or is_verdicts(part.topics[0]))


def _groups(section: Section, run: list[Topic]) -> list[list[Topic]]:
    """A run of consecutive sub-sections as groups side by side, or one by one."""
    if section.side_by_side is False or len(run) < 2:
        return [[t] for t in run]
    if not all(all(isinstance(b, COLUMN_KINDS) for b in blocks) for _, blocks in run):
        return [[t] for t in run]
    if section.side_by_side is None and len({skeleton(blocks) for _, blocks in run}) > 1:
        return [[t] for t in run]
    count = -(-len(run) // MAX_COLUMNS)  # as few slides as columns allow, balanced
    size, extra = divmod(len(run), count)
    groups, at = [], 0
    for i in range(count):
        n = size + (1 if i < extra else 0)
        groups.append(run[at : at + n])
        at += n
    return groups


def skeleton(blocks: list[Block]) -> tuple[str, ...]:
    """The kinds of a sub-section's blocks in order, prose aside: what parallel ones share."""
    return tuple(b.kind for b in blocks if not isinstance(b, Paragraph))
