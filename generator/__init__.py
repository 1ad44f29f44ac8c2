"""runbookgen: structured YAML incident runbooks → validated → a searchable static site."""

from __future__ import annotations

__version__ = "0.1.0"
