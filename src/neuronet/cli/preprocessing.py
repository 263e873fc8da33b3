"""The fitted preprocessing of ``neuronet train``, saved as JSON (no pickle) and rebuilt from it.

Numeric columns: z = (x - mean_) / scale_ (StandardScaler); categorical columns: one-hot
(OneHotEncoder(handle_unknown='error')); ordinal columns: codes 0..k-1 in the given order (OrdinalEncoder).
The target: class labels -> indices 0..K-1 (classification), or y' = (y - y_mean) / y_scale (regression).

    >>> prep = Preprocessor("price", "regression").fit(frame)        # doctest: +SKIP
    >>> Preprocessor.from_json(prep.to_json()).transform(frame)      # doctest: +SKIP
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from neuronet.cli import data as csvdata
from neuronet.cli.errors import CLIError

FORMAT = "neuronet-preprocessing"
VERSION = 1


class Preprocessor:
    """Feature and target encoding for one CSV layout; ``fit`` on the training rows only."""

    def __init__(self, target, task, numeric=(), categorical=(), ordinal=None):
        self.target, self.task = target, task
        self.numeric, self.categorical = list(numeric), list(categorical)
        self.ordinal = dict(ordinal or {})  # column -> list of categories in order, or None for sorted
        self.transformer = None
        self.classes = None
        self.y_mean, self.y_scale = 0.0, 1.0

    @property
    def columns(self):
        return self.numeric + self.categorical + list(self.ordinal)

    def _features(self, frame):
        out = pd.DataFrame(index=frame.index)
        for col in self.numeric:
            out[col] = frame[col].astype(np.float64)
        for col in self.categorical + list(self.ordinal):
            out[col] = csvdata.as_category_strings(frame[col])
        return out

    def _make(self, categories=None, ordinal_categories=None):
        parts = []
        if self.numeric:
            parts.append(("num", StandardScaler(), self.numeric))
        if self.categorical:
            parts.append(("cat", OneHotEncoder(categories=categories or "auto", handle_unknown="error",
                                               sparse_output=False), self.categorical))
        if self.ordinal:
            parts.append(("ord", OrdinalEncoder(categories=ordinal_categories), list(self.ordinal)))
        return ColumnTransformer(parts, remainder="drop", sparse_threshold=0.0)

    def fit(self, frame, path="data"):
        """Fit the scalers and encoders on ``frame`` (the training rows)."""
        feats = self._features(frame)
        ordinal_categories = []
        for col, order in self.ordinal.items():
            seen = sorted(set(feats[col]))
            if order is None:
                order = seen
            unknown = sorted(set(seen) - set(order))
            if unknown:
                raise CLIError(f"{path}: column '{col}' has value(s) {unknown} missing from its --ordinal "
                               f"order {order}")
            self.ordinal[col] = list(order)
            ordinal_categories.append(list(order))
        self.transformer = self._make(ordinal_categories=ordinal_categories).fit(feats)
        if self.transformer.transform(feats.iloc[:1]).shape[1] == 0:
            raise CLIError(f"{path}: no feature columns left besides the target '{self.target}'")
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
    def transform(self, frame, path="data"):
        """Encoded features (n, n_features) as float64; CLIError for missing columns or unseen categories."""
        csvdata.require_columns(frame, self.columns, path)
        csvdata.check_missing_values(frame, self.columns, path)
        feats = self._features(frame)
        for col, cats in zip(self.categorical + list(self.ordinal), self._categories()):
            unseen = sorted(set(feats[col]) - set(cats))
            if unseen:
                raise CLIError(f"{path}: column '{col}' has categories never seen in training: "
                               f"{', '.join(map(repr, unseen[:5]))}{' ...' if len(unseen) > 5 else ''}; "
                               f"known: {', '.join(map(repr, cats[:10]))}")
        return np.asarray(self.transformer.transform(feats), dtype=np.float64)

    def _categories(self):
        cats = []
        if self.categorical:
            cats += [list(c) for c in self.transformer.named_transformers_["cat"].categories_]
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

    def decode_output(self, output):
        """Model outputs -> labels in the original type (classification) or target units (regression)."""
        output = np.asarray(output, dtype=np.float64)
        if self.task == "regression":
            return output.reshape(len(output), -1)[:, 0] * self.y_scale + self.y_mean
        return np.asarray(self.classes, dtype=object)[self.class_indices(output)]

    def class_indices(self, output):
        output = np.asarray(output).reshape(len(output), -1)
        return (output[:, 0] > 0.5).astype(np.int64) if output.shape[1] == 1 else output.argmax(axis=1)

    # ---- JSON -----------------------------------------------------------------------------------------
    def to_json(self) -> str:
        cfg = {"format": FORMAT, "version": VERSION, "target": self.target, "task": self.task,
               "numeric": self.numeric, "categorical": self.categorical, "ordinal": self.ordinal,
               "classes": self.classes, "y_mean": self.y_mean, "y_scale": self.y_scale}
        if self.numeric:
            scaler = self.transformer.named_transformers_["num"]
            cfg["mean"], cfg["scale"] = scaler.mean_.tolist(), scaler.scale_.tolist()
        if self.categorical:
            cfg["categories"] = [[str(v) for v in c] for c in self.transformer.named_transformers_["cat"].categories_]
        return json.dumps(cfg, indent=2)

    @classmethod
    def from_json(cls, text: str, path="preprocessing.json") -> "Preprocessor":
        """Rebuild an equivalent fitted transformer: encoders get their categories, the scaler its
        mean_/scale_ (fitted on one synthetic row, then overwritten)."""
        try:
            cfg = json.loads(text)
            if cfg.get("format") != FORMAT or cfg.get("version") != VERSION:
                raise ValueError(f"not a {FORMAT} v{VERSION} file")
            prep = cls(cfg["target"], cfg["task"], cfg["numeric"], cfg["categorical"], cfg["ordinal"])
            prep.classes, prep.y_mean, prep.y_scale = cfg["classes"], float(cfg["y_mean"]), float(cfg["y_scale"])
            categories = cfg.get("categories")
            row = {c: [0.0] for c in prep.numeric}
            row.update({c: [cats[0]] for c, cats in zip(prep.categorical, categories or [])})
            row.update({c: [cats[0]] for c, cats in prep.ordinal.items()})
            prep.transformer = prep._make(categories, list(prep.ordinal.values())).fit(pd.DataFrame(row))
            if prep.numeric:
                scaler = prep.transformer.named_transformers_["num"]
                scaler.mean_ = np.asarray(cfg["mean"], dtype=np.float64)
                scaler.scale_ = np.asarray(cfg["scale"], dtype=np.float64)
                scaler.var_ = scaler.scale_ ** 2
                if scaler.mean_.shape != (len(prep.numeric),) or scaler.scale_.shape != scaler.mean_.shape:
                    raise ValueError("mean/scale lengths disagree with the numeric columns")
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise CLIError(f"{path}: invalid preprocessing file ({exc})") from None
        return prep
