"""ProgbarLogger: Keras' progress bar and per-epoch line, in a terminal and in a Jupyter notebook.

verbose=1:  ``Train on 340 samples, validate on 86 samples`` once, then per epoch ``Epoch 3/300``, a live
            line redrawn in place while the epoch runs (samples so far, Keras 2's bar, time left, and the
            running loss and metrics of the epoch's batches so far)

                ``192/340 [===============>..............] - ETA: 0s - loss: 0.4523 - acc: 0.8750``

            and, replacing it at the epoch's end, the line the notes print (Keras 2's)

                ``340/340 [==============================] - 0s 72us/sample - loss: 0.4401 - acc: 0.8941 - val_loss: 0.4377 - val_acc: 0.8605``
verbose=2:  the same lines without the live one.
"""
import math
import os
import sys
import time

import numpy as np

from neuronet.callbacks.base import Callback

BAR_WIDTH = 30          # Keras 2's bar, as in the closing line
MIN_BAR_WIDTH = 10      # narrower than this, the bar is dropped instead
REFRESH_SECONDS = 0.1   # the live line is redrawn at most 10 times a second
DEFAULT_COLUMNS = 80    # the width to fit when the output is not a terminal (a notebook, a stream)


def log_parts(logs) -> list:
    """['loss: 0.4401', 'acc: 0.8941']: the numeric entries of ``logs`` as format_logs prints them."""
    parts = []
    for k, v in logs.items():
        if isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
            parts.append(f"{k}: {float(v):.4f}")
        elif isinstance(v, np.ndarray) and v.dtype.kind in "iuf":
            if v.ndim == 0:
                parts.append(f"{k}: {float(v):.4f}")
                continue
            flat = [f"{x:.4f}" for x in v.reshape(-1).tolist()]
            if len(flat) > 8:
                flat = flat[:3] + ["..."] + flat[-3:]
            parts.append(f"{k}: [{' '.join(flat)}]")
    return parts


def format_logs(logs) -> str:
    """'loss: 0.4401 - acc: 0.8941'; a per-class metric (an array, e.g. F1Score(average=None)) prints as
    'f1_score: [0.5000 0.8000 0.6667]', its first and last three values around '...' beyond 8 classes.

        >>> import numpy as np
        >>> format_logs({"loss": 0.25, "f1_score": np.array([0.5, 0.8]), "batch": "x"})
        'loss: 0.2500 - f1_score: [0.5000 0.8000]'
    """
    return " - ".join(log_parts(logs))


class ProgbarLogger(Callback):
    """The lines ``fit(verbose=1)`` and ``fit(verbose=2)`` print (fit adds one itself; pass one to choose
    ``stream``, a file-like object, instead of standard output).

    Where the live line of verbose=1 shows: on a terminal, and in a Jupyter notebook (or any IPython
    kernel: qtconsole, VS Code, Colab), detected as Keras does by the kernel's output stream; it is
    redrawn with a carriage return, which notebooks honour. An explicit ``stream`` always gets it. Output
    redirected to a file or a pipe gets only the epoch lines, as a log should.

    The live line shows the running loss and metrics that fit passes to ``on_train_batch_end``, so with it
    fit computes each batch's loss and metrics (the other verbose levels, and a redirected verbose=1,
    register no batch hook and keep fit's faster path that computes them once at the epoch's end).
    It is redrawn at most ``REFRESH_SECONDS`` apart, and fits the width (80 columns outside a terminal)
    without cutting a metric: the bar narrows first, then goes, then the time left goes; metrics that
    still do not fit wrap onto more lines on a terminal, and stay on one line elsewhere (a notebook wraps
    it itself).

        >>> import io
        >>> # model.fit(x, y, epochs=5, verbose=0, callbacks=[ProgbarLogger(stream=io.StringIO())])
    """

    def __init__(self, verbose=1, stream=None):
        super().__init__()
        self.verbose = verbose
        self.stream = stream

    def set_params(self, params):
        super().set_params(params)
        # CallbackList reads which hooks a callback defines right after set_params: the batch hook makes
        # fit compute every batch's loss and metrics, so it is defined only when a live line shows them.
        if self.verbose == 1 and (self.stream is not None or redraws_in_place(sys.stdout)):
            self.on_train_batch_end = self._show_progress
        else:
            self.__dict__.pop("on_train_batch_end", None)

    def on_train_begin(self, logs=None):
        self.epochs = self.params.get("epochs", 1)
        self.samples = self.params.get("samples", 0)
        self._out = self.stream or sys.stdout
        self._terminal = _isatty(self._out)
        self._last_draw = -math.inf
        self._drawn = []            # the live line's rows as last written, to overwrite or clear them
        val = self.params.get("val_samples", 0)
        # The notes' (Keras 2.0) first line: "Train on 303 samples, validate on 76 samples"
        if self.samples is None:      # a stream of unknown size: Keras 2's line for generators
            steps = self.params.get("steps")
            print(f"Train for {steps} steps" if steps else "Train on a stream", file=self._out, flush=True)
        else:
            print(f"Train on {self.samples} samples" + (f", validate on {val} samples" if val else ""),
                  file=self._out, flush=True)

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        print(f"Epoch {epoch + 1}/{self.epochs}", file=self._out, flush=True)

    def _show_progress(self, batch, logs=None):
        now = time.perf_counter()
        if now - self._last_draw < REFRESH_SECONDS:
            return
        self._last_draw = now
        logs = logs or {}
        if self.samples is None:         # a stream: steps, of a known or (growing) unknown total
            seen = batch + 1
            total = max(self.params.get("steps") or seen, seen)
        else:
            seen = min(self.samples, batch * self.params.get("batch_size", 0) + logs.get("size", 0))
            total = self.samples
        running = {k: v for k, v in logs.items() if k not in ("batch", "size")}
        rows = progress_rows(seen, total, now - self._start, running, self._columns(),
                             wrap=self._terminal)
        self._out.write(self._erase() + "\n".join(rows))
        self._out.flush()
        self._drawn = rows

    def on_epoch_end(self, epoch, logs=None):
        if self._drawn:
            self._out.write(self._erase())
            self._drawn = []
        done, unit = self.samples, "sample"
        if done is None:                 # a stream of unknown size: counted in steps
            done, unit = self.params.get("steps") or 0, "step"
        print(summary_line(done, time.perf_counter() - self._start, logs, bar=self.verbose == 1,
                           unit_name=unit), file=self._out, flush=True)

    def _erase(self):
        """What takes the cursor back to the start of the live line and blanks it: a carriage return
        (after moving up over its extra rows on a terminal), spaces over the old text, and another."""
        if not self._drawn:
            return ""
        up = f"\x1b[{len(self._drawn) - 1}A" if len(self._drawn) > 1 else ""
        if up:   # only ever on a terminal: wrapped rows are not drawn elsewhere
            return "\r" + up + "\x1b[J"
        return "\r" + " " * len(self._drawn[0]) + "\r"

    def _columns(self):
        if self._terminal:
            try:
                return os.get_terminal_size(self._out.fileno()).columns
            except (AttributeError, ValueError, OSError):
                pass
        return DEFAULT_COLUMNS


def progress_rows(seen, total, elapsed, logs, columns, wrap=False):
    """The live line as rows of at most ``columns - 1`` characters (the last column is left free, where a
    terminal would wrap): count, Keras 2's bar, time left and the running ``logs``.

    To fit, the bar narrows (down to MIN_BAR_WIDTH cells), then is dropped, then the time left is; if
    the metrics alone are still too wide they wrap onto further rows (``wrap=True``, a terminal) or the
    row stays long. A metric is never cut.

        >>> progress_rows(192, 340, 1.0, {"loss": 0.4523, "acc": 0.875}, 80)
        ['192/340 [===============>..............] - ETA: 0s - loss: 0.4523 - acc: 0.8750']
        >>> progress_rows(192, 340, 1.0, {"loss": 0.4523, "acc": 0.875}, 50)
        ['192/340 - ETA: 0s - loss: 0.4523 - acc: 0.8750']
    """
    room = max(columns - 1, 1)
    count = f"{seen:{len(str(total))}d}/{total}"
    eta = f" - ETA: {_eta(elapsed / max(seen, 1) * (total - seen))}"
    parts = log_parts(logs)
    metrics = "".join(f" - {p}" for p in parts)
    bar_cells = min(BAR_WIDTH, room - len(count) - len(eta) - len(metrics) - 3)   # 3: " [" and "]"
    if bar_cells >= MIN_BAR_WIDTH:
        return [count + _bar(seen, total, bar_cells) + eta + metrics]
    for row in (count + eta + metrics, count + metrics):
        if len(row) <= room:
            return [row]
    if not wrap or not parts:
        return [count + metrics]
    head_cells = min(BAR_WIDTH, room - len(count) - len(eta) - 3)
    rows = [count + (_bar(seen, total, head_cells) if head_cells >= MIN_BAR_WIDTH else "") + eta]
    line = ""
    for part in parts:
        for piece in [part[i:i + room] for i in range(0, len(part), room)]:   # a metric wider than a row
            if line and len(line) + 3 + len(piece) <= room:
                line += " - " + piece
            else:
                if line:
                    rows.append(line)
                line = piece
    rows.append(line)
    return rows


def _bar(seen, total, cells):
    """Keras 2's bar: ' [==========>...................]'."""
    done = int(cells * seen / total) if total else cells
    head = ("=" * (done - 1) + (">" if seen < total else "=")) if done > 0 else ""
    return f" [{head}{'.' * (cells - done)}]"


def _eta(seconds):
    """Keras 2's time left, in whole seconds: '7s', '2:05', '1:02:05'."""
    s = int(seconds)
    if s > 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    if s > 60:
        return f"{s // 60}:{s % 60:02d}"
    return f"{s}s"


def redraws_in_place(stream) -> bool:
    """Whether a line written to ``stream`` can be redrawn with a carriage return: a terminal, or the
    output stream of an IPython kernel (a Jupyter notebook; Keras looks for ipykernel being loaded)."""
    if _isatty(stream):
        return True
    kernel_stream = getattr(sys.modules.get("ipykernel.iostream"), "OutStream", None)
    return kernel_stream is not None and isinstance(stream, kernel_stream)


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):   # no isatty, or a closed stream
        return False


def summary_line(samples, elapsed, logs, bar=True, unit_name="sample"):
    """Keras 2's closing line: ``426/426 [====...====] - 0s 30us/sample - loss: 0.0506 - acc: 0.9859``."""
    per_sample = elapsed / max(1, samples)
    if per_sample >= 1 or per_sample == 0:             # Keras 2's Progbar picks the unit the same way
        unit = f"{per_sample:.0f}s/{unit_name}"
    else:
        unit = f"{per_sample * 1e6:.0f}us/{unit_name}" if per_sample < 1e-3 else \
            f"{per_sample * 1e3:.0f}ms/{unit_name}"
    bar_text = f" [{'=' * 30}]" if bar else ""
    return f"{samples}/{samples}{bar_text} - {elapsed:.0f}s {unit} - {format_logs(logs or {})}"


def make_progbar(verbose):
    """The ProgbarLogger fit adds for verbose 1 or 2 (verbose 2 never registers a batch hook)."""
    return ProgbarLogger(verbose=verbose)
