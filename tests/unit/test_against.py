"""An earlier build's bodies read back for verification: only the row groups that hold them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from corpus.validate.against import Earlier
from corpus.validate.exact import normalized


def test_texts_of_rows_in_several_row_groups(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    bodies = [f"기사 본문 {i}번, 끝." for i in range(1000)]
    pq.write_table(pa.table({"body": bodies}), tmp_path / "data" / "a.parquet", row_group_size=97)
    pq.write_table(pa.table({"body": bodies[:10]}), tmp_path / "data" / "b.parquet")
    assert pq.ParquetFile(tmp_path / "data" / "a.parquet").num_row_groups == 11
    index = pl.DataFrame(
        {
            "file": ["data/a.parquet"] * 1000 + ["data/b.parquet"] * 10,
            "row": [*range(1000), *range(10)],
        }
    )
    build = Earlier(tmp_path, index, "test")
    rows = [999, 0, 1003, 96, 97, 500, 501, 194, 3, 1009]
    expected = [bodies[r] if r < 1000 else bodies[r - 1000] for r in rows]
    assert build.texts(rows) == normalized(expected)
