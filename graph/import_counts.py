"""The eight counts of what one load changed: one model for the loaders' report
(loaders/report.py, ``Changes``) and the Import records read back (queries/imports.py)."""

from __future__ import annotations

from pydantic import BaseModel


class ImportCounts(BaseModel):
    """What one load changed: elements and connections created (or back from
    retirement), updated, unchanged and retired."""

    elements_created: int = 0
    elements_updated: int = 0
    elements_unchanged: int = 0
    elements_retired: int = 0
    connections_created: int = 0
    connections_updated: int = 0
    connections_unchanged: int = 0
    connections_retired: int = 0

    def counts(self) -> dict[str, int]:
        """The eight counts, as the Import record keeps them."""
        return {name: getattr(self, name) for name in ImportCounts.model_fields}
