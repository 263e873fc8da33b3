"""`neuronet demo` writes one self-contained report."""
import json
import os
import re

from cli_helpers import run


def test_demo_writes_one_self_contained_report(capsys, tmp_path):
    out_dir = tmp_path / "demo"
    code, out, err = run(capsys, "demo", "--epochs", 3, "--out", out_dir)
    assert code == 0, err
    assert "breast cancer test: accuracy" in out and "Boston house prices test: mae" in out
    assert "Total params: 4,097" in out and "Total params: 16,321" in out  # the notes' counts
    html = (out_dir / "report.html").read_text()
    images = re.findall(r'<img src="([^"]+)"', html)
    # learning curves, confusion matrix, ROC + PR for the classifier; curves, prediction error for the regressor
    assert len(images) == 5 and all(src.startswith("data:image/png;base64,") for src in images)
    assert sorted(os.listdir(out_dir)) == ["metrics.json", "report.html"]
    for caption in ("Confusion matrix", "ROC and precision-recall curves", "Prediction error", "Options"):
        assert caption in html
    metrics = json.loads((out_dir / "metrics.json").read_text())
    assert set(metrics) == {"classification", "regression"}
