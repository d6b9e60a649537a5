"""The linear-autoencoder experiment of Section 6 and Appendix E.2 (Figure 2), under named readings.

Set-up (Section 6, Appendix E.2, (194)-(196)): d = o = 20, k = 5, n = 1000 samples
``x_i = A z_i + eps_i`` with ``A_ij ~ U([0, 1])``, ``eps_i ~ 1e-3 N(0, I_d)`` and ``z_i`` Gaussian,
with covariance ``diag(4, 2, 1, 1/2, 1/4)`` (main text) or ``I_5`` ((196), Appendix E.2).  The
networks are ``W2 W1`` (194) and ``W3 W2 W1`` (195), ``W_l`` 20 x 20, started from
``1e-5 U([0, 1])``; full-batch training with step ``eta = 0.01`` on the loss
``L = 1/2 E||y - W x||^2`` with ``y = x`` (so ``Sigma_xy = Sigma_xx``):

* GD: ``W_l <- W_l + eta W_[l+1:L]^T (Sigma_xy - Theta Sigma_xx) W_[1:l-1]^T`` ((73)-(75));
* FA, Proposition 4's form (8): ``W_l <- W_l + eta M_l (Sigma_xy - Theta Sigma_xx)
  W_[1:l-1]^T`` with ``M_L = I`` and the other ``M_l`` drawn with entries ``U([0, 1])``;
* FA, chained form (the "legitimate" update below Proposition 4): ``M_l = B_{l+1} ... B_L``
  with ``B_L = I`` and independent ``B_l`` of entries ``U([0, 1])``.

Exact reformulation: the full-batch gradient over the n samples only involves the 20 x 20
empirical covariance ``Sigma_xx = X^T X / n`` (the sum over samples is computed once); the FA
repeats are a stacked batch of matrices.  :func:`train_plain` is the per-repeat loop over the
samples, the reference the fast path is tested against.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

import numpy as np

from ..errors import UsageError

D, K_LATENT, N_SAMPLES = 20, 5, 1000
NOISE = 1e-3
INIT_SCALE = 1e-5
ETA = 0.01
MAIN_COV = (4.0, 2.0, 1.0, 0.5, 0.25)          # Section 6: z ~ N(0, diag(4, 2, 1, 1/2, 1/4))
APPENDIX_COV = (1.0, 1.0, 1.0, 1.0, 1.0)       # (196): z ~ N(0, I_h), h = 5


@dataclass(frozen=True)
class Reading:
    """One reading of the set-up.  ``latent_cov``: the covariance of z; ``feedback``: 'prop4'
    (independent M_l, (8)) or 'chained' (M_l = B_{l+1}...B_L); ``feedback_norm``: divide each
    feedback matrix by its spectral norm; ``data_norm``: divide Sigma_xx by its largest
    eigenvalue (x rescaled to unit top variance); ``eta``: the step size."""

    name: str
    text: str
    latent_cov: tuple[float, ...] = MAIN_COV
    feedback: str = "prop4"
    feedback_norm: bool = False
    data_norm: bool = False
    eta: float = ETA
    literal: bool = False


READINGS: dict[str, Reading] = {r.name: r for r in (
    Reading("literal", "Section 6 as printed: z ~ N(0, diag(4,2,1,1/2,1/4)), eta = 0.01, "
            "M_l entries U([0,1]), Proposition 4's form", literal=True),
    Reading("appendix", "Appendix E.2 (196): z ~ N(0, I_5), otherwise as printed",
            latent_cov=APPENDIX_COV, literal=True),
    Reading("chained", "as printed, 3-layer FA with the chained feedback M_1 = B_2 B_3",
            feedback="chained", literal=True),
    Reading("feedback-normalised", "as printed, each feedback matrix divided by its spectral "
            "norm (||M_l||_2 = 1)", feedback_norm=True),
    Reading("data-normalised", "as printed, x divided by the square root of the largest "
            "eigenvalue of Sigma_xx (top variance 1)", data_norm=True),
    Reading("small-step", "as printed, step size eta = 1e-4", eta=1e-4),
    Reading("appendix-feedback-normalised", "(196) with z ~ N(0, I_5) and feedback matrices of "
            "spectral norm 1", latent_cov=APPENDIX_COV, feedback_norm=True),
)}


def reading(name: str) -> Reading:
    try:
        return READINGS[name]
    except KeyError:
        raise UsageError(f"unknown reading {name!r}; one of {', '.join(READINGS)}") from None


@dataclass(frozen=True)
class Problem:
    """The data and the starting point shared by GD and every FA repeat."""

    reading: Reading
    depth: int
    A: np.ndarray
    X: np.ndarray                 # (n, d) samples
    sigma: np.ndarray             # Sigma_xx = X^T X / n (after the reading's normalisation)
    W0: tuple[np.ndarray, ...]    # W_1(0), ..., W_L(0)
    feedback: np.ndarray          # (R, L-1, d, d): M_1, ..., M_{L-1} per repeat
    scale: float = 1.0            # the data normalisation applied to x (1 if none)

    @property
    def eigen(self) -> tuple[np.ndarray, np.ndarray]:
        """Eigenvalues (decreasing) and eigenvectors of Sigma_xx."""
        w, v = np.linalg.eigh(self.sigma)
        return w[::-1], v[:, ::-1]

    def best_rank_k(self, k: int = K_LATENT) -> tuple[np.ndarray, float]:
        """The projector P_k onto the top-k eigenvectors of Sigma_xx (the best rank-k linear
        reconstruction, Eckart-Young) and its error tr((I - P_k) Sigma_xx) = sum of the other
        eigenvalues."""
        w, v = self.eigen
        P = v[:, :k] @ v[:, :k].T
        return P, float(w[k:].sum())


def make_problem(rd: Reading, depth: int, repeats: int = 15, seed: int = 0) -> Problem:
    """Draw A, the samples, W(0) and the feedback matrices of every repeat (deterministic for a
    seed; the data and W(0) do not depend on ``depth`` or ``repeats``)."""
    if depth not in (2, 3):
        raise UsageError(f"depth must be 2 or 3, got {depth}")
    if repeats < 1:
        raise UsageError(f"repeats must be >= 1, got {repeats}")
    data_rng = np.random.default_rng([seed, 0])
    A = data_rng.uniform(0.0, 1.0, (D, K_LATENT))
    Z = data_rng.standard_normal((N_SAMPLES, K_LATENT)) * np.sqrt(np.asarray(rd.latent_cov))
    X = Z @ A.T + NOISE * data_rng.standard_normal((N_SAMPLES, D))
    scale = 1.0
    if rd.data_norm:
        scale = 1.0 / np.sqrt(np.linalg.eigvalsh(X.T @ X / N_SAMPLES)[-1])
        X = X * scale
    sigma = X.T @ X / N_SAMPLES
    w_rng = np.random.default_rng([seed, 1])
    W0 = tuple(INIT_SCALE * w_rng.uniform(0.0, 1.0, (D, D)) for _ in range(3))[:depth]
    f_rng = np.random.default_rng([seed, 2])
    B = f_rng.uniform(0.0, 1.0, (repeats, depth - 1, D, D))
    if rd.feedback == "chained" and depth == 3:
        M = B.copy()
        M[:, 0] = B[:, 0] @ B[:, 1]            # M_1 = B_2 B_3, M_2 = B_3
        M[:, 1] = B[:, 1]
    else:
        M = B
    if rd.feedback_norm:
        M = M / np.linalg.norm(M, 2, axis=(-2, -1), keepdims=True)
    return Problem(rd, depth, A, X, sigma, W0, M, scale)


def record_points(iterations: int, per_decade: int = 40) -> np.ndarray:
    """Iterations at which the curves are recorded: 0 and log-spaced points up to the end."""
    if iterations < 1:
        return np.array([0])
    pts = np.unique(np.round(np.logspace(0, np.log10(iterations),
                                         per_decade * max(1, int(np.ceil(np.log10(iterations
                                                                                  + 1)))))))
    return np.unique(np.concatenate([[0], pts.astype(int), [iterations]]))


@dataclass
class Curves:
    """Recorded curves: ``t`` (iterations), and per run (rows) the trace norm of Theta(t), the
    reconstruction error tr((I - Theta) Sigma_xx (I - Theta)^T) (= mean ||x_i - Theta x_i||^2),
    the distance ||Theta - P_k||_F to the best rank-k reconstruction, and the projections
    u_j^T Theta u_j on the top-k eigenvectors.  ``diverged[r]``: the first iteration whose
    weights are not finite or exceed 1e8 (-1 if none); later values are NaN."""

    t: np.ndarray
    trace_norm: np.ndarray
    recon: np.ndarray
    dist_pk: np.ndarray
    components: np.ndarray        # (runs, len(t), k)
    diverged: np.ndarray
    end_to_end: np.ndarray | None = field(default=None, repr=False)   # Theta(T) per run


BLOWUP = 1e8


def _product(W: Sequence[np.ndarray]) -> np.ndarray:
    P = W[0]
    for w in W[1:]:
        P = w @ P
    return P


def train(problem: Problem, method: str, iterations: int, *, eta: float | None = None,
          record: np.ndarray | None = None, progress: Callable[[int], None] | None = None,
          repeats: slice | None = None, stop_above: float | None = None) -> Curves:
    """Train every FA repeat at once (``method='fa'``) or GD (``'gd'``), full batch, with the
    covariance form of the gradient (Proposition 4, (8); GD (75)).  Stacked arrays of shape
    (R, d, d); a diverged repeat is frozen (NaN from then on).  ``stop_above``: stop at the
    first recorded iteration where every run's trace norm exceeds it (later values NaN)."""
    eta = problem.reading.eta if eta is None else eta
    S = problem.sigma
    M = problem.feedback if method == "fa" else None
    if method not in ("fa", "gd"):
        raise UsageError(f"method must be fa or gd, got {method!r}")
    if M is not None and repeats is not None:
        M = M[repeats]
    R = 1 if M is None else M.shape[0]
    L = problem.depth
    W = [np.broadcast_to(w, (R, D, D)).copy() for w in problem.W0]
    rec = record_points(iterations) if record is None else record
    P_k, _ = problem.best_rank_k()
    _, V = problem.eigen
    Uk = V[:, :K_LATENT]
    out = {q: np.full((R, rec.size), np.nan) for q in ("tn", "re", "dp")}
    comps = np.full((R, rec.size, K_LATENT), np.nan)
    diverged = np.full(R, -1)
    live = np.arange(R)                 # the repeats still training (rows of W and M)
    Se = eta * S
    eye = np.eye(D)
    last = np.full((R, D, D), np.nan)
    j = 0
    with np.errstate(all="ignore"):
        for t in range(iterations + 1):
            P = _product(W)
            top = np.abs(P).max()
            if not top < BLOWUP:                     # some repeat diverged: drop it
                ok = np.all(np.abs(P) < BLOWUP, axis=(1, 2))
                diverged[live[~ok]] = t
                live, P = live[ok], P[ok]
                W = [w[ok] for w in W]
                if M is not None:
                    M = M[ok]
            if t == rec[j]:
                out["tn"][live, j] = np.linalg.svd(P, compute_uv=False).sum(-1)
                IP = eye - P
                out["re"][live, j] = np.einsum("rij,jk,rik->r", IP, S, IP)
                out["dp"][live, j] = np.linalg.norm(P - P_k, axis=(1, 2))
                comps[live, j] = np.einsum("ik,rij,jk->rk", Uk, P, Uk)
                last[:] = np.nan
                last[live] = P
                j += 1
                if progress is not None:
                    progress(t)
                if stop_above is not None and np.all(out["tn"][live, j - 1] > stop_above):
                    break
            if t == iterations or live.size == 0:
                break
            Ee = P @ Se                               # eta (Sigma_xy - Theta Sigma_xx)
            np.subtract(Se, Ee, out=Ee)
            if L == 2:
                d1 = Ee @ W[0].transpose(0, 2, 1)
                if M is None:
                    W[0] += W[1].transpose(0, 2, 1) @ Ee
                else:
                    W[0] += M[:, 0] @ Ee
                W[1] += d1
                continue
            W1t = W[0].transpose(0, 2, 1)
            d3 = Ee @ (W[1] @ W[0]).transpose(0, 2, 1)
            if M is None:
                d2 = W[2].transpose(0, 2, 1) @ Ee @ W1t
                W[0] += (W[2] @ W[1]).transpose(0, 2, 1) @ Ee
            else:
                d2 = M[:, 1] @ Ee @ W1t
                W[0] += M[:, 0] @ Ee
            W[1] += d2
            W[2] += d3
    if progress is not None and j < rec.size:
        progress(iterations)
    return Curves(rec, out["tn"], out["re"], out["dp"], comps, diverged, last)


def train_plain(problem: Problem, method: str, iterations: int, repeat: int = 0,
                per_sample: bool = True) -> list[np.ndarray]:
    """The reference: one repeat, the gradient over the n samples each step (no covariance, no
    batching): a Python loop over the samples (``per_sample``) or one product with the sample
    matrix X.  Returns Theta(t) for t = 0..iterations."""
    X = problem.X
    n = X.shape[0]
    W = [w.copy() for w in problem.W0]
    L = problem.depth
    eta = problem.reading.eta
    thetas = []
    for t in range(iterations + 1):
        P = W[0]
        for w in W[1:]:
            P = w @ P
        thetas.append(P.copy())
        if t == iterations:
            break
        if per_sample:
            G = np.zeros((D, D))
            for i in range(n):                   # sum_i (x_i - Theta x_i) x_i^T / n
                x = X[i]
                G += np.outer(x - P @ x, x)
            G /= n
        else:
            G = (X - X @ P.T).T @ X / n
        new = []
        for l in range(L):
            below = np.eye(D)
            for w in W[:l]:
                below = w @ below
            if l == L - 1:
                back = G
            elif method == "fa":
                back = problem.feedback[repeat, l] @ G
            else:
                above = np.eye(D)
                for w in W[l + 1:]:
                    above = w @ above
                back = above.T @ G
            new.append(W[l] + eta * back @ below.T)
        W = new
    return thetas


def with_reading(problem: Problem, **changes) -> Problem:
    return replace(problem, **changes)
