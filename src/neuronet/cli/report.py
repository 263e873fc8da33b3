"""Learning-curve PNGs and a self-contained HTML report (images referenced by relative paths)."""
from __future__ import annotations

import html
import json
import os


def plot_learning_curves(history: dict, directory, prefix: str = "") -> list[str]:
    """``<prefix>learning_curves.png`` in ``directory``: train and validation curves of the loss and every
    metric (``neuronet.plot.learning_curves``); returns the file names written ([] for an empty history).
    """
    from neuronet.plot import learning_curves
    from neuronet.plot._common import pyplot
    if not any(not key.startswith("val_") for key in history):
        return []
    name = f"{prefix}learning_curves.png"
    pyplot().close(learning_curves(history, path=os.path.join(directory, name)))
    return [name]


def write_metrics(directory, metrics: dict) -> str:
    path = os.path.join(directory, "metrics.json")
    write_text(path, json.dumps(metrics, indent=2))
    return path


def write_text(path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (temporary file, fsync, replace), like model files."""
    from neuronet.saving.format import atomic_write
    atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))


def write_html(directory, title: str, sections: list[dict]) -> str:
    """``report.html`` in ``directory``. Each section: title, summary (text), metrics (dict), images
    (file names relative to ``directory``), notes (list of lines)."""
    esc = html.escape
    body = [f"<h1>{esc(title)}</h1>"]
    for sec in sections:
        body.append(f"<h2>{esc(sec['title'])}</h2>")
        for line in sec.get("notes", []):
            body.append(f"<p>{esc(line)}</p>")
        rows = "".join(f"<tr><th>{esc(str(k))}</th><td>{_fmt(v)}</td></tr>" for k, v in sec["metrics"].items())
        body.append(f"<h3>Test metrics</h3><table>{rows}</table>")
        body.append(f"<h3>Model</h3><pre>{esc(sec['summary'])}</pre>")
        body.append("<h3>Learning curves</h3>")
        body += [f'<img src="{esc(name)}" alt="{esc(name)}">' for name in sec["images"]]
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>body{{font-family:sans-serif;margin:2em;max-width:70em}}"
            "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .8em;text-align:left}"
            "pre{background:#f6f6f6;padding:1em;overflow-x:auto}img{max-width:32em;margin:.5em}</style>"
            "</head><body>\n" + "\n".join(body) + "\n</body></html>\n")
    path = os.path.join(directory, "report.html")
    write_text(path, page)
    return path


def _fmt(value):
    return f"{value:.4f}" if isinstance(value, float) else html.escape(str(value))
