"""`twinpress verify`: read built outputs back, independently of the renderers, and check them.

Each output is read by its format's `read_back` (python-pptx for decks, PDFium for PDFs, an
HTML parser for html pages; never the renderer's own plan) and cut into units: slides, pages
or headed parts. The key takeaways, a summary of the verdicts, are set aside as such
(summary.py); then for every section the audience should see, the matcher (match.py)
finds where it is, in source order, with all of its text; then the build manifest is
cross-checked (placement, output hash, input hash).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import manifest, renderers
from ..audience import select
from ..errors import Diagnostic, Level, display_path
from ..jobs import Job, inputs_of
from ..labels import labels_for
from ..model import Document
from ..takeaways import summary_texts
from ..tokens import Theme
from .match import SectionResult, locate, locate_all
from .stream import norm

__all__ = ["OutputResult", "SectionResult", "locate", "norm", "run_checks", "verify_output"]


@dataclass
class OutputResult:
    path: Path
    format: str
    audience: str
    unit: str
    sections: list[SectionResult] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    summary: list[int] = field(default_factory=list)  # units of the key takeaways, if shown

    @property
    def ok(self) -> bool:
        return not any(p.level == "error" for p in self.problems)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": display_path(self.path),
            "format": self.format,
            "audience": self.audience,
            "ok": self.ok,
            "unit": self.unit,
            "sections": [vars(s) for s in self.sections],
            "summary": {"name": "key takeaways", "units": self.summary},
            "problems": [
                {
                    "level": p.level,
                    "code": p.code,
                    "message": p.message,
                    "location": str(p.loc) if p.loc else None,
                }
                for p in self.problems
            ],
        }


def verify_output(
    document: Document,
    path: Path,
    fmt: str,
    audience: str,
    theme: Theme,
    *,
    inputs: str | None = None,
    inputs_changed_by: str = "",
    check_manifest: bool = True,
) -> OutputResult:
    """Check one built output of `document` (already selected for the audience), read back
    by its format's own reader. A personalised copy must also name its recipient on its
    first page or slide; `check_manifest=False` leaves the build manifest to the caller
    (a batch keeps its own)."""
    renderer = renderers.get(fmt)
    result = OutputResult(path, fmt, audience, renderer.unit_label)
    if not path.is_file():
        result.problems.append(
            _problem(
                "verify.missing-output",
                f"{display_path(path)} does not exist",
                document,
                "run `twinpress build`",
            )
        )
        return result
    try:
        read = renderer.read_back(path, theme)
    except ImportError as exc:  # the reader's library is not installed: say which
        result.problems.append(
            _problem(
                "verify.reader-missing",
                f"cannot read {display_path(path)}: {exc}",
                document,
                "install twinpress with its dependencies (`make build`, or `pip install -e .`)",
            )
        )
        return result
    except OSError as exc:
        result.problems.append(
            _problem(
                "verify.unreadable",
                f"cannot open {display_path(path)}: {exc.strerror or exc}",
                document,
                "check that the file is readable",
            )
        )
        return result
    except Exception as exc:  # a damaged file is a finding, not a crash
        result.problems.append(
            _problem(
                "verify.unreadable",
                f"{display_path(path)} is damaged: {type(exc).__name__}: {exc}",
                document,
                "rebuild it with `twinpress build --force`",
            )
        )
        return result  # fmt: skip
    summary = summary_texts(document, labels_for(document, theme).key_takeaways)
    result.sections, result.summary = locate_all(
        document, list(read.parts), read.same_glyph, read.whole_units, summary, read.data
    )
    _report_sections(result, document)
    if document.recipient is not None and fmt != "markdown":  # Markdown has no cover
        _check_recipient(result, document, read, cover_units=1 if renderer.unit else 0)
    if check_manifest:
        _check_manifest(result, document, inputs, inputs_changed_by)
    return result


def _check_recipient(result: OutputResult, document: Document, read: Any, cover_units: int) -> None:
    """The recipient is named on the cover: the first page or slide, or (text formats,
    `cover_units=0`) the parts before the first section."""
    recipient = document.recipient
    assert recipient is not None
    if not cover_units:
        starts = [s.units[0] for s in result.sections if s.units]
        cover_units = max(1, min(starts, default=2) - 1)
    cover = " ".join(p.text for p in read.parts[:cover_units])
    if norm(recipient.label, read.same_glyph) not in norm(cover, read.same_glyph):
        result.problems.append(
            Diagnostic(
                "error",
                "verify.recipient-missing",
                f"{display_path(result.path)} does not name its recipient "
                f"'{recipient.label}' on its cover",
                recipient.loc,
                "rebuild it with `twinpress batch --force`",
            )
        )


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
            message = f"section '{found.id}' is only partly in {name}: missing {shown}{more}"
        elif found.status == "unverifiable":
            result.problems.append(
                Diagnostic(
                    "warning",
                    "verify.unverifiable",
                    f"section '{found.id}' has no text with "
                    f"letters or digits to look for in {name}",
                    section.loc,
                    "give it a title in words, or a caption to its picture",
                )
            )
            continue
        else:
            continue
        result.problems.append(Diagnostic("error", f"verify.{found.status}", message, section.loc))


def _check_manifest(
    result: OutputResult, document: Document, inputs: str | None, changed_by: str
) -> None:
    data = manifest.read(manifest.path_for(result.path))
    entry = manifest.entry(data, result.format)
    name = display_path(result.path)
    if entry is None:
        result.problems.append(
            _problem(
                "verify.no-manifest",
                f"{name} has no build manifest",
                document,
                "rebuild it with `twinpress build`",
                level="warning",
            )
        )
        return
    if manifest.data_hash(result.path.read_bytes()) != entry.sha256:  # no cache: be exact
        result.problems.append(
            _problem(
                "verify.modified",
                f"{name} was changed after it was built",
                document,
                "rebuild it with `twinpress build --force`",
            )
        )
    if inputs is not None and entry.inputs != inputs:
        what = f" ({changed_by})" if changed_by else ""
        result.problems.append(
            _problem(
                "verify.stale",
                f"{name} is older than its inputs{what}",
                document,
                "run `twinpress build`",
            )
        )
    for found in result.sections:
        placed = entry.sections.get(found.id)
        if placed and found.units and found.units[0] not in placed:
            result.problems.append(
                Diagnostic(
                    "error",
                    "verify.manifest-mismatch",
                    f"the manifest puts section '{found.id}' on {_units(result.unit, placed)} "
                    f"of {name}, but it starts on {result.unit.rstrip('s')} {found.units[0]}",
                    next(s.loc for s in document.sections if s.id == found.id),
                )
            )


def _problem(
    code: str, message: str, document: Document, hint: str, level: Level = "error"
) -> Diagnostic:
    return Diagnostic(level, code, message, document.where, hint)


def _units(unit: str, units: Sequence[int]) -> str:
    """'pages 5-6' or 'page 5'."""
    if len(units) > 1:
        return f"{unit} {units[0]}-{units[-1]}"
    return f"{unit.rstrip('s')} {units[0]}"


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


ThemeLoader = Callable[[str], "Theme | None"]


def run_checks(jobs: Sequence[Job], built_with: ThemeLoader | None = None) -> list[OutputResult]:
    """Verify the outputs of planned build jobs against their current inputs.

    With `built_with`, an output is compared with the theme its manifest says built it (a
    `build --theme keynote` output is fresh for the keynote theme), loaded by name."""
    results = []
    for job in jobs:
        data = manifest.read(manifest.path_for(job.target))
        recorded = data.get("theme")
        if built_with and isinstance(recorded, str) and recorded != job.theme.name:
            theme = built_with(recorded)
            job = dataclasses.replace(job, theme=theme) if theme else job
        source_changed = (
            data.get("source_sha256")
            and job.document.path is not None
            and data["source_sha256"] != manifest.file_hash(job.document.path)
        )
        changed = (
            "the source changed"
            if source_changed
            else "the theme, the audience profile or the options changed"
        )
        results.append(
            verify_output(
                select(job.document, job.profile),
                job.target,
                job.format,
                job.profile.name,
                job.theme,
                inputs=inputs_of(job),
                inputs_changed_by=changed,
            )
        )
    return results
