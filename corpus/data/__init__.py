"""The rule tables (publishers, chrome lines, boxes, URL date patterns) shipped as data files."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def read_text(name: str) -> str:
    """A table of this package, e.g. `chrome_words.txt`."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")


def read_json(name: str) -> Any:
    return json.loads(read_text(name))
