"""The question-answering engine behind ``tzcld-qual ask`` and the TUI's chat pane, UI-agnostic.

A question is understood by rules built for this domain (:mod:`intents`, :mod:`slots`,
:mod:`normalize`, :mod:`lexicon`) and answered from store queries only (:mod:`counts`,
:mod:`citations`, :mod:`actions`, :mod:`guide`); nothing is generated, so every number says
what it counts and every quote is verbatim with its citation. Front ends call
:func:`tzcld_qual.services.chat.ask`.
"""
