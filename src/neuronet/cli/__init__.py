"""The ``neuronet`` command line: demo, train, predict, evaluate, summary.

    $ neuronet demo
    $ neuronet train houses.csv --target price --out runs/houses
    $ neuronet predict runs/houses new.csv -o predictions.csv

Exit codes: 0 on success, 2 on any error: one line on stderr naming the file, column or option, never a
traceback (set NEURONET_TRACEBACK=1 to see one for a bug report).
In Python: ``neuronet.cli.main(["train", "data.csv", "--target", "y"])`` returns the exit code.
"""
from __future__ import annotations

import argparse
import os
import sys

from neuronet.cli.errors import CLIError
from neuronet.cli import options


class _Parser(argparse.ArgumentParser):
    """argparse that raises CLIError (one line, exit 2) instead of printing usage and exiting."""

    def error(self, message):
        raise CLIError(message, prog=self.prog)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="neuronet", description="Train neural networks (explicit NumPy, Keras API) from "
                     "the command line. Nothing is downloaded.")
    from neuronet import __version__
    parser.add_argument("--version", action="version", version=f"neuronet {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    options.add_demo(sub)
    options.add_train(sub)
    options.add_apply(sub)
    return parser


def main(argv=None) -> int:
    """Run the command line with ``argv`` (default: sys.argv[1:]); returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    prog = "neuronet"
    try:
        args = build_parser().parse_args(argv)
        prog = f"neuronet {args.command}"
        return int(args.func(args) or 0)
    except CLIError as exc:
        print(f"{exc.prog or prog}: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:     # OSError, MemoryError or a library error the command did not foresee
        if os.environ.get("NEURONET_TRACEBACK"):
            raise
        print(f"{prog}: error: {CLIError(describe(exc))}", file=sys.stderr)
        return 2


def describe(exc: BaseException) -> str:
    """An exception as one readable phrase: an OSError's file and reason, else '<Type>: <message>'."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename}: {exc.strerror}" if exc.filename else exc.strerror
    return f"{type(exc).__name__}: {exc}"


__all__ = ["main", "build_parser", "describe", "CLIError"]
