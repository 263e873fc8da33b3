"""The package: `import neuronet as keras`, Keras 2 import paths, docstrings."""
import subprocess
import sys
import ast
import pathlib
import re

import pytest

import neuronet
from neuronet.utils import to_categorical
import neuronet as keras
from neuronet.callbacks import EarlyStopping
from neuronet.layers import Dense
from neuronet.models import Sequential, load_model
from neuronet.optimizers import SGD


def test_import_neuronet_as_keras_reaches_datasets_without_importing_sklearn_up_front():
    code = ("import sys, neuronet as keras; before = 'sklearn' in sys.modules; "
            "keras.datasets.load_iris; print(before, 'sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"]
    with pytest.raises(AttributeError, match="no attribute 'datasetz'"):
        neuronet.datasetz  # noqa: B018


def test_keras_2_import_paths_of_the_notes_era():
    from neuronet.layers.core import Activation, Dense, Dropout, Flatten
    from neuronet.sklearn import KerasClassifier as Wrapped
    from neuronet.utils.np_utils import to_categorical as old_to_categorical
    from neuronet.wrappers.scikit_learn import KerasClassifier, KerasRegressor
    import neuronet.layers as layers
    assert (Dense, Dropout, Activation, Flatten) == (layers.Dense, layers.Dropout, layers.Activation,
                                                     layers.Flatten)
    assert KerasClassifier is Wrapped and KerasRegressor.__name__ == "KerasRegressor"
    assert old_to_categorical is to_categorical


SRC = pathlib.Path(neuronet.__file__).parent


def test_docstrings_hold_no_bare_source_lines():
    """A source line pasted into a docstring is dead text that reads as code (and splits an example):
    docstrings show code only after '>>>' or '...'."""
    pasted = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef)))]:
            doc = ast.get_docstring(node, clean=False) or ""
            if re.search(r"^\s*(from neuronet\S* import |import neuronet)", doc, re.M):
                pasted.append(f"{path.relative_to(SRC)}:{getattr(node, 'name', '<module>')}")
    assert pasted == []


def test_import_neuronet_as_keras_works_in_a_fresh_interpreter():
    """The notes write keras.Sequential, keras.layers.Dense, keras.models.load_model,
    keras.regularizers.l1, keras.losses..., keras.optimizers.SGD with only `import keras`."""
    import subprocess
    import sys
    code = ("import neuronet as keras\n"
            "m = keras.Sequential([keras.layers.Flatten(input_shape=(28, 28)),\n"
            "                      keras.layers.Dense(128, activation='relu', kernel_regularizer=keras.regularizers.l1(0.01)),\n"
            "                      keras.layers.Dense(10, activation='softmax')])\n"
            "m.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),\n"
            "          loss=keras.losses.categorical_crossentropy, metrics=['accuracy'])\n"
            "assert keras.models.load_model is keras.load_model\n"
            "assert keras.callbacks.EarlyStopping and keras.activations.relu and keras.initializers.HeNormal\n"
            "print(m.count_params())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(28 * 28 * 128 + 128 + 128 * 10 + 10)


# ---- the package's structure ---------------------------------------------------------------------------
def _package_modules():
    import ast
    import pathlib
    src = pathlib.Path(neuronet.__file__).parent
    for path in sorted(src.rglob("*.py")):
        parts = path.relative_to(src.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, ast.parse(path.read_text())


def _family(module):
    """The first component under neuronet: a subpackage (models, layers, ...) or a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_families_import_each_other_without_a_circle():
    """models -> callbacks -> saving -> ... -> models (and any other circle between families) would make
    import order matter and the layers impossible to read on their own."""
    import ast
    modules = dict(_package_modules())
    edges = {}
    for name, tree in modules.items():
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("neuronet"):
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules]
                targets = subs + ([node.module] if len(subs) < len(node.names) else [])
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("neuronet")]
            for target in targets:
                a, b = _family(name), _family(target)
                if a and b and a != b:
                    edges.setdefault(a, set()).add(b)

    def reachable(start):
        seen, stack = set(), [start]
        while stack:
            for nxt in edges.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen
    circles = {family: sorted(b for b in edges[family] if family in reachable(b)) for family in edges
               if family in reachable(family)}
    assert not circles, f"import circles between families: {circles}"


def test_no_module_reads_another_familys_private_attributes():
    """obj._name is read only on self/cls or within the family that defines it (objects talk through public
    methods): an AST scan of every module for ._name reads on anything else, with the reading module's
    family and the read object named in the failure."""
    import ast
    allowed_in_family = {"sklearn": {"_schedules_sgd", "_score_outputs"}, "cli": {"_make"},
                         "models": {"_run_on_call_copies"}}   # on a copy of self
    found = []
    for name, tree in _package_modules():
        for node in ast.walk(tree):
            attr = None
            if isinstance(node, ast.Attribute) and not isinstance(node.value, ast.Name) or \
                    isinstance(node, ast.Attribute) and node.value.id not in ("self", "cls", "sys"):
                attr = node.attr
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr" and len(node.args) > 1 \
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str) \
                    and not (isinstance(node.args[0], ast.Name) and node.args[0].id == "self"):
                attr = node.args[1].value
            if attr and attr.startswith("_") and not attr.startswith("__") and \
                    attr not in allowed_in_family.get(_family(name), ()):
                found.append(f"{name}:{node.lineno} {ast.unparse(node)}")
    assert not found, "private attributes read from outside their object:\n" + "\n".join(found)
