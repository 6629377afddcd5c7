"""Entry point: `python build.py --help`, the same as the `samtaletjek` command."""

if __name__ == "__main__":
    # Imported here, not above: the build's worker processes start by importing this file,
    # and they need none of the package but the renderer.
    from samtaletjek.__main__ import main

    main()
