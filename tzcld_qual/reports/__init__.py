"""Results in the forms researchers use: tables, reports, REFI-QDA exchange files, agreement."""
