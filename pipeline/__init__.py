"""twinpress: publish one YAML source as an editable deck and a branded briefing per audience."""

from __future__ import annotations

__version__ = "0.1.0"
