"""Emergent themes on the demo corpus with the real models (USE-multilingual, fr_core_news_sm, UMAP).

One module-scoped project and one process, so UMAP's numba compilation is paid once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from tzcld_qual import paths
from tzcld_qual.codebook import parse_codebook
from tzcld_qual.embed import SentenceTransformerEmbedder
from tzcld_qual.model import Status
from tzcld_qual.segment import Segmenter, SpacySentenceSplitter
from tzcld_qual.services import topics
from tzcld_qual.services.importing import import_files
from tzcld_qual.store import ProjectStore
from tzcld_qual.topics.representation import FILLERS, FrenchLemmatizer

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _demo_corpus(tmp: Path) -> tuple[Path, Path]:
    """The rendered demo corpus, or (before it is rendered) plain-text transcripts of its sources."""
    demo = ROOT / "corpora" / "demo"
    if (demo / "attributes.csv").exists():
        return demo, demo / "attributes.csv"
    rows = ["file;role;territory;round"]
    for source in sorted((ROOT / "corpora" / "sources" / "demo").glob("*.yaml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        lines = [f"{data['speakers'][t['s']]} : {t['t']}" for t in data["turns"]]
        (tmp / f"{data['id']}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        a = data["attributes"]
        rows.append(f"{data['id']}.txt;{a['role']};{a['territory']};{a['round']}")
    (tmp / "attributes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return tmp, tmp / "attributes.csv"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder, attributes = _demo_corpus(tmp_path_factory.mktemp("demo-corpus"))
    project = tmp_path_factory.mktemp("demo") / "demo.tzq"
    import_files(project, [folder], Segmenter(SpacySentenceSplitter()), attributes_csv=attributes)
    return project


def test_topics_on_the_demo_corpus_are_found_stable_and_promotable(demo: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    tmp_path: Path) -> None:
    monkeypatch.setenv("TZCLD_QUAL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TZCLD_QUAL_STATE_DIR", str(tmp_path / "state"))
    embedder, lemmatizer = SentenceTransformerEmbedder(), FrenchLemmatizer()  # the shipped default model
    analyzer = lemmatizer.analyzer_id
    assert analyzer.startswith("lemmas-v3:fr-lookup@")
    repo_yaml = paths.default_codebook()
    before = hashlib.sha256(repo_yaml.read_bytes()).hexdigest()

    with ProjectStore(demo) as store:
        first = topics.discover_topics(store, embedder, lemmatizer)
        second = topics.discover_topics(store, embedder, lemmatizer, refit=True)
        repo = topics.topic_repo(store)
        assert repo.assignments(first.id) == repo.assignments(second.id)
    assert second.id != first.id and lemmatizer.analyzer_id == analyzer  # loading does not change the cache key
    assert [(t.size, t.keyphrases) for t in first.topics] == [(t.size, t.keyphrases) for t in second.topics]

    assert 500 <= first.segments <= 900
    assert 4 <= len(first.topics) <= 20, [t.label for t in first.topics]
    assert first.outliers < first.segments / 2
    codes = set()
    for topic in first.topics:
        assert len(topic.keyphrases) >= 5 and 3 <= len(topic.quotes) <= 5
        assert not {w.lower() for p in topic.keyphrases for w in p.split()} & (FILLERS - {"accord"})
        assert set(topic.breakdown) == {"role", "territory", "round"}
        assert "—" not in topic.breakdown["role"]  # every demo document has a role
        assert topic.nearest_code is not None and 0.0 < (topic.nearest_similarity or 0) <= 1.0
        codes.add(topic.nearest_code.split(".")[0])
    assert len(codes) >= 3  # topics are spread over several findings, not all one restatement

    target = first.topics[0]
    parent = target.nearest_code.split(".")[0] if target.nearest_code else None
    with ProjectStore(demo) as store:
        promotion = topics.promote_topic(store, target.id, run_id=first.id, parent=parent)
        text = store.codebooks.content(promotion.codebook_version)
        suggested = [c for c in store.codings.list() if c.origin == first.id]
    codebook = parse_codebook(text)
    code = codebook.get(promotion.code.id)
    assert code is not None and code.parent == parent and code.expressions == target.keyphrases
    assert len(codebook.codes) == len(parse_codebook(repo_yaml.read_text(encoding="utf-8")).codes) + 1
    assert len(suggested) == target.size and all(c.status is Status.SUGGESTED for c in suggested)
    assert {c.code_id for c in suggested} == {code.id}
    assert hashlib.sha256(repo_yaml.read_bytes()).hexdigest() == before  # the repository YAML is untouched


def test_french_lemmas_from_the_background_process_are_the_ones_made_here() -> None:
    """The worker rebuilds the lookup pipeline by name: same content words, same spans."""
    from tzcld_qual.topics.background import BackgroundLemmas

    texts = ["Du coup j'ai retrouvé confiance en moi, vous voyez.", "Les réunions du CLE, c'est tous les mois.",
             "Aujourd'hui je connais mes droits à la formation."]
    with BackgroundLemmas(FrenchLemmatizer(), texts, min_texts=1) as pending:
        assert pending.in_background
        assert pending.result() == FrenchLemmatizer().lemmatize(texts)
