"""Regression: a trajectory at rest used to hang ``integrate_batch``.

At an equilibrium the error estimate is exactly 0, so every accepted step multiplied the carried
step size by 10; the step is clipped to the next output time but the carried size was not, so
it overflowed to inf and the loop never ended.  Each case runs in a subprocess with a timeout,
so a regression fails the test instead of hanging the suite.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60.0

SCRIPT = textwrap.dedent("""
    import numpy as np
    from fa_proofs.simulate import integrate_batch

    def relax(_t, y):
        return -(y - 1.0)

    def zero_decay(_t, y, a):
        return -a * y

    cases = {{
        "dense": np.linspace(0.0, 80.0, 1601),
        "huge": np.array([0.0, 1e12]),
        "huge_dense_start": np.concatenate([np.linspace(0.0, 1.0, 11), [1e12]]),
    }}
    t_eval = cases[{case!r}]
    # at rest at y = 1 (relative error control)
    sol = integrate_batch(relax, np.ones((1, 3)), t_eval)
    assert sol.success.all(), sol.message
    assert (sol.y == 1.0).all(), sol.y
    assert (sol.n_steps <= 10 * t_eval.size + 50).all(), sol.n_steps
    # at rest at y = 0 (absolute error control)
    a = np.array([0.5, 1.0, 2.0])
    sol = integrate_batch(zero_decay, np.zeros((1, 3)), t_eval, (a,))
    assert sol.success.all(), sol.message
    assert (sol.y == 0.0).all()
    if t_eval[-1] <= 100:
        # next to a moving trajectory (an explicit method cannot take stiffness-free steps of
        # 1e12 on a decaying one: its step is bounded by stability, so only on short horizons)
        sol = integrate_batch(zero_decay, np.array([[0.0, 1.0, 0.0]]), t_eval, (a,))
        assert sol.success.all(), sol.message
        assert (sol.y[:, 0, 0] == 0.0).all() and (sol.y[:, 0, 2] == 0.0).all()
        np.testing.assert_allclose(sol.y[:, 0, 1], np.exp(-t_eval), rtol=1e-8, atol=1e-12)
    print("ok", int(sol.n_steps.max()))
""")


@pytest.mark.parametrize("case", ["dense", "huge", "huge_dense_start"])
def test_equilibrium_over_long_horizon_finishes(case):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    start = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", SCRIPT.format(case=case)], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"integrate_batch did not finish within {TIMEOUT:.0f} s ({case}): "
                    "the carried step size at rest is not capped")
    elapsed = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok"), proc.stdout
    assert elapsed < TIMEOUT
