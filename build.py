"""Entry point: `python build.py --help`."""

from samtaletjek.cli import cli

if __name__ == "__main__":
    cli()
