"""``neuronet demo``: the notes' two Keras examples on the bundled data, with a report.

Classification: breast cancer, StandardScaler, Dense 64-32-1 (relu, relu, sigmoid), SGD,
binary_crossentropy, batch 64, 300 epochs, validation_split 0.2.
Regression: Boston, StandardScaler, Dense 128-64-64-32-1 (relu), Adam(learning_rate=0.01), mse / mae,
batch 64, validation_split 0.2.
"""
from __future__ import annotations

import os

from neuronet.cli import network, report
from neuronet.callbacks.progbar import format_logs
from neuronet.cli.errors import CLIError

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
    else:
        scores = network.score("regression", y_test, out[:, 0])
    say(f"{name} test: {format_logs(scores)}")
    return model, history, scores, summary


def run(args) -> int:
    from neuronet.datasets import load_boston, load_breast_cancer
    from neuronet.optimizers import Adam
    out_dir = args.out
    try:
        os.makedirs(out_dir, exist_ok=True)
    except OSError as exc:
        raise CLIError(f"--out: cannot create folder '{out_dir}': {exc.strerror}") from None
    runs = [("classification", "breast cancer", *load_breast_cancer(return_X_y=True), [64, 32], "sigmoid", "sgd",
             "binary_crossentropy", ["acc"], args.epochs or CLASSIFICATION_EPOCHS),
            ("regression", "Boston house prices", *load_boston(return_X_y=True), [128, 64, 64, 32], None,
             Adam(learning_rate=0.01), "mse", ["mae"], args.epochs or REGRESSION_EPOCHS)]
    sections, all_scores = [], {}
    for key, title, X, y, hidden, act, opt, loss, metrics, epochs in runs:
        model, history, scores, summary = _example(title, X, y, hidden, act, opt, loss, metrics, epochs, args)
        hist = {k: [float(v) for v in vals] for k, vals in history.history.items()}
        images = report.plot_learning_curves(hist, out_dir, prefix=f"{key}_")
        all_scores[key] = {"dataset": title, "epochs": epochs, "test": scores}
        sections.append({"title": f"{key.capitalize()}: {title}", "summary": summary, "metrics": scores,
                         "images": images, "notes": [f"{epochs} epochs, batch 64, validation_split 0.2, "
                                                     f"loss {loss}, optimizer {type(model.optimizer).__name__}"]})
    report.write_metrics(out_dir, all_scores)
    path = report.write_html(out_dir, "neuronet demo: the notes' classification and regression networks", sections)
    if not args.quiet:
        print(f"\nreport: {os.path.abspath(path)}")
    return 0
