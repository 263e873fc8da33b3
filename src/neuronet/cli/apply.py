"""``neuronet predict``, ``evaluate`` and ``summary`` on a folder written by ``neuronet train``."""
from __future__ import annotations

import json
import os

import pandas as pd

from neuronet.cli import data as csvdata
from neuronet.cli import network
from neuronet.callbacks.progbar import format_logs
from neuronet.cli.errors import CLIError, warn
from neuronet.cli.modelio import load_model
from neuronet.cli.preprocessing import Preprocessor
from neuronet.utils.atomic import atomic_write_text


def load_folder(directory):
    """(model, preprocessor) from a train output folder."""
    if not os.path.isdir(directory):
        raise CLIError(f"{directory}: no such folder (expected the --out folder of `neuronet train`)")
    prep = Preprocessor.load(directory)
    return load_model(directory), prep


def _features(prep, frame, args, prog):
    """The encoded features of ``frame``; missing values imputed (or refused) and unseen categories
    encoded, each with a warning on stderr."""
    if prep.impute is None:
        csvdata.check_missing_values(frame, prep.columns, args.data)
    csvdata.require_columns(frame, prep.columns, args.data)
    csvdata.check_stray_strings(frame, prep.numeric, args.data)
    return prep.transform(frame, args.data, warn=lambda m: warn(m, prog))


def predict(args) -> int:
    model, prep = load_folder(args.model_dir)
    frame = csvdata.read_csv(args.data, sep=args.sep, na_values=args.na_values)
    out = model.predict(_features(prep, frame, args, "neuronet predict"))
    column = f"predicted_{prep.target}"
    added = {column: prep.decode_output(out)}
    if prep.task == "classification":
        probabilities = prep.probabilities(out)        # one probability_<label> column per class
        added.update({f"probability_{label}": probabilities[:, i] for i, label in enumerate(prep.classes)})
    result = pd.concat([frame, pd.DataFrame(added, index=frame.index)], axis=1)
    if args.output:
        try:
            atomic_write_text(args.output, csvdata.to_csv_text(result, frame.attrs.get("sep", ",")))
        except OSError as exc:
            raise CLIError(f"-o: {exc.strerror or exc}; a previous file there is unchanged") from None
        if not args.quiet:
            print(f"wrote {len(result)} predictions ({column}) to {args.output}")
    else:
        print(csvdata.to_csv_text(result, frame.attrs.get("sep", ",")), end="")
    return 0


def evaluate(args) -> int:
    model, prep = load_folder(args.model_dir)
    frame = csvdata.read_csv(args.data, sep=args.sep, na_values=args.na_values)
    csvdata.require_columns(frame, [prep.target], args.data, what="target column")
    y = prep.encode_target(frame[prep.target], args.data)
    out = model.predict(_features(prep, frame, args, "neuronet evaluate"))
    if prep.task == "regression":
        scores = network.score("regression", prep.decode_target(y), prep.decode_output(out))
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
