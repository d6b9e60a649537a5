"""Shared fixtures of the unit tests."""
from __future__ import annotations

import pytest

from fa_proofs.arith import reset_global_state


@pytest.fixture(autouse=True)
def _reset_global_precision():
    """No test sees a precision another test left behind (python-flint, mpmath): the library
    never changes them for longer than a call, and this keeps it honest."""
    reset_global_state()
    yield
    reset_global_state()


@pytest.fixture(autouse=True)
def _private_verdict_cache(tmp_path_factory, monkeypatch):
    """``fa-proofs verify`` records verdicts for ``fa-proofs list``: never in the user's cache."""
    monkeypatch.setenv("FA_PROOFS_CACHE", str(tmp_path_factory.mktemp("cache") / "verdicts.json"))
