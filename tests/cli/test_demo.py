"""`neuronet demo` writes a report whose images exist."""
import json
import os
import re

from neuronet.cli import main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_writes_report_with_existing_images(capsys, tmp_path):
    out_dir = tmp_path / "demo"
    code, out, err = run(capsys, "demo", "--epochs", 3, "--out", out_dir)
    assert code == 0, err
    assert "breast cancer test: accuracy" in out and "Boston house prices test: mae" in out
    assert "Total params: 4,097" in out and "Total params: 16,321" in out  # the notes' counts
    html = (out_dir / "report.html").read_text()
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 2
    for name in images:
        assert not os.path.isabs(name) and (out_dir / name).is_file()
    metrics = json.loads((out_dir / "metrics.json").read_text())
    assert set(metrics) == {"classification", "regression"}
