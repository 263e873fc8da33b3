"""The CLI's report writers."""
import os

import pytest

import neuronet.saving.format as fmt


def test_cli_text_output_unwritable_names_path_and_keeps_previous(tmp_path, monkeypatch):
    from neuronet.cli.report import write_text
    path = tmp_path / "metrics.json"
    path.write_text("old")
    monkeypatch.setattr(fmt.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OSError, match="metrics.json.*No space left"):
        write_text(str(path), "new")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["metrics.json"]
