"""The fundamentals examples and docs/fundamentals.md."""
import runpy
from pathlib import Path

import pytest


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name, capsys):
    module = runpy.run_path(str(EXAMPLES / name))       # __name__ is not "__main__": nothing runs yet
    module["main"]()
    return capsys.readouterr().out


def test_backprop_worked_example_prints_the_corrected_numbers(capsys):
    out = run_example("backprop_worked_example.py", capsys)
    assert "E_total before the step: 0.298371109" in out
    assert "dE/dw5 = 0.082167041" in out
    assert "w5 after one step: 0.35891648" in out
    assert "w1 after one step: 0.149780716" in out
    assert "model left unchanged" in out                              # the explain_step table came first
    assert "0.3775" in out and "0.593269992" in out                    # net_h1 and out_h1 in the table


def test_worked_numbers_prints_every_number(capsys):
    out = run_example("worked_numbers.py", capsys)
    for text in ["= -0.2 -> y = 0", "= 0.8 -> y = 1",
                 "[0.219636 0.659824 0.120539]",
                 "-ln 0.6 = 0.510826", "-log10 0.6 = 0.221849",
                 "p=0.92: 0.083382", "p=0.94: 2.813411",
                 "-log2(0.775) = 0.367732",
                 "gradient -24, new weight 2 - 0.01 * (-24) = 2.24",
                 "dSSR/dslope = -3.44, dSSR/dintercept = -3.8",
                 "m_hat = 0.5, v_hat = 0.25"]:
        assert text in out, (text, out)


def test_logic_gates_example(capsys):
    out = run_example("logic_gates.py", capsys)
    xor_table = out.split("XOR gate")[1]
    assert "x_1\tx_2\ty\n0\t0\t0\n1\t0\t1\n0\t1\t1\n1\t1\t0" in xor_table
    for gate in ("AND", "OR", "NAND"):
        line = out.split(f"Rosenblatt on {gate}:")[1].splitlines()[1]
        assert line.strip().startswith("Converged"), line
    assert "not linearly separable" in out.split("Rosenblatt on XOR:")[1]
    assert "accuracy 1.00 after" in out
    epochs = int(out.split("accuracy 1.00 after ")[1].split()[0])
    assert epochs <= 2000


def test_the_explain_step_example_of_docs_fundamentals_runs_whatever_was_built_before(capsys):
    """docs/fundamentals.md's explain_step block, run as written after other layers took 'dense_1'."""
    from neuronet.layers import Dense
    text = (EXAMPLES.parent / "docs" / "fundamentals.md").read_text()
    block = text.split("## One training step as a table")[1].split("```python\n")[1].split("```")[0]
    Dense(3), Dense(3)                                    # the session's automatic names move on
    namespace = {}
    exec(compile(block, "docs/fundamentals.md", "exec"), namespace)
    step = namespace["step"]
    row = step.weight("output", "kernel", (0, 0))
    assert row.value == namespace["model"].layers[1].get_weights()[0][0, 0]
    assert row.updated == pytest.approx(row.value - 0.5 * row.gradient)
    assert "== layer hidden ==" in capsys.readouterr().out
    with pytest.raises(KeyError, match=r"No weight kernel \(5, 0\) in layer 'output'; layers: "
                                       r"\['hidden', 'output'\]; params of 'output': \['kernel', 'bias'\]"):
        step.weight("output", "kernel", (5, 0))
    with pytest.raises(KeyError, match=r"No weight kernel \(0, 0\) in layer 'dense_1'; layers: "
                                       r"\['hidden', 'output'\]\.\"$"):
        step.weight("dense_1", "kernel", (0, 0))


def test_docs_fundamentals_states_when_train_xor_network_stops():
    """docs/fundamentals.md: it stops at the first epoch with accuracy 1.0 and a loss below 0.05, which can
    be later than the first epoch with accuracy 1.0 (seed 0: 12, then stopped at 48)."""
    from neuronet.perceptron import train_xor_network
    text = " ".join((EXAMPLES.parent / "docs" / "fundamentals.md").read_text().split())
    assert "stops at the first epoch whose accuracy is 1.0 and whose loss is below 0.05" in text
    _, history = train_xor_network(seed=0)
    solved = [acc == 1.0 and loss < 0.05 for acc, loss in zip(history.history["acc"], history.history["loss"])]
    assert solved.index(True) + 1 == len(history.epoch) < 100
    assert history.history["acc"].index(1.0) + 1 <= len(history.epoch)
