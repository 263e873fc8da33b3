"""`neuronet train` on ordinary CSVs, its run folder (whole or not at all) and faults while writing."""
import json
import os
import re
import resource
import signal
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from neuronet.utils.atomic import TMP_SUFFIX

from cli_helpers import assert_one_line_error, run

pytest.importorskip("skops.io")


def test_semicolon_csv_with_missing_values_and_ids_trains_with_warnings(capsys, tmp_path, messy_csv):
    out_dir = tmp_path / "run"
    code, out, err = run(capsys, "train", messy_csv, "--target", "price", "--epochs", 60, "--out", out_dir)
    assert code == 0, err
    warnings = err.strip().splitlines()
    assert len(warnings) == 2 and all(w.startswith("neuronet train: warning: ") for w in warnings)
    assert "'id', 'name'" in warnings[0] and "likely IDs" in warnings[0] and "--keep id,name" in warnings[0]
    assert "'area' (15, median), 'town' (8, most frequent)" in warnings[1]
    metrics = json.loads((out_dir / "metrics.json").read_text())
    assert metrics["features"] == {"numeric": ["area", "age"], "categorical": ["town"], "ordinal": []}
    assert metrics["warnings"] == [w.split("warning: ", 1)[1] for w in warnings]
    # the curves are in the target's units: the best validation MAE is near the test MAE, not 1/20 of it
    history = json.loads((out_dir / "history.json").read_text())
    best = metrics["best_epoch"] - 1
    assert 0.4 < history["val_mae"][best] / metrics["test"]["mae"] < 2.5
    assert history["val_loss"][best] == pytest.approx(min(history["val_loss"]))
    html = (out_dir / "report.html").read_text()
    assert len(re.findall(r'src="data:image/png;base64,', html)) == 2 and "Prediction error" in html
    assert "likely IDs" in html and "--early-stopping" in html
    assert sorted(os.listdir(out_dir)) == ["history.json", "metrics.json", "model.keras", "preprocessing.json",
                                           "preprocessing.skops", "report.html"]
    new = tmp_path / "new.csv"
    pd.read_csv(messy_csv, sep=";").drop(columns="price").head(5).to_csv(new, sep=";", index=False)
    code, _, err = run(capsys, "predict", out_dir, new, "-o", tmp_path / "pred.csv", "--quiet")
    assert code == 0, err
    pred = pd.read_csv(tmp_path / "pred.csv", sep=";")            # written with the input's separator
    assert pred.shape == (5, 6) and pred["predicted_price"].notna().all()


def test_keep_no_impute_and_drop(capsys, tmp_path, messy_csv):
    code, _, err = run(capsys, "train", messy_csv, "--target", "price", "--no-impute", "--out", tmp_path / "r")
    assert_one_line_error(code, err.split("\n", 1)[1], "houses.csv", "'area'", "missing value")
    code, _, err = run(capsys, "train", messy_csv, "--target", "price", "--keep", "id", "--drop", "town,area",
                       "--epochs", 2, "--out", tmp_path / "r", "--quiet")
    assert code == 0, err
    metrics = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert metrics["features"]["numeric"] == ["id", "age"] and metrics["features"]["categorical"] == []
    assert "'name'" in err and "'id'" not in err.split("\n")[0]


def test_early_stopping_is_on_by_default_and_can_be_turned_off(capsys, tmp_path, cat_csv):
    args = ["train", cat_csv, "--target", "label", "--epochs", 400, "--layers", "64,64", "--lr", "0.01", "--quiet"]
    assert run(capsys, *args, "--out", tmp_path / "es")[0] == 0
    metrics = json.loads((tmp_path / "es" / "metrics.json").read_text())
    assert metrics["options"]["early_stopping"] == 10
    assert metrics["epochs_run"] < 400 and metrics["best_epoch"] == metrics["epochs_run"] - 10
    assert run(capsys, *args[:4], "--epochs", 15, "--no-early-stopping", "--out", tmp_path / "all")[0] == 0
    metrics = json.loads((tmp_path / "all" / "metrics.json").read_text())
    assert metrics["epochs_run"] == 15 and metrics["options"]["early_stopping"] is None


def _snapshot(folder):
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def test_a_failed_run_leaves_the_previous_one_whole(capsys, tmp_path, cat_csv, monkeypatch):
    out_dir = tmp_path / "run"
    assert run(capsys, "train", cat_csv, "--target", "label", "--epochs", 2, "--out", out_dir, "--quiet")[0] == 0
    before = _snapshot(out_dir)
    from neuronet.cli import report

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(report, "write_html", full_disk)       # model and preprocessing already written
    code, _, err = run(capsys, "train", cat_csv, "--target", "label", "--epochs", 3, "--out", out_dir, "--quiet")
    assert_one_line_error(code, err, "--out", "No space left", "unchanged")
    assert _snapshot(out_dir) == before and os.listdir(tmp_path) == ["cat.csv", "run"]


def test_out_refuses_a_folder_that_is_not_a_run(capsys, tmp_path, cat_csv):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    code, _, err = run(capsys, "train", cat_csv, "--target", "label", "--out", mine)
    assert_one_line_error(code, err, "--out", "mine", "not a `neuronet train` folder")
    assert os.listdir(mine) == ["notes.txt"]


def test_an_unforeseen_exception_is_one_line_and_exit_2(capsys, tmp_path, cat_csv, monkeypatch):
    from neuronet.cli import network

    def bug(*args, **kwargs):
        raise RuntimeError("something\nunexpected")
    monkeypatch.setattr(network, "build_model", bug)
    code, _, err = run(capsys, "train", cat_csv, "--target", "label", "--out", tmp_path / "r", "--quiet")
    assert_one_line_error(code, err, "neuronet train: error: RuntimeError: something unexpected")
    monkeypatch.setenv("NEURONET_TRACEBACK", "1")
    with pytest.raises(RuntimeError):
        run(capsys, "train", cat_csv, "--target", "label", "--out", tmp_path / "r", "--quiet")


def _limited(max_bytes):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)       # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return preexec


def _cli(*argv, cwd, preexec_fn=None):
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "MPLCONFIGDIR": str(cwd)}
    return subprocess.run([sys.executable, "-m", "neuronet", *map(str, argv)], cwd=cwd, capture_output=True,
                          text=True, preexec_fn=preexec_fn, env=env, timeout=300)


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs POSIX file-size limits")
def test_full_disk_keeps_the_previous_predictions_and_run_intact(tmp_path, cat_csv):
    """The real CLI in a subprocess whose file-size limit makes every write past 4 KB fail (a full disk)."""
    out_dir = tmp_path / "run"
    done = _cli("train", cat_csv, "--target", "label", "--epochs", 2, "--out", out_dir, "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    small = tmp_path / "small.csv"
    pd.read_csv(cat_csv).head(3).to_csv(small, index=False)
    pred = tmp_path / "pred.csv"
    assert _cli("predict", out_dir, small, "-o", pred, "--quiet", cwd=tmp_path).returncode == 0
    previous, run_before = pred.read_bytes(), _snapshot(out_dir)
    assert len(previous) < 4096

    done = _cli("predict", out_dir, cat_csv, "-o", pred, cwd=tmp_path, preexec_fn=_limited(4096))
    assert_one_line_error(done.returncode, done.stderr, "neuronet predict: error: -o", "pred.csv",
                          "File too large", "unchanged")
    assert pred.read_bytes() == previous

    done = _cli("train", cat_csv, "--target", "label", "--epochs", 2, "--out", out_dir, "--quiet", cwd=tmp_path,
                preexec_fn=_limited(4096))
    assert_one_line_error(done.returncode, done.stderr, "neuronet train: error: --out", "File too large")
    assert _snapshot(out_dir) == run_before
    assert not [n for n in os.listdir(tmp_path) if n.endswith(TMP_SUFFIX)]


def test_a_wide_csv_trains_and_predicts(capsys, tmp_path):
    rng = np.random.default_rng(0)
    names = [f"c{i}" for i in range(10_000)]
    frame = pd.DataFrame(rng.normal(size=(12, len(names))).round(2), columns=names).assign(y=[0, 1] * 6)
    path = tmp_path / "wide.csv"
    frame.to_csv(path, index=False)
    code, _, err = run(capsys, "train", path, "--target", "y", "--epochs", 1, "--layers", "4", "--test-size", "0.34",
                       "--out", tmp_path / "w", "--quiet")
    assert code == 0, err
    code, out, err = run(capsys, "predict", tmp_path / "w", path, "--quiet")
    assert code == 0 and len(out.splitlines()) == 13 and out.splitlines()[0].endswith("probability_1"), err
