"""``neuronet train DATA.csv --target COL``: preprocess, split, train, score and write a run folder.

The run is written into a temporary folder beside ``--out`` and renamed into place only when every file
is complete: a failure (full disk, Ctrl-C, a bad value) leaves the previous run whole.
"""
from __future__ import annotations

import os

import numpy as np

from neuronet.cli import columns as colsel
from neuronet.cli import data as csvdata
from neuronet.cli import figures, network, report
from neuronet.callbacks.progbar import format_logs
from neuronet.cli.errors import CLIError, warn as _warn
from neuronet.cli.modelio import save_model
from neuronet.cli.preprocessing import Preprocessor

VALIDATION_FRACTION = 0.2
RUN_FILES = ("report.html", "metrics.json")   # what every train and demo folder holds


def parse_ordinals(specs, frame, path):
    """``COL`` (sorted categories) or ``COL=low,mid,high`` (that order) -> {column: order or None}."""
    out = {}
    for spec in specs or []:
        col, _, order = spec.partition("=")
        col = col.strip()
        if col not in frame.columns:
            raise CLIError(f"--ordinal: {path} has no column '{col}'; the file has: {', '.join(frame.columns)}")
        out[col] = [v.strip() for v in order.split(",")] if order else None
    return out


def split(frame, target, task, test_size, seed, path):
    """train / validation / test frames, stratified on the target for classification."""
    from sklearn.model_selection import train_test_split
    strat = frame[target] if task == "classification" else None
    try:
        rest, test = train_test_split(frame, test_size=test_size, random_state=seed, stratify=strat)
        strat = rest[target] if task == "classification" else None
        train, val = train_test_split(rest, test_size=VALIDATION_FRACTION, random_state=seed, stratify=strat)
    except ValueError as exc:
        raise CLIError(f"{path}: cannot split {len(frame)} rows into train/validation/test "
                       f"(target '{target}'): {exc}") from None
    return train, val, test


def run(args) -> int:
    path, target = args.data, args.target
    warnings = []

    def warn(message):
        warnings.append(message)
        _warn(message, "neuronet train")

    check_out_folder(args.out)
    frame = csvdata.read_csv(path, sep=args.sep, na_values=args.na_values)
    csvdata.require_columns(frame, [target], path, what="target column")
    ordinal = parse_ordinals(args.ordinal, frame, path)
    if target in ordinal:
        raise CLIError(f"--ordinal: '{target}' is the target column, not a feature")
    csvdata.check_stray_strings(frame, [target], path)
    n_no_target = int(frame[target].isna().sum())
    if n_no_target == len(frame):
        raise CLIError(f"{path}: target column '{target}' holds no value at all")
    task = csvdata.infer_task(frame[target]) if args.task == "auto" else args.task
    if task == "classification" and frame[target].nunique() < 2:
        raise CLIError(f"{path}: target column '{target}' has a single class ({frame[target].dropna().iloc[0]!r}); "
                       "classification needs at least two")
    features = colsel.choose_features(frame, target, args.drop, args.keep, ordinal, path, warn)
    csvdata.check_stray_strings(frame, features, path)
    if n_no_target:
        warn(f"{path}: {n_no_target} row(s) have no value in the target column '{target}'; left out")
        frame = frame[frame[target].notna()]
    if args.impute is None:
        csvdata.check_missing_values(frame, features, path)
    numeric, categorical, ordinal_cols = csvdata.infer_columns(frame, features, ordinal)
    train, val, test = split(frame, target, task, args.test_size, args.seed, path)
    prep = Preprocessor(target, task, numeric, categorical, {c: ordinal[c] for c in ordinal_cols},
                        impute=args.impute).fit(train, path)
    prep.transform(frame, path, warn=warn)        # one warning for the imputed columns of the whole file
    (x_tr, y_tr), (x_va, y_va), (x_te, y_te) = [(prep.transform(f, path), prep.encode_target(f[target], path))
                                                for f in (train, val, test)]
    say = (lambda *a: None) if args.quiet else print
    say(f"{path}: {len(frame)} rows; task {task}; target '{target}'; {len(numeric)} numeric, "
        f"{len(categorical)} categorical, {len(ordinal_cols)} ordinal feature columns -> {x_tr.shape[1]} inputs; "
        f"split {len(train)}/{len(val)}/{len(test)} (train/validation/test)")

    import neuronet
    neuronet.set_random_seed(args.seed)
    n_classes = len(prep.classes) if task == "classification" else 0
    units, out_act, loss, metrics = network.task_head(task, n_classes)
    model = network.build_model(x_tr.shape[1], units, args.layers, args.activation, out_act, args.dropout, args.l2)
    model.compile(optimizer=network.make_optimizer(args.optimizer, args.lr), loss=loss, metrics=metrics)
    if not args.quiet:
        model.summary()
    scale = target_scale(prep)
    callbacks = [] if args.quiet else [network.EpochBar("train", scale=scale)]
    if args.early_stopping:
        callbacks.append(network.early_stopping(args.early_stopping))
    history = model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=args.epochs, batch_size=args.batch_size,
                        verbose=0, callbacks=callbacks, seed=args.seed)
    out = model.predict(x_te)
    if task == "regression":
        y_true, y_pred = prep.decode_target(y_te), prep.decode_output(out)
        scores = network.score(task, y_true, y_pred)
        figs = figures.regression_pngs(y_true, y_pred, target)
    else:
        scores = network.score(task, y_te, prep.class_indices(out), n_classes)
        figs = figures.classification_pngs(y_te, prep.probabilities(out), prep.classes)
    say(f"test ({len(test)} rows): {format_logs(scores)}")
    hist = {k: [float(v) * scale.get(k, 1.0) for v in vals] for k, vals in history.history.items()}
    best = figures.best_epoch(hist)
    info = {"data": os.path.abspath(path), "task": task, "target": target,
            "rows": {"train": len(train), "validation": len(val), "test": len(test)},
            "epochs_run": len(hist.get("loss", [])), "best_epoch": None if best is None else best + 1,
            "features": {"numeric": numeric, "categorical": categorical, "ordinal": ordinal_cols},
            "warnings": warnings,
            "options": {k: v for k, v in vars(args).items() if k not in ("func", "command")}}
    write_outputs(args.out, model, prep, hist, scores, info, figs)
    say(f"report: {os.path.join(args.out, 'report.html')}")
    return 0


def target_scale(prep):
    """Factors that turn a regression network's standardized log values into the target's units."""
    if prep.task != "regression":
        return {}
    s = prep.y_scale
    return {"loss": s * s, "val_loss": s * s, "mae": s, "val_mae": s}


def is_run_folder(folder) -> bool:
    entries = os.listdir(folder)
    return not entries or all(name in entries for name in RUN_FILES)


def check_out_folder(out):
    """CLIError unless ``out`` is new, empty or an earlier run (never the current folder or above it)."""
    full, cwd = os.path.abspath(out), os.path.abspath(os.getcwd())
    if full == cwd or cwd.startswith(full.rstrip(os.sep) + os.sep):
        raise CLIError(f"--out: '{out}' is the current folder or holds it; name a folder for the run")
    if os.path.exists(full) and not (os.path.isdir(full) and is_run_folder(full)):
        raise CLIError(f"--out: '{out}' exists and is not a `neuronet train` folder; name a new folder, "
                       "or remove it first")


def write_outputs(out_dir, model, prep, history, scores, info, figs):
    """model.keras, preprocessing.json/.skops, metrics.json, history.json and report.html, written into a
    temporary folder that replaces ``out_dir`` only when complete."""
    from neuronet.utils.atomic import replace_folder
    from neuronet.models.summary import summary_text
    try:
        with replace_folder(out_dir, may_replace=is_run_folder) as tmp:
            save_model(model, tmp)
            prep.save(tmp)
            report.write_json(os.path.join(tmp, "history.json"), history)
            report.write_json(os.path.join(tmp, "metrics.json"), {"test": scores, **info})
            units = "target units" if prep.task == "regression" else None
            labels = {"loss": f"loss ({'MSE, ' + prep.target + ' units squared' if units else 'cross-entropy'})",
                      "mae": f"mae ({prep.target} units)"}
            figs = [("Learning curves", figures.learning_curves_png(history, labels))] + list(figs)
            notes = [f"Data: {info['data']}", f"Task: {info['task']} (target '{info['target']}'); rows "
                     + ", ".join(f"{k} {v}" for k, v in info["rows"].items())
                     + f"; epochs run: {info['epochs_run']}; best epoch (lowest val_loss): {info['best_epoch']}",
                     "Features: " + "; ".join(f"{k} {_names(v)}" for k, v in info["features"].items())]
            if prep.task == "regression":
                notes.append(f"The network learns the standardized target; curves and metrics are shown in "
                             f"the units of '{prep.target}' (loss times {prep.y_scale:.4g}^2, mae times "
                             f"{prep.y_scale:.4g}).")
            report.write_html(tmp, "neuronet train report", [{
                "title": os.path.basename(info["data"]), "notes": notes, "warnings": info["warnings"],
                "metrics": scores, "figures": figs, "options": _options(info["options"]),
                "summary": summary_text(model)}])
    except FileExistsError:
        raise CLIError(f"--out: '{out_dir}' exists and is not a `neuronet train` folder; name a new folder") from None
    except OSError as exc:
        raise CLIError(f"--out: cannot write the run to '{out_dir}' ({exc.strerror or exc}); "
                       "the previous run there, if any, is unchanged") from None


def _names(columns, shown=20):
    """'a, b, c' or, for a wide file, the first ``shown`` names and the count."""
    if not columns:
        return "-"
    text = ", ".join(columns[:shown])
    return text if len(columns) <= shown else f"{text}, ... ({len(columns)} in all)"


def _options(options):
    return {f"--{k.replace('_', '-')}": ("off" if v is None and k in ("early_stopping", "impute") else v)
            for k, v in options.items() if not isinstance(v, np.ndarray)}


__all__ = ["run", "write_outputs"]
