"""``python -m tzcld_qual``."""

from tzcld_qual.cli.main import run

if __name__ == "__main__":
    run()
