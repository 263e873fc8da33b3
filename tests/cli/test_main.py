"""The `neuronet` command line end to end: help, train/predict/evaluate/summary round trips, errors."""
import json
import re

import numpy as np
import pandas as pd

from neuronet.cli import main
from neuronet.cli.preprocessing import Preprocessor

from cli_helpers import assert_one_line_error, run


def test_help_everywhere(capsys):
    for argv in ([], ["demo"], ["train"], ["predict"], ["evaluate"], ["summary"]):
        code, out, _ = run(capsys, *argv, "--help")
        assert code == 0 and "usage: neuronet" in out
    code, out, _ = run(capsys, "train", "--help")
    help_text = " ".join(out.split())                        # argparse wraps lines at the terminal width
    assert "--layers N,N,... hidden layer sizes, comma-separated (default: 64,32)" in help_text
    assert "else regression (default: auto)" in help_text


def test_train_boston_regression(capsys, tmp_path, boston_csv):
    out_dir = tmp_path / "run"
    code, out, err = run(capsys, "train", boston_csv, "--target", "MEDV", "--epochs", 60, "--out", out_dir)
    assert code == 0, err
    metrics = json.loads((out_dir / "metrics.json").read_text())
    assert metrics["task"] == "regression" and metrics["test"]["mae"] < 3.5
    assert re.search(r"test \(\d+ rows\): mae: [\d.]+ - rmse: [\d.]+ - r2: [\d.]+", out)
    for name in ("model.keras", "preprocessing.json", "history.json", "report.html"):
        assert (out_dir / name).exists()
    code, out, _ = run(capsys, "evaluate", out_dir, boston_csv, "--quiet")
    assert code == 0 and json.loads(out)["mae"] < 3.5
    code, out, _ = run(capsys, "summary", out_dir)
    assert code == 0 and "Total params" in out and "task: regression" in out


def test_train_predict_round_trip_with_string_labels(capsys, tmp_path, cat_csv):
    out_dir = tmp_path / "cat"
    code, out, err = run(capsys, "train", cat_csv, "--target", "label", "--ordinal", "size=S,M,L", "--epochs", 30,
                         "--layers", "16", "--out", out_dir, "--quiet")
    assert code == 0 and out == "" and err == ""
    prep = json.loads((out_dir / "preprocessing.json").read_text())
    assert prep["classes"] == ["no", "yes"] and prep["ordinal"] == {"size": ["S", "M", "L"]}
    assert Preprocessor.load(out_dir).categories() == [["blue", "green", "red"], ["S", "M", "L"]]
    new = tmp_path / "new.csv"
    pd.read_csv(cat_csv).drop(columns="label").head(20).to_csv(new, index=False)
    pred_path = tmp_path / "pred.csv"
    code, _, err = run(capsys, "predict", out_dir, new, "-o", pred_path)
    assert code == 0, err
    pred = pd.read_csv(pred_path)
    assert set(pred["predicted_label"]) <= {"yes", "no"} and len(pred) == 20
    assert list(pred.columns) == ["x", "color", "size", "predicted_label", "probability_no", "probability_yes"]
    np.testing.assert_allclose(pred["probability_no"] + pred["probability_yes"], 1.0, rtol=1e-6)
    assert ((pred["probability_yes"] > 0.5) == (pred["predicted_label"] == "yes")).all()
    truth = pd.read_csv(cat_csv)["label"].head(20)
    assert (pred["predicted_label"] == truth).mean() >= 0.8
    code, out, _ = run(capsys, "evaluate", out_dir, cat_csv)
    assert code == 0 and "accuracy" in out and "f1" in out


def test_bad_inputs_exit_2_with_one_line(capsys, tmp_path, cat_csv):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    one_class = tmp_path / "one.csv"
    pd.DataFrame({"a": range(10), "y": ["k"] * 10}).to_csv(one_class, index=False)
    inf = tmp_path / "inf.csv"
    inf.write_text("a,b,y\n1,2,0\n3,-inf,1\n")
    dup = tmp_path / "dup.csv"
    dup.write_text("a,b,a,y\n1,2,3,0\n3,4,5,1\n")
    stray = tmp_path / "stray.csv"
    pd.DataFrame({"a": ["1.5", "2", "?"] + ["4"] * 17, "y": [0, 1] * 10}).to_csv(stray, index=False)
    cases = [
        (["train", tmp_path / "missing.csv", "--target", "y"], ["missing.csv"]),
        (["train", cat_csv, "--target", "price"], ["price"]),
        (["train", empty, "--target", "y"], ["empty.csv", "empty"]),
        (["train", one_class, "--target", "y"], ["one.csv", "'y'", "single class"]),
        (["train", inf, "--target", "y"], ["inf.csv", "'b'", "infinity", "row 2"]),
        (["train", dup, "--target", "y"], ["dup.csv", "duplicate", "'a'"]),
        (["train", stray, "--target", "y"], ["stray.csv", "'a'", "'?'", "row 3", "--na-values"]),
        (["train", cat_csv, "--target", "label", "--drop", "nope"], ["--drop", "nope"]),
        (["train", cat_csv, "--target", "label", "--drop", "label"], ["--drop", "target"]),
        (["train", cat_csv, "--target", "label", "--keep", "nope"], ["--keep", "nope"]),
        (["train", cat_csv, "--target", "label", "--sep", "ab"], ["--sep"]),
        (["train", cat_csv, "--target", "label", "--impute", "magic"], ["--impute", "magic"]),
        (["train", cat_csv, "--target", "label", "--out", "."], ["--out", "current folder"]),
        (["train", cat_csv, "--target", "label", "--epochs", "0"], ["--epochs"]),
        (["train", cat_csv, "--target", "label", "--layers", "64,x"], ["--layers"]),
        (["train", cat_csv, "--target", "label", "--test-size", "1.5"], ["--test-size"]),
        (["train", cat_csv, "--target", "label", "--lr", "-1"], ["--lr"]),
        (["train", cat_csv, "--target", "label", "--ordinal", "nope"], ["--ordinal", "nope"]),
        (["train", cat_csv, "--target", "label", "--optimizer", "adamm"], ["--optimizer"]),
        (["train", cat_csv], ["--target"]),
        (["bogus"], ["bogus"]),
    ]
    for argv, words in cases:
        code, _, err = run(capsys, *argv)
        assert_one_line_error(code, err, *words)


def test_predict_time_errors(capsys, tmp_path, cat_csv):
    out_dir = tmp_path / "m"
    assert run(capsys, "train", cat_csv, "--target", "label", "--epochs", 2, "--out", out_dir, "--quiet")[0] == 0
    unseen = tmp_path / "unseen.csv"
    pd.DataFrame({"x": [0.1], "color": ["purple"], "size": ["M"]}).to_csv(unseen, index=False)
    code, out, err = run(capsys, "predict", out_dir, unseen)
    assert code == 0 and "predicted_label" in out
    assert err.count("\n") == 1 and "warning" in err and "'color'" in err and "'purple'" in err, err
    missing = tmp_path / "missing_col.csv"
    pd.DataFrame({"x": [0.1], "size": ["M"]}).to_csv(missing, index=False)
    assert_one_line_error(*run(capsys, "predict", out_dir, missing)[::2], "'color'", "missing_col.csv")
    assert_one_line_error(*run(capsys, "evaluate", out_dir, missing)[::2], "'label'")
    assert_one_line_error(*run(capsys, "summary", tmp_path / "nowhere")[::2], "nowhere")


def test_python_dash_m_entry_point():
    import importlib.util
    assert importlib.util.find_spec("neuronet.__main__") is not None
    from neuronet import cli
    assert cli.main is main
