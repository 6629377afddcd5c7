"""Errors a user can cause, each reported as one line naming file, row and column."""

from __future__ import annotations

import re
from dataclasses import dataclass

import click

# A line in front of a user stays one line of readable length, whatever a file held.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
MAX_LINE = 1000


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """Return `text` with control characters escaped and cut to `limit` characters."""
    text = _CONTROL.sub(lambda m: repr(m[0])[1:-1], text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# fetch's exit code when the source's answer cannot be imported as it is (a target group label
# the reference data lack, a bad figure): the scheduled workflow fails instead of publishing.
DATA_PROBLEM = 3


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
        return one_line(f"{where}:{column} {self.message}")


class DataErrors(click.ClickException):
    """Raised with every problem found; the CLI prints one line each and exits with 1.

    `stopped`: the reading stopped after the first problems, so there may be more."""

    exit_code = 1
    max_shown = 50

    def __init__(self, errors: list[DataError], *, stopped: bool = False) -> None:
        self.errors = sorted(errors, key=lambda e: (e.file, e.row or 0, e.column or "", e.message))
        self.stopped = stopped
        more = "+" if stopped else ""
        super().__init__(f"{len(self.errors)}{more} problem(s) in the data")

    def format_lines(self) -> list[str]:
        lines = [f"error: {e}" for e in self.errors[: self.max_shown]]
        if len(self.errors) > self.max_shown:
            lines.append(f"error: … and {len(self.errors) - self.max_shown} more problems")
        if self.stopped:
            lines.append(
                f"error: … stopped looking after the first {len(self.errors)} problems; "
                "there may be more"
            )
        more = " or more" if self.stopped else ""
        lines.append(f"{len(self.errors)}{more} problem(s) found; nothing was written.")
        return lines

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        for line in self.format_lines():
            click.echo(line, err=True)


class UserError(click.ClickException):
    """A one-line mistake in how the tool was called or configured."""

    exit_code = 1

    def format_message(self) -> str:
        return one_line(self.message)
