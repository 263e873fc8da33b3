"""Atomic file and folder writes: readers see the old version or the new one, never a mix.

A file is written to a temporary file in the target's folder, flushed, fsynced and renamed onto the
target (``os.replace``), then the folder is fsynced. The temporary name is
``.<name>.<pid>.<random>.neuronet-tmp``: a write killed half-way (SIGKILL, power loss) leaves one behind,
and the next write of the same target removes every such file whose process is gone.

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "report.html")
    >>> atomic_write_text(path, "<html></html>")
    >>> open(path).read(), os.listdir(os.path.dirname(path))
    ('<html></html>', ['report.html'])

A folder (``replace_folder``) is built under a temporary name beside the target and renamed into place
only when complete; the previous folder stays whole until then.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat

TMP_SUFFIX = ".neuronet-tmp"


def atomic_write(path, write) -> None:
    """Call ``write(fh)`` on a temporary file beside ``path`` (binary mode), flush, fsync, ``os.replace``
    onto ``path`` and fsync the folder. An OSError names ``path``; the previous file is untouched and no
    temporary file is left behind (one left by a killed process is removed here).

        >>> # atomic_write("model.bin", lambda fh: fh.write(b"..."))
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale_temps(path)
    tmp = temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fd, _file_mode(path))   # keep the target's mode, else what open() would give
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
        fsync_folder(folder)
    except OSError as exc:
        raise type(exc)(exc.errno, f"Could not write {path!r}: {exc.strerror or exc}") from exc   # path once
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def atomic_write_bytes(path, data: bytes) -> None:
    """``data`` to ``path`` atomically."""
    atomic_write(path, lambda fh: fh.write(data))


def atomic_write_text(path, text: str, encoding: str = "utf-8") -> None:
    """``text`` to ``path`` atomically (``encoding``, newlines as given)."""
    atomic_write(path, lambda fh: fh.write(text.encode(encoding)))


def temp_name(path) -> str:
    """A fresh temporary name beside ``path``: ``.<name>.<pid>.<random>.neuronet-tmp``."""
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    return os.path.join(folder, f".{name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")


def remove_stale_temps(path) -> list[str]:
    """Remove the temporary files and folders of ``path`` left by processes that no longer run; returns
    their paths. Temporaries of live processes (a concurrent write) are left alone."""
    folder, name = os.path.split(os.path.abspath(os.fspath(path)))
    prefix = f".{name}."
    removed = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return removed
    for entry in entries:
        if not (entry.startswith(prefix) and entry.endswith(TMP_SUFFIX)):
            continue
        pid_text = entry[len(prefix):-len(TMP_SUFFIX)].split(".")[0]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        full = os.path.join(folder, entry)
        with contextlib.suppress(OSError):
            if os.path.isdir(full) and not os.path.islink(full):
                shutil.rmtree(full)
            else:
                os.unlink(full)
            removed.append(full)
    return removed


@contextlib.contextmanager
def replace_folder(path, may_replace=lambda folder: True):
    """Build a folder under a temporary name beside ``path`` and rename it to ``path`` on success.

        >>> import os, tempfile
        >>> out = os.path.join(tempfile.mkdtemp(), "run")
        >>> with replace_folder(out) as tmp:
        ...     atomic_write_text(os.path.join(tmp, "a.txt"), "new")
        >>> sorted(os.listdir(out))
        ['a.txt']

    Yields the temporary folder. If the block raises, the temporary folder is removed and ``path`` is
    untouched. An existing ``path`` is replaced as a whole (moved aside, the new folder renamed in, the
    old one deleted) only when ``may_replace(path)`` is true; otherwise FileExistsError.
    """
    path = os.path.abspath(os.fspath(path))
    parent = os.path.dirname(path)
    if os.path.exists(path) and not (os.path.isdir(path) and may_replace(path)):
        raise FileExistsError(17, f"{path!r} exists and is not a folder this command may replace")
    os.makedirs(parent, exist_ok=True)
    remove_stale_temps(path)
    tmp = temp_name(path)
    os.mkdir(tmp)
    try:
        yield tmp
        for entry in os.listdir(tmp):
            if entry.endswith(TMP_SUFFIX):
                os.unlink(os.path.join(tmp, entry))
        if os.path.exists(path):
            old = temp_name(path)
            os.replace(path, old)          # the old run, whole, under a temporary name ...
            os.replace(tmp, path)          # ... the new one, whole, in its place
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
        tmp = None
        fsync_folder(parent)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def fsync_folder(folder) -> None:
    """fsync a folder so that a rename in it survives a crash (best effort: not every OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True      # exists but belongs to someone else
    return True


def _file_mode(path):
    """The existing file's permission bits, else 0o666 minus the process umask (what open() gives)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        pass
    try:
        with open("/proc/self/status") as fh:
            umask = next(int(line.split()[1], 8) for line in fh if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        umask = 0o022
    return 0o666 & ~umask


__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_text", "replace_folder", "remove_stale_temps",
           "temp_name", "fsync_folder"]
