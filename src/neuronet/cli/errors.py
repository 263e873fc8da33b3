"""CLIError: a bad input that the command line reports in one line with exit code 2 (no traceback)."""

MAX_CHARS = 400  # a library message can list hundreds of values (e.g. every "class" of a float column)


class CLIError(Exception):
    """Raised for bad user input; ``main`` prints ``<prog>: error: <message>`` and returns 2.

        >>> str(CLIError("data.csv: no column 'price'\\nthe file has: a, b"))
        "data.csv: no column 'price' the file has: a, b"

    Messages longer than MAX_CHARS characters are cut there and end in " ..." (the file, column or
    option named at the start is kept).
    """

    def __init__(self, message: str, prog: str | None = None):
        text = " ".join(str(message).split())  # one line, whatever the source message held
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS - 4].rstrip() + " ..."
        super().__init__(text)
        self.prog = prog


def warn(message: str, prog: str = "neuronet") -> None:
    """``<prog>: warning: <message>`` on stderr, one line (for what the command line did on its own)."""
    import sys
    print(f"{prog}: warning: {' '.join(str(message).split())}", file=sys.stderr)
