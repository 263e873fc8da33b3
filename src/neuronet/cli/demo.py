"""``neuronet demo``: the notes' two Keras examples on the bundled data, with a report.

Classification: breast cancer, StandardScaler, Dense 64-32-1 (relu, relu, sigmoid), SGD,
binary_crossentropy, batch 64, 300 epochs, validation_split 0.2.
Regression: Boston, StandardScaler, Dense 128-64-64-32-1 (relu), Adam(learning_rate=0.01), mse / mae,
batch 64, validation_split 0.2.
"""
from __future__ import annotations

import os

import numpy as np

from neuronet.cli import figures, network, report
from neuronet.callbacks.progbar import format_logs

CLASSIFICATION_EPOCHS = 300
REGRESSION_EPOCHS = 100


def _example(name, X, y, hidden, output_activation, optimizer, loss, metrics, epochs, args):
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    import neuronet
    from neuronet.models.summary import summary_text
    say = (lambda *a: None) if args.quiet else print
    neuronet.set_random_seed(args.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=args.seed)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    model = network.build_model(X.shape[1], 1, hidden, "relu", output_activation)
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
    say(f"\n== {name} ({len(X_train)} training rows, {len(X_test)} test rows) ==")
    summary = summary_text(model)
    say(summary)
    history = model.fit(X_train, y_train, batch_size=64, epochs=epochs, validation_split=0.2, verbose=0,
                        callbacks=[] if args.quiet else [network.EpochBar(name)], seed=args.seed)
    out = model.predict(X_test)
    if output_activation == "sigmoid":
        scores = network.score("classification", y_test, (out[:, 0] > 0.5).astype(int))
        figs = figures.classification_pngs(y_test, np.column_stack([1 - out[:, 0], out[:, 0]]),
                                           ["malignant", "benign"])
    else:
        scores = network.score("regression", y_test, out[:, 0])
        figs = figures.regression_pngs(y_test, out[:, 0], "MEDV")
    say(f"{name} test: {format_logs(scores)}")
    return model, history, scores, summary, figs


def run(args) -> int:
    from neuronet.datasets import load_boston, load_breast_cancer
    from neuronet.optimizers import Adam
    from neuronet.cli.train import check_out_folder
    out_dir = args.out
    check_out_folder(out_dir)
    runs = [("classification", "breast cancer", *load_breast_cancer(return_X_y=True), [64, 32], "sigmoid", "sgd",
             "binary_crossentropy", ["acc"], args.epochs or CLASSIFICATION_EPOCHS),
            ("regression", "Boston house prices", *load_boston(return_X_y=True), [128, 64, 64, 32], None,
             Adam(learning_rate=0.01), "mse", ["mae"], args.epochs or REGRESSION_EPOCHS)]
    sections, all_scores = [], {}
    for key, title, X, y, hidden, act, opt, loss, metrics, epochs in runs:
        model, history, scores, summary, figs = _example(title, X, y, hidden, act, opt, loss, metrics, epochs, args)
        hist = {k: [float(v) for v in vals] for k, vals in history.history.items()}
        best = figures.best_epoch(hist)
        labels = {"loss": "loss (MSE, $1000s squared)", "mae": "mae ($1000s)"} if key == "regression" else {}
        all_scores[key] = {"dataset": title, "epochs": epochs, "test": scores, "history": hist}
        sections.append({
            "title": f"{key.capitalize()}: {title}", "summary": summary, "metrics": scores,
            "figures": [("Learning curves", figures.learning_curves_png(hist, labels))] + figs,
            "notes": [f"{len(X)} rows: {len(X) * 3 // 4} for training (20 % of them for validation), the rest "
                      f"for the test metrics; lowest val_loss at epoch {None if best is None else best + 1}."],
            "options": {"hidden layers": ", ".join(map(str, hidden)), "activation": "relu",
                        "output activation": act or "linear", "optimizer": type(model.optimizer).__name__,
                        "learning rate": float(model.optimizer.learning_rate), "loss": loss,
                        "metrics": ", ".join(metrics), "epochs": epochs, "batch size": 64,
                        "validation_split": 0.2, "seed": args.seed}})
    from neuronet.utils.atomic import replace_folder
    from neuronet.cli.train import is_run_folder
    with replace_folder(out_dir, may_replace=is_run_folder) as tmp:
        report.write_json(os.path.join(tmp, "metrics.json"), all_scores)
        report.write_html(tmp, "neuronet demo: the notes' classification and regression networks", sections)
    if not args.quiet:
        print(f"\nreport: {os.path.abspath(os.path.join(out_dir, 'report.html'))}")
    return 0
