"""One self-contained HTML report: every figure embedded as a base64 PNG, nothing linked.

A section holds a title, notes (lines), the options of the run (a table), the test metrics (a table, in
the target's units), figures ``(caption, png bytes)`` from ``neuronet.cli.figures`` and the model summary.
Each file is written atomically (``neuronet.utils.atomic``).

    >>> page = render_html("run", [{"title": "t", "metrics": {"mae": 2.41}, "figures": [("c", b"png")]}])
    >>> "data:image/png;base64,cG5n" in page and '<td class="num">2.41</td>' in page
    True
"""
from __future__ import annotations

import base64
import html
import json
import os

import numpy as np

from neuronet.utils.atomic import atomic_write_text

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:16px;line-height:1.45;
     margin:1.5em auto;max-width:1180px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
h3{font-size:1.1em;margin-top:1.2em}
table{border-collapse:collapse;margin:.4em 0}th,td{border:1px solid #ccc;padding:.25em .7em;text-align:left}
th{background:#f3f3f3;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:14px}
figure{margin:.8em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.95em;color:#555}.warn{color:#8a5300}
"""


def write_text(path, text: str) -> None:
    """``text`` (UTF-8) to ``path`` atomically (temporary file, fsync, replace), like model files."""
    atomic_write_text(path, text)


def write_json(path, value) -> None:
    write_text(path, json.dumps(value, indent=2, default=_jsonable))


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def render_html(title: str, sections: list[dict]) -> str:
    """The page: for each section its notes, warnings, options, test metrics, figures and model summary."""
    esc = html.escape
    body = [f"<h1>{esc(title)}</h1>"]
    for sec in sections:
        body.append(f"<h2>{esc(sec['title'])}</h2>")
        body += [f"<p>{esc(line)}</p>" for line in sec.get("notes", [])]
        body += [f'<p class="warn">Warning: {esc(line)}</p>' for line in sec.get("warnings", [])]
        if sec.get("metrics"):
            rows = "".join(f"<tr><th>{esc(str(k))}</th><td class=\"num\">{_fmt(v)}</td></tr>"
                           for k, v in sec["metrics"].items())
            body.append(f"<h3>Test metrics</h3><table>{rows}</table>")
        for caption, png in sec.get("figures", []):
            data = base64.b64encode(png).decode("ascii")
            body.append(f'<figure><img src="data:image/png;base64,{data}" alt="{esc(caption)}">'
                        f"<figcaption>{esc(caption)}</figcaption></figure>")
        if sec.get("options"):
            rows = "".join(f"<tr><th>{esc(str(k))}</th><td>{_fmt(v)}</td></tr>" for k, v in sec["options"].items())
            body.append(f"<h3>Options</h3><table>{rows}</table>")
        if sec.get("summary"):
            body.append(f"<h3>Model</h3><pre>{esc(sec['summary'])}</pre>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def write_html(directory, title: str, sections: list[dict]) -> str:
    """``report.html`` in ``directory`` (see ``render_html``); returns its path."""
    path = os.path.join(directory, "report.html")
    write_text(path, render_html(title, sections))
    return path


def _fmt(value):
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.4g}"
    if isinstance(value, (list, tuple)):
        return html.escape(", ".join(map(str, value)) or "-")
    return html.escape("-" if value is None else str(value))


__all__ = ["render_html", "write_html", "write_text", "write_json"]
