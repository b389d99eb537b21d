"""Source locations, diagnostics, and the error types users see without a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class SourceLocation:
    """A 1-based line and column in a file; line 0 means the file as a whole."""

    path: Path
    line: int
    column: int

    @classmethod
    def file(cls, path: Path) -> SourceLocation:
        """The file itself, with no made-up line (it may not exist, or not be text)."""
        return cls(path, 0, 0)

    def __str__(self) -> str:
        if not self.line:
            return display_path(self.path)
        return f"{display_path(self.path)}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, printed as `path:line:col: level: message [code]`."""

    level: Level
    code: str
    message: str
    loc: SourceLocation | None = None
    hint: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = f"{self.loc}: " if self.loc else ""
        text = f"{where}{self.level}: {self.message} [{self.code}]"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def sort_key(self) -> tuple[str, int, int]:
        loc = self.loc
        return (str(loc.path), loc.line, loc.column) if loc else ("", 0, 0)


class PipelineError(Exception):
    """An error caused by the user's input or environment: shown without a traceback."""

    exit_code = 1

    def __init__(self, diagnostics: Sequence[Diagnostic] | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("error", "twinpress.error", diagnostics)]
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def errors(self) -> list[Diagnostic]:
        """The diagnostics that are errors (warnings travel along, all problems at once)."""
        return [d for d in self.diagnostics if d.level == "error"]


class ContentError(PipelineError):
    """Problems in a source, audience or theme file."""


class RenderError(PipelineError):
    """A renderer could not produce a correct output."""


class OutputError(PipelineError):
    """An output could not be written."""


class Collector:
    """Gathers diagnostics for one stage so that every problem is reported in one pass."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(
        self, code: str, message: str, loc: SourceLocation | None = None, hint: str | None = None
    ) -> None:
        self.add(Diagnostic("error", code, message, loc, hint))

    def warning(
        self, code: str, message: str, loc: SourceLocation | None = None, hint: str | None = None
    ) -> None:
        self.add(Diagnostic("warning", code, message, loc, hint))

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def unique(self) -> list[Diagnostic]:
        """Each diagnostic once: a base theme's mistake is found again through every theme
        that extends it, and is one mistake. (`items` keeps them all, so a stage can tell
        from the count whether it found a new problem.)"""
        return list(dict.fromkeys(self.items))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.unique if d.level == "warning"]

    def raise_if_errors(self, error_type: type[PipelineError] = ContentError) -> None:
        if self.errors:
            raise error_type(sorted(self.unique, key=Diagnostic.sort_key))


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """Return `did you mean 'x'?` for the closest of `choices`, if any is close."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def one_of(choices: Iterable[str], limit: int = 12) -> str:
    """List valid choices for a message, or say there are many."""
    names = sorted(choices)
    if len(names) > limit:
        return f"one of {len(names)} names (see the schema)"
    return "one of: " + ", ".join(f"'{n}'" for n in names)


def display_path(path: Path) -> str:
    """Show paths relative to the working directory when they are inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
