"""The exact-duplicate index of `corpus validate` (corpus.validate.copies.Firsts): fixed-width
digests in sorted numpy runs give the place of the first copy, as a dict would."""

from __future__ import annotations

import numpy as np

from corpus.validate.copies import Firsts


def _check_like_a_dict(digests: list[bytes], batch_sizes: list[int]) -> None:
    firsts, model = Firsts(), dict[bytes, int]()
    at = 0
    for size in batch_sizes:
        chunk = digests[at : at + size]
        places = list(range(at, at + len(chunk)))
        got = firsts.check(chunk, places)
        want = []
        for d, p in zip(chunk, places, strict=True):
            want.append(model.setdefault(d[:16], p) if d[:16] in model else -1)
            model.setdefault(d[:16], p)
        assert got == want, (at, size)
        at += len(chunk)
    assert len(firsts) == len(model)
    assert len(firsts.runs) <= max(1, len(model)).bit_length()


def test_firsts_finds_the_first_place_across_batches_and_merged_runs() -> None:
    rng = np.random.default_rng(7)
    pool = [rng.bytes(32) for _ in range(1500)]
    digests = [pool[i] for i in rng.integers(0, len(pool), 6000)]
    sizes = rng.integers(1, 300, 60).tolist()
    _check_like_a_dict(digests, sizes)


def test_digests_sharing_their_first_eight_bytes_stay_apart() -> None:
    """Only the first 16 bytes count, all 16 of them: digests equal in their first 8 bytes
    (one uint64 of the run) but not in the next 8 are different records."""
    rng = np.random.default_rng(8)
    heads = [rng.bytes(8) for _ in range(5)]
    pool = [heads[i % 5] + rng.bytes(8) + b"tail" for i in range(400)]
    digests = [pool[i] for i in rng.integers(0, len(pool), 3000)]
    _check_like_a_dict(digests, [1, 2, 500, 7, 1000, 3, 2000])
    # bytes after the 16th do not make a different record
    firsts = Firsts()
    assert firsts.check([b"a" * 16 + b"x", b"a" * 16 + b"y"], [10, 11]) == [-1, 10]
    assert firsts.check([b"a" * 16, b"b" * 16], [12, 13]) == [10, -1]
