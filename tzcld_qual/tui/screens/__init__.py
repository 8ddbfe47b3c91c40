"""Screens of the review workspace: one per mode, plus modal dialogs that return values."""
