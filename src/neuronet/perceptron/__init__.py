"""Perceptrons: the notes' threshold unit and logic gates, Rosenblatt's learning rule, XOR by backprop.

    >>> from neuronet.perceptron import truth_table, xor_gate
    >>> truth_table(xor_gate)["y"].tolist()
    [0, 1, 1, 0]
"""
from neuronet.perceptron.threshold import (AND, NAND, OR, Line, Perceptron, and_gate, format_truth_table,
                                           nand_gate, or_gate, separation_line, truth_table, xor_gate)
from neuronet.perceptron.rosenblatt import ConvergenceWarning, RosenblattPerceptron
from neuronet.perceptron.xor import XOR_X, XOR_Y, train_xor_network

__all__ = ["Perceptron", "Line", "separation_line", "AND", "OR", "NAND", "and_gate", "or_gate", "nand_gate",
           "xor_gate", "truth_table", "format_truth_table", "RosenblattPerceptron", "ConvergenceWarning",
           "train_xor_network", "XOR_X", "XOR_Y"]
