"""The report's files: tables (CSV and Parquet), figures (PNG) and one HTML page.

A :class:`Section` collects what one step produced; :func:`write_report` writes every
table and figure under the report folder and one self-contained page, ``report.html``:
figures embedded as base64 PNGs (and linked to their files), tables as HTML (and linked
to their CSV and Parquet files), one ``<section>`` per step.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._results import format_frame

__all__ = ["MAX_TABLE_ROWS", "Section", "write_report"]

#: Rows of a table shown on the page (the files hold every row).
MAX_TABLE_ROWS = 60
#: Text cells longer than this many characters wrap (messages, notes); others do not.
LONG_TEXT = 48
#: Resolution of the figures, dots per inch.
FIGURE_DPI = 100

_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0;
       color: #1f2328; background: #f6f8fa; line-height: 1.45; }
header { background: #17324d; color: white; padding: 1.2em 2em; }
header h1 { margin: 0 0 0.2em 0; font-size: 1.5em; }
header p { margin: 0; opacity: 0.85; font-size: 0.9em; }
main { max-width: 1180px; margin: 0 auto; padding: 1em 2em 3em 2em; }
nav ol { columns: 3; font-size: 0.95em; }
section { background: white; border: 1px solid #d0d7de; border-radius: 6px;
          padding: 0.6em 1.4em 1.2em 1.4em; margin: 1.2em 0; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 0.3em; font-size: 1.25em; }
h3 { font-size: 1em; margin: 1.2em 0 0.4em 0; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eaeef2; }
figcaption, p.files { font-size: 0.85em; color: #57606a; }
div.table { overflow-x: auto; }
table.data { border-collapse: collapse; font-size: 0.82em; margin: 0.3em 0; }
table.data th, table.data td { border-bottom: 1px solid #eaeef2; padding: 0.25em 0.6em;
                               white-space: nowrap; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; }
table.data .txt { text-align: left; }
table.data td.long { white-space: normal; min-width: 24em; max-width: 40em; }
table.data thead th { background: #f6f8fa; border-bottom: 2px solid #d0d7de; }
table.data tbody th { font-weight: 600; }
ul.warnings li { font-size: 0.85em; color: #7d4e00; }
a { color: #0969da; }
"""


@dataclass
class Section:
    """One step's part of the page: a title, paragraphs, tables, figures and files.

    Examples
    --------
    >>> s = Section("band", "The arbitrage band", ["APs create above the band."])
    >>> s.add_table("components", "Components", pd.DataFrame({"create_bp": [1.0]}))
    >>> [t[0] for t in s.tables]
    ['components']
    """

    key: str
    title: str
    paragraphs: list[str]
    tables: list[tuple[str, str, pd.DataFrame | pd.Series]] = field(default_factory=list)
    figures: list[tuple[str, str, Any]] = field(default_factory=list)
    files: list[tuple[Path, str]] = field(default_factory=list)

    def add_table(self, name: str, caption: str, frame: pd.DataFrame | pd.Series) -> None:
        """Add a table (written as CSV and Parquet, shown as HTML).

        A Series is a column of named quantities: each row is formatted by the unit in
        its label (``_usd``, ``_bp``...).
        """
        self.tables.append((name, caption, frame))

    def add_figure(self, name: str, caption: str, figure: Any) -> None:
        """Add a matplotlib Figure (written as PNG, embedded in the page)."""
        self.figures.append((name, caption, figure))

    def add_file(self, path: Path, label: str) -> None:
        """Link a file the step wrote itself (e.g. a hedge-cost curve)."""
        self.files.append((path, label))


def parquet_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its index as columns and every object column of one type.

    Parquet stores a column of one type: object columns that mix strings and numbers
    are written as strings (missing values stay missing).

    Examples
    --------
    >>> f = pd.DataFrame({"value": ["a", 1.5, None]}, index=pd.Index(["x", "y", "z"], name="k"))
    >>> p = parquet_frame(f)
    >>> list(p.columns), p["value"].tolist()[:2], p["value"].isna().tolist()
    (['k', 'value'], ['a', '1.5'], [False, False, True])
    """
    out = frame.copy()
    if not isinstance(out.index, pd.RangeIndex) or out.index.name is not None:
        names = [n if n is not None else f"level_{i}" for i, n in enumerate(out.index.names)]
        if len(names) == 1 and names[0] == "level_0":
            names = ["index"]
        out.index = out.index.set_names(names)
        out = out.reset_index()
    out.columns = [str(c) for c in out.columns]
    for col in out.columns:
        values = out[col]
        if values.dtype == object:
            kinds = {type(v) for v in values if v is not None and not _is_nan(v)}
            if len(kinds) > 1 or (kinds and not kinds <= {str}):
                out[col] = [None if v is None or _is_nan(v) else str(v) for v in values]
    return out


def _is_nan(v: Any) -> bool:
    return isinstance(v, float) and np.isnan(v)


def _png(figure: Any) -> bytes:
    buf = io.BytesIO()
    figure.savefig(buf, format="png", dpi=FIGURE_DPI)
    return buf.getvalue()


def _series_html(series: pd.Series) -> str:
    """A column of named quantities: label, value formatted by the label's unit."""
    text = format_frame(series)
    name = str(series.name) if series.name is not None else "value"
    rows = "".join(
        f'<tr><th class="txt">{html.escape(str(k))}</th>'
        f'<td class="num">{html.escape(str(v))}</td></tr>'
        for k, v in zip(text.index, text.iloc[:, 0], strict=True)
    )
    return (
        f'<table class="data"><thead><tr><th class="txt"></th><th class="num">'
        f"{html.escape(name)}</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _table_html(frame: pd.DataFrame | pd.Series) -> str:
    if isinstance(frame, pd.Series):
        return _series_html(frame)
    """A table as HTML, formatted by unit (``format_frame``), numbers right-aligned.

    The index comes first (bold), text is left-aligned.
    """
    shown = frame.head(MAX_TABLE_ROWS).reset_index()
    if "index" in shown.columns and frame.index.name is None and frame.index.nlevels == 1:
        shown = shown.rename(columns={"index": ""})
    n_index = frame.index.nlevels
    text = format_frame(shown)
    numeric = [
        pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])
        for c in shown.columns
    ]
    head = "".join(
        f'<th class="{"num" if num else "txt"}">{html.escape(str(c))}</th>'
        for c, num in zip(shown.columns, numeric, strict=True)
    )
    rows = []
    for r in range(len(text)):
        cells = []
        for k, (value, num) in enumerate(zip(text.iloc[r], numeric, strict=True)):
            tag = "th" if k < n_index else "td"
            kind = "num" if num else "txt long" if len(value) > LONG_TEXT else "txt"
            cells.append(f'<{tag} class="{kind}">{html.escape(value)}</{tag}>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body = (
        f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    if len(frame) > MAX_TABLE_ROWS:
        body += f'<p class="files">first {MAX_TABLE_ROWS} of {len(frame):,} rows</p>'
    return body


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _warning_item(note: str) -> str:
    """One warning as a list item; its own lines (a reader's list of problems) as a sublist."""
    head, *rest = [line.strip() for line in str(note).splitlines() if line.strip()] or [""]
    if not rest:
        return f"<li>{html.escape(head)}</li>"
    sub = "".join(f"<li>{html.escape(line.lstrip('- '))}</li>" for line in rest)
    return f"<li>{html.escape(head)}<ul>{sub}</ul></li>"


def write_report(
    folder: Path,
    sections: list[Section],
    steps: pd.DataFrame,
    notes: list[str],
    title: str,
) -> list[Path]:
    """Write every table, figure and the page; return the paths written.

    Examples
    --------
    >>> import tempfile
    >>> s = Section("demo", "Demo", ["A paragraph."])
    >>> s.add_table("t", "A table", pd.DataFrame({"x_bp": [1.0]}))
    >>> steps = pd.DataFrame({"title": ["demo"], "result": ["ok"], "seconds": [0.1]},
    ...                      index=pd.Index(["demo"], name="step"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = write_report(Path(tmp), [s], steps, [], "A title")
    ...     print(sorted(p.name for p in files))
    ['demo_t.csv', 'demo_t.parquet', 'report.html', 'summary.csv', 'summary.parquet']
    """
    from .. import __version__

    tables_dir = folder / "tables"
    figures_dir = folder / "figures"
    tables_dir.mkdir(exist_ok=True)
    figures_dir.mkdir(exist_ok=True)
    written: list[Path] = []
    parts: list[str] = []
    for number, sec in enumerate(sections, start=1):
        body = [f'<section id="{sec.key}" class="step">']
        body.append(f"<h2>{number}. {html.escape(sec.title)}</h2>")
        body += [f"<p>{html.escape(p)}</p>" for p in sec.paragraphs]
        for name, caption, fig in sec.figures:
            data = _png(fig)
            path = figures_dir / f"{sec.key}_{name}.png"
            path.write_bytes(data)
            written.append(path)
            b64 = base64.b64encode(data).decode("ascii")
            body.append(
                f'<figure><img src="data:image/png;base64,{b64}" alt="{html.escape(caption)}">'
                f"<figcaption>{html.escape(caption)} "
                f'(<a href="{_rel(path, folder)}">PNG</a>)</figcaption></figure>'
            )
        for name, caption, frame in sec.tables:
            csv = tables_dir / f"{sec.key}_{name}.csv"
            parquet = tables_dir / f"{sec.key}_{name}.parquet"
            as_frame = frame.to_frame() if isinstance(frame, pd.Series) else frame
            as_frame.to_csv(csv)
            parquet_frame(as_frame).to_parquet(parquet, index=False)
            written += [csv, parquet]
            body.append(f'<h3>{html.escape(caption)}</h3><div class="table">')
            body.append(_table_html(frame))
            body.append(
                f'<p class="files"><a href="{_rel(csv, folder)}">CSV</a> · '
                f'<a href="{_rel(parquet, folder)}">Parquet</a></p></div>'
            )
        if sec.files:
            links = " · ".join(
                f'<a href="{_rel(p, folder)}">{html.escape(label)}</a>' for p, label in sec.files
            )
            body.append(f'<p class="files">Files: {links}</p>')
        body.append("</section>")
        parts.append("\n".join(body))
    summary = steps.set_index("title")[["result", "seconds"]].rename_axis("step")
    summary_csv = tables_dir / "summary.csv"
    summary_parquet = tables_dir / "summary.parquet"
    steps.to_csv(summary_csv)
    parquet_frame(steps).to_parquet(summary_parquet, index=False)
    written += [summary_csv, summary_parquet]
    summary_links = (
        f'<p class="files"><a href="{_rel(summary_csv, folder)}">CSV</a> · '
        f'<a href="{_rel(summary_parquet, folder)}">Parquet</a></p>'
    )
    toc = "".join(f'<li><a href="#{s.key}">{html.escape(s.title)}</a></li>' for s in sections)
    warn = ""
    if notes:
        items = "".join(_warning_item(n) for n in notes)
        warn = (
            '<section id="warnings"><h2>What the data said</h2><p>Warnings raised while '
            f'reading and pricing (the run kept going):</p><ul class="warnings">{items}</ul>'
            "</section>"
        )
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<p>etfcore {html.escape(__version__)}: bond analytics, NAV, arbitrage band, premium dynamics,
hedge, hedge-cost curves, liquidity backstop, RFQ and TCA, one section per step.</p>
</header>
<main>
<nav><h2>Contents</h2><ol>{toc}</ol></nav>
<section id="summary"><h2>Summary</h2><div class="table">{_table_html(summary)}
{summary_links}</div></section>
{warn}
{chr(10).join(parts)}
</main>
</body>
</html>
"""
    path = folder / "report.html"
    path.write_text(page, encoding="utf-8")
    written.append(path)
    return written
