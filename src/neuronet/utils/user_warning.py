"""Warnings that point at the user's code: the first caller outside the neuronet package.

A warning raised deep inside fit (a callback's monitor, the scikit-learn estimators' ConvergenceWarning)
would otherwise be reported at an internal line of neuronet; scikit-learn or your own script is what
called it, so the reported file and line are the first frame outside ``src/neuronet``.
"""
from __future__ import annotations

import os
import sys
import warnings

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def warn(message, category=UserWarning):
    """``warnings.warn(message, category)`` with the stacklevel of the first frame outside neuronet."""
    frame, stacklevel = sys._getframe(1), 2           # stacklevel 2 is the frame that called this function
    while frame.f_back is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE):
        frame, stacklevel = frame.f_back, stacklevel + 1
    warnings.warn(message, category, stacklevel=stacklevel)
