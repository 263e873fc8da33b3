"""The CLI shortens long library errors to one line."""
import numpy as np
import pandas as pd
import pytest

from neuronet.cli import main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cat_csv(tmp_path):
    rng = np.random.default_rng(0)
    n = 240
    color, size, x = rng.choice(["red", "green", "blue"], n), rng.choice(["S", "M", "L"], n), rng.normal(size=n)
    label = np.where(x + 1.5 * (color == "red") - (size == "S") > 0.3, "yes", "no")
    path = tmp_path / "cat.csv"
    pd.DataFrame({"x": x, "color": color, "size": size, "label": label}).to_csv(path, index=False)
    return path


def _assert_one_line_error(code, err, *words):
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], lines[0]


def test_long_library_errors_are_cut_to_a_short_line(capsys, cat_csv):
    # a float column forced to classification: scikit-learn's split error lists all 240 "classes"
    code, _, err = run(capsys, "train", cat_csv, "--target", "x", "--task", "classification", "--quiet")
    _assert_one_line_error(code, err, "cat.csv", "'x'")
    assert len(err) < 500 and err.rstrip().endswith("..."), err
