"""The review workspace (Textual): screens render what ``services.review`` returns."""
