"""Every paper symbol, defined once, with its display name, LaTeX and meaning.

The paper reuses letters: ``K`` is the integration constant (37) of the two-layer flow and the
product of the layer constants (87)/(137); ``t`` is a time and a step index.  Each meaning is its
own SymPy symbol here (same display name, different assumptions), so that no section has to
translate another's symbols.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp


@dataclass(frozen=True)
class PaperSymbol:
    symbol: sp.Symbol
    display: str
    latex: str
    meaning: str


TABLE: list[PaperSymbol] = []


def _sym(name: str, display: str, latex: str, meaning: str, **assumptions) -> sp.Symbol:
    s = sp.Symbol(name, **assumptions)
    TABLE.append(PaperSymbol(s, display, latex, meaning))
    return s


# --- parameters of the network and of the signal ----------------------------------------------
d = _sym("d", "d", "d", "FA constant (a diagonal entry of D), (6)", positive=True)
lam = _sym("lambda", "lam", r"\lambda", "signal: a singular value of Sigma_xy, (6)", positive=True)
eta = _sym("eta", "eta", r"\eta", "step size of the discrete schemes, Section 5", positive=True)
d1 = _sym("d1", "d1", "d_1", "FA constant of the first layer, (10)/(28)", positive=True)
gamma = _sym("gamma", "gamma", r"\gamma", "2^L - 1, (82)/(137)", positive=True, integer=True)
K_layers = _sym("K", "K", "K", "product of the layer constants, (87)/(137)", positive=True)

# --- continuous two-layer flow (Section 2, Appendix A) ----------------------------------------
t = _sym("t", "t", "t", "time of the flow", real=True)
theta1 = _sym("theta1", "theta1", r"\theta_1", "first-layer weight (a diagonal entry)",
              real=True)
theta2 = _sym("theta2", "theta2", r"\theta_2", "second-layer weight", real=True)
theta0 = _sym("theta0", "theta0", r"\theta_0", "initial value theta1(0)", real=True)
K = _sym("K", "K", "K", "integration constant theta2 - theta1^2/(2d) of (37)", real=True)
r = _sym("r", "r", "r", "the limit of theta1: (2 d lam)^(1/3), resp. (lam/K)^(1/gamma)",
         positive=True)
r1 = _sym("r1", "r1", "r_1", "smallest root of the cubic (54), Delta > 0", real=True)
r2 = _sym("r2", "r2", "r_2", "middle root of (54)", real=True)
r3 = _sym("r3", "r3", "r_3", "largest root of (54)", real=True)
rs = _sym("r_s", "rs", "r_s", "simple root when Delta = 0, (66)", real=True)
rd = _sym("r_d", "rd", "r_d", "double root when Delta = 0, (66)", real=True)

# --- discrete schemes (Section 5, Appendix D) -------------------------------------------------
step = _sym("t", "t", "t", "step index of a discrete scheme", nonnegative=True, integer=True)
x = _sym("x", "x", "x", "x_t = theta1 at step t", nonnegative=True)
y = _sym("y", "y", "y", "y_t = theta2 at step t", nonnegative=True)
S = _sym("S", "S", "S", "S_t = sum of squared increments of x, (143)", nonnegative=True)
x_next = _sym("x_next", "x_next", "x_{t+1}", "x_{t+1}", nonnegative=True)
S_next = _sym("S_next", "S_next", "S_{t+1}", "S_{t+1}", nonnegative=True)
e = _sym("e", "e", "e", "defect r - x_t of a one-dimensional map", nonnegative=True)
alpha = _sym("alpha", "alpha", r"\alpha", "the auxiliary sequence of (148)", nonnegative=True)
ell = _sym("ell", "ell", r"\ell", "ell_S: the positive root of P(., S)", positive=True)
ell_inf = _sym("ell_inf", "ell_inf", r"\ell_{S_\infty}", "ell_{S_inf}", positive=True)
S_star = _sym("S_star", "S*", "S^*", "positive root of P(x, x), Theorem 26", positive=True)
S_inf = _sym("S_inf", "S_inf", r"S_\infty", "the limit of S_t", nonnegative=True)
P_t = _sym("P_t", "P_t", "P_t", "P(x_t, S_t) in the defect recurrence", real=True)
# --- scaled coordinates of the whole-domain proofs (fa_proofs.sections.discrete.whole_domain) --
s_scaled = _sym("s", "s", "s", "scaled defect (r - x_t)/r of a one-dimensional map, in [0, 1]",
                nonnegative=True)
u_step = _sym("u", "u", "u", "scaled step eta r^2/2 of the midpoint map (119), in (0, 1/3]",
              nonnegative=True)
v_step = _sym("v", "v", "v", "scaled step eta d_1 K r^(gamma-1) of (137), in (0, 1/gamma]",
              nonnegative=True)
z_scaled = _sym("z", "z", "z", "scaled iterate x/ell_alpha of Lemma 27's map (148), in [0, 1]",
                nonnegative=True)
b_scaled = _sym("b", "b", "b", "scaled alpha/ell_alpha^2 of Lemma 27, in [0, 1)", nonnegative=True)
w_step = _sym("w", "w", "w", "scaled step eta ell_alpha^2/2 of Lemma 27, in (0, 1/3]",
              nonnegative=True)
# forward Euler over the whole domain (fa_proofs.sections.discrete.euler_whole_domain): every
# length is scaled by S*, ell_inf or ell, every step by a bound of (145); all in [0, 1]
m_inv = _sym("m", "m", "m", "1/S*: the compactified parameter of forward Euler, in (0, 1)",
             positive=True)
xi_scaled = _sym("xi", "xi", r"\xi", "x/S* on R, in [0, 1]", positive=True)
tau_scaled = _sym("tau", "tau", r"\tau", "S/x on R, in [0, 1]", positive=True)
a_incr = _sym("a", "a", "a", "the Euler increment x_{t+1} - x_t = eta P/2, in [0, 1]",
              positive=True)
omega_step = _sym("omega", "omega", r"\omega", "eta over a bound of (145), in (0, 1]",
                  positive=True)
g_inf = _sym("g", "g", "g", "ell_inf/S*, in (0, 1]", positive=True)
rho_scaled = _sym("rho", "rho", r"\rho", "(2 d lam)^(1/3)/ell (a ratio of lengths), in (0, 1]",
                  positive=True)
mu_scaled = _sym("mu", "mu", r"\mu", "where ell_{S_t} lies between (2 d lam)^(1/3) and ell_inf, "
                 "in [0, 1]", positive=True)
mu_next = _sym("mu_next", "mu'", r"\mu'", "the same for ell_{S_{t+1}}", positive=True)

# --- Section 4 / Appendix C: learning times ---------------------------------------------------
delta = _sym("delta", "delta", r"\delta", "scale of the double limit: theta1(0) = r2 +- e^-delta, "
             "t -> delta t, (14)", positive=True)
alpha_T = _sym("alpha_T", "alpha", r"\alpha", "limit of theta1(delta T) as delta -> oo, (14), "
               "(101), (104)", real=True)
T_learn = _sym("T", "T", "T", "learning time of the step (15) = (106)", positive=True)
T0_vanish = _sym("T_0", "T0", "T_0", "vanishing time of theta1 under (7), (16) = (112)",
                 positive=True)
R_box = _sym("R", "R", "R", "half-width of footnote 2's box U([-R, R])^2", positive=True)


def layer_symbols(L: int) -> tuple[sp.Symbol, ...]:
    """theta_1, ..., theta_L (real)."""
    return sp.symbols(f"theta1:{L + 1}", real=True)


def integration_constants(L: int) -> tuple[sp.Symbol, ...]:
    """K_2, ..., K_L: the integration constants of the L-layer flow (85)-(86), (92) (real;
    K_l = 0 for every l is the initialisation (11))."""
    return tuple(sp.symbols(f"K2:{L + 1}", real=True))


def fa_symbols(L: int) -> tuple[sp.Symbol, ...]:
    """d_1, ..., d_{L-1} (d_L = 1); d_1 is :data:`d1`."""
    return tuple(sp.symbols(f"d1:{L}", positive=True))


def latex_names() -> dict[sp.Symbol, str]:
    """Symbol -> LaTeX, for ``sympy.latex(..., symbol_names=...)``."""
    return {p.symbol: p.latex for p in TABLE}


def display_names() -> dict[sp.Symbol, str]:
    return {p.symbol: p.display for p in TABLE}
