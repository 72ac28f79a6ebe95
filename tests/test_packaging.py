"""What a user installing the package sees: its name, license file, extras and URLs agree."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
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


def test_every_package_the_code_imports_is_declared() -> None:
    """A module corpus imports from another distribution is in its dependencies (or in an extra
    for the optional engine): one that only arrives as a dependency of a dependency can
    disappear with that one's next release."""
    imported: set[str] = set()
    for path in (ROOT / "corpus").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third = {m for m in imported if m not in sys.stdlib_module_names and m != "corpus"}
    assert "pyarrow" in third and "numpy" in third  # the walk sees the imports

    def name(requirement: str) -> str:
        found = re.match(r"[A-Za-z0-9._-]+", requirement)
        assert found is not None
        return found.group().lower().replace("_", "-")

    declared = {name(r) for r in PROJECT["dependencies"]}
    declared |= {name(r) for r in PROJECT["optional-dependencies"]["ray"]}
    providers = importlib.metadata.packages_distributions()
    missing = {
        module: providers.get(module)
        for module in third
        if not {d.lower().replace("_", "-") for d in providers.get(module, [])} & declared
    }
    assert missing == {}
