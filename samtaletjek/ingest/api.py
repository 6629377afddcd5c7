"""The HTTP edge of `fetch`: GET requests to jobindsats.dk's API v3.

Every request carries `Authorization: Bearer <key>` and `format=json`. A 5xx answer, a 403
(seen as a transient plain-text page), a timeout, a cut-off answer or a body that is not
JSON is tried again after a growing pause; a refused key (401) is said at once, and so is a
refused request (422 and other 4xx, with the API's `cause`). Every fault is one line naming
the URL, which never holds the key.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from ..errors import UserError
from .readers.jobindsats_v2 import is_wrong_token_answer
from .readers.jobindsats_v3 import error_cause

TOKEN_VARIABLE = "JOBINDSATS_TOKEN"


class FetchError(UserError):
    """The API could not be asked, or refused to answer; one line, never the key."""


class Refused(FetchError):
    """The API refused the request itself (HTTP 422 or another 4xx); `cause` says why."""

    def __init__(self, message: str, cause: str) -> None:
        super().__init__(message)
        self.cause = cause


def _excerpt(content: bytes, width: int = 100) -> str:
    """Return the start of a body as one line: tags and runs of white space removed."""
    text = content[:2000].decode("utf-8", errors="replace")
    text = " ".join(re.sub(r"<[^>]*>", " ", text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _json(content: bytes) -> object:
    return json.loads(content.decode("utf-8-sig"))


@dataclass
class Api:
    """A client for one API base (`…/v3`); `get` returns the URL asked and the answer."""

    client: httpx.Client
    base: str
    retries: int
    backoff: float
    sleep: Callable[[float], None] = time.sleep

    def url(self, path: str, params: Sequence[tuple[str, str]] = ()) -> str:
        query = urlencode([*params, ("format", "json")], safe=":,*/")
        return f"{self.base}/{path}?{query}"

    def get(self, path: str, params: Sequence[tuple[str, str]] = ()) -> tuple[str, bytes, object]:
        """Return (url, body, parsed JSON) of one GET, or raise FetchError in one line."""
        url = self.url(path, params)
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self.client.get(url)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise FetchError(f"{url}: not a usable URL ({exc}); check --api-url") from None
            except httpx.TimeoutException:
                problem = f"no answer within {self.client.timeout.read} s"
                continue
            except httpx.TransportError as exc:
                # Includes an answer cut off before its announced length (RemoteProtocolError).
                problem = f"the connection failed or the answer was cut off ({type(exc).__name__})"
                continue
            status, content = response.status_code, response.content
            parsed, parse_problem = None, ""
            try:
                parsed = _json(content)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
                parse_problem = f"{reason}; it starts {_excerpt(content, 60)!r}"
            if status == 401 or is_wrong_token_answer(parsed):
                raise FetchError(
                    f"{url}: jobindsats.dk refused the API key in {TOKEN_VARIABLE} (HTTP {status}: "
                    "wrong or expired key, or a key for the retired API v2); ask STAR's "
                    "jobindsats team for a key to API v3"
                )
            if status == 403 or status >= 500:
                body = f": {_excerpt(content)!r}" if content.strip() else ""
                problem = f"HTTP {status} {response.reason_phrase}{body}"
                if status == 403:  # seen as a passing page; a key without access gets 401
                    problem += "; if it persists, check that the key is for API v3"
                continue
            cause = error_cause(parsed)
            if status >= 400 or cause is not None:
                said = cause or _excerpt(content) or response.reason_phrase
                raise Refused(
                    f"{url}: jobindsats.dk refused the request (HTTP {status}: {said})", said
                )
            if parse_problem:
                cut = ": cut off?" if content.lstrip()[:1] in (b"{", b"[") else ""
                problem = f"the answer is not JSON ({parse_problem}){cut}"
                continue
            return url, content, parsed
        raise FetchError(f"{url}: {problem} ({self.retries + 1} attempts); try again later")


def open_api(
    base: str,
    token: str,
    *,
    timeout: float,
    retries: int,
    backoff: float,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[httpx.Client, Api]:
    """Return an HTTP client holding the key in its headers (close it) and the Api over it."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    client = httpx.Client(timeout=timeout, headers=headers)
    return client, Api(client, base, retries, backoff, sleep)
