"""Review of session 3's changes: regressions found, each pinned by a test."""
import ast
import pathlib
import re

import neuronet

SRC = pathlib.Path(neuronet.__file__).parent


def test_no_source_line_pasted_into_a_docstring():
    """An import pasted into a docstring (optimizers/base.py's module docstring got one, splitting its
    example) is dead text that reads as code: docstrings show code only after '>>>' or '...'."""
    pasted = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef)))]:
            doc = ast.get_docstring(node, clean=False) or ""
            if re.search(r"^\s*(from neuronet\S* import |import neuronet)", doc, re.M):
                pasted.append(f"{path.relative_to(SRC)}:{getattr(node, 'name', '<module>')}")
    assert pasted == []
