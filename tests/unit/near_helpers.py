"""Build a dataset-stage index from a few records in memory, and run the dataset stages on it."""

from __future__ import annotations

from typing import Any

import polars as pl
import pyarrow as pa

from corpus.dataset import decide
from corpus.recipe import ValidateSettings
from corpus.record import timestamps
from corpus.stages import Validate
from corpus.validate.exact import ExactDuplicates, normalized
from corpus.validate.ids import UniqueIds
from corpus.validate.near import NearDuplicates, NearSettings

# A story written for these tests (not a real article), about 700 characters.
STORY = (
    "정부가 내년부터 지방 중소도시의 대중교통 요금을 단계적으로 인하하는 방안을 추진한다고 "
    "26일 밝혔다. 국토교통부는 이날 정부세종청사에서 열린 브리핑에서 인구 감소 지역의 버스 "
    "노선을 재편하고 요금을 최대 30퍼센트까지 낮추겠다고 설명했다.\n\n"
    "이번 방안은 지난해 시범 사업을 벌인 강원과 전남의 다섯 개 군에서 이용객이 평균 18퍼센트 "
    "늘어난 결과를 바탕으로 마련됐다. 정부는 시범 지역의 만족도 조사에서 응답자의 72퍼센트가 "
    "요금 인하를 가장 큰 변화로 꼽았다고 전했다.\n\n"
    "재원은 국비와 지방비를 절반씩 부담하는 방식으로 마련할 계획이다. 국토교통부 관계자는 "
    "농어촌 지역 주민의 이동권을 보장하는 것이 이번 정책의 핵심이라며 지자체와 협의를 거쳐 "
    "대상 지역을 확정하겠다고 말했다.\n\n"
    "다만 일부 지자체는 재정 부담이 커질 수 있다며 우려를 나타냈다. 한 광역자치단체 관계자는 "
    "운송 업체에 대한 손실 보전금이 해마다 늘고 있어 추가 예산을 확보하기 쉽지 않다고 말했다. "
    "정부는 상반기 중 세부 지원 기준을 발표할 예정이다."
)

OTHER = (
    "국내 연구진이 바닷물에서 리튬을 빠르게 뽑아내는 새로운 흡착 소재를 개발했다. 한국과학기술원 "
    "연구팀은 기존 소재보다 흡착 속도가 네 배 빠르고 백 번 넘게 다시 써도 성능이 유지되는 "
    "망간 산화물 기반 소재를 만들었다고 27일 발표했다.\n\n"
    "연구팀은 소재 표면에 미세한 구멍을 규칙적으로 배열해 리튬 이온이 드나드는 길을 넓혔다. "
    "실험에서 바닷물 1톤당 회수한 리튬의 양은 기존 방식의 두 배를 넘었다. 연구 결과는 국제 "
    "학술지에 실렸다.\n\n"
    "연구책임자는 전기차 배터리 수요가 늘면서 리튬 공급망 다변화가 중요해졌다며 상용화를 위해 "
    "대용량 설비 실험을 이어가겠다고 말했다. 연구팀은 관련 기술에 대한 특허 출원도 마쳤다."
)

WIRE_HEAD = "(세종=연합뉴스) 김민수 기자 = "


def market_close(kospi: str, points: str, pct: str, foreign: str, inst: str, kosdaq: str) -> str:
    """A daily market close written for these tests (not a real article): the same sentences
    every day, other numbers."""
    return (
        f"코스피가 외국인과 기관의 동반 매수에 힘입어 {kospi}에 장을 마감했다. "
        f"이날 한국거래소에 따르면 코스피는 전 거래일보다 {points}포인트({pct}%) 오른 "
        f"{kospi}로 거래를 마쳤다. 지수는 장 초반 약세를 보이다가 오후 들어 외국인 매수세가 "
        "유입되면서 상승 폭을 키웠다.\n\n"
        f"유가증권시장에서 외국인은 {foreign}억원, 기관은 {inst}억원어치를 순매수했고 "
        "개인은 차익 실현 매물을 내놓았다. 시가총액 상위 종목 가운데 반도체 대형주가 나란히 "
        f"올랐고 이차전지 종목은 약세를 보였다. 코스닥지수는 {kosdaq}로 마감했다.\n\n"
        "시장에서는 이번 주 예정된 미국 소비자물가 발표와 주요 기업의 분기 실적 공개를 앞두고 "
        "관망 심리가 짙어질 것이라는 전망이 나왔다. 한 자산운용사 연구원은 반도체 수출 회복 "
        "속도가 예상보다 빠르다는 점이 지수의 하단을 받치고 있지만 중국 경기 둔화 우려와 "
        "환율 변동성은 여전히 부담 요인이라고 설명했다. 그는 업종별로는 반도체와 조선, 방산의 "
        "이익 전망이 상향 조정되는 반면 화학과 철강은 수요 부진이 이어지고 있다며 종목별 "
        "차별화 장세에 대비할 필요가 있다고 덧붙였다.\n\n"
        "이 기사는 거래소 시세 자료를 바탕으로 작성한 정기 시황 기사입니다. 투자 판단의 책임은 "
        "투자자 본인에게 있으며 기사에 언급된 종목은 매수나 매도를 권유하는 것이 아닙니다."
    )


MONDAY = market_close("2,501.23", "18.42", "0.74", "3,214", "1,872", "724.19")
TUESDAY = market_close("2,537.96", "36.73", "1.47", "4,598", "2,106", "733.43")

WIRE_FOOT = "\n\nminsu@yna.co.kr\n\n<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>"


def formal(text: str) -> str:
    """A broadcast rewrite: every plain sentence ending made formal."""
    for plain, polite in (
        ("밝혔다.", "밝혔습니다."),
        ("설명했다.", "설명했습니다."),
        ("마련됐다.", "마련됐습니다."),
        ("전했다.", "전했습니다."),
        ("계획이다.", "계획입니다."),
        ("말했다.", "말했습니다."),
        ("나타냈다.", "나타냈습니다."),
        ("예정이다.", "예정입니다."),
        ("추진한다고", "추진한다고"),
    ):
        text = text.replace(plain, polite)
    return text


def record(rid: str, body: str, **kw: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "title": kw.get("title", "대중교통 요금 인하"),
        "body": body,
        "published_at": kw.get("published_at"),
        "wire_source": kw.get("wire_source"),
        "location": kw.get("location", f"{rid}.txt"),
    }


def index_of(
    records: list[dict[str, Any]], settings: ValidateSettings | None = None, per_part: int = 1000
) -> tuple[pl.DataFrame, dict[tuple[int, int], str]]:
    """The index validate would write for these records (parts of `per_part` records), and
    the bodies by (part, row)."""
    settings = settings or ValidateSettings()
    frames = []
    bodies: dict[tuple[int, int], str] = {}
    for part, start in enumerate(range(0, len(records), per_part)):
        chunk = records[start : start + per_part]
        table = pa.table(
            {
                "id": [r["id"] for r in chunk],
                "title": [r["title"] for r in chunk],
                "body": [r["body"] for r in chunk],
                "published_at": timestamps(
                    pa.array([r["published_at"] for r in chunk], pa.string())
                ),
                "source": [{"name": "test", "location": r["location"]} for r in chunk],
                "wire_source": pa.array([r["wire_source"] for r in chunk], pa.string()),
            }
        )
        index = pl.from_arrow(Validate(settings).index(table))
        assert isinstance(index, pl.DataFrame)
        frames.append(
            index.with_columns(
                pl.lit(part, pl.Int64).alias("part"),
                pl.int_range(pl.len(), dtype=pl.Int64).alias("row"),
            )
        )
        for row, r in enumerate(chunk):
            bodies[(part, row)] = r["body"]
    return pl.concat(frames), bodies


def near_stage(bodies: dict[tuple[int, int], str], **kw: Any) -> NearDuplicates:
    def texts(rows: pl.DataFrame) -> list[str]:
        return normalized([bodies[(p, r)] for p, r in rows.select("part", "row").iter_rows()])

    return NearDuplicates(NearSettings(**kw), texts)


def run(
    records: list[dict[str, Any]], exact: bool = True, per_part: int = 1000, **kw: Any
) -> pl.DataFrame:
    """The dataset stages' decisions on these records, by id."""
    index, bodies = index_of(records, per_part=per_part)
    stages: list[Any] = [UniqueIds()]
    if exact:
        stages.append(ExactDuplicates())
    stages.append(near_stage(bodies, **kw))
    return decide(index, stages).sort("id")
