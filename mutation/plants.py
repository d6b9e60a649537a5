"""Planted bugs in the certifying machinery (issue 14).

"The certifying machinery is itself tested: planted bugs in the verdict path must turn a test red."
Each :class:`Plant` is one plausible mistake: replace the snippet ``old`` (which must occur exactly
once in ``file``) by ``new``.  ``mutation/run.py`` applies one plant at a time to a copy of the
repository and runs the test suite there.

``kind`` says what the mistake can do:

* ``verdict``    it can change a verdict (or a check's pass/fail/undecided status, or what
                 ``verify --at`` / ``replay`` decide) without making a certificate unsound;
* ``unsound``    it makes a certificate unsound: a ``pass`` or a certified ``fail`` that the
                 evidence does not support (an enclosure that does not enclose, a premise that is
                 no longer checked, an undecided comparison taken as decided, a point outside the
                 hypotheses reported as a counterexample);
* ``report``     it changes only what is reported with a verdict (which counterexample, its
                 values, the evidence it claims), not the verdict and not soundness;
* ``equivalent`` provably no observable effect (``why`` says why); such a plant is expected to
                 survive, and one that is killed points at a test that checks more than behaviour
                 (or at a wrong argument in ``why``).

The surviving kinds of the first hand-planted experiment (26 bugs, 7 survivors) are all here:
``rates-window-before-peak``, ``orbits-newton-no-containment``, ``orbits-ellinf-lower-end-from-
upper``, ``shallow-rate-undecided-passes``, ``shallow-convergence-target-unchecked``,
``shallow-rate-rtol-tenfold`` and ``mid-lem21-drops-increasing`` / ``euler-lem28-drops-P-check``.
"""
from __future__ import annotations

import py_compile
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

KINDS = ("verdict", "unsound", "report", "equivalent")


@dataclass(frozen=True)
class Plant:
    id: str
    file: str            # repo-relative path
    old: str             # exact snippet, occurs exactly once in ``file``
    new: str             # the mutated snippet
    what: str            # one line: the plausible mistake
    kind: str            # see KINDS
    why: str = ""        # for ``equivalent``: why there is no observable effect

    def to_json(self) -> dict:
        return asdict(self)


class PlantError(Exception):
    """A plant that cannot be applied (its ``old`` snippet is missing or not unique)."""


def apply(plant: Plant, root: Path) -> None:
    """Apply ``plant`` to the tree at ``root`` in place (PlantError unless ``old`` occurs exactly
    once)."""
    path = Path(root) / plant.file
    if not path.is_file():
        raise PlantError(f"{plant.id}: no file {plant.file}")
    text = path.read_text()
    n = text.count(plant.old)
    if n != 1:
        raise PlantError(f"{plant.id}: the old snippet occurs {n} times in {plant.file} "
                         f"(must be exactly once):\n{plant.old}")
    path.write_text(text.replace(plant.old, plant.new, 1))


def check(plants: list[Plant], root: Path, compiles: bool = True) -> list[str]:
    """Every problem with ``plants`` against the tree at ``root``: duplicate ids, unknown kinds,
    an equivalent plant without ``why``, an ``old`` that is not found exactly once, a no-op, or
    (``compiles``) a mutated file that does not compile."""
    problems, seen = [], set()
    for p in plants:
        if p.id in seen:
            problems.append(f"{p.id}: duplicate id")
        seen.add(p.id)
        if p.kind not in KINDS:
            problems.append(f"{p.id}: kind {p.kind!r} is not one of {KINDS}")
        if p.kind == "equivalent" and not p.why:
            problems.append(f"{p.id}: an equivalent plant needs 'why'")
        if p.old == p.new:
            problems.append(f"{p.id}: new == old")
        path = Path(root) / p.file
        if not path.is_file():
            problems.append(f"{p.id}: no file {p.file}")
            continue
        text = path.read_text()
        n = text.count(p.old)
        if n != 1:
            problems.append(f"{p.id}: old occurs {n} times in {p.file}")
            continue
        if not compiles:
            continue
        with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
            fh.write(text.replace(p.old, p.new, 1))
        try:
            py_compile.compile(fh.name, doraise=True)
        except py_compile.PyCompileError as exc:
            problems.append(f"{p.id}: the mutated {p.file} does not compile: {exc.msg}")
        finally:
            Path(fh.name).unlink()
    return problems


V = "fa_proofs/verdicts.py"
A = "fa_proofs/arith.py"
PW = "fa_proofs/pointwise.py"
SEQ = "fa_proofs/sequences.py"
SYM = "fa_proofs/symbolic.py"
RATES = "fa_proofs/rates.py"
SIM = "fa_proofs/simulate.py"
IT = "fa_proofs/iterate.py"
RUN = "fa_proofs/engine/run.py"
SHR = "fa_proofs/engine/shrink.py"
REP = "fa_proofs/engine/replay.py"
DOM = "fa_proofs/domains.py"
ORB = "fa_proofs/sections/discrete/orbits.py"
COM = "fa_proofs/sections/discrete/common.py"
DDOM = "fa_proofs/sections/discrete/domains.py"
MID = "fa_proofs/sections/discrete/midpoint.py"
LAY = "fa_proofs/sections/discrete/layered.py"
EUL = "fa_proofs/sections/discrete/euler.py"
CHK = "fa_proofs/sections/shallow/checks.py"
SFOR = "fa_proofs/sections/shallow/formulas.py"
SDOM = "fa_proofs/sections/shallow/domains.py"
BB = "fa_proofs/branch_bound.py"
CERT = "fa_proofs/certificates.py"
EWD = "fa_proofs/sections/discrete/euler_whole_domain.py"
WD = "fa_proofs/sections/discrete/whole_domain.py"
RP = "fa_proofs/rate_proofs.py"


PLANTS: list[Plant] = [
    # --- verdicts.py: combine, check_all, the FAIL invariant -------------------------------------
    Plant("verdicts-correction-undecided-passes", V,
          "            if corrected_checks and all(c.status is Status.PASS for c in corrected_checks):\n",
          "            if corrected_checks and not any(c.status is Status.FAIL for c in corrected_checks):\n",
          "combine: a correction whose checks are undecided (not failed) counts as passing -> 'corrected'",
          "verdict"),
    Plant("verdicts-no-checks-holds", V,
          "    if not checks or any(c.status is not Status.PASS for c in checks):\n",
          "    if any(c.status is not Status.PASS for c in checks):\n",
          "combine: a claim with no check results 'holds' (all() of nothing)",
          "verdict"),
    Plant("verdicts-failed-correction-refuted", V,
          "            return Verdict.UNDECIDED       # a correction was proposed but did not pass\n",
          "            return Verdict.REFUTED         # a correction was proposed but did not pass\n",
          "combine: printed statement fails and the proposed correction does not pass -> 'refuted' "
          "instead of 'undecided'",
          "verdict"),
    Plant("verdicts-fail-accepts-mp-evidence", V,
          "            if not self.counterexample.evidence.certified:\n",
          "            if self.counterexample.evidence is Evidence.FLOAT:\n",
          "CheckResult invariant: only double-precision counterexamples are refused, so a FAIL may "
          "rest on mpmath numerics",
          "unsound"),
    Plant("verdicts-check-all-hides-undecided", V,
          "    for status in (Status.FAIL, Status.UNDECIDED):\n",
          "    for status in (Status.FAIL,):\n",
          "check_all: parts that are undecided are folded into a pass",
          "verdict"),
    Plant("verdicts-check-all-strongest-evidence", V,
          "    weakest = max((r.evidence for r in results), key=lambda e: e.rank, default=Evidence.SYMBOLIC)\n",
          "    weakest = min((r.evidence for r in results), key=lambda e: e.rank, default=Evidence.SYMBOLIC)\n",
          "check_all: a folded pass claims the strongest evidence of its parts instead of the weakest",
          "report"),
    Plant("verdicts-certified-rank-equivalent", V,
          "        return self.rank <= Evidence.BALL.rank\n",
          "        return self.rank < Evidence.MP.rank\n",
          "Evidence.certified written as '< MP' instead of '<= BALL' (looks like an off-by-one)",
          "equivalent",
          "MP immediately follows BALL in the Evidence enum (ranks 3 and 4), so rank < MP.rank and "
          "rank <= BALL.rank hold for exactly the same members"),

    # --- arith.py: certify_sign, exact zero, the printer, Ball.convert, precision ---------------
    Plant("arith-zero-tiny-ball", A,
          "            if v.is_exact() and v == 0:\n"
          "                return 0\n",
          "            if v.contains(0) and v.rad() < arb(2) ** -(prec // 2):\n"
          "                return 0\n",
          "certify_sign: a ball around 0 narrower than 2^-(prec/2) is taken as an exact zero",
          "unsound"),
    Plant("arith-max-prec-off-by-one", A,
          "    while prec <= max_prec:\n",
          "    while prec < max_prec:\n",
          "certify_sign: the loop stops before trying max_prec itself (off by one)",
          "verdict"),
    Plant("arith-sympy-fallback-unknown-zero", A,
          "        if exact == 0:\n"
          "            return 0\n",
          "        if exact == 0 or exact.is_zero is None:\n"
          "            return 0\n",
          "certify_sign: SymPy's fallback answers 0 when it cannot decide whether the value is zero",
          "unsound"),
    Plant("arith-printer-negative-rational-power", A,
          "            return f\"{root}**{p}\" if p > 0 else f\"1/({root}**{-p})\"\n",
          "            return f\"{root}**{p}\" if p > 0 else f\"1/({root}**{p})\"\n",
          "printer: x^(-p/q) compiled as 1/ROOT(x, q)^(-p) (sign slip): negative rational powers "
          "are inverted twice",
          "verdict"),
    Plant("arith-printer-half-dropped", A,
          "    def _print_Half(self, expr: sp.Rational) -> str:\n"
          "        return \"Q(1, 2)\"\n"
          "\n",
          "",
          "printer: the _print_Half override removed as redundant with _print_Rational",
          "equivalent",
          "SymPy's PythonCodePrinter._print_Half is 'return self._print_Rational(expr)', which "
          "dispatches to the override printing Q(1, 2): the printed code is the same"),
    Plant("arith-ball-Q-float-division", A,
          "        ns = {\"Q\": lambda p, q: arb(fmpq(p, q)), \"Z\": arb, \"ROOT\": _arb_root, \"ABS\": abs,\n",
          "        ns = {\"Q\": lambda p, q: arb(p / q), \"Z\": arb, \"ROOT\": _arb_root, \"ABS\": abs,\n",
          "Ball namespace: a rational Q(p, q) is built as arb(p / q), a rounded float (1/3 and 1/10 "
          "are not enclosed)",
          "unsound"),
    Plant("arith-ball-convert-via-float", A,
          "        q = value if isinstance(value, fmpq) else EXACT.convert(value)\n"
          "        with self.workprec():\n"
          "            return arb(q)\n",
          "        return arb(float(to_fraction(value)))\n",
          "Ball.convert: rationals go through a float (1/10 is no longer enclosed)",
          "unsound"),
    Plant("arith-ball-convert-ambient-precision", A,
          "        q = value if isinstance(value, fmpq) else EXACT.convert(value)\n"
          "        with self.workprec():\n"
          "            return arb(q)\n",
          "        q = value if isinstance(value, fmpq) else EXACT.convert(value)\n"
          "        return arb(q)\n",
          "Ball.convert: a rational is rounded at the ambient precision, not the context's",
          "verdict"),
    Plant("arith-workprec-not-restored-on-error", A,
          "            try:\n"
          "                yield\n"
          "            finally:\n"
          "                _flint_ctx.prec = old\n",
          "            yield\n"
          "            _flint_ctx.prec = old\n",
          "Ball.workprec: no try/finally, so an exception inside a ball context leaves "
          "python-flint's global precision changed",
          "verdict"),

    # --- pointwise.py -----------------------------------------------------------------------------
    Plant("pointwise-zero-passes-strict-sign", PW,
          "        if s == expected or (s == 0 and allow_zero):\n",
          "        if s == expected or s == 0:\n",
          "sign_check: an exact zero passes a strict sign check (allow_zero ignored)",
          "verdict"),
    Plant("pointwise-undecided-sign-is-failure", PW,
          "        if s in (None, 0):\n",
          "        if s == 0:\n",
          "_scan: a sign that could not be certified (None) is reported as the opposite sign, a "
          "certified counterexample",
          "unsound"),
    Plant("pointwise-le-equality-undecided", PW,
          "    bad, unsure = _scan(diff, 1, points, allow_zero=True)\n",
          "    bad, unsure = _scan(diff, 1, points, allow_zero=False)\n",
          "le_check: an exact equality lhs == rhs is no longer a pass",
          "verdict"),

    # --- sequences.py: scan, domination_margin, geometric ---------------------------------------
    Plant("seq-strict-ignored", SEQ,
          "        if diff > 0 or (not cmp.strict and (diff >= 0 or _exact_equal(a, b))):\n",
          "        if diff > 0 or diff >= 0 or _exact_equal(a, b):\n",
          "scan: a strict comparison passes at equality (strict flag dropped from the pass test)",
          "verdict"),
    Plant("seq-straddle-is-failure", SEQ,
          "        if diff < 0 or (cmp.strict and diff <= 0 and _exact_equal(a, b)):\n",
          "        if not diff >= 0 or (cmp.strict and diff <= 0 and _exact_equal(a, b)):\n",
          "scan: 'not certified >= 0' taken as 'certified < 0': a ball straddling 0 is a failure "
          "(and the margin is never consulted)",
          "unsound"),
    Plant("seq-margin-contains-zero-passes", SEQ,
          "            if m > 0 or (not cmp.strict and (m >= 0 or (m.is_exact() and m == 0))):\n",
          "            if m > 0 or (not cmp.strict and (m >= 0 or m.contains(0))):\n",
          "scan: a margin ball that merely contains 0 ('could be 0') counts as >= 0",
          "unsound"),
    Plant("seq-exact-equal-arb-eq-equivalent", SEQ,
          "    return a.is_exact() and b.is_exact() and a == b\n",
          "    return a == b\n",
          "_exact_equal: the is_exact() tests dropped",
          "equivalent",
          "python-flint's arb == is certain equality (true only if t == u for every t in a and u "
          "in b), which holds only for two exact balls with the same value"),
    Plant("seq-domination-undecided-gap-certified", SEQ,
          "        return v >= 0 or (v.is_exact() and v == 0)\n",
          "        return not v < 0\n",
          "domination_margin: a factor or gap that is 'not certified negative' counts as certified "
          ">= 0",
          "unsound"),
    Plant("seq-domination-one-step-beyond", SEQ,
          "        return arb(1) if t <= state[\"ok_until\"] else arb(0, 1)\n",
          "        return arb(1) if t <= state[\"ok_until\"] + 1 else arb(0, 1)\n",
          "domination_margin: certifies step t when only the factors s < t - 1 were checked "
          "(off by one)",
          "unsound"),
    Plant("seq-domination-factor-sign-unchecked", SEQ,
          "            if certified(factors[s]) and certified(gap_at(s)):\n",
          "            if certified(gap_at(s)):\n",
          "domination_margin: phi_s >= 0 no longer checked, only rate - phi_s >= 0",
          "unsound"),
    Plant("seq-geometric-one-short", SEQ,
          "    for _ in range(steps):\n"
          "        out.append(out[-1] * rate)\n",
          "    for _ in range(steps - 1):\n"
          "        out.append(out[-1] * rate)\n",
          "geometric: returns const*rate^t for t = 0..steps-1 (one term short)",
          "verdict"),
    Plant("seq-sign-along-default-nonstrict", SEQ,
          "               strict: bool = True) -> CheckResult:\n",
          "               strict: bool = False) -> CheckResult:\n",
          "sign_along: wrong default, '> 0' checks become '>= 0'",
          "verdict"),

    # --- symbolic.py ----------------------------------------------------------------------------
    Plant("sym-reduce-unknown-is-zero", SYM,
          "            if step(expr) == 0:\n",
          "            if step(expr).is_zero is not False:\n",
          "reduce_to_zero: 'SymPy cannot tell' (is_zero None) is taken as a proof of zero",
          "unsound"),
    Plant("sym-identity-undecided-sign-fails", SYM,
          "        if sign in (1, -1):\n",
          "        if sign != 0:\n",
          "identity_check: an undecided sign (None) at a point refutes the identity",
          "unsound"),
    Plant("sym-random-rational-ignores-nonnegative", SYM,
          "    if sym.is_negative or (not sym.is_positive and not sym.is_nonnegative and rng.random() < 0.5):\n",
          "    if sym.is_negative or (not sym.is_positive and rng.random() < 0.5):\n",
          "random_rational: a nonnegative symbol may get a negative value, so a counterexample can "
          "lie outside the symbol's domain",
          "unsound"),

    # --- rates.py (surviving kind: the fitting window) -------------------------------------------
    Plant("rates-window-before-peak", RATES,
          "    inside = (err > lo) & (err < hi) & after\n",
          "    inside = (err > lo) & (err < hi)\n",
          "exp_rate: the fitting window also takes samples before the error's peak (a start next to "
          "a repelling equilibrium first moves away)",
          "verdict"),

    # --- simulate.py: error norm, step controller, t_eval landing --------------------------------
    Plant("sim-error-scale-old-state-only", SIM,
          "            np.abs(y_new, out=tmp)\n"
          "            np.maximum(scale, tmp, out=scale)\n",
          "",
          "integrate_batch: the error scale uses |y| only, not max(|y|, |y_new|) as SciPy's DOP853",
          "verdict"),
    Plant("sim-error-exponent-order", SIM,
          "_ERROR_EXPONENT = -1.0 / 8.0   # -1/(error estimator order + 1), error estimator of order 7\n",
          "_ERROR_EXPONENT = -1.0 / 9.0   # -1/(error estimator order + 1), error estimator of order 8\n",
          "step controller: exponent -1/9 (method order 8 taken for the estimator's order 7)",
          "verdict"),
    Plant("sim-landing-clip-to-end", SIM,
          "            np.minimum(t_new, t_next, out=t_new)\n",
          "            np.minimum(t_new, t_eval[-1], out=t_new)\n",
          "integrate_batch: steps are clipped to the final time only, so they do not land on the "
          "intermediate output times",
          "verdict"),
    Plant("sim-growth-after-rejection", SIM,
          "            np.minimum(grow, 1.0, out=grow, where=rejected)   # no growth right after a rejection\n",
          "",
          "step controller: the step may grow right after a rejection",
          "verdict"),
    Plant("sim-rms-square-equivalent", SIM,
          "    return np.sqrt(np.mean(x * x, axis=0))\n",
          "    return np.sqrt(np.mean(np.square(x), axis=0))\n",
          "_rms written with np.square",
          "equivalent",
          "np.square(x) is the elementwise IEEE product x*x, bit for bit, so every value is the same"),

    # --- iterate.py ----------------------------------------------------------------------------
    Plant("iter-centred-jacobian-at-centre", IT,
          "            J = jacobian(*X, *ps)\n",
          "            J = jacobian(*mid, *ps)\n",
          "centred_orbit: the Jacobian evaluated at the centre instead of over the box (the mean "
          "value form then does not enclose F(X))",
          "unsound"),
    Plant("iter-exact-budget-drops-last", IT,
          "        nxt = step(*orbit[-1], *params)\n"
          "        orbit.append(nxt)\n"
          "        if max(bit_size(v) for v in nxt) > max_bits:\n"
          "            break\n",
          "        nxt = step(*orbit[-1], *params)\n"
          "        if max(bit_size(v) for v in nxt) > max_bits:\n"
          "            break\n"
          "        orbit.append(nxt)\n",
          "exact_orbit: the bit budget is tested before appending, so the exact iterate that "
          "crossed it is dropped (one step fewer checked)",
          "verdict"),

    # --- engine/run.py ---------------------------------------------------------------------------
    Plant("run-no-ambient-precision", RUN,
          "        with Ball(AMBIENT_PREC).workprec():\n"
          "            out = check.fn(statement, points, run)\n",
          "        out = check.fn(statement, points, run)\n",
          "run_check: a check runs at whatever ball precision the caller left (no ambient 128 bits)",
          "verdict"),
    Plant("run-applies-filters-sampled-points", RUN,
          "            if run.at is not None and check.applies is not None:\n",
          "            if check.applies is not None:\n",
          "run_check: 'applies' also filters sampled points, and a check with none left vanishes "
          "from the claim",
          "verdict"),

    # --- engine/shrink.py ------------------------------------------------------------------------
    Plant("shrink-greedy-skips-hypotheses", SHR,
          "                if not claim.domain.admits(cand, statement):\n"
          "                    continue\n"
          "                attempts += 1\n",
          "                attempts += 1\n",
          "shrink_point: greedy candidates are not checked against the hypotheses, so a shrunk "
          "counterexample may lie outside the theorem's domain",
          "unsound"),
    Plant("shrink-stale-values", SHR,
          "    return replace(result, counterexample=replace(new_cx, found=dict(cx.params)))\n",
          "    return replace(result, counterexample=replace(cx, params=point_str(new_point), "
          "found=dict(cx.params)))\n",
          "shrink_result: the shrunk point is reported with the values certified at the search "
          "point (not re-certified where it is reported)",
          "unsound"),
    Plant("shrink-complexity-t-last", SHR,
          "    return (int(t) if t is not None else 0, sum(size(v) for v in rest),\n"
          "            sum(magnitude(v) for v in rest))\n",
          "    return (sum(size(v) for v in rest), int(t) if t is not None else 0,\n"
          "            sum(magnitude(v) for v in rest))\n",
          "complexity: the step t compared after the size of the other values (not 'smallest t "
          "first')",
          "report"),

    # --- engine/replay.py ------------------------------------------------------------------------
    Plant("replay-dedupe-too-coarse", REP,
          "        key = (s.claim, s.check, s.variant, tuple(sorted(s.params.items())))\n",
          "        key = (s.claim, s.check, s.variant)\n",
          "collect: counterexamples deduplicated per check, so only the first of a check's saved "
          "counterexamples is replayed",
          "unsound"),
    Plant("replay-run-shrink-flag-equivalent", REP,
          "    res = recheck(claim, stub, point, Run(profile, seed, shrink=False))\n",
          "    res = recheck(claim, stub, point, Run(profile, seed))\n",
          "replay_one: the run handed to recheck no longer says shrink=False",
          "equivalent",
          "recheck reads only profile, seed and prec from the run it is given and builds its own "
          "Run(..., shrink=False) for the check"),

    # --- domains.py: validation, hypotheses -----------------------------------------------------
    Plant("domains-admits-undecided-hypothesis", DOM,
          "        return all(h.holds(point, statement) is True for h in self.hypotheses)\n",
          "        return all(h.holds(point, statement) is not False for h in self.hypotheses)\n",
          "admits: a hypothesis that cannot be certified (None) admits the point",
          "unsound"),
    Plant("domains-validate-undecided-hypothesis", DOM,
          "            if ok is None:\n"
          "                raise UsageError(f\"cannot certify the hypothesis {h.text} at this point (use \"\n"
          "                                 \"--outside to run anyway)\")\n",
          "",
          "check_hypotheses: a user's point whose hypothesis cannot be certified is accepted as "
          "inside",
          "unsound"),
    Plant("domains-positive-admits-zero", DOM,
          "        return {\"positive\": v > 0, \"nonnegative\": v >= 0, \"negative\": v < 0, \"real\": True,\n",
          "        return {\"positive\": v >= 0, \"nonnegative\": v >= 0, \"negative\": v < 0, \"real\": True,\n",
          "Param.sign_ok: 'positive' accepts 0 (e.g. d = 0, eta = 0)",
          "unsound"),

    # --- sections/discrete/orbits.py -----------------------------------------------------------
    Plant("orbits-newton-no-containment", ORB,
          "        if X.contains(N):\n"
          "            return N\n",
          "        return N\n",
          "interval_newton: returns the Newton iterate without checking that it lies inside the "
          "input interval",
          "unsound"),
    Plant("orbits-newton-overlap", ORB,
          "        if X.contains(N):\n"
          "            return N\n",
          "        if X.overlaps(N):\n"
          "            return N\n",
          "interval_newton: accepts a Newton image that merely overlaps the input interval",
          "unsound"),
    Plant("orbits-newton-derivative-test-dropped", ORB,
          "        if fpX.contains(0):\n"
          "            continue\n",
          "",
          "interval_newton: the 'f'(X) excludes 0' test removed as redundant (N is indeterminate "
          "then, and X.contains(N) fails -- except when X itself is indeterminate, from a NaN "
          "seed of a divergent orbit: it contains everything)",
          "unsound"),
    Plant("orbits-ellinf-lower-end-from-upper", ORB,
          "            return arb(lo.lower()).union(hi)\n",
          "            return arb(lo.upper()).union(hi)\n",
          "EulerOrbit.ell_inf: the enclosure's lower end taken from the upper end of the ball of "
          "ell_{S_T}",
          "unsound"),
    Plant("orbits-ellinf-S-up-lower-end", ORB,
          "                l_up = ell_of(arb(S_up.upper()), self.d, self.lam, seed, self.prec)\n",
          "                l_up = ell_of(arb(S_up.lower()), self.d, self.lam, seed, self.prec)\n",
          "EulerOrbit.ell_inf: the upper end uses ell at the lower end of the bound on S_inf",
          "unsound"),
    Plant("orbits-defect-branch-always-e", ORB,
          "                if et < half:\n",
          "                if et < self.r:\n",
          "DefectOrbit: the e-expansion of phi used everywhere below r instead of only for e < r/2 "
          "(precision lost far from the fixed point)",
          "verdict"),
    Plant("orbits-gap-sign", ORB,
          "            return self.Ps[t] / (l * l + l * x + x * x - S)\n",
          "            return self.Ps[t] / (l * l + l * x + x * x + S)\n",
          "EulerOrbit.gap: sign slip in the factorisation P(x,S) - P(ell,S) (+ S for - S)",
          "unsound"),
    Plant("orbits-ell-increment-wrong-ell", ORB,
          "            return l0 * dx * dx / (l1 * l1 + l1 * l0 + l0 * l0 - S1)\n",
          "            return l1 * dx * dx / (l1 * l1 + l1 * l0 + l0 * l0 - S1)\n",
          "EulerOrbit.ell_increment: ell_{S_{t+1}} for ell_{S_t} in the numerator of (186)",
          "unsound"),
    Plant("orbits-horizon-log2", ORB,
          "    return int(min(cap, max(floor, math.ceil(decades * math.log(10) / -math.log(rate)))))\n",
          "    return int(min(cap, max(floor, math.ceil(decades * math.log(2) / -math.log(rate)))))\n",
          "horizon: decades counted as bits (log 2 for log 10): orbits 3.3 times too short",
          "verdict"),

    # --- sections/discrete/common.py -----------------------------------------------------------
    Plant("common-steps-for-off-by-one", COM,
          "        return int(point[\"t\"])\n",
          "        return int(point[\"t\"]) - 1\n",
          "steps_for: the orbit stops one step before the point's t",
          "verdict"),
    Plant("common-bounded-margin-sign", COM,
          "                         margin=lambda t: o.e[t] - (1 - share) * o.r)\n",
          "                         margin=lambda t: o.e[t] + (1 - share) * o.r)\n",
          "monotone_bounded: sign slip in the margin of x_t <= share r",
          "unsound"),
    Plant("common-prec-floor-ignored", COM,
          "    return max(base, getattr(run, \"prec\", None) or 0)\n",
          "    return base\n",
          "prec_of: the run's precision floor (--prec) is ignored",
          "verdict"),

    # --- sections/discrete/domains.py ----------------------------------------------------------
    Plant("ddomains-rational-below-upper-end", DDOM,
          "        man, exp = target.lower().mid().man_exp()          # a binary rational below the ball\n"
          "        binary = Fraction(int(man)) * Fraction(2) ** int(exp)\n"
          "        digits = len(str(max_den)) - 1\n"
          "        scale = Fraction(10) ** (digits - math.floor(math.log10(binary)))\n"
          "        eta = Fraction(math.floor(binary * scale)) / scale\n"
          "        if eta <= 0:\n"
          "            eta = binary\n"
          "        while not (Ball(256).convert(eta) <= target):       # not expected: lower() rounds down\n"
          "            eta -= eta / 2**200\n"
          "        return eta\n",
          "        man, exp = target.upper().mid().man_exp()          # a binary rational below the ball\n"
          "        binary = Fraction(int(man)) * Fraction(2) ** int(exp)\n"
          "        digits = len(str(max_den)) - 1\n"
          "        scale = Fraction(10) ** (digits - math.floor(math.log10(binary)))\n"
          "        eta = Fraction(math.floor(binary * scale)) / scale\n"
          "        if eta <= 0:\n"
          "            eta = binary\n"
          "        return eta\n",
          "rational_below_ball: rounds down from the ball's upper end (and the 'not expected' guard "
          "loop is gone), so eta may exceed values of the ball",
          "unsound"),
    Plant("ddomains-eta-max-strict", DDOM,
          "        return None if s is None else s >= 0\n"
          "    return Hypothesis(text, holds)\n",
          "        return None if s is None else s > 0\n"
          "    return Hypothesis(text, holds)\n",
          "the hypothesis eta <= eta_max checked as eta < eta_max (the maximum itself refused)",
          "verdict"),

    # --- sections/discrete/midpoint.py ---------------------------------------------------------
    Plant("mid-domination-gap-negated", MID,
          "        _DOMINATION_GAP[rate] = sp.factor(sp.expand((rate.subs(F.C ** sp.Rational(2, 3), r**2) -\n"
          "                                                     F.MIDPOINT_DEFECT_FACTOR).subs(e, r - x)))\n",
          "        _DOMINATION_GAP[rate] = sp.factor(sp.expand((F.MIDPOINT_DEFECT_FACTOR -\n"
          "                                                     rate.subs(F.C ** sp.Rational(2, 3), r**2)).subs(e, r - x)))\n",
          "_domination_gap: phi - rate instead of rate - phi",
          "unsound"),
    Plant("mid-margin-without-const-check", MID,
          "    if actual is defect_at and reduce_to_zero(sp.sympify(bound.const) - r):\n",
          "    if actual is defect_at:\n",
          "geometric_comparison: the domination margin is used without checking its premise "
          "const = r = e_0",
          "unsound"),
    Plant("mid-lem21-drops-increasing", MID,
          "     _monotone(1, \"x_t >= 0\", lambda st: \"0 <= x_t\"),\n"
          "     _monotone(2, \"x_t increasing\", lambda st: \"x_t <= x_{t+1}\"),\n",
          "     _monotone(1, \"x_t >= 0\", lambda st: \"0 <= x_t\"),\n",
          "lem21: the claim's check tuple loses 'x_t increasing'",
          "verdict"),

    # --- sections/discrete/layered.py ----------------------------------------------------------
    Plant("layered-blowup-premise-dropped", LAY,
          "        if not (decreasing and at_max > 0):\n",
          "        if not at_max > 0:\n",
          "_blow_up: the certified failure no longer needs err_1 to decrease in eta",
          "unsound"),
    Plant("layered-linear-rate-premise-dropped", LAY,
          "        if qb < fb and above:\n",
          "        if qb < fb:\n",
          "_linear_rate: fails without phi_t >= f'(r) along the orbit (certified, or proved for "
          "0 <= e_t <= r)",
          "unsound"),
    Plant("layered-linear-rate-orbit-range-dropped", LAY,
          "            and all(v >= 0 and v <= 1 for v in o.phi))\n",
          "            )\n",
          "_linear_rate: uses the whole-domain fact phi >= f'(r) on [0, r] without certifying that "
          "the orbit stays in [0, r] (0 <= phi_t <= 1)",
          "unsound"),
    Plant("layered-eq139-margin-sign", LAY,
          "    return sp.factor(sp.expand(const.subs(gamma, g) * e - F.layered_product_error(g)))\n",
          "    return sp.factor(sp.expand(const.subs(gamma, g) * e + F.layered_product_error(g)))\n",
          "_eq139_margin: sign slip (const e + error instead of const e - error)",
          "unsound"),

    # --- sections/discrete/euler.py ------------------------------------------------------------
    Plant("euler-constant-times-ignores-monotone", EUL,
          "        k_lo = _ball(const, _env(p, arb(li.lower()))) if mono else None\n",
          "        k_lo = _ball(const, _env(p, arb(li.lower())))\n",
          "constant_times: the lower end of ell_inf backs the comparison even when the constant is "
          "not increasing in ell_inf",
          "unsound"),
    Plant("euler-linear-q-may-be-one", EUL,
          "        comps.append(Comparison(params_of(p), [arb(qmax)], [arb(1)], strict=True, index=None))\n",
          "        comps.append(Comparison(params_of(p), [arb(qmax)], [arb(1)], index=None))\n",
          "_linear: q <= 1 accepted where linear convergence needs q < 1",
          "unsound"),
    Plant("euler-lem28-drops-P-check", EUL,
          "    (orbit_check(\"S_t <= x_t\", _in_R_S), orbit_check(\"P(x_t, S_t) > 0\", _in_R_P)),\n",
          "    (orbit_check(\"S_t <= x_t\", _in_R_S),),\n",
          "lem28: the claim's check tuple loses 'P(x_t, S_t) > 0'",
          "verdict"),

    # --- sections/shallow/checks.py ------------------------------------------------------------
    Plant("shallow-rate-undecided-passes", CHK,
          "    if unsure or not rows:\n",
          "    if not rows:\n",
          "rate_statement_check: rows where stated <= exact could not be certified count as passes",
          "verdict"),
    Plant("shallow-convergence-target-unchecked", CHK,
          "    return P.count_roots(lo, hi) == 0 and P.count_roots(b1, b2) >= 1\n",
          "    return P.count_roots(lo, hi) == 0\n",
          "certified_convergence: no longer checks that a root lies at the target (the root being "
          "approached)",
          "unsound"),
    Plant("shallow-rate-rtol-tenfold", CHK,
          "RATE_RTOL = 0.02          # trajectory rate estimate vs exact rate: relative agreement required\n",
          "RATE_RTOL = 0.2           # trajectory rate estimate vs exact rate: relative agreement required\n",
          "RATE_RTOL widened tenfold (trajectory cross-check of rates)",
          "verdict"),
    Plant("shallow-convergence-rtol-widened", CHK,
          "CONVERGENCE_RTOL = 1e-7   # |theta1(T) - root|, |p(T) - lambda| relative to their scale\n",
          "CONVERGENCE_RTOL = 1e-5   # |theta1(T) - root|, |p(T) - lambda| relative to their scale\n",
          "flow_checks: the convergence tolerance widened 100-fold",
          "verdict"),
    Plant("shallow-k-drift-tol-widened", CHK,
          "K_DRIFT_TOL = 1e-8        # |K(t) - K(0)| / max(|theta2|, 1)\n",
          "K_DRIFT_TOL = 1e-6        # |K(t) - K(0)| / max(|theta2|, 1)\n",
          "flow_checks: the tolerance of the conservation of K widened 100-fold",
          "verdict"),
    Plant("shallow-implicit-hp-tol-widened", CHK,
          "    tol = c.mpf(10) ** (-(dps - 8))\n",
          "    tol = c.mpf(10) ** (-(dps // 2))\n",
          "implicit_hp_check: tolerance 10^-(dps/2) instead of 10^-(dps-8)",
          "verdict"),

    # --- sections/shallow/formulas.py: real_roots ----------------------------------------------
    Plant("formulas-real-roots-multiplicity-lost", SFOR,
          "                out.append(Root(fv, arb(v), mult))\n",
          "                out.append(Root(fv, arb(v), 1))\n",
          "real_roots: a rational double root reported with multiplicity 1",
          "verdict"),
    Plant("formulas-real-roots-nonlinear-mult-equivalent", SFOR,
          "                    out.append(Root(None, z.real, mult * m))\n",
          "                    out.append(Root(None, z.real, m))\n",
          "real_roots: the factor's multiplicity dropped for irrational roots",
          "equivalent",
          "P is a cubic, so an irreducible factor of degree >= 2 cannot be repeated (its square "
          "would have degree >= 4): mult is 1 on this branch"),

    # --- sections/shallow/domains.py: a Delta hypothesis -----------------------------------------
    Plant("sdomains-delta-neg-sign", SDOM,
          "DELTA_NEG = Domain(\"Delta < 0: one real root\", (D, LAM, KP, TH1), _delta_neg_draw,\n"
          "                   (_delta(-1, \"Delta < 0\"),),\n",
          "DELTA_NEG = Domain(\"Delta < 0: one real root\", (D, LAM, KP, TH1), _delta_neg_draw,\n"
          "                   (_delta(1, \"Delta < 0\"),),\n",
          "DELTA_NEG: the hypothesis 'Delta < 0' tests the sign +1 (sign convention of (55) "
          "confused)",
          "unsound"),
    # --- branch_bound.py / certificates.py: the whole-domain prover (issue 12) -------------------
    Plant("bb-bernstein-leaf-sign", BB,
          "        if low > 0 or (low == 0 and not goal.strict):\n"
          "            return \"leaf\"\n",
          "        if low > 0 or not goal.strict:\n"
          "            return \"leaf\"\n",
          "_bernstein_leaf: a box is closed whatever the sign of its lowest Bernstein coefficient "
          "(non-strict goals)",
          "unsound"),
    Plant("bb-replay-tree-incomplete", BB,
          "    if i != len(tree):\n"
          "        return False, leaves, \"the tree has nodes beyond the boxes\"\n",
          "",
          "_replay_tree: a certificate whose tree has extra nodes is accepted (not a tiling)",
          "unsound"),
    Plant("bb-open-sturm-count-ignored", BB,
          "        if va == vb and gp.eval(sp.Rational(mid.numerator, mid.denominator)) > 0 and \\\n",
          "        if gp.eval(sp.Rational(mid.numerator, mid.denominator)) > 0 and \\\n",
          "_open_factor: a factor is signed at one interior point, without the Sturm count that "
          "rules out a root in the interval",
          "unsound"),
    Plant("cert-recheck-skips-identities", CERT,
          "        if not reduce_to_zero(decode(ident[\"lhs\"]) - decode(ident[\"rhs\"])):\n",
          "        if False:\n",
          "recheck_document: the identities of a certificate are not re-proved",
          "unsound"),
    Plant("cert-instance-violation-is-broken", CERT,
          "            status = \"violated\" if st.role == \"instance\" else \"broken\"\n",
          "            status = \"broken\"\n",
          "certify: a violated instance of the statement is reported as a proof that does not go "
          "through (undecided) instead of a counterexample",
          "verdict"),
    # --- the whole-domain proofs of Sections 2-5 (issue 12, second part) ----------------------
    Plant("ewd-denominator-unchecked", EWD,
          "        pos = Step(Goal(f\"{name}: the cleared denominator {rest} > 0\", sp.expand(rest), vars_,\n"
          "                        box, strict=True))\n",
          "        pos = None\n",
          "cleared: a denominator SymPy cannot sign is cleared without proving it positive on the box",
          "unsound"),
    Plant("ewd-admissible-any-step", EWD,
          "        return bool(et <= b1 and et <= b2)\n",
          "        return True\n",
          "admissible_step: a violation found under one bound of (145) is a counterexample even "
          "beyond the other",
          "unsound"),
    Plant("ewd-lengths-unordered", EWD,
          "    out = out.subs({ell: L * (rho + (1 - rho) * mu), ell1: L * (rho + (1 - rho) * mu1)},\n",
          "    out = out.subs({ell: L * rho * mu, ell1: L * rho * mu1},\n",
          "scale_lengths: ell_S ranges over [0, r] instead of [r, ell_inf] (the order of the lengths "
          "lost)",
          "unsound"),
    Plant("wd-linear-rate-factor-unproved", WD,
          "    return prove(Goal(f\"gamma - sum_(j<gamma) (1 - s)^j >= 0 [{sc.label}]\", sp.expand(bracket),\n",
          "    return True or prove(Goal(f\"gamma - sum_(j<gamma) (1 - s)^j >= 0 [{sc.label}]\", sp.expand(bracket),\n",
          "factor_above_linear_rate: phi >= f'(r) is taken for granted instead of proved",
          "equivalent",
          "the goal is true for every L (each term (1 - s)^j <= 1 on [0, 1]), so the proof always "
          "succeeds and returning True changes nothing observable"),
    Plant("rate-instance-flipped", RP,
          "        steps.append(Step(red.goal(f\"stated rate <= exact rate g(root) [{br.label}]\",\n"
          "                                   ex_u - st_u), \"instance\"))\n",
          "        steps.append(Step(red.goal(f\"stated rate <= exact rate g(root) [{br.label}]\",\n"
          "                                   st_u - ex_u), \"instance\"))\n",
          "exp_branch: the rate instance compares the wrong way (a faster rate passes, a slower one "
          "fails)",
          "unsound"),
]


def by_id() -> dict[str, Plant]:
    return {p.id: p for p in PLANTS}


if __name__ == "__main__":           # python mutation/plants.py: validate against this checkout
    import sys
    root = Path(__file__).resolve().parent.parent
    problems = check(PLANTS, root)
    for line in problems:
        print(line, file=sys.stderr)
    counts = {k: sum(p.kind == k for p in PLANTS) for k in KINDS}
    print(f"{len(PLANTS)} plants ({', '.join(f'{v} {k}' for k, v in counts.items())}); "
          f"{len(problems)} problems")
    sys.exit(1 if problems else 0)
