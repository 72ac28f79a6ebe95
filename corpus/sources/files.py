"""Local files: read bytes with errors that name the file and say what to do."""

from __future__ import annotations

from pathlib import Path

from corpus.errors import InputError


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"{path}: file not found (it matched the recipe's paths but is gone); "
            "check that nothing deletes inputs during the run"
        ) from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the file readable") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; point the recipe's paths at files") from None
