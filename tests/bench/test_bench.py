"""The benchmark scripts run (a quick smoke run, never timed)."""
import json
import os
import subprocess
import sys


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_bench_quick_run_writes_the_table_and_json(tmp_path):
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "run.py"), "--quick", "--only", "W1", "W5",
                          "--repeats", "1", "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "W1 cancer 30-64-32-1" in run.stdout and "W5 predict on the W1 model" in run.stdout
    data = json.loads(out.read_text())
    assert data["matmul_peak_gflops"] > 0
    w1, w5 = data["rows"]
    assert w1["samples"] == 340 and w1["sklearn_dtype"] == "float32"
    assert w1["neuronet_s_per_epoch"] > 0 and w1["sklearn_s_per_epoch"] > 0
    assert 0 < w1["matmul_only_fraction"]
    assert w1["neuronet_quality"] >= 0.9 and w1["sklearn_quality"] >= 0.9      # test accuracy
    assert w5["one_row_median_us"] > 0 and w5["10k_rows_median_ms"] > 0
    assert w1["validation_split"] == 0.2          # scikit-learn validates the same fraction every epoch


def test_step_parts_and_compare_trees_run():
    run = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "step_parts.py"), "W1"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    header, row = run.stdout.strip().splitlines()
    assert "optimizer" in header and row.startswith("W1 30-64-32-1 b64")
    assert all(float(v) > 0 for v in row.split()[3:])
    src = os.path.join(ROOT, "src")
    run = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "compare_trees.py"), src, src,
                          "--rounds", "1", "--epochs", "2"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    rows = run.stdout.strip().splitlines()[1:]
    assert [r.split()[0] for r in rows] == ["W1", "W2", "W3"]
    for r in rows:                                       # the same code: the same arithmetic
        old_loss, new_loss = r.split()[-3], r.split()[-1]
        assert old_loss == new_loss


def test_profile_fit_lists_the_training_step_functions():
    run = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "profile_fit.py"), "W3", "--epochs", "3",
                          "--top", "40"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("W3: fit for 3 epochs")
    assert "dense.py" in run.stdout and "(train_step)" in run.stdout and "adam.py" in run.stdout


def test_streams_bench_smoke_run():
    run = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "streams.py"), "--gigabytes", "0.005"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "memmap:" in run.stdout and "dask:" in run.stdout and "speed-up" in run.stdout
