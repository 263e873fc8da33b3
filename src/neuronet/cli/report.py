"""Learning-curve PNGs and a self-contained HTML report (images referenced by relative paths)."""
from __future__ import annotations

import html
import json
import os


def plot_learning_curves(history: dict, directory, prefix: str = "") -> list[str]:
    """One PNG per metric (train and validation curves); returns the file names written in ``directory``.

    Uses ``neuronet.plot.learning_curves`` when the library has it, else a small matplotlib figure.
    """
    try:
        from neuronet.plot import learning_curves
    except ImportError:
        learning_curves = None
    if learning_curves is not None:
        name = f"{prefix}learning_curves.png"
        try:
            learning_curves(history, path=os.path.join(directory, name))
            if os.path.exists(os.path.join(directory, name)):
                _close_all()
                return [name]
        except Exception:  # noqa: BLE001 - fall back to the plain plot below
            pass
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    names = []
    for key in [k for k in history if not k.startswith("val_")]:
        fig, ax = plt.subplots(figsize=(6, 4))
        epochs = range(1, len(history[key]) + 1)
        ax.plot(epochs, history[key], label=f"train {key}")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], label=f"validation {key}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(key)
        ax.set_title(f"{prefix.strip('_') + ': ' if prefix else ''}{key}")
        ax.legend()
        fig.tight_layout()
        name = f"{prefix}{key}.png"
        finish_png(fig, os.path.join(directory, name), dpi=80)
        plt.close(fig)
        names.append(name)
    return names


def finish_png(fig, path, dpi):
    """Save ``fig`` as a PNG at ``path`` atomically (see neuronet.plot._common.save_png)."""
    from neuronet.plot._common import save_png
    save_png(fig, path, dpi)


def _close_all():
    import matplotlib.pyplot as plt
    plt.close("all")


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
