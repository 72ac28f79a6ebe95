"""WARC and ARC sources, on real archives written here with warcio (ARC by hand: warcio writes
no ARC): which records become RawDocs, what they carry, what is skipped and why, broken files."""

from __future__ import annotations

import gzip
import io
import textwrap
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.errors import InputError, RecipeError
from corpus.recipe import Recipe, SourceSpec, load_recipe
from corpus.sources import RawDoc, UrlFilter, read_all, read_source
from tests.conftest import FIXTURES, ROOT


def page(
    site: str, title: str, reporter: str, paragraphs: list[str], charset: str = "utf-8"
) -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    html = f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="{charset}">
<title>{title} - {site}</title>
<meta property="og:site_name" content="{site}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="2024-03-15T09:30:00+09:00">
</head>
<body>
<nav><a href="/">홈</a> <a href="/it">IT</a> <a href="/economy">경제</a></nav>
<article>
<h1>{title}</h1>
<div class="byline">{reporter} 기자</div>
<div id="article-body">
{body}
</div>
</article>
<footer>무단 전재 및 재배포 금지</footer>
</body>
</html>
"""
    return html.encode(charset)


HANKYUNG = page(
    "한국경제",
    "한빛전자, 온디바이스 AI 칩 양산…스마트폰 3사에 공급",
    "김하늘",
    [
        "한빛전자가 스마트폰에서 대규모 언어모델을 직접 돌릴 수 있는 온디바이스 인공지능(AI) 칩 양산에 들어갔다고 15일 밝혔다.",
        "이 칩은 초당 45조 회 연산을 처리하는 신경망처리장치(NPU)를 내장했으며 전력 소모는 기존 제품보다 30% 줄였다. 회사는 국내외 스마트폰 제조사 세 곳과 공급 계약을 맺었다.",
        "업계에서는 클라우드를 거치지 않고 기기 안에서 AI를 처리하려는 수요가 빠르게 늘고 있어 올해 관련 칩 시장이 두 배 가까이 커질 것으로 보고 있다.",
        "한빛전자 관계자는 “연말까지 월 생산량을 지금의 두 배로 늘리고 노트북용 제품도 내놓을 계획”이라고 말했다.",
    ],
)
ZDNET = page(
    "지디넷코리아",
    "누리클라우드, 데이터센터 전력 20% 줄이는 액침냉각 도입",
    "박서준",
    [
        "클라우드 기업 누리클라우드가 경기 용인 데이터센터에 서버를 특수 용액에 담가 식히는 액침냉각 설비를 도입했다.",
        "회사에 따르면 새 설비는 공랭식보다 냉각 전력을 20%가량 아끼고, 같은 면적에 서버를 1.5배 더 들일 수 있다. 고성능 그래픽처리장치(GPU) 서버가 늘면서 발열 문제가 커진 데 따른 조치다.",
        "누리클라우드는 시범 운영 결과를 바탕으로 내년까지 전체 서버실의 절반에 액침냉각을 적용할 예정이다.",
    ],
    charset="euc-kr",
)
ETNEWS = page(
    "전자신문",
    "소망반도체, 차세대 HBM 시제품 고객사 인증 통과",
    "이도윤",
    [
        "소망반도체가 차세대 고대역폭메모리(HBM) 시제품으로 주요 고객사의 품질 인증을 통과했다고 15일 밝혔다.",
        "이번 제품은 D램을 16단으로 쌓아 용량을 48기가바이트까지 늘렸고, 데이터 처리 속도는 이전 세대보다 1.4배 빨라졌다.",
        "회사는 하반기 청주 공장에서 본격 양산에 들어가 AI 가속기용 메모리 수요에 대응할 방침이다.",
    ],
)
BLOTER = page(
    "블로터",
    "게임사 별빛게임즈, 자체 서버 접고 퍼블릭 클라우드로 이전",
    "최유나",
    [
        "게임사 별빛게임즈가 10년 넘게 운영해온 자체 서버를 정리하고 라이브 게임 다섯 종을 퍼블릭 클라우드로 옮겼다.",
        "회사는 이전 작업을 석 달에 걸쳐 나눠 진행해 서비스 중단 없이 마쳤으며, 이용자가 몰리는 업데이트 때 서버를 자동으로 늘릴 수 있게 됐다고 설명했다.",
        "별빛게임즈는 인프라 운영비가 연간 25% 줄어들 것으로 내다봤다.",
    ],
)
DATE = "2024-03-15T01:02:03Z"


@dataclass(frozen=True)
class Page:
    url: str
    record_id: str
    html: bytes


PAGES = (
    Page(
        "https://www.hankyung.com/article/2024031512345",
        "<urn:uuid:00000000-0000-4000-8000-00000000000a>",
        HANKYUNG,
    ),
    Page(
        "https://zdnet.co.kr/view/?no=20240315090000",
        "<urn:uuid:00000000-0000-4000-8000-00000000000b>",
        ZDNET,
    ),
    Page(
        "https://www.etnews.com/20240315000111",
        "<urn:uuid:00000000-0000-4000-8000-00000000000c>",
        ETNEWS,
    ),
    Page(
        "https://www.bloter.net/news/articleView.html?idxno=640001",
        "<urn:uuid:00000000-0000-4000-8000-00000000000d>",
        BLOTER,
    ),
)
# Everything in the archive that is not an HTML page fetched with 200.
SKIPPED = Counter(
    {
        "warc/type_warcinfo": 1,
        "warc/type_request": 1,
        "warc/type_revisit": 1,
        "warc/type_metadata": 1,
        "warc/status_404": 1,
        "warc/not_html": 1,
        "warc/no_http": 1,
    }
)


def chunked(data: bytes, size: int = 100) -> bytes:
    parts = [
        b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size])
        for i in range(0, len(data), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def write_warc(path: Path, *, compress: bool) -> Path:
    """A crawl as Common Crawl lays it out, plus the records a crawl should skip."""
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=compress)

        def record(
            uri: str,
            kind: str,
            payload: bytes,
            n: int,
            http: StatusAndHeaders | None = None,
            **kw: str,
        ) -> None:
            headers = {
                "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>",
                "WARC-Date": DATE,
            }
            w.write_record(
                w.create_warc_record(
                    uri,
                    kind,
                    payload=io.BytesIO(payload),
                    length=len(payload),
                    http_headers=http,
                    warc_headers_dict=headers,
                    **kw,
                )
            )

        def response(
            p: Page, payload: bytes, headers: list[tuple[str, str]], status: str = "200 OK"
        ) -> None:
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            wh = {"WARC-Record-ID": p.record_id, "WARC-Date": DATE}
            w.write_record(
                w.create_warc_record(
                    p.url,
                    "response",
                    payload=io.BytesIO(payload),
                    length=len(payload),
                    http_headers=http,
                    warc_headers_dict=wh,
                )
            )

        w.write_record(
            w.create_warcinfo_record(
                path.name, {"software": "test", "format": "WARC File Format 1.0"}
            )
        )
        request = StatusAndHeaders(
            "GET /article/2024031512345 HTTP/1.1",
            [("Host", "www.hankyung.com")],
            is_http_request=True,
        )
        record(PAGES[0].url, "request", b"", 1, request)
        a, b, c, d = PAGES
        response(
            a,
            a.html,
            [("Content-Type", "text/html; charset=UTF-8"), ("Content-Length", str(len(a.html)))],
        )
        record(
            a.url,
            "metadata",
            b"fetchTimeMs: 120\r\n",
            2,
            warc_content_type="application/warc-fields",
        )
        response(b, b.html, [("Content-Type", "text/html;charset=euc-kr")])
        response(
            c,
            gzip.compress(c.html),
            [("Content-Type", "application/xhtml+xml"), ("Content-Encoding", "gzip")],
        )
        response(
            d, chunked(d.html), [("Content-Type", "TEXT/HTML"), ("Transfer-Encoding", "chunked")]
        )
        missing = Page(
            "https://www.hankyung.com/article/2024031599999",
            "<urn:uuid:00000000-0000-4000-8000-000000000003>",
            b"<html>not found</html>",
        )
        response(missing, missing.html, [("Content-Type", "text/html")], status="404 Not Found")
        photo = Page(
            "https://img.hankyung.com/photo/202403/01.jpg",
            "<urn:uuid:00000000-0000-4000-8000-000000000004>",
            b"\xff\xd8\xff\xe0 JFIF",
        )
        response(photo, photo.html, [("Content-Type", "image/jpeg")])
        revisit = w.create_revisit_record(
            a.url,
            "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            a.url,
            DATE,
            warc_headers_dict={
                "WARC-Record-ID": "<urn:uuid:00000000-0000-4000-8000-000000000005>",
                "WARC-Date": DATE,
            },
        )
        w.write_record(revisit)
        record(
            "dns:www.hankyung.com",
            "response",
            b"20240315010203\nwww.hankyung.com. 300 IN A 203.0.113.7\n",
            6,
        )
    return path


def write_arc(path: Path, *, compress: bool) -> Path:
    """ARC 1.0 (Internet Archive, before WARC): a filedesc record, one page, one image."""
    html = HANKYUNG
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    jpeg = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0"
    desc = b"1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n"
    records = [
        b"filedesc://%s 0.0.0.0 20240315090000 text/plain %d\n%s\n"
        % (path.name.encode(), len(desc), desc),
        b"%s 203.0.113.7 20240315090000 text/html %d\n%s\n"
        % (PAGES[0].url.encode(), len(http), http),
        b"https://img.hankyung.com/photo/01.jpg 203.0.113.7 20240315090001 image/jpeg %d\n%s\n"
        % (len(jpeg), jpeg),
    ]
    path.write_bytes(b"".join(gzip.compress(r) if compress else r for r in records))
    return path


def spec_of(
    *files: Path, domains: tuple[str, ...] = (), url_patterns: tuple[str, ...] = (), **kw: str
) -> SourceSpec:
    return SourceSpec(
        name="crawl",
        kind="warc",
        paths=("*",),
        files=tuple(str(f) for f in files),
        domains=domains,
        url_patterns=url_patterns,
        **kw,
    )


def read(spec: SourceSpec, base: Path) -> tuple[list[RawDoc], Counter[str]]:
    skipped: Counter[str] = Counter()
    recipe = Recipe(path=base / "recipe.yaml", name="test", output=base / "out", sources=(spec,))
    return list(read_source(spec, recipe, skipped)), skipped


def record_at(path: Path, offset: int) -> tuple[str, str]:
    """(type, id) of the record that starts at offset, read from there on its own."""
    with path.open("rb") as f:
        f.seek(offset)
        record = next(iter(ArchiveIterator(f)))
        return record.rec_type, record.rec_headers.get_header("WARC-Record-ID")


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_html_200_responses_become_rawdocs(tmp_path: Path, name: str) -> None:
    path = write_warc(tmp_path / name, compress=name.endswith(".gz"))
    docs, skipped = read(spec_of(path, publisher="힌트", license="research"), tmp_path)

    assert [d.hints.url for d in docs] == [p.url for p in PAGES]
    assert [d.warc_record_id for d in docs] == [p.record_id for p in PAGES]
    # Payloads as served, chunked and gzip encodings undone; the bytes are not re-encoded.
    assert [d.data for d in docs] == [p.html for p in PAGES]
    for doc in docs:
        assert doc.kind == "warc"
        assert doc.source == "crawl"
        assert doc.recipe == "test"
        assert doc.fetched_at == DATE
        assert doc.record is None
        assert (doc.hints.publisher, doc.hints.license, doc.hints.encoding) == (
            "힌트",
            "research",
            "auto",
        )
        where, offset = doc.location.split("#")
        assert where == name
        assert record_at(path, int(offset)) == ("response", doc.warc_record_id)
    assert skipped == SKIPPED


def test_locations_are_stable(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", compress=True)
    first, _ = read(spec_of(path), tmp_path)
    second, _ = read(spec_of(path, domains=("bloter.net",)), tmp_path)
    assert len({d.location for d in first}) == len(PAGES)
    assert [d.location for d in second] == [first[3].location]


def test_domain_filter_matches_host_and_subdomains(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", compress=True)
    docs, skipped = read(spec_of(path, domains=("hankyung.com", "zdnet.co.kr")), tmp_path)
    assert [d.hints.url for d in docs] == [PAGES[0].url, PAGES[1].url]
    # The filter runs before the HTTP checks: the 404 and the photo are hankyung.com's,
    # the dns: record has no host.
    assert skipped == SKIPPED - Counter({"warc/no_http": 1}) + Counter({"warc/filtered_domain": 3})


def test_url_patterns_are_searched_in_the_url(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc", compress=False)
    docs, skipped = read(spec_of(path, url_patterns=(r"/article/\d+$", r"view/\?no=")), tmp_path)
    assert [d.hints.url for d in docs] == [PAGES[0].url, PAGES[1].url]
    assert skipped["warc/filtered_url"] == 2 + 2  # etnews, bloter; the photo, the dns: record
    assert skipped["warc/status_404"] == 1  # its URL matches


def test_domains_and_patterns_together(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", compress=True)
    docs, skipped = read(
        spec_of(path, domains=("hankyung.com",), url_patterns=("/article/",)), tmp_path
    )
    assert [d.hints.url for d in docs] == [PAGES[0].url]
    assert skipped["warc/filtered_domain"] == 4
    assert skipped["warc/filtered_url"] == 1  # the photo
    assert skipped["warc/status_404"] == 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://hankyung.com/a", None),
        ("https://www.hankyung.com/a", None),
        ("http://plus.biz.HANKYUNG.com.:8080/a", None),
        ("https://nothankyung.com/a", "filtered_domain"),
        ("https://hankyung.com.evil.example/a", "filtered_domain"),
        ("https://evil.example/?u=hankyung.com", "filtered_domain"),
        ("https://[::1/", "filtered_domain"),
        (None, "filtered_domain"),
    ],
)
def test_url_filter_domains(url: str | None, reason: str | None) -> None:
    assert UrlFilter(spec_of(domains=("hankyung.com",))).reason(url) == reason


def test_url_filter_patterns_and_no_filter() -> None:
    f = UrlFilter(spec_of(url_patterns=("/article/", r"\?idxno=\d+")))
    assert f.reason("https://www.hankyung.com/article/1") is None
    assert f.reason("https://www.bloter.net/news/articleView.html?idxno=1") is None
    assert f.reason("https://www.hankyung.com/opinion/1") == "filtered_url"
    assert f.reason(None) == "filtered_url"
    assert not UrlFilter(spec_of())
    assert UrlFilter(spec_of()).reason(None) is None


def test_source_url_hint_is_replaced_by_the_target_uri(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", compress=True)
    docs, _ = read(spec_of(path, url="https://example.com/"), tmp_path)
    assert docs[0].hints.url == PAGES[0].url


def test_oversized_payload_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corpus.sources import warc

    monkeypatch.setattr(warc, "MAX_PAYLOAD", len(ZDNET))
    path = write_warc(tmp_path / "crawl.warc.gz", compress=True)
    docs, skipped = read(spec_of(path), tmp_path)
    assert [d.data for d in docs] == [p.html for p in PAGES if len(p.html) <= len(ZDNET)]
    assert skipped["warc/too_large"] == sum(len(p.html) > len(ZDNET) for p in PAGES) > 0


@pytest.mark.parametrize("name", ["old.arc", "old.arc.gz"])
def test_arc_files_are_read_as_warc(tmp_path: Path, name: str) -> None:
    path = write_arc(tmp_path / name, compress=name.endswith(".gz"))
    docs, skipped = read(spec_of(path), tmp_path)
    assert len(docs) == 1
    doc = docs[0]
    assert (doc.kind, doc.hints.url, doc.data) == ("warc", PAGES[0].url, HANKYUNG)
    assert doc.fetched_at == "2024-03-15T09:00:00Z"
    assert doc.warc_record_id is None  # ARC records have none; warcio's would be random
    assert doc.location.startswith(f"{name}#")
    offset = int(doc.location.split("#")[1])
    assert path.read_bytes()[offset:].startswith(
        b"\x1f\x8b" if name.endswith(".gz") else PAGES[0].url.encode()
    )
    assert skipped == Counter({"warc/type_warcinfo": 1, "warc/not_html": 1})


def test_several_files_in_sorted_order_and_read_all(tmp_path: Path) -> None:
    one = write_warc(tmp_path / "a.warc.gz", compress=True)
    two = write_arc(tmp_path / "b.arc", compress=False)
    spec = spec_of(one, two)
    recipe = Recipe(
        path=tmp_path / "recipe.yaml", name="test", output=tmp_path / "out", sources=(spec,)
    )
    skipped: Counter[str] = Counter()
    docs = list(read_all(recipe, skipped))
    assert [d.location.split("#")[0] for d in docs] == ["a.warc.gz"] * 4 + ["b.arc"]
    assert skipped == SKIPPED + Counter({"warc/type_warcinfo": 1, "warc/not_html": 1})
    assert len(list(read_all(recipe))) == 5  # no counter: the same documents


# --- broken files ----------------------------------------------------------------------


def members(data: bytes) -> list[int]:
    """Offsets of the gzip members of a WARC written with one member per record."""
    with io.BytesIO(data) as f:
        it = ArchiveIterator(f)
        out = []
        for _ in it:
            out.append(it.get_record_offset())
        return out


def broken(tmp_path: Path, name: str, data: bytes) -> InputError:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read(spec_of(path), tmp_path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    return info.value


@pytest.mark.parametrize("cut", ["in_a_record", "in_the_gzip_trailer", "in_a_new_member"])
def test_truncated_warc_gz_is_an_input_error(tmp_path: Path, cut: str) -> None:
    data = write_warc(tmp_path / "whole.warc.gz", compress=True).read_bytes()
    starts = members(data)
    page_b = starts[4]  # warcinfo, request, response A, metadata, response B, ...
    end = {
        "in_a_record": page_b + (starts[5] - page_b) // 2,
        "in_the_gzip_trailer": len(data) - 4,
        "in_a_new_member": starts[-1] + 6,
    }[cut]
    err = broken(tmp_path, "cut.warc.gz", data[:end])
    assert "byte " in str(err)
    assert (
        "the file is truncated or not a WARC; re-download it or remove it from the recipe"
        in str(err)
    )


def test_truncated_warc_error_names_the_offset_reached(tmp_path: Path) -> None:
    data = write_warc(tmp_path / "whole.warc.gz", compress=True).read_bytes()
    starts = members(data)
    err = broken(tmp_path, "cut.warc.gz", data[: starts[4] + 40])
    assert f"at byte {starts[4]}" in str(err)


def test_truncated_uncompressed_warc(tmp_path: Path) -> None:
    data = write_warc(tmp_path / "whole.warc", compress=False).read_bytes()
    err = broken(tmp_path, "cut.warc", data[: len(data) // 2])
    assert "ends early" in str(err)


@pytest.mark.parametrize("compress", [False, True])
def test_a_warc_cut_anywhere_is_read_or_an_input_error(tmp_path: Path, compress: bool) -> None:
    """Cut at every 5th byte (record headers included, where warcio itself raised an
    AttributeError on a header cut before its WARC-Target-URI line): each file is read whole
    up to a record's end, or is an InputError; never another exception."""
    name = "whole.warc.gz" if compress else "whole.warc"
    data = write_warc(tmp_path / name, compress=compress).read_bytes()
    errors = 0
    for end in range(1, len(data), 5):
        path = tmp_path / f"cut{end}{name[5:]}"
        path.write_bytes(data[:end])
        try:
            read(spec_of(path), tmp_path)
        except InputError as e:
            assert str(e).startswith(f"{path}: "), e
            errors += 1
        path.unlink()
    assert errors > len(data) // 10  # most cuts fall inside a record


def test_corrupt_gzip_member(tmp_path: Path) -> None:
    data = bytearray(write_warc(tmp_path / "whole.warc.gz", compress=True).read_bytes())
    starts = members(bytes(data))
    middle = starts[2] + (starts[3] - starts[2]) // 2
    data[middle : middle + 16] = b"\x00" * 16
    broken(tmp_path, "bad.warc.gz", bytes(data))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("page.warc", HANKYUNG),
        ("page.warc.gz", gzip.compress(HANKYUNG)),
        ("empty.warc.gz", b""),
        ("noise.warc.gz", b"\x1f\x8b\x08\x00garbage, not deflate"),
    ],
)
def test_not_a_warc_is_an_input_error(tmp_path: Path, name: str, data: bytes) -> None:
    err = broken(tmp_path, name, data)
    assert "not a WARC or ARC file" in str(err)
    assert "re-download it or remove it from the recipe" in str(err)


def test_garbage_after_a_valid_record(tmp_path: Path) -> None:
    data = write_warc(tmp_path / "whole.warc", compress=False).read_bytes()
    err = broken(tmp_path, "tail.warc", data + b"<html>appended by mistake</html>\n")
    assert "unreadable record at byte" in str(err)


def test_whole_file_gzip_says_how_to_recompress(tmp_path: Path) -> None:
    data = write_warc(tmp_path / "whole.warc", compress=False).read_bytes()
    err = broken(tmp_path, "one-stream.warc.gz", gzip.compress(data))
    assert "warcio recompress" in str(err)


# --- recipes ---------------------------------------------------------------------------


def recipe_file(tmp_path: Path, sources: str) -> Path:
    write_warc(tmp_path / "crawl.warc.gz", compress=True)
    path = tmp_path / "recipe.yaml"
    path.write_text(
        f"name: t\noutput: {tmp_path / 'out'}\nsources:\n{textwrap.indent(sources, '  ')}",
        encoding="utf-8",
    )
    return path


def test_warc_recipe_is_typed(tmp_path: Path) -> None:
    path = recipe_file(
        tmp_path,
        """\
- name: crawl
  kind: warc
  paths: ["*.warc.gz"]
  domains: [HanKyung.com, zdnet.co.kr.]
  url_patterns: ["/article/", 'view/\\?no=\\d+']
""",
    )
    spec = load_recipe(path).sources[0]
    assert spec.kind == "warc"
    assert spec.domains == ("hankyung.com", "zdnet.co.kr")
    assert spec.url_patterns == ("/article/", r"view/\?no=\d+")
    assert spec.files == (str(tmp_path / "crawl.warc.gz"),)


def test_the_valid_warc_fixture_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    spec = load_recipe((FIXTURES / "recipes" / "valid" / "warc.yaml").relative_to(ROOT)).sources[0]
    assert spec.kind == "warc"
    assert spec.domains and spec.url_patterns


def test_bad_regex_is_a_recipe_error_with_its_path(tmp_path: Path) -> None:
    path = recipe_file(
        tmp_path,
        """\
- name: crawl
  kind: warc
  paths: ["*.warc.gz", "missing/*.warc.gz"]
  domains: ["https://www.hankyung.com/"]
  url_patterns: ["/article/", "(unclosed", "[z-a]"]
""",
    )
    with pytest.raises(RecipeError) as info:
        load_recipe(path)
    assert str(info.value).splitlines() == [
        f"{path}::$.sources[0].domains[0]: 'https://www.hankyung.com/' is not a domain; write the host only, e.g. hankyung.com (its subdomains match too)",
        f"{path}::$.sources[0].url_patterns[1]: invalid regular expression: missing ), unterminated subpattern at position 0",
        f"{path}::$.sources[0].url_patterns[2]: invalid regular expression: bad character range z-a at position 1",
        f"{path}::$.sources[0].paths[1]: no file matches 'missing/*.warc.gz' (relative to {tmp_path}/); check the path or remove the entry",
    ]


def test_bad_regex_is_reported_with_schema_problems(tmp_path: Path) -> None:
    path = recipe_file(
        tmp_path,
        """\
- name: crawl
  kind: warc
  paths: ["*.warc.gz"]
  url_patterns: ["("]
  colour: blue
""",
    )
    with pytest.raises(RecipeError) as info:
        load_recipe(path)
    assert str(info.value).splitlines() == [
        f"{path}::$.sources[0]: Additional properties are not allowed ('colour' was unexpected); remove it or check its spelling",
        f"{path}::$.sources[0].url_patterns[0]: invalid regular expression: missing ), unterminated subpattern at position 0",
    ]


def test_url_filters_need_a_url(tmp_path: Path) -> None:
    path = recipe_file(
        tmp_path,
        """\
- {name: dumps, kind: textdump, paths: ["*.warc.gz"], domains: [hankyung.com]}
- {name: pages, kind: html, paths: ["*.warc.gz"], url_patterns: [/article/]}
- {name: page, kind: html, paths: ["*.warc.gz"], url: "https://www.hankyung.com/article/1", domains: [hankyung.com]}
- {name: empty, kind: warc, paths: ["*.warc.gz"], domains: []}
""",
    )
    with pytest.raises(RecipeError) as info:
        load_recipe(path)
    assert str(info.value).splitlines() == [
        f"{path}::$.sources[0].domains: URL filters apply to kinds warc and html only, not textdump; remove it",
        f"{path}::$.sources[1].url_patterns: an html source is filtered by its `url` hint; set `url` or remove it",
        f"{path}::$.sources[3].domains: [] should be non-empty",
    ]


def test_html_source_filtered_by_its_url_hint(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(HANKYUNG)
    (tmp_path / "b.html").write_bytes(HANKYUNG)
    spec = SourceSpec(
        name="pages",
        kind="html",
        paths=("*.html",),
        files=(tmp_path / "a.html", tmp_path / "b.html"),
        url=PAGES[0].url,
        domains=("zdnet.co.kr",),
    )
    docs, skipped = read(spec, tmp_path)
    assert docs == []
    assert skipped == Counter({"html/filtered_domain": 2})
    kept, skipped = read(replace(spec, domains=("hankyung.com",)), tmp_path)
    assert [d.location for d in kept] == ["a.html", "b.html"]
    assert not skipped


# --- end to end ------------------------------------------------------------------------


def test_pipeline_exports_warc_provenance(tmp_path: Path) -> None:
    from corpus.pipeline import run

    path = recipe_file(
        tmp_path,
        """\
- name: crawl
  kind: warc
  paths: ["*.warc.gz"]
  license: research
""",
    )
    # two of the made-up articles are briefs under the default 200 characters (their headline
    # and byline no longer run into the body since #17): the test is about provenance
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sources:", "validate: {min_body_chars: 100}\nsources:"))
    report = run(load_recipe(path))
    assert report.totals() == {"read": 4, "kept": 4, "rejected": 0, "duplicates": 0}
    files = sorted((tmp_path / "out" / "data").glob("*.parquet"))
    rows = [row for f in files for row in pq.read_table(f).to_pylist()]
    got = sorted((r["source"]["warc_record_id"], r["url"], r["source"]["kind"]) for r in rows)
    assert got == sorted((p.record_id, p.url, "warc") for p in PAGES)
    by_id = {r["source"]["warc_record_id"]: r for r in rows}
    assert by_id[PAGES[1].record_id]["title"].startswith("누리클라우드")  # EUC-KR page decoded
    assert all(r["source"]["location"].startswith("crawl.warc.gz#") for r in rows)


@pytest.mark.parametrize("compress", [True, False])
def test_a_large_warc_is_cut_at_record_members_with_the_same_records(
    tmp_path: Path, compress: bool
) -> None:
    """A compressed WARC over shard_bytes is read as ranges starting at record members, by
    several workers; the records, their offsets and the skip counts are those of one read. An
    uncompressed WARC is one range: a record header cannot be told from payload bytes."""
    from corpus.sources.shards import plan, read_shard

    one = write_warc(tmp_path / "one.warc", compress=compress).read_bytes()
    crawl = tmp_path / "crawl.warc"
    crawl.write_bytes(one * 20)  # concatenated archives are an archive
    spec = spec_of(crawl)
    recipe = Recipe(path=tmp_path / "r.yaml", name="t", output=tmp_path / "out", sources=(spec,))
    whole, whole_skipped = read(spec, tmp_path)
    shards = plan(recipe, len(one) * 3)
    assert len(shards) == (7 if compress else 1)
    cut: list[RawDoc] = []
    skipped: Counter[str] = Counter()
    for shard in shards:
        cut.extend(read_shard(recipe.without_files(), shard, skipped, {}))
    assert [(d.location, d.data, d.warc_record_id) for d in cut] == [
        (d.location, d.data, d.warc_record_id) for d in whole
    ]
    assert skipped == whole_skipped and len(whole) == 20 * len(
        read(spec_of(tmp_path / "one.warc"), tmp_path)[0]
    )
