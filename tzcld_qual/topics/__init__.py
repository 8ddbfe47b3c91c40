"""Emergent themes: BERTopic over cached segment embeddings, French keyphrases, promotion to codes.

The inductive side of the analysis: clusters of respondent segments the codebook does not name
yet. ``model`` fits BERTopic (UMAP + HDBSCAN, fixed seed) on precomputed embeddings,
``representation`` turns segments into French content lemmas for c-TF-IDF keyphrases,
``describe`` summarises each cluster (quotes, nearest code), ``promote`` drafts a code and the
codebook YAML that holds it. Nothing here touches the store; ``services.topics`` wires it up.
"""
