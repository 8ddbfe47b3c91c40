"""Auto-coders with the scikit-learn contract: ``fit(X, Y)``, ``predict_proba(X)``, ``explain``.

``X`` is a sequence of :class:`~tzcld_qual.coders.base.Item` (text, cached embedding, the
interviewer's question as context); ``Y`` an ``n × k`` 0/1 matrix over the coder's ``codes``.
"""
