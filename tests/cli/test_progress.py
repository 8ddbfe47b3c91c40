"""The progress bar's rate: segments scored per second, from the first batch on."""

from __future__ import annotations

from tzcld_qual.cli.progress import Rate


def test_the_rate_counts_from_the_first_batch_not_from_the_preparation() -> None:
    """90 s of preparation and model fit made a run that scored 130 segments a second read « 3 seg/s »."""
    rate = Rate()
    assert rate(256, 1000.0) == ""  # one batch: no rate yet
    assert rate(512, 1002.0) == "128 seg/s"
    assert rate(768, 1004.0) == "128 seg/s"
    assert Rate()(0, 5.0) == "" and rate(768, 1004.0) == "128 seg/s"
