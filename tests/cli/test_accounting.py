"""Arbitrary input never stops a run, and every document read is in the build's files: rows in
data/ plus lines in rejected/ (a duplicate is a line in rejected/dedup.jsonl)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.cli import main
from tests.conftest import FIXTURES

SEED = (FIXTURES / "textdump" / "hankyung_lg_ai.txt").read_bytes()
TAIL = SEED[:40].replace(b"\n", b" ")  # one more JSONL line, not JSON
PAGE = (FIXTURES / "html" / "golden" / "newsis.html").read_bytes()

# Real documents cut, spliced and mixed with arbitrary bytes: shapes a crawler really produces.
fragments = st.one_of(
    st.binary(max_size=300),
    st.integers(0, len(SEED)).map(lambda i: SEED[:i]),
    st.integers(0, len(PAGE)).map(lambda i: PAGE[i:]),
    st.just(SEED),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)
documents = st.lists(fragments, min_size=1, max_size=3).map(b"".join)
json_lines = st.one_of(
    documents.map(lambda b: b.replace(b"\n", b" ")),
    st.dictionaries(
        st.sampled_from(["title", "body", "id", "tags", "published_at", "extra"]),
        st.one_of(st.text(max_size=80), st.integers(), st.lists(st.text(max_size=20))),
    ).map(lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8", "surrogatepass")),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    dumps=st.lists(documents, max_size=3),
    pages=st.lists(documents, max_size=2),
    lines=st.lists(json_lines, max_size=4),
)
def test_every_document_is_in_the_build(
    dumps: list[bytes], pages: list[bytes], lines: list[bytes]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "in").mkdir()
        for i, data in enumerate(dumps):
            (root / "in" / f"d{i}.txt").write_bytes(data)
        for i, data in enumerate(pages):
            (root / "in" / f"p{i}.html").write_bytes(data)
        (root / "in" / "r.jsonl").write_bytes(b"\n".join([*lines, TAIL]))
        (root / "r.yaml").write_text(
            "name: t\noutput: out\ningest: {on_undecodable: reject, email_policy: drop}\n"
            "sources:\n"
            + ("  - {name: d, kind: textdump, paths: ['in/*.txt']}\n" if dumps else "")
            + ("  - {name: p, kind: html, paths: ['in/*.html']}\n" if pages else "")
            + "  - {name: j, kind: jsonl, paths: ['in/*.jsonl']}\n",
            encoding="utf-8",
        )
        result = CliRunner().invoke(
            main, ["run", str(root / "r.yaml"), "--output", str(root / "out"), "--quiet"]
        )
        assert "Traceback" not in result.output
        out = root / "out"
        blank = sum(1 for line in [*lines, TAIL] if not line.strip(b" \t\r\n"))
        if result.exit_code == 1:
            # Nothing kept: no build, and every document is a dropped record in work/.
            assert "error: no record was kept: " in result.stderr, result.stderr
            assert not (out / "data").exists()
            work = [*(out / "work").glob("*/part-*.rejected.jsonl")]
            work += [*(out / "work").glob("dedup/rejected.jsonl")]
            dropped = sum(p.read_bytes().count(b"\n") for p in work)
            assert dropped == len(dumps) + len(pages) + len(lines) + 1 - blank
            return
        assert result.exit_code == 0, result.output + repr(result.exception)
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        total = run["counts"]["total"]
        assert total["read"] == len(dumps) + len(pages) + len(lines) + 1 - blank
        rows = sum(pq.read_metadata(p).num_rows for p in (out / "data").glob("*.parquet"))
        # JSON Lines end at "\n" alone (a record may hold U+0085 or U+2028 as text).
        dropped = sum(p.read_bytes().count(b"\n") for p in (out / "rejected").glob("*.jsonl"))
        assert rows == total["kept"]
        assert (
            rows + dropped
            == total["read"]
            == (total["kept"] + total["rejected"] + total["duplicates"])
        )
