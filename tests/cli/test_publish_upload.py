"""`corpus publish` against a small Hub of its own on 127.0.0.1 (real HTTP, the real
huggingface_hub client): the commits it makes, in order; a second run that makes none; a run
cut off after the data that the next run finishes with the card alone. Nothing reaches the Hub."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from corpus.pipeline import run
from corpus.publish import CARD, PublishError, upload
from corpus.recipe import load_recipe
from tests.conftest import ROOT

REPO = "my-org/ko-news"


class FakeHub:
    """A dataset repo as the Hub's HTTP API shows it to huggingface_hub: create, list the tree,
    preupload (every file as a regular git blob), validate the card's YAML, commit."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.commits: list[dict[str, Any]] = []
        self.fail_commit: int | None = None  # answer this commit (1-based) with an error
        self.endpoint = ""

    def handle(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        path = path.split("?")[0]
        base = f"/api/datasets/{REPO}"
        if method == "POST" and path == "/api/repos/create":
            return 200, {"url": f"{self.endpoint}/datasets/{REPO}"}
        if method == "POST" and path == "/api/validate-yaml":
            return 200, {"errors": [], "warnings": []}
        if method == "GET" and path == f"{base}/tree/main":
            return 200, [
                {"type": "file", "path": p, "size": len(b), "oid": _git_oid(b)}
                for p, b in sorted(self.files.items())
            ]
        if method == "POST" and path == f"{base}/preupload/main":
            files = json.loads(body)["files"]
            modes = [
                {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False} for f in files
            ]
            return 200, {"files": modes}
        if method == "POST" and path == f"{base}/commit/main":
            if self.fail_commit == len(self.commits) + 1:
                self.fail_commit = None
                return 422, {"error": "the connection dropped"}
            lines = [json.loads(line) for line in body.splitlines() if line.strip()]
            added, deleted = [], []
            for line in lines[1:]:
                value = line["value"]
                if line["key"] == "file":
                    self.files[value["path"]] = base64.b64decode(value["content"])
                    added.append(value["path"])
                elif line["key"] == "deletedFile":
                    self.files.pop(value["path"])
                    deleted.append(value["path"])
            oid = hashlib.sha1(str(len(self.commits)).encode()).hexdigest()
            self.commits.append(
                {"summary": lines[0]["value"]["summary"], "added": added, "deleted": deleted}
            )
            return 200, {
                "commitUrl": f"{self.endpoint}/datasets/{REPO}/commit/{oid}",
                "commitOid": oid,
                "pullRequestUrl": None,
            }
        return 404, {"error": f"{method} {path}: not part of this fake"}


def _git_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@pytest.fixture
def hub() -> Iterator[tuple[FakeHub, str]]:
    state = FakeHub()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, doc = state.handle(self.command, self.path, self.rfile.read(length))
            data = json.dumps(doc).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state, state.endpoint
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("upload") / "build"
    run(load_recipe(ROOT / "recipes" / "example.yaml", output=out))
    return out


@pytest.fixture(autouse=True)
def a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_not_a_real_token")


def test_publish_then_nothing_to_do(hub: tuple[FakeHub, str], example_build: Path) -> None:
    state, endpoint = hub
    done = upload(example_build, REPO, endpoint=endpoint)
    assert [c["summary"] for c in state.commits] == [
        "corpus publish: files, part 1 of 1 (4 files)",
        "corpus publish: the dataset card",
    ]
    assert state.commits[-1]["added"] == [CARD]
    assert sorted(state.files) == sorted(f.path for f in done.files)
    for path, data in state.files.items():
        assert data == (example_build / path).read_bytes(), path
    again = upload(example_build, REPO, endpoint=endpoint)
    assert again.commits == () and len(again.skipped) == len(done.files)
    assert len(state.commits) == 2


def test_an_interrupted_publish_resumes_with_what_is_missing(
    hub: tuple[FakeHub, str], example_build: Path, tmp_path: Path
) -> None:
    state, endpoint = hub
    state.files["data/train-00000-of-00003.parquet"] = b"an earlier build's shard"
    state.files["LICENSE"] = b"the repo owner's file"
    state.fail_commit = 2  # the card's commit
    with pytest.raises(PublishError, match="run the same command again"):
        upload(example_build, REPO, endpoint=endpoint)
    assert CARD not in state.files and "data/train-00000-of-00001.parquet" in state.files
    resumed = upload(example_build, REPO, endpoint=endpoint)
    assert [c.message for c in resumed.commits] == [
        "corpus publish: the dataset card, 1 old files removed"
    ]
    assert state.commits[-1] == {
        "summary": "corpus publish: the dataset card, 1 old files removed",
        "added": [CARD],
        "deleted": ["data/train-00000-of-00003.parquet"],
    }
    assert state.files["LICENSE"] == b"the repo owner's file"  # not the build's: kept
    # The same build from another folder: nothing to send (bytes are compared, not paths).
    build = tmp_path / "build"
    shutil.copytree(example_build, build, symlinks=True)
    assert upload(build, REPO, endpoint=endpoint).commits == ()
