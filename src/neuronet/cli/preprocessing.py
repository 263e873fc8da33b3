"""The fitted preprocessing of ``neuronet train``: a scikit-learn ColumnTransformer saved with skops.io.

    numeric      SimpleImputer(strategy)      -> StandardScaler          z = (x - mean_) / scale_
    categorical  SimpleImputer(most_frequent) -> OneHotEncoder(handle_unknown='infrequent_if_exist')
    ordinal      SimpleImputer(most_frequent) -> OrdinalEncoder(order, unseen -> NaN) -> SimpleImputer
The target: class labels -> indices 0..K-1 (classification), or y' = (y - y_mean) / y_scale (regression).

``save(folder)`` writes ``preprocessing.json`` (target, task, columns, classes, the target's mean and
scale) and ``preprocessing.skops`` (the fitted transformer). ``load`` accepts only the types skops trusts
by default (scikit-learn's own classes) plus ``numpy.dtype``; anything else in the file is refused before
an object is built. No pickle is written or read.

    >>> prep = Preprocessor("price", "regression", numeric=["area"]).fit(frame)   # doctest: +SKIP
    >>> prep.save("runs/houses"); Preprocessor.load("runs/houses").transform(frame)  # doctest: +SKIP
"""
from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd

from neuronet.cli import data as csvdata
from neuronet.cli.errors import CLIError
from neuronet.utils.atomic import atomic_write_bytes, atomic_write_text

FORMAT = "neuronet-preprocessing"
VERSION = 2
META_FILE, TRANSFORMER_FILE = "preprocessing.json", "preprocessing.skops"
TRUSTED_TYPES = ["numpy.dtype"]          # beyond the scikit-learn types skops trusts by default
IMPUTE_STRATEGIES = ("median", "mean", "most_frequent", "constant")


class Preprocessor:
    """Feature and target encoding for one CSV layout; ``fit`` on the training rows only."""

    def __init__(self, target, task, numeric=(), categorical=(), ordinal=None, impute="median"):
        if impute is not None and impute not in IMPUTE_STRATEGIES:
            raise CLIError(f"--impute: expected one of {', '.join(IMPUTE_STRATEGIES)}, got {impute!r}")
        self.target, self.task = target, task
        self.impute = impute                # None: missing values are refused (--no-impute)
        self.numeric, self.categorical = list(numeric), list(categorical)
        self.ordinal = dict(ordinal or {})  # column -> list of categories in order, or None for sorted
        self.transformer = None
        self.classes = None
        self.y_mean, self.y_scale = 0.0, 1.0

    @property
    def columns(self):
        return self.numeric + self.categorical + list(self.ordinal)

    def _features(self, frame):
        texts = self.categorical + list(self.ordinal)
        blocks = [frame[self.numeric].astype(np.float64)] if self.numeric else []
        if texts:
            blocks.append(pd.DataFrame({col: csvdata.as_category_strings(frame[col]) for col in texts},
                                       index=frame.index))
        return pd.concat(blocks, axis=1)[self.columns] if len(blocks) > 1 else blocks[0]

    def _make(self, ordinal_categories):
        from sklearn.compose import ColumnTransformer
        from sklearn.impute import SimpleImputer
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
        constant = self.impute == "constant"
        categories = SimpleImputer(strategy="constant" if constant else "most_frequent",
                                   fill_value="missing" if constant else None, keep_empty_features=True)
        parts = []
        if self.numeric:
            parts.append(("num", make_pipeline(SimpleImputer(strategy=self.impute or "median", fill_value=0.0,
                                                             keep_empty_features=True), StandardScaler()),
                          self.numeric))
        if self.categorical:
            parts.append(("cat", make_pipeline(categories, OneHotEncoder(
                handle_unknown="infrequent_if_exist", sparse_output=False)), self.categorical))
        if self.ordinal:
            from sklearn.base import clone
            parts.append(("ord", make_pipeline(clone(categories), OrdinalEncoder(
                categories=ordinal_categories, handle_unknown="use_encoded_value", unknown_value=np.nan),
                SimpleImputer(strategy="most_frequent")), list(self.ordinal)))
        return ColumnTransformer(parts, remainder="drop", sparse_threshold=0.0)

    def fit(self, frame, path="data"):
        """Fit the imputers, scalers and encoders on ``frame`` (the training rows)."""
        feats = self._features(frame)
        ordinal_categories = []
        for col, order in self.ordinal.items():
            seen = sorted(set(feats[col].dropna()))
            if order is None:
                order = seen
            unknown = sorted(set(seen) - set(order))
            if unknown:
                raise CLIError(f"{path}: column '{col}' has value(s) {unknown} missing from its --ordinal "
                               f"order {order}")
            self.ordinal[col] = list(order)
            ordinal_categories.append(list(order))
        if not self.columns:
            raise CLIError(f"{path}: no feature columns left besides the target '{self.target}'")
        self.transformer = self._make(ordinal_categories).fit(feats)
        y = frame[self.target]
        if self.task == "classification":
            labels = csvdata.as_category_strings(y) if not csvdata.is_numeric(y) else y
            self.classes = np.unique(labels.to_numpy()).tolist()
            if len(self.classes) < 2:
                raise CLIError(f"{path}: target column '{self.target}' has a single class "
                               f"({self.classes[0]!r}); classification needs at least two")
        else:
            if not csvdata.is_numeric(y):
                raise CLIError(f"{path}: target column '{self.target}' is not numeric, so --task regression "
                               f"cannot use it")
            values = y.to_numpy(dtype=np.float64)
            self.y_mean, self.y_scale = float(values.mean()), float(values.std())
            if self.y_scale == 0.0:
                raise CLIError(f"{path}: target column '{self.target}' is constant ({self.y_mean}); "
                               f"there is nothing to learn")
        return self

    # ---- transform ------------------------------------------------------------------------------------
    def transform(self, frame, path="data", warn=None):
        """Encoded features (n, n_features) as float64; CLIError for missing columns. With ``warn`` (a
        function of one message) it is told which columns had missing values imputed and which held
        categories never seen in training (encoded as all zeros, or the most frequent order)."""
        csvdata.require_columns(frame, self.columns, path)
        feats = self._features(frame)
        if warn is not None:
            self._warn_missing(feats, path, warn)
            for col, cats in zip(self.categorical + list(self.ordinal), self.categories()):
                values = feats[col].dropna()
                unseen = values[~values.isin(cats)]
                if len(unseen):
                    names = sorted(set(unseen))
                    warn(f"{path}: column '{col}' has {len(unseen)} row(s) with categories never seen in "
                         f"training ({', '.join(map(repr, names[:5]))}{' ...' if len(names) > 5 else ''}); "
                         + ("encoded as all zeros" if col in self.categorical else "given the most frequent value"))
        return np.asarray(self.transformer.transform(feats), dtype=np.float64)

    def _warn_missing(self, feats, path, warn):
        counts = feats.isna().sum()
        counts = counts[counts > 0]
        if len(counts):
            shown = ", ".join(f"'{c}' ({int(n)}, {self._strategy(c)})" for c, n in counts.items())
            warn(f"{path}: imputed missing values in column(s) {shown}")

    def _strategy(self, col):
        if self.impute == "constant":
            return "0" if col in self.numeric else "'missing'"
        return (self.impute or "median") if col in self.numeric else "most frequent"

    def categories(self):
        """The known categories of each categorical, then each ordinal column (lists of strings)."""
        cats = []
        if self.categorical:
            encoder = self.transformer.named_transformers_["cat"][-1]
            cats += [list(c) for c in encoder.categories_]
        return cats + [list(v) for v in self.ordinal.values()]

    def encode_target(self, series, path="data"):
        """Class indices (classification) or the standardized target (regression)."""
        if series.isna().any():
            raise CLIError(f"{path}: target column '{self.target}' has {int(series.isna().sum())} missing value(s)")
        if self.task == "regression":
            if not csvdata.is_numeric(series):
                raise CLIError(f"{path}: target column '{self.target}' is not numeric")
            return (series.to_numpy(dtype=np.float64) - self.y_mean) / self.y_scale
        labels = series if all(not isinstance(c, str) for c in self.classes) else csvdata.as_category_strings(series)
        index = {c: i for i, c in enumerate(self.classes)}
        unseen = sorted({str(v) for v in labels if v not in index})
        if unseen:
            raise CLIError(f"{path}: target column '{self.target}' has labels never seen in training: {unseen[:5]}")
        return np.array([index[v] for v in labels], dtype=np.int64)

    def decode_target(self, values):
        """Standardized regression values -> the target's own units: y = y' * y_scale + y_mean."""
        return np.asarray(values, dtype=np.float64) * self.y_scale + self.y_mean

    def decode_output(self, output):
        """Model outputs -> labels in the original type (classification) or target units (regression)."""
        output = np.asarray(output, dtype=np.float64)
        if self.task == "regression":
            return self.decode_target(output.reshape(len(output), -1)[:, 0])
        return np.asarray(self.classes, dtype=object)[self.class_indices(output)]

    def class_indices(self, output):
        output = np.asarray(output).reshape(len(output), -1)
        return (output[:, 0] > 0.5).astype(np.int64) if output.shape[1] == 1 else output.argmax(axis=1)

    def probabilities(self, output):
        """(n, n_classes) class probabilities; a binary model's one sigmoid unit is p(classes[1])."""
        output = np.asarray(output, dtype=np.float64).reshape(len(output), -1)
        return np.column_stack([1 - output[:, 0], output[:, 0]]) if output.shape[1] == 1 else output

    # ---- persistence ----------------------------------------------------------------------------------
    def metadata(self) -> dict:
        return {"format": FORMAT, "version": VERSION, "target": self.target, "task": self.task,
                "numeric": self.numeric, "categorical": self.categorical, "ordinal": self.ordinal,
                "impute": self.impute, "classes": self.classes, "y_mean": self.y_mean, "y_scale": self.y_scale}

    def save(self, directory) -> list[str]:
        """``preprocessing.json`` and ``preprocessing.skops`` in ``directory`` (each written atomically)."""
        import zipfile
        sio = _skops()
        atomic_write_text(os.path.join(directory, META_FILE), json.dumps(self.metadata(), indent=1))
        atomic_write_bytes(os.path.join(directory, TRANSFORMER_FILE),
                           sio.dumps(self.transformer, compression=zipfile.ZIP_DEFLATED))
        return [META_FILE, TRANSFORMER_FILE]

    @classmethod
    def load(cls, directory) -> "Preprocessor":
        """The preprocessing saved by ``save``; CLIError for a missing, tampered or foreign file."""
        meta_path, tr_path = os.path.join(directory, META_FILE), os.path.join(directory, TRANSFORMER_FILE)
        for p in (meta_path, tr_path):
            if not os.path.isfile(p):
                raise CLIError(f"{directory}: no {os.path.basename(p)}; is this a `neuronet train` output folder "
                               "(written by this version)?")
        try:
            with open(meta_path, encoding="utf-8") as fh:
                cfg = json.load(fh)
            if cfg.get("format") != FORMAT or cfg.get("version") != VERSION:
                raise ValueError(f"not a {FORMAT} v{VERSION} file; retrain with this version of neuronet")
            prep = cls(cfg["target"], cfg["task"], cfg["numeric"], cfg["categorical"], cfg["ordinal"], cfg["impute"])
            prep.classes, prep.y_mean, prep.y_scale = cfg["classes"], float(cfg["y_mean"]), float(cfg["y_scale"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CLIError(f"{meta_path}: invalid preprocessing file ({exc})") from None
        prep.transformer = _load_transformer(tr_path, prep.columns)
        return prep


def _skops():
    try:
        import skops.io as sio
    except ImportError:
        raise CLIError("the command line saves its preprocessing with skops, which is not installed; "
                       "install it with: pip install 'neuronet[cli]'") from None
    return sio


def _load_transformer(path, columns):
    """The ColumnTransformer in ``path``, refusing any type outside skops' defaults and TRUSTED_TYPES."""
    sio = _skops()
    from sklearn.compose import ColumnTransformer
    try:
        untrusted = sio.get_untrusted_types(file=path)
        refused = sorted(set(untrusted) - set(TRUSTED_TYPES))
        if refused:
            raise CLIError(f"{path}: refused to load: it holds types outside the allowed list: "
                           f"{', '.join(refused)}")
        transformer = sio.load(path, trusted=[t for t in untrusted if t in TRUSTED_TYPES])
    except CLIError:
        raise
    except Exception as exc:       # skops raises many types for a damaged zip or schema
        raise CLIError(f"{path}: invalid preprocessing file ({type(exc).__name__}: {exc})") from None
    if not isinstance(transformer, ColumnTransformer) or list(transformer.feature_names_in_) != list(columns):
        raise CLIError(f"{path}: invalid preprocessing file (not the fitted ColumnTransformer of the columns "
                       "in preprocessing.json)")
    return transformer
