"""The report's figures as PNG bytes, sized to be read at 100 % zoom (700 px wide, 11-point text).

Learning curves: one panel per quantity (train and validation), two per row; a log axis when the
plotted values span more than 10x; the best epoch (lowest ``val_loss``) marked; when epoch 1 towers over
the rest on a linear axis, the axis is fitted to epochs 2.. so it does not flatten the curve.
Test-set figures are scikit-learn's Displays: ConfusionMatrixDisplay, RocCurveDisplay and
PrecisionRecallDisplay for classifiers (one-vs-rest for more than two classes), PredictionErrorDisplay
(actual vs predicted, residuals vs predicted) for regressors.

    >>> png = learning_curves_png({"loss": [4.0, 1.0, 0.5], "val_loss": [4.2, 1.1, 0.7]})
    >>> png[:4]
    b'\\x89PNG'
"""
from __future__ import annotations

import io

import numpy as np

WIDTH_IN, DPI = 7.0, 100            # 700 px: readable at 100 % zoom in a 1280-px window
FONT = {"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "xtick.labelsize": 10,
        "ytick.labelsize": 10, "legend.fontsize": 10}
MAX_CLASSES_FOR_CURVES = 10
LOG_RANGE = 10.0


def _pyplot():
    from neuronet.plot._common import pyplot
    return pyplot()


def _png(fig) -> bytes:
    plt = _pyplot()
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    plt.close(fig)
    return buf.getvalue()


def best_epoch(history: dict):
    """Index of the lowest ``val_loss`` (else ``loss``), or None for an empty history."""
    key = "val_loss" if history.get("val_loss") else "loss"
    values = np.asarray(history.get(key, []), dtype=np.float64)
    finite = np.isfinite(values)
    return int(np.argmin(np.where(finite, values, np.inf))) if finite.any() else None


def learning_curves_png(history: dict, labels=None) -> bytes:
    """Train/validation curves for the loss and every metric; ``labels`` renames panels (units)."""
    labels = labels or {}
    names = [k for k in history if not k.startswith("val_")]
    names.sort(key=lambda k: k != "loss")
    rows = (len(names) + 1) // 2
    cols = 1 if len(names) == 1 else 2
    best = best_epoch(history)
    with _pyplot().rc_context(FONT):
        fig, axes = _pyplot().subplots(rows, cols, figsize=(WIDTH_IN, 3.4 * rows), squeeze=False)
        for ax, name in zip(axes.ravel(), names):
            series = [("train", np.asarray(history[name], dtype=np.float64))]
            if history.get(f"val_{name}"):
                series.append(("validation", np.asarray(history[f"val_{name}"], dtype=np.float64)))
            for label, values in series:
                ax.plot(np.arange(1, len(values) + 1), values, label=label)
            _fit_axis(ax, [v for _, v in series])
            if best is not None:
                ax.axvline(best + 1, color="0.4", linestyle="--", linewidth=1, label=f"best epoch ({best + 1})")
            ax.set_xlabel("epoch")
            ax.set_title(labels.get(name, name))
            ax.legend(loc="best")
        for ax in axes.ravel()[len(names):]:
            ax.set_visible(False)
        return _png(fig)


def _fit_axis(ax, arrays):
    values = np.concatenate([a[np.isfinite(a)] for a in arrays]) if arrays else np.array([])
    if values.size == 0:
        return
    positive = values[values > 0]
    if values.min() > 0 and positive.max() / positive.min() > LOG_RANGE:
        from matplotlib.ticker import FuncFormatter
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(FuncFormatter(_minor_label))    # 0.2, 0.5, 2, 5, 20, ...
        return
    rest = np.concatenate([a[1:][np.isfinite(a[1:])] for a in arrays])
    if rest.size and values.max() > rest.max() + 2 * (rest.max() - rest.min() + 1e-12):
        pad = 0.05 * (rest.max() - rest.min() + 1e-12)
        ax.set_ylim(rest.min() - pad, rest.max() + pad)      # epoch 1 drawn off the top
        ax.text(0.99, 0.97, "epoch 1 off scale", transform=ax.transAxes, ha="right", va="top", fontsize=10)


def _minor_label(value, _pos=None):
    if value <= 0:
        return ""
    mantissa = value / 10 ** np.floor(np.log10(value))
    return f"{value:g}" if np.isclose(mantissa, 2) or np.isclose(mantissa, 5) else ""


def classification_pngs(y_true, proba, classes) -> list[tuple[str, bytes]]:
    """(caption, PNG) for the confusion matrix, ROC and precision-recall curves on the test rows."""
    from sklearn.metrics import ConfusionMatrixDisplay, PrecisionRecallDisplay, RocCurveDisplay
    plt = _pyplot()
    labels = [str(c) for c in classes]
    y_true, proba = np.asarray(y_true), np.asarray(proba, dtype=np.float64)
    out = []
    with plt.rc_context(FONT):
        side = min(WIDTH_IN, 3.5 + 0.45 * len(labels))
        fig, ax = plt.subplots(figsize=(side, side * 0.85))
        ConfusionMatrixDisplay.from_predictions(y_true, proba.argmax(axis=1), labels=range(len(labels)),
                                                display_labels=labels, ax=ax, colorbar=False,
                                                xticks_rotation=45 if len(labels) > 4 else "horizontal")
        ax.set_title("Confusion matrix (test rows)")
        out.append(("Confusion matrix", _png(fig)))
        if len(labels) > MAX_CLASSES_FOR_CURVES:
            return out
        fig, (roc, pr) = plt.subplots(1, 2, figsize=(WIDTH_IN * 1.6, 4.6))
        if len(labels) == 2:
            RocCurveDisplay.from_predictions(y_true, proba[:, 1], pos_label=1, name=labels[1], ax=roc)
            PrecisionRecallDisplay.from_predictions(y_true, proba[:, 1], pos_label=1, name=labels[1], ax=pr)
        else:
            for k, label in enumerate(labels):
                if 0 < (y_true == k).sum() < len(y_true):
                    RocCurveDisplay.from_predictions(y_true == k, proba[:, k], name=label, ax=roc)
                    PrecisionRecallDisplay.from_predictions(y_true == k, proba[:, k], name=label, ax=pr)
        roc.set(xlabel="False positive rate", ylabel="True positive rate")
        pr.set(xlabel="Recall", ylabel="Precision")
        roc.set_title("ROC" + (" (one class vs rest)" if len(labels) > 2 else ""))
        pr.set_title("Precision-recall" + (" (one class vs rest)" if len(labels) > 2 else ""))
        out.append(("ROC and precision-recall curves", _png(fig)))
    return out


def regression_pngs(y_true, y_pred, target) -> list[tuple[str, bytes]]:
    """(caption, PNG) of PredictionErrorDisplay: actual vs predicted and residuals, in the target's units."""
    from sklearn.metrics import PredictionErrorDisplay
    plt = _pyplot()
    with plt.rc_context(FONT):
        fig, (left, right) = plt.subplots(1, 2, figsize=(WIDTH_IN * 1.6, 4.6))
        for ax, kind, title in ((left, "actual_vs_predicted", "Actual vs predicted"),
                                (right, "residual_vs_predicted", "Residuals vs predicted")):
            PredictionErrorDisplay.from_predictions(y_true, y_pred, kind=kind, ax=ax,
                                                    scatter_kwargs={"alpha": 0.6, "s": 18})
            ax.set_title(f"{title} ({target}, test rows)")
        return [("Prediction error", _png(fig))]


__all__ = ["learning_curves_png", "classification_pngs", "regression_pngs", "best_epoch"]
