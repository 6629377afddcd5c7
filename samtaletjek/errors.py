"""Errors a user can cause, each reported as one line naming file, row and column."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in one place of an input file. `row` is the 1-based line in the file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        column = f" column {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}"


class DataErrors(click.ClickException):
    """Raised with every problem found; the CLI prints one line each and exits with 1."""

    exit_code = 1
    max_shown = 50

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.file, e.row or 0, e.column or "", e.message))
        super().__init__(f"{len(self.errors)} problem(s) in the data")

    def format_lines(self) -> list[str]:
        lines = [f"error: {e}" for e in self.errors[: self.max_shown]]
        if len(self.errors) > self.max_shown:
            lines.append(f"error: … and {len(self.errors) - self.max_shown} more problems")
        lines.append(f"{len(self.errors)} problem(s) found; nothing was written.")
        return lines

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        for line in self.format_lines():
            click.echo(line, err=True)


class UserError(click.ClickException):
    """A one-line mistake in how the tool was called or configured."""

    exit_code = 1
