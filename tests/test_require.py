"""The curated-data tests and the journeys get their modules through ``require()``
(tests/conftest.py) or plain imports: in CI a missing module fails them, never skips."""

from __future__ import annotations

import re

import pytest

import tests.conftest as shared
from tests.conftest import ROOT, require


def test_require_fails_in_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setattr(shared, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="no_such_module_here is missing"):
        require("no_such_module_here")
    monkeypatch.setattr(shared, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="no_such_module_here is missing"):
        require("no_such_module_here")
    assert require("loaders.curated").load_curated


def test_no_test_skips_on_a_missing_module():
    """``pytest.importorskip`` would pass silently in CI: ``require()`` instead."""
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "tests").rglob("*.py")
                 if path.name != "test_require.py"
                 and re.search(r"importorskip\(", path.read_text(encoding="utf-8"))]
    assert offenders == []
