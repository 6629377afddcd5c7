"""The command line: `python -m samtaletjek` and the installed `samtaletjek` command."""


def main() -> None:
    """Run the command line."""
    # Imported here, not above: the build's worker processes start by importing the module
    # that started the program (the `samtaletjek` script imports this one), and they need
    # none of the package but the renderer.
    from samtaletjek.cli import cli

    cli()


if __name__ == "__main__":
    main()
