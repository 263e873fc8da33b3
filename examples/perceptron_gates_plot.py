"""The notes' gate plots (000, "6. Multilayer Perceptron"): each gate's truth table in the plane with the
perceptron's line of separation w1*x1 + w2*x2 + b = theta, i.e. x2 = -(w1/w2) x1 + (theta - b)/w2.

1. AND, OR and NAND with the notes' Python parameters (w1, w2, b, theta): one PNG each.
2. The line Rosenblatt's rule learns for AND, drawn the same way.
3. XOR: the regions of the two-layer perceptron (NAND and OR into AND); no single line separates them.

Run:  python examples/perceptron_gates_plot.py [--out gate_plots]
"""
import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")                 # files only, no window
import matplotlib.pyplot as plt       # noqa: E402

from neuronet.perceptron import AND, NAND, OR, XOR_X, RosenblattPerceptron, truth_table, xor_gate  # noqa: E402
from neuronet.plot import decision_boundary  # noqa: E402


class TwoLayerXor:
    """The notes' XOR network, NAND and OR into AND, with the predict(X) that decision_boundary calls."""

    def predict(self, X):
        return xor_gate(X[:, 0], X[:, 1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="gate_plots", help="folder for the PNG files (created if missing)")
    out = Path(parser.parse_args(argv).out)
    out.mkdir(parents=True, exist_ok=True)

    for gate in (AND, OR, NAND):
        w1, w2 = gate.weights
        slope, intercept = gate.boundary()
        print(f"{gate.name}: w = ({w1}, {w2}), b = {gate.bias}, theta = {gate.theta} -> "
              f"x2 = {slope:.4g} x1 + {intercept:.4g}")
        fig = decision_boundary(gate, path=out / f"{gate.name.lower()}_gate.png")
        plt.close(fig)

    learned = RosenblattPerceptron().fit(XOR_X, truth_table(AND)["y"].to_numpy())
    slope, intercept = learned.boundary()
    print(f"AND learned by Rosenblatt's rule: w = {learned.coef_.tolist()}, b = {learned.intercept_} -> "
          f"x2 = {slope:.4g} x1 + {intercept:.4g}")
    fig = decision_boundary(learned, path=out / "and_learned.png")
    plt.close(fig)

    fig = decision_boundary(TwoLayerXor(), XOR_X, xor_gate(XOR_X[:, 0], XOR_X[:, 1]),
                            path=out / "xor_gate.png", title="XOR gate: two lines (NAND, OR), no single one")
    plt.close(fig)
    print(f"wrote {', '.join(sorted(p.name for p in out.glob('*.png')))} to {out}")


if __name__ == "__main__":
    main()
