"""The sub-commands' arguments, with value checks that name the option (argparse ``type`` functions)."""
from __future__ import annotations

import argparse
import os


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def fraction(text):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1 (exclusive), got {text!r}")
    return value


def rate(text, allow_zero=False, below_one=False):
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    ok = value == value and value != float("inf") and (value >= 0.0 if allow_zero else value > 0.0)
    if not ok or (below_one and value >= 1.0):
        want = "a number in [0, 1)" if below_one else ("a non-negative number" if allow_zero else "a positive number")
        raise argparse.ArgumentTypeError(f"expected {want}, got {text!r}")
    return value


def layer_sizes(text):
    """'64,32' -> [64, 32]; '' or 'none' -> [] (no hidden layer)."""
    if text.strip().lower() in ("", "none"):
        return []
    try:
        sizes = [int(t) for t in text.split(",")]
    except ValueError:
        sizes = [0]
    if any(s <= 0 for s in sizes):
        raise argparse.ArgumentTypeError(f"expected comma-separated positive integers like 64,32, got {text!r}")
    return sizes


def column_list(text):
    """'a,b' -> ['a', 'b'] (names stripped)."""
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"expected comma-separated column names, got {text!r}")
    return names


def separator(text):
    """One character; the words 'tab', 'comma', 'semicolon' and '\\t' are accepted too."""
    value = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(text.lower(), text)
    if len(value) != 1:
        raise argparse.ArgumentTypeError(f"expected one character such as ';' or 'tab', got {text!r}")
    return value


def add_csv_options(p):
    p.add_argument("--sep", type=separator, default=None, metavar="CHAR",
                   help="column separator (default: sniffed among , ; tab |)")
    p.add_argument("--na-values", type=column_list, default=None, metavar="V,V,...",
                   help="extra cell values read as missing (for example '?')")


def _run(module, name):
    def call(args):
        import importlib
        return getattr(importlib.import_module(f"neuronet.cli.{module}"), name)(args)
    return call


def add_demo(sub):
    p = sub.add_parser("demo", help="train the notes' breast-cancer and Boston networks and write a report",
                       description="Train the lecture notes' classification (breast cancer, 64-32-1, SGD) and "
                                   "regression (Boston, 128-64-64-32-1, Adam) networks on the bundled data; "
                                   "print the summaries, progress and test metrics; write report.html.")
    p.add_argument("--out", default=os.path.join("neuronet-report", "demo"), metavar="DIR",
                   help="report folder (default: ./neuronet-report/demo)")
    p.add_argument("--epochs", type=positive_int, default=None, metavar="N",
                   help="epochs for both networks (default: 300 classification, 100 regression)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors and warnings")
    p.set_defaults(func=_run("demo", "run"))


def add_train(sub):
    p = sub.add_parser("train", help="train a network on a CSV file and write model, metrics and report",
                       description="Read DATA.csv, standardize numeric columns and one-hot encode categorical "
                                   "ones, split train/validation/test, train, print test metrics and write "
                                   "the model, preprocessing.json, metrics.json, PNG curves and report.html.")
    p.add_argument("data", metavar="DATA.csv", help="CSV file with a header row")
    p.add_argument("--target", required=True, metavar="COL", help="the column to predict")
    p.add_argument("--task", choices=["auto", "classification", "regression"], default="auto",
                   help="auto: strings and few integer values -> classification, else regression "
                        "(default: auto)")
    p.add_argument("--layers", type=layer_sizes, default=[64, 32], metavar="N,N,...",
                   help="hidden layer sizes, comma-separated (default: 64,32)")
    p.add_argument("--activation", default="relu", help="hidden-layer activation (default: relu)")
    p.add_argument("--epochs", type=positive_int, default=100, metavar="N", help="default: 100")
    p.add_argument("--batch-size", type=positive_int, default=32, metavar="N", help="default: 32")
    p.add_argument("--optimizer", default="adam", help="optimizer name (default: adam)")
    p.add_argument("--lr", type=rate, default=None, metavar="X", help="learning rate (optimizer default)")
    p.add_argument("--dropout", type=lambda t: rate(t, allow_zero=True, below_one=True), default=0.0,
                   metavar="X", help="dropout rate after each hidden layer (default: 0)")
    p.add_argument("--l2", type=lambda t: rate(t, allow_zero=True), default=0.0, metavar="X",
                   help="L2 weight penalty (default: 0)")
    p.add_argument("--early-stopping", type=positive_int, default=10, metavar="PATIENCE",
                   help="stop after PATIENCE epochs without a better val_loss and keep the best epoch's "
                        "weights (default: 10)")
    p.add_argument("--no-early-stopping", dest="early_stopping", action="store_const", const=None,
                   help="train all --epochs and keep the last epoch's weights")
    add_csv_options(p)
    p.add_argument("--impute", choices=["median", "mean", "most_frequent", "constant"], default="median",
                   help="fill missing numbers with the training rows' median (default), mean, most frequent "
                        "value or 0; categories get the most frequent value ('missing' with constant)")
    p.add_argument("--no-impute", dest="impute", action="store_const", const=None,
                   help="refuse missing values instead of imputing them")
    p.add_argument("--drop", type=column_list, action="extend", default=[], metavar="COL,COL,...",
                   help="columns to leave out of the features")
    p.add_argument("--keep", type=column_list, action="extend", default=[], metavar="COL,COL,...",
                   help="keep these columns even if they look like row IDs (a distinct value in every row)")
    p.add_argument("--test-size", type=fraction, default=0.2, metavar="X", help="test fraction (default: 0.2)")
    p.add_argument("--seed", type=int, default=0, help="random seed for the split and training (default: 0)")
    p.add_argument("--ordinal", action="append", default=[], metavar="COL[=a,b,c]",
                   help="ordered categorical column, optionally with its order (repeatable)")
    p.add_argument("--out", default=None, metavar="DIR", help="output folder (default: ./neuronet-report/<data>)")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors and warnings")
    p.set_defaults(func=_train)


def _train(args):
    if args.out is None:
        stem = os.path.splitext(os.path.basename(args.data))[0] or "train"
        args.out = os.path.join("neuronet-report", stem)
    return _run("train", "run")(args)


def add_apply(sub):
    p = sub.add_parser("predict", help="predict a CSV with a trained folder",
                       description="Add a predicted_<target> column (original labels for classification) to "
                                   "DATA.csv; write it to -o OUT.csv or standard output.")
    p.add_argument("model_dir", metavar="DIR", help="folder written by `neuronet train`")
    p.add_argument("data", metavar="DATA.csv")
    p.add_argument("-o", "--output", metavar="OUT.csv", default=None, help="write here instead of stdout")
    add_csv_options(p)
    p.add_argument("--quiet", action="store_true", help="print nothing but errors and warnings")
    p.set_defaults(func=_run("apply", "predict"))
    p = sub.add_parser("evaluate", help="test metrics of a trained folder on a labelled CSV",
                       description="Accuracy and F1 (classification) or MAE, RMSE and R^2 (regression) on "
                                   "DATA.csv, which must hold the target column.")
    p.add_argument("model_dir", metavar="DIR")
    p.add_argument("data", metavar="DATA.csv")
    add_csv_options(p)
    p.add_argument("--quiet", action="store_true", help="print only the metrics as JSON")
    p.set_defaults(func=_run("apply", "evaluate"))
    p = sub.add_parser("summary", help="show the model and preprocessing of a trained folder",
                       description="Print the model summary, the columns and the test metrics of DIR.")
    p.add_argument("model_dir", metavar="DIR")
    p.set_defaults(func=_run("apply", "summary"))
