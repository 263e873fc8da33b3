"""``neuronet train DATA.csv --target COL``: preprocess, split, train, score and write a report folder."""
from __future__ import annotations

import json
import os


from neuronet.cli import data as csvdata
from neuronet.cli import network, report
from neuronet.callbacks.progbar import format_logs
from neuronet.cli.errors import CLIError
from neuronet.cli.modelio import save_model
from neuronet.cli.preprocessing import Preprocessor

VALIDATION_FRACTION = 0.2


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
    frame = csvdata.read_csv(path)
    csvdata.require_columns(frame, [target], path, what="target column")
    ordinal = parse_ordinals(args.ordinal, frame, path)
    if target in ordinal:
        raise CLIError(f"--ordinal: '{target}' is the target column, not a feature")
    features = [c for c in frame.columns if c != target]
    csvdata.check_missing_values(frame, features + [target], path)
    task = csvdata.infer_task(frame[target]) if args.task == "auto" else args.task
    if task == "classification" and frame[target].nunique() < 2:
        raise CLIError(f"{path}: target column '{target}' has a single class ({frame[target].iloc[0]!r}); "
                       "classification needs at least two")
    numeric, categorical, ordinal_cols = csvdata.infer_columns(frame, features, ordinal)
    train, val, test = split(frame, target, task, args.test_size, args.seed, path)
    prep = Preprocessor(target, task, numeric, categorical, {c: ordinal[c] for c in ordinal_cols}).fit(train, path)
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
    # A regression network learns the standardized target, so its training line is in those units.
    label = "train (standardized target)" if task == "regression" else "train"
    callbacks = [] if args.quiet else [network.EpochBar(label)]
    if args.early_stopping:
        callbacks.append(network.early_stopping(args.early_stopping))
    history = model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=args.epochs, batch_size=args.batch_size,
                        verbose=0, callbacks=callbacks, seed=args.seed)
    out = model.predict(x_te)
    if task == "regression":
        scores = network.score(task, prep.decode_output(y_te), prep.decode_output(out))
    else:
        scores = network.score(task, y_te, prep.class_indices(out), n_classes)
    say(f"test ({len(test)} rows): {format_logs(scores)}")
    write_outputs(args.out, model, prep, history, scores, {
        "data": os.path.abspath(path), "task": task, "target": target, "rows": {"train": len(train),
        "validation": len(val), "test": len(test)}, "epochs_run": len(history.history.get("loss", [])),
        "options": {k: v for k, v in vars(args).items() if k not in ("func", "command")}})
    say(f"report: {os.path.join(args.out, 'report.html')}")
    return 0


def write_outputs(out_dir, model, prep, history, scores, info):
    """model, preprocessing.json, metrics.json, history.json, learning-curve PNGs and report.html."""
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"--out: cannot create folder '{out_dir}': {exc.strerror}") from None
    save_model(model, out_dir)
    report.write_text(os.path.join(out_dir, "preprocessing.json"), prep.to_json())
    hist = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    report.write_text(os.path.join(out_dir, "history.json"), json.dumps(hist))
    report.write_metrics(out_dir, {"test": scores, **info})
    images = report.plot_learning_curves(hist, out_dir)
    from neuronet.models.summary import summary_text
    summary = summary_text(model)
    notes = [f"Data: {info['data']}", f"Task: {info['task']} (target '{info['target']}'); rows "
             + ", ".join(f"{k} {v}" for k, v in info["rows"].items()) + f"; epochs run: {info['epochs_run']}"]
    if prep.task == "regression":
        notes.append("The network learns the standardized target; curves are in those units, test metrics in "
                     "the target's own units.")
    report.write_html(out_dir, "neuronet train report", [{"title": os.path.basename(info["data"]),
                      "summary": summary, "metrics": scores, "images": images, "notes": notes}])


__all__ = ["run", "write_outputs"]
