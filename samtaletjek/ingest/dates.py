"""The date an import or fetch writes in the release log: the only clock the ingest reads."""

from __future__ import annotations

import datetime as dt
import os
import re

from ..errors import UserError


def import_date(date: str | None) -> str:
    """Return the import date: --date, else SOURCE_DATE_EPOCH, else today (the only clock read).

    No date after today is taken: months after the import date are refused as not yet
    published, and a date in the future would let them in."""
    today = dt.date.today()
    if date is not None:
        try:
            # fromisoformat also takes 20261102 and week dates: the pattern first.
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
                raise ValueError(date)
            given = dt.date.fromisoformat(date)
        except ValueError:
            raise UserError(f"--date {date!r} is not a date written YYYY-MM-DD") from None
        if given > today:
            raise UserError(
                f"--date {date} is after today ({today.isoformat()}); the import date cannot "
                "lie in the future (months after it are refused as not yet published)"
            )
        return given.isoformat()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            given = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UserError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
        if given > today:
            raise UserError(
                f"SOURCE_DATE_EPOCH={epoch} is {given.isoformat()}, after today "
                f"({today.isoformat()}); the import date cannot lie in the future"
            )
        return given.isoformat()
    return today.isoformat()
