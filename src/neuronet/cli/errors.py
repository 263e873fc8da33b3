"""CLIError: a bad input that the command line reports in one line with exit code 2 (no traceback)."""


class CLIError(Exception):
    """Raised for bad user input; ``main`` prints ``<prog>: error: <message>`` and returns 2.

        >>> str(CLIError("data.csv: no column 'price'\\nthe file has: a, b"))
        "data.csv: no column 'price' the file has: a, b"
    """

    def __init__(self, message: str, prog: str | None = None):
        super().__init__(" ".join(str(message).split()))  # one line, whatever the source message held
        self.prog = prog
