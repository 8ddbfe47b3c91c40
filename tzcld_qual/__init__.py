"""tzcld-qual."""
