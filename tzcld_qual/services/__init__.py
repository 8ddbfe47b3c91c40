"""Use-cases shared by the CLI and the TUI: import, code, decide, ask, export.

Front ends call these functions and render their results; they never touch the store's SQL or
the models directly.
"""
