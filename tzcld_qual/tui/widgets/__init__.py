"""Widgets that only render state handed to them; none of them reads the project."""
