"""What a user installing the package sees: its name, license file, extras and URLs agree."""

from __future__ import annotations

import tomllib

from tests.conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_license_file_matches_the_declared_license() -> None:
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text


def test_extras_and_messages_use_the_distribution_name() -> None:
    name = PROJECT["name"]
    assert name == "corpus-ko"  # `corpus` on the package index is another project
    assert f"{name}[ray]" in PROJECT["optional-dependencies"]["dev"]
    ray = (ROOT / "corpus" / "engines" / "ray.py").read_text(encoding="utf-8")
    assert f"pip install '{name}[ray]'" in ray
    assert f"'{name}[ray]'" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "corpus[ray]" not in ray


def test_urls_and_classifiers() -> None:
    assert set(PROJECT["urls"]) >= {"Homepage", "Source", "Issues", "Changelog"}
    assert "Natural Language :: Korean" in PROJECT["classifiers"]
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]  # PEP 639
