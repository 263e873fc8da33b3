"""What every model file goes through: atomic writing, and reading that trusts nothing.

Writing: ``atomic_write`` (neuronet.utils.atomic): a temporary file in the target's folder, flush,
fsync, ``os.replace``.
Reading: ``check_file`` tells a missing path, a pickle, an HDF5 file and a zip archive apart by their
first bytes (never by the extension); ``SafeZip`` opens an archive refusing members whose paths escape
it, links, encryption, duplicate names and compression ratios above ``MAX_COMPRESSION_RATIO``, and
reads a member only up to a declared limit. No pickle, marshal, eval or exec is ever used.

    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
    >>> atomic_write(path, lambda fh: fh.write(b"hello"))
    >>> open(path, "rb").read()
    b'hello'
"""
from __future__ import annotations

import errno
import os
import stat
import zipfile

from neuronet.exceptions import ModelFormatError, UnsafeModelError
from neuronet.utils.atomic import atomic_write

MAX_CONFIG_BYTES = 16 * 2**20          # a config larger than this is refused
MAX_TOTAL_BYTES = 16 * 2**30           # all arrays together, as declared
MAX_COMPRESSION_RATIO = 200            # per member, above 1 MiB
MAX_MEMBERS = 10_000
ALLOWED_DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                  "float16", "float32", "float64"}
_PICKLE_START = tuple(bytes([0x80, p]) for p in range(2, 6))
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
ZIP_SIGNATURE = b"PK"


# ---- reading ------------------------------------------------------------------------------------------
def corrupted(path, why) -> ModelFormatError:
    return ModelFormatError(f"{path!r} is not a model file neuronet can read or it is corrupted: {why}")


def _cwd() -> str:
    """The current folder, quoted, for a message; it can itself be gone (removed after a chdir into it)."""
    try:
        return repr(os.getcwd())
    except OSError as exc:
        return f"which is unavailable: {exc.strerror}"


def check_file(path) -> str:
    """'hdf5' or 'zip' from the file's first bytes; FileNotFoundError for a missing path,
    UnsafeModelError for a pickle, ModelFormatError for anything else."""
    path = os.fspath(path)
    if not os.path.exists(path):
        where = "" if os.path.isabs(path) else f" (a relative path starts in the current folder, {_cwd()})"
        raise FileNotFoundError(errno.ENOENT, f"No model file at {path!r}: nothing exists there. Check the "
                                f"path{where}, or write the model first with model.save(path).")
    if os.path.isdir(path):
        raise corrupted(path, "it is a folder (Keras' unzipped model folders are not read; zip it or save a "
                              ".keras file)")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_PICKLE_START):
        raise UnsafeModelError(f"{path!r} is a Python pickle, which can run arbitrary code when loaded; "
                               "neuronet never unpickles. Not a model file.")
    if head.startswith(HDF5_SIGNATURE):
        return "hdf5"
    if head.startswith(ZIP_SIGNATURE):
        return "zip"
    raise corrupted(path, "it is neither a .keras zip archive nor an HDF5 file")


class SafeZip:
    """A zip archive whose members were all checked on opening; ``read(name, limit)`` returns a
    member's bytes, refusing one that declares more than ``limit``."""

    def __init__(self, path, fh):
        self.path, self.zf = path, zipfile.ZipFile(fh)
        infos = self.zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise corrupted(path, f"{len(infos)} archive members")
        self.names = [i.filename for i in infos]
        if len(self.names) != len(set(self.names)):
            raise corrupted(path, "duplicate member names")
        for info in infos:
            self._check_member(info)

    def _check_member(self, info: zipfile.ZipInfo):
        path, name = self.path, info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts or "\\" in name:
            raise UnsafeModelError(f"{path!r} holds a member {name!r} whose path escapes the archive; refused.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnsafeModelError(f"{path!r} holds a symbolic link {name!r}; refused.")
        if info.flag_bits & 0x1:
            raise corrupted(path, f"member {name!r} is encrypted")
        if info.compress_type != zipfile.ZIP_STORED and info.file_size > 2**20 and \
                info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise UnsafeModelError(f"{path!r}: member {name!r} declares {info.file_size} bytes from "
                                   f"{info.compress_size} compressed bytes (a decompression bomb?); refused.")

    def __contains__(self, name):
        return name in self.names

    def read(self, name, limit) -> bytes:
        info = self.zf.getinfo(name)
        if info.file_size > limit:
            raise UnsafeModelError(f"{self.path!r}: member {name!r} declares {info.file_size} bytes, more than "
                                   f"the {limit} allowed; refused.")
        with self.zf.open(info) as fh:
            data = fh.read(limit + 1)
        if len(data) != info.file_size:
            raise corrupted(self.path, f"member {name!r} holds {len(data)} bytes, not the {info.file_size} "
                                       "it declares")
        return data


# the errors a damaged file can raise from zipfile, zlib, json, h5py and NumPy
READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, KeyError, IndexError,
               TypeError, NotImplementedError, RecursionError, OverflowError, UnicodeDecodeError,
               RuntimeError, OSError, AttributeError, MemoryError)


def reading_errors(path):
    """Context manager: any decoder failure inside becomes ModelFormatError naming ``path``."""
    return _ReadingErrors(path)


class _ReadingErrors:
    def __init__(self, path):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None or isinstance(exc, (ModelFormatError, UnsafeModelError, FileNotFoundError)):
            return False
        if isinstance(exc, READ_ERRORS) or type(exc).__module__ in ("zlib", "zipfile", "h5py", "h5py.h5e",
                                                                  "bz2", "lzma", "_lzma", "_bz2", "json"):
            raise corrupted(self.path, f"{type(exc).__name__}: {exc}") from None
        return False



__all__ = ["atomic_write", "check_file", "SafeZip", "reading_errors", "corrupted", "ALLOWED_DTYPES",
           "MAX_CONFIG_BYTES", "MAX_TOTAL_BYTES", "MAX_COMPRESSION_RATIO"]
