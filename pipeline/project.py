"""Where a twinpress project keeps its sources, audiences, themes and outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """A folder holding `content/`, `themes/` and (once built) `output/`."""

    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above `start` with both content/ and themes/."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "content").is_dir() and (folder / "themes").is_dir():
                return cls(folder)
        return cls(here)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def themes(self) -> Path:
        return self.root / "themes"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def audiences_file(self) -> Path:
        return self.content / "audiences.yaml"

    @property
    def asset_roots(self) -> tuple[Path, ...]:
        """The only folders whose files may end up inside an output."""
        return (self.content.resolve(), self.themes.resolve())

    def sources(self) -> list[Path]:
        """Every source in content/, sorted; audiences.yaml is configuration, not a source."""
        found = sorted(self.content.glob("*.yaml")) + sorted(self.content.glob("*.yml"))
        return [p for p in found if p.name not in ("audiences.yaml", "audiences.yml")]

    def contains_asset(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(root) for root in self.asset_roots)
