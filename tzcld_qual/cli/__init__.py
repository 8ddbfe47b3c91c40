"""Command line: one module per command group, wired in :mod:`tzcld_qual.cli.main`."""
