"""A topic's nearest codes: centred on the clustered segments' mean, so the figures say something."""

from __future__ import annotations

import numpy as np

from tzcld_qual.topics.describe import neighbours, unit


def test_centred_similarities_spread_where_raw_ones_all_sit_near_one() -> None:
    shared = np.array([10.0, 0, 0, 0])  # what every text of one embedder has in common
    axes = np.eye(4)
    protos = {"F1": unit(shared + axes[1]), "F2": unit(shared + axes[2]), "F3": unit(shared + axes[3])}
    segments = np.stack([unit(shared + d) for d in (axes[1] + 0.2 * axes[2], axes[2], axes[3], axes[1])])
    topic = unit(shared + axes[1] + 0.3 * axes[2])
    raw = dict(neighbours(topic, protos))
    assert min(raw.values()) > 0.98  # every code "close": no way to tell a restated code from a new theme
    centred = neighbours(topic, protos, origin=segments.mean(axis=0))
    assert [c for c, _ in centred] == ["F1"]  # F2 and F3 point away from the topic: not « near »
    assert dict(centred)["F1"] > 0.5


def test_a_topic_of_every_segment_is_near_no_code() -> None:
    """Centred on the mean of its own rows, the whole corpus points nowhere: no code is « near »."""
    shared = np.array([10.0, 0, 0, 0])
    axes = np.eye(4)
    protos = {"F1": unit(shared + axes[1]), "F2": unit(shared + axes[2])}
    segments = np.stack([unit(shared + d) for d in (axes[1], axes[2], axes[3])])
    assert neighbours(unit(segments.mean(axis=0)), protos, origin=segments.mean(axis=0)) == ()
    one = segments[:1]
    assert neighbours(one[0], protos, origin=one.mean(axis=0)) == ()
