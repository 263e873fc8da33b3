"""neuronet.utils.atomic: atomic file and folder writes whose temporaries never outlive a killed writer."""
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from neuronet.utils.atomic import (TMP_SUFFIX, atomic_write, atomic_write_text, remove_stale_temps,
                                   replace_folder, temp_name)


def test_write_replaces_and_keeps_the_mode(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new")
    assert path.read_text() == "new" and os.stat(path).st_mode & 0o777 == 0o640
    assert os.listdir(tmp_path) == ["a.txt"]


def test_failed_write_keeps_the_previous_file_and_no_temporary(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("old")

    def broken(fh):
        fh.write(b"half")
        raise OSError(28, "No space left on device")
    with pytest.raises(OSError, match="a.txt.*No space left"):
        atomic_write(path, broken)
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["a.txt"]


def _dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_next_write_removes_temporaries_of_dead_writers_only(tmp_path):
    path = tmp_path / "report.html"
    stale = tmp_path / f".report.html.{_dead_pid()}.0badc0de{TMP_SUFFIX}"
    stale.write_text("half a report")
    live = tmp_path / f".report.html.{os.getppid()}.0000beef{TMP_SUFFIX}"   # a running process's write
    live.write_text("in progress")
    other = tmp_path / f".other.html.{_dead_pid()}.00000000{TMP_SUFFIX}"  # another target's: not ours
    other.write_text("x")
    atomic_write_text(path, "<html></html>")
    assert not stale.exists() and live.exists() and other.exists()
    assert remove_stale_temps(tmp_path / "other.html") == [str(other)]


def test_sigkilled_write_leaves_the_old_file_and_its_temporary_is_removed_next_time(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old,file\n")
    script = textwrap.dedent(f"""
        import sys, time
        from neuronet.utils.atomic import atomic_write
        def slow(fh):
            fh.write(b"new,half")
            fh.flush()
            print("writing", flush=True)
            time.sleep(60)
        atomic_write({str(path)!r}, slow)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGKILL)
    child.wait()
    leftovers = [n for n in os.listdir(tmp_path) if n.endswith(TMP_SUFFIX)]
    assert path.read_text() == "old,file\n" and len(leftovers) == 1
    atomic_write_text(path, "new,file\n")
    assert sorted(os.listdir(tmp_path)) == ["out.csv"] and path.read_text() == "new,file\n"


def test_replace_folder_swaps_whole_folders(tmp_path):
    out = tmp_path / "run"
    with replace_folder(out) as tmp:
        atomic_write_text(os.path.join(tmp, "a.txt"), "1")
        atomic_write_text(os.path.join(tmp, "b.txt"), "1")
    with pytest.raises(RuntimeError):
        with replace_folder(out) as tmp:
            atomic_write_text(os.path.join(tmp, "a.txt"), "2")
            raise RuntimeError("disk full half-way")
    assert sorted(os.listdir(out)) == ["a.txt", "b.txt"] and (out / "a.txt").read_text() == "1"
    assert os.listdir(tmp_path) == ["run"]                       # no temporary folder left
    with replace_folder(out) as tmp:
        atomic_write_text(os.path.join(tmp, "c.txt"), "3")
    assert os.listdir(out) == ["c.txt"] and os.listdir(tmp_path) == ["run"]


def test_replace_folder_refuses_what_it_may_not_replace(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("precious")
    with pytest.raises(FileExistsError):
        with replace_folder(mine, may_replace=lambda folder: False):
            pass
    assert (mine / "thesis.tex").read_text() == "precious" and os.listdir(tmp_path) == ["mine"]


def test_temp_name_sits_beside_the_target_and_is_hidden(tmp_path):
    name = temp_name(tmp_path / "m.keras")
    assert os.path.dirname(name) == str(tmp_path)
    assert os.path.basename(name).startswith(f".m.keras.{os.getpid()}.") and name.endswith(TMP_SUFFIX)


def test_replace_folder_removes_the_temporary_folder_of_a_killed_run(tmp_path):
    stale = tmp_path / f".run.{_dead_pid()}.0badc0de{TMP_SUFFIX}"
    stale.mkdir()
    (stale / "model.keras").write_bytes(b"half")
    with replace_folder(tmp_path / "run") as tmp:
        atomic_write_text(os.path.join(tmp, "a.txt"), "1")
    assert os.listdir(tmp_path) == ["run"]
