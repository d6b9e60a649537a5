"""Small converters for the report: the notes' Markdown (paragraphs, nested bullet lists,
tables, inline code, bold, emphasis) to HTML; the LaTeX of :func:`fa_proofs.latex.claim_section`
to HTML with every formula as MathML, rendered on the server by ``latex2mathml`` (no network,
no script: the browser draws MathML itself); and the same LaTeX to Markdown math.
"""
from __future__ import annotations

import html
import re

# --- Markdown (notes) -> HTML --------------------------------------------------------------------


def inline(text: str) -> str:
    """Inline Markdown to HTML: `code`, **bold**, *emphasis*, the rest escaped."""
    out = []
    for i, part in enumerate(re.split(r"(`[^`]*`)", text)):
        if i % 2:
            out.append(f"<code>{html.escape(part[1:-1])}</code>")
            continue
        s = html.escape(part, quote=False)
        s = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", s)
        s = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", s)
        out.append(s)
    return "".join(out)


def _table(rows: list[str]) -> str:
    cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
    cells = [r for r in cells if not all(re.fullmatch(r":?-{3,}:?", c) for c in r)]
    if not cells:
        return ""
    head, body = cells[0], cells[1:]
    out = ["<table><thead><tr>", *(f"<th>{inline(c)}</th>" for c in head), "</tr></thead><tbody>"]
    for r in body:
        out += ["<tr>", *(f"<td>{inline(c.replace(chr(92) + '|', '|'))}</td>" for c in r), "</tr>"]
    return "".join(out + ["</tbody></table>"])


def markdown(text: str) -> str:
    """Block Markdown to HTML (what the notes use: paragraphs, '-' lists nested by indentation,
    tables, '#' headings as bold lines)."""
    lines = text.splitlines()
    out: list[str] = []
    para: list[str] = []
    stack: list[int] = []          # indentation of the open lists
    item_open: list[bool] = []
    i = 0

    def flush_para() -> None:
        if para:
            out.append(f"<p>{inline(' '.join(para))}</p>")
            para.clear()

    def close_lists(to: int = -1) -> None:
        while stack and stack[-1] > to:
            stack.pop()
            out.append("</li></ul>")
            item_open.pop()

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush_para()
            i += 1
            continue
        m = re.match(r"^(\s*)[-*] (.*)$", line)
        if m:
            flush_para()
            ind = len(m.group(1))
            close_lists(ind)
            if not stack or stack[-1] < ind:
                out.append("<ul><li>")
                stack.append(ind)
                item_open.append(True)
            else:
                out.append("</li><li>")
            buf = [m.group(2)]
            i += 1
            while i < len(lines) and lines[i].strip() and not re.match(r"^\s*[-*] ", lines[i]) \
                    and len(lines[i]) - len(lines[i].lstrip()) > ind:
                buf.append(lines[i].strip())
                i += 1
            out.append(inline(" ".join(buf)))
            continue
        if line.lstrip().startswith("|"):
            flush_para()
            close_lists()
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(lines[i])
                i += 1
            out.append(_table(rows))
            continue
        h = re.match(r"^#+ (.*)$", line)
        if h:
            flush_para()
            close_lists()
            out.append(f"<p><strong>{inline(h.group(1))}</strong></p>")
            i += 1
            continue
        if stack and len(line) - len(line.lstrip()) > stack[-1]:
            out.append(" " + inline(line.strip()))
            i += 1
            continue
        close_lists()
        para.append(line.strip())
        i += 1
    flush_para()
    close_lists()
    return "\n".join(out)


# --- LaTeX -> MathML ------------------------------------------------------------------------------
def _clean_math(tex: str) -> str:
    tex = re.sub(r"\\tag\*?\{[^{}]*\}|\\notag", "", tex)
    return tex.strip()


def mathml(tex: str, display: bool = False) -> str:
    """The formula as MathML (server-side, ``latex2mathml``); an unconvertible formula is shown
    as its source in a ``<code class="tex-fallback">`` (the browser test fails on any)."""
    from latex2mathml.converter import convert
    tex = _clean_math(tex)
    try:
        return convert(tex, display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula the converter does not know
        return f'<code class="tex-fallback">{html.escape(tex)}</code>'


_TEXT_CMDS = {r"\_": "_", r"\&": "&", r"\%": "%", r"\#": "#", r"\$": "$", r"\{": "{", r"\}": "}",
              r"\textbackslash{}": "\\", r"\textasciitilde{}": "~", r"\textasciicircum{}": "^",
              "---": "\u2014", "--": "\u2013", "~": "\u00a0", "``": "\u201c", "''": "\u201d"}


def _text_html(s: str) -> str:
    """LaTeX text (no math) to HTML: \\emph, \\texttt, \\textbf and the escapes of
    :func:`fa_proofs.latex._escape`."""
    out = []
    i = 0
    while i < len(s):
        m = re.match(r"\\(emph|texttt|textbf|text)\{", s[i:])
        if m:
            j = i + m.end()
            depth, k = 1, j
            while k < len(s) and depth:
                depth += {"{": 1, "}": -1}.get(s[k], 0) if s[k - 1] != "\\" else 0
                k += 1
            inner = _text_html(s[j:k - 1])
            tag = {"emph": "em", "texttt": "code", "textbf": "strong", "text": "span"}[m.group(1)]
            out.append(f"<{tag}>{inner}</{tag}>")
            i = k
            continue
        for k, v in _TEXT_CMDS.items():
            if s.startswith(k, i):
                out.append(html.escape(v))
                i += len(k)
                break
        else:
            out.append(html.escape(s[i]))
            i += 1
    return "".join(out)


def _text_with_math(s: str) -> str:
    parts = re.split(r"(?<!\\)\$", s)
    return "".join(mathml(p) if i % 2 else _text_html(p) for i, p in enumerate(parts))


def _body(tex: str) -> str:
    """The section without its heading and its first paragraph (location and erratum, which
    the report states itself)."""
    m = re.match(r"\\subsection\*?\{.*\}\n\\emph\{.*?\n\n", tex, re.S)
    if m:
        return tex[m.end():]
    return re.sub(r"\\(sub)*section\*?\{.*\}\n", "", tex)


_ENV = re.compile(r"\\begin\{(equation|multline|itemize)\}\n?(.*?)\\end\{\1\}\n?", re.S)


def _tag_of(body: str) -> str:
    m = re.search(r"\\tag\*?\{([^{}]*)\}", body)
    return _text_html(m.group(1)) if m else ""


def latex_html(tex: str) -> str:
    """A claim's LaTeX section as HTML (heading and location line dropped: the report writes
    its own)."""
    tex = _body(tex)
    out = []
    pos = 0
    for m in _ENV.finditer(tex):
        out.append(_paras(tex[pos:m.start()]))
        kind, body = m.group(1), m.group(2)
        if kind == "itemize":
            items = [x.strip() for x in body.split(r"\item") if x.strip()]
            out.append("<ul>" + "".join(f"<li>{_text_with_math(x)}</li>" for x in items) + "</ul>")
        else:
            tag = _tag_of(body)
            lines = [ln for ln in re.split(r"\\\\\n?", body) if ln.strip()]
            rows = "".join(f'<div class="eqline">{mathml(ln, True)}</div>' for ln in lines)
            out.append(f'<div class="equation">{rows}<span class="eqtag">{tag}</span></div>')
        pos = m.end()
    out.append(_paras(tex[pos:]))
    return "\n".join(x for x in out if x.strip())


def _paras(s: str) -> str:
    return "\n".join(f"<p>{_text_with_math(p.strip())}</p>" for p in re.split(r"\n\s*\n", s)
                     if p.strip())


# --- LaTeX -> Markdown -----------------------------------------------------------------------------
def _text_md(s: str) -> str:
    s = re.sub(r"\\emph\{([^{}]*)\}", r"*\1*", s)
    s = re.sub(r"\\texttt\{([^{}]*)\}", r"`\1`", s)
    for k, v in _TEXT_CMDS.items():
        if k.startswith("\\"):
            s = s.replace(k, v)
    return s.replace("---", "\u2014").replace("--", "\u2013").replace("~", " ")


def latex_md(tex: str) -> str:
    """A claim's LaTeX section as Markdown with ``$$...$$`` display math."""
    tex = _body(tex)
    out = []
    pos = 0
    for m in _ENV.finditer(tex):
        out.append(_text_md(tex[pos:m.start()]).strip())
        kind, body = m.group(1), m.group(2)
        if kind == "itemize":
            out.append("\n".join("- " + _text_md(x.strip()) for x in body.split(r"\item")
                                 if x.strip()))
        else:
            tag = re.search(r"\\tag\*?\{[^{}]*\}", body)
            math = " ".join(_clean_math(ln) for ln in re.split(r"\\\\\n?", body) if ln.strip())
            out.append(f"$$\n{math}" + (f" {tag.group(0)}" if tag else "") + "\n$$")
        pos = m.end()
    out.append(_text_md(tex[pos:]).strip())
    return "\n\n".join(x for x in out if x)
