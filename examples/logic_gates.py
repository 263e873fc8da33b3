"""The notes' perceptron and logic gates (000, sections 3-7), then the same ideas learned from data.

1. AND, OR and NAND as threshold perceptrons with the notes' (w1, w2, b, theta); XOR as NAND and OR into AND.
2. Rosenblatt's learning rule finds AND/OR/NAND weights by itself, and says so when XOR is not learnable.
3. A small Sequential learns XOR by backpropagation.

Run:  python examples/logic_gates.py
"""
import warnings

from neuronet.perceptron import (RosenblattPerceptron, XOR_X, and_gate, format_truth_table, nand_gate,
                                 or_gate, train_xor_network, truth_table, xor_gate)


def main():
    for name, gate in (("AND", and_gate), ("OR", or_gate), ("NAND", nand_gate), ("XOR", xor_gate)):
        print(f"{name} gate")
        print(format_truth_table(truth_table(gate)), end="\n\n")

    for name, gate in (("AND", and_gate), ("OR", or_gate), ("NAND", nand_gate), ("XOR", xor_gate)):
        y = truth_table(gate)["y"].to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf = RosenblattPerceptron(max_epochs=100).fit(XOR_X, y)
        print(f"Rosenblatt on {name}: errors per epoch {clf.errors_}")
        print(f"  {clf.message_}")
        if clf.converged_:
            print(f"  w = {clf.coef_.tolist()}, b = {clf.intercept_} (theta = {clf.theta_})")

    model, history = train_xor_network(seed=0)
    print(f"\nXOR by backpropagation (2-4-1, tanh + sigmoid, Adam): accuracy "
          f"{history.history['acc'][-1]:.2f} after {len(history.epoch)} epochs")
    print("predictions:", [round(float(p), 3) for p in model.predict(XOR_X).ravel()])


if __name__ == "__main__":
    main()
