"""Figure objects, rendering and the ``fa-proofs figures`` command (see the package doc)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..errors import UsageError


@dataclass(frozen=True)
class FigureCheck:
    """One check of a figure's data: ``ok``, what was checked, and its numbers."""

    name: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class Figure:
    name: str
    caption: str
    location: str
    parts: Mapping[str, Any]
    compute: Callable[[int, Mapping[str, Any]], Any]
    check: Callable[[Any, Mapping[str, Any]], list[FigureCheck]]
    plot: Callable[[Any, Path], list[Path]]
    notes: tuple[str, ...] = field(default=())

    def run(self, seed: int = 0, **mutant: Any) -> tuple[Any, list[FigureCheck]]:
        """Compute and check (``mutant``: replaced parts, which the data and the check both
        read)."""
        unknown = set(mutant) - set(self.parts)
        if unknown:
            raise KeyError(f"figure {self.name} has no part {sorted(unknown)}")
        parts = {**self.parts, **mutant}
        data = self.compute(seed, parts)
        return data, self.check(data, parts)


FIGURES: dict[str, Figure] = {}


def register(fig: Figure) -> Figure:
    FIGURES[fig.name] = fig
    return fig


def _load() -> None:
    from . import paper  # noqa: F401  (registers the figures)


def list_figures(out: str | Path = "figures") -> list[dict[str, Any]]:
    """Every figure: name, caption, location in the paper and its files under ``out`` (PNG, PDF;
    made by :func:`render` or ``fa-proofs figures``), Figure 2 included."""
    _load()
    out = Path(out)
    rows = [{"name": f.name, "caption": f.caption, "location": f.location,
             "files": [out / f"figure{f.name}.png", out / f"figure{f.name}.pdf"]}
            for f in FIGURES.values()]
    rows.insert(3, {"name": "2", "caption": "Trace norms and reconstruction errors of linear "
                    "autoencoders, FA (mean +- 2 std over 15 repeats) and GD",
                    "location": "Section 6, Figure 2; Appendix E.2",
                    "files": [out / "figure2_data-normalised.png",
                              out / "figure2_data-normalised.pdf"],
                    "command": "fa-proofs experiment autoencoder --reading data-normalised"})
    return rows


def render(name: str, out: Path, seed: int = 0) -> tuple[list[Path], list[FigureCheck]]:
    _load()
    fig = FIGURES[name]
    data, checks = fig.run(seed)
    out.mkdir(parents=True, exist_ok=True)
    return fig.plot(data, out / f"figure{name}"), checks


def main(args) -> int:
    from ..cli import _int
    from ..report import emit
    _load()
    names = [n.lower().removeprefix("fig").removeprefix("ure") for n in args.names] or \
        list(FIGURES)
    for n in names:
        if n not in FIGURES:
            raise UsageError(f"unknown figure {n!r}; one of {', '.join(FIGURES)} (Figure 2: "
                             "'fa-proofs experiment autoencoder')")
    seed = _int(args.seed, "--seed", 0)
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create --out directory {args.out!r}: {exc.strerror}") from None
    bad = 0
    lines: list[str] = []
    for n in names:
        paths, checks = render(n, out, seed)
        lines.append(f"Figure {n}: {FIGURES[n].caption}")
        for c in checks:
            bad += not c.ok
            lines.append(f"  [{'pass' if c.ok else 'FAIL'}] {c.name}: {c.detail}")
        lines.extend(f"  wrote {p}" for p in paths)
    emit("\n".join(lines))
    return 1 if bad else 0


def save(fig, stem: Path) -> list[Path]:
    """PNG (150 dpi) and PDF (no creation date: same bytes for the same data)."""
    import matplotlib.pyplot as plt
    paths = []
    for ext in ("png", "pdf"):
        p = stem.with_suffix(f".{ext}")
        fig.savefig(p, dpi=150, metadata={"CreationDate": None} if ext == "pdf" else None)
        paths.append(p)
    plt.close(fig)
    return paths


def pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


__all__: Sequence[str] = ["Figure", "FigureCheck", "FIGURES", "list_figures", "render", "main"]
