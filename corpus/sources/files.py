"""Local files: open or read them with errors that name the file and say what to do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from corpus.errors import InputError


@contextmanager
def input_errors(path: str | Path) -> Iterator[None]:
    """Turn the OS errors of reading `path` into an InputError naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(
            f"{path}: file not found (it matched the recipe's paths but is gone); "
            "check that nothing deletes inputs during the run"
        ) from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the file readable") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; point the recipe's paths at files") from None


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes (a path as a string needs no Path object: this runs once per input)."""
    with input_errors(path), open(path, "rb") as f:  # noqa: PTH123
        return f.read()


def open_binary(path: Path) -> IO[bytes]:
    with input_errors(path):
        return path.open("rb")
