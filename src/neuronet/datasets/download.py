"""Downloading a data set file once into a cache folder, verified, as Keras' ``get_file`` does.

The cache folder is ``$NEURONET_HOME/datasets`` when NEURONET_HOME is set, else Keras' own
``~/.keras/datasets`` when it exists (so files Keras downloaded are used as they are), else
``~/.neuronet/datasets``. A file is streamed into a temporary file in that folder while its SHA-256 is
computed, checked against the length the server announced and the expected hash, flushed to disk and only
then renamed into place: an interrupted, truncated or corrupted download never leaves a file that looks
complete. A cached file whose hash does not match is downloaded again.

    >>> # path = get_file("mnist.npz", origin="https://.../mnist.npz", file_hash="731c5a...")
"""
from __future__ import annotations

import hashlib
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from neuronet.utils.atomic import fsync_folder, remove_stale_temps, temp_name

CHUNK = 1 << 16
# Hosts downloads may reach; None: any. The test suite narrows it to 127.0.0.1 so no test reaches out.
ALLOWED_HOSTS = None


def cache_dir() -> Path:
    """Where data sets are kept (see the module docstring); not created here."""
    home = os.environ.get("NEURONET_HOME")
    if home:
        return Path(os.path.expanduser(home)) / "datasets"
    keras = Path(os.path.expanduser("~/.keras/datasets"))
    if keras.is_dir():
        return keras
    return Path(os.path.expanduser("~/.neuronet/datasets"))


def sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class DownloadError(OSError):
    """A data set file could not be downloaded (offline, server error, truncated, wrong hash)."""


def get_file(fname, origin, file_hash=None, cache_subdir="", timeout=60.0, max_seconds=3600.0, what=None):
    """The path of ``fname`` in the cache folder (``cache_subdir`` inside it), downloaded from ``origin``
    first unless a copy with SHA-256 ``file_hash`` is there. ``timeout`` bounds each wait on the server
    (connecting, every read) and ``max_seconds`` the whole transfer."""
    folder = cache_dir() / cache_subdir
    target = folder / fname
    if target.is_file() and (file_hash is None or sha256(target) == file_hash):
        return target
    what = what or fname
    host = urllib.parse.urlsplit(origin).hostname
    if ALLOWED_HOSTS is not None and host not in ALLOWED_HOSTS:
        raise DownloadError(_offline(what, origin, target, f"downloads to {host} are disabled here"))
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)                     # a killed download's partial file
    tmp = temp_name(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as out:
            digest, size, expected = _stream(origin, out, timeout, max_seconds, what, target)
            out.flush()
            os.fsync(out.fileno())
        if expected is not None and size != expected:
            raise DownloadError(f"The download of {what} from {origin} stopped after {size} of {expected} "
                                "bytes (the connection was cut); nothing was saved. Run it again.")
        if file_hash is not None and digest != file_hash:
            raise DownloadError(f"The file downloaded from {origin} has SHA-256 {digest}, but {what} should "
                                f"have {file_hash}: the download is corrupted or the file on the server has "
                                "changed. Nothing was saved; run it again, or get the file another way and "
                                f"put it at '{target}'.")
        os.replace(tmp, target)
        fsync_folder(folder)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return target


def _stream(origin, out, timeout, max_seconds, what, target):
    started, digest, size = time.monotonic(), hashlib.sha256(), 0
    try:
        with urllib.request.urlopen(origin, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            while True:
                chunk = response.read(CHUNK)
                if not chunk:
                    break
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
                if time.monotonic() - started > max_seconds:
                    raise DownloadError(f"The download of {what} from {origin} took over {max_seconds:.0f} s "
                                        f"({size} bytes so far) and was stopped; nothing was saved.")
    except urllib.error.HTTPError as error:
        raise DownloadError(f"The server refused {origin}: HTTP {error.code} {error.reason}. Nothing was "
                            f"saved; put the file at '{target}' yourself.") from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise DownloadError(_offline(what, origin, target, reason)) from None
    except OSError as error:      # the connection broke while reading
        if isinstance(error, DownloadError):
            raise
        raise DownloadError(_offline(what, origin, target, error)) from None
    return digest.hexdigest(), size, expected


def _offline(what, origin, target, reason):
    return (f"Could not download {what} from {origin} ({reason}). If this machine is offline, download "
            f"that file on one that is online and copy it to '{target}' (set NEURONET_HOME to use another "
            "folder); it is checked against its SHA-256 before use. Without any download, "
            "neuronet.datasets.load_digits() gives small digit images bundled with scikit-learn.")
