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
