"""Entry point: `python build.py --help`."""

if __name__ == "__main__":
    # Imported here, not above: the build's worker processes start by importing this file,
    # and they need none of the package but the renderer.
    from samtaletjek.cli import cli

    cli()
