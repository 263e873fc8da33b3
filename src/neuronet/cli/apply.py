"""``neuronet predict``, ``evaluate`` and ``summary`` on a folder written by ``neuronet train``."""
from __future__ import annotations

import json
import os

import numpy as np

from neuronet.cli import data as csvdata
from neuronet.cli import network
from neuronet.callbacks.progbar import format_logs
from neuronet.cli.errors import CLIError
from neuronet.cli.modelio import load_model
from neuronet.cli.preprocessing import Preprocessor


def load_folder(directory):
    """(model, preprocessor) from a train output folder."""
    if not os.path.isdir(directory):
        raise CLIError(f"{directory}: no such folder (expected the --out folder of `neuronet train`)")
    prep_path = os.path.join(directory, "preprocessing.json")
    if not os.path.exists(prep_path):
        raise CLIError(f"{directory}: no preprocessing.json; is this a `neuronet train` output folder?")
    with open(prep_path, encoding="utf-8") as fh:
        prep = Preprocessor.from_json(fh.read(), prep_path)
    return load_model(directory), prep


def predict(args) -> int:
    model, prep = load_folder(args.model_dir)
    frame = csvdata.read_csv(args.data)
    out = model.predict(prep.transform(frame, args.data))
    result = frame.copy()
    column = f"predicted_{prep.target}"
    result[column] = prep.decode_output(out)
    if prep.task == "classification":
        # one probability_<label> column per class; a binary model's one sigmoid unit is p(classes[1])
        probabilities = np.column_stack([1 - out[:, 0], out[:, 0]]) if len(prep.classes) == 2 else out
        for i, label in enumerate(prep.classes):
            result[f"probability_{label}"] = probabilities[:, i]
    if args.output:
        try:
            result.to_csv(args.output, index=False)
        except OSError as exc:
            raise CLIError(f"-o: cannot write '{args.output}': {exc.strerror}") from None
        if not args.quiet:
            print(f"wrote {len(result)} predictions ({column}) to {args.output}")
    else:
        print(result.to_csv(index=False), end="")
    return 0


def evaluate(args) -> int:
    model, prep = load_folder(args.model_dir)
    frame = csvdata.read_csv(args.data)
    csvdata.require_columns(frame, [prep.target], args.data, what="target column")
    y = prep.encode_target(frame[prep.target], args.data)
    out = model.predict(prep.transform(frame, args.data))
    if prep.task == "regression":
        scores = network.score("regression", prep.decode_output(y), prep.decode_output(out))
    else:
        scores = network.score("classification", y, prep.class_indices(out), len(prep.classes))
    if args.quiet:
        print(json.dumps(scores))
    else:
        print(f"{args.data} ({len(frame)} rows): {format_logs(scores)}")
    return 0


def summary(args) -> int:
    model, prep = load_folder(args.model_dir)
    model.summary()
    print(f"task: {prep.task}; target: '{prep.target}'"
          + (f"; classes: {prep.classes}" if prep.classes else ""))
    print(f"numeric columns ({len(prep.numeric)}): {', '.join(prep.numeric) or '-'}")
    print(f"categorical columns ({len(prep.categorical)}): {', '.join(prep.categorical) or '-'}")
    if prep.ordinal:
        print("ordinal columns: " + "; ".join(f"{c} ({' < '.join(map(str, o))})" for c, o in prep.ordinal.items()))
    metrics_path = os.path.join(args.model_dir, "metrics.json")
    if os.path.exists(metrics_path):
        with open(metrics_path) as fh:
            test = json.load(fh).get("test", {})
        print(f"test metrics: {format_logs(test)}")
    return 0
