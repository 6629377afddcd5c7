"""The HTTP edge of `fetch`: GET requests to jobindsats.dk's API v3.

Every request carries `Authorization: Bearer <key>` and `format=json`. A 5xx answer, a 403
(seen as a transient plain-text page), a timeout, a cut-off answer or a body that is not
JSON is tried again after a growing pause; a 429 or 503 after the pause its `Retry-After`
asks for, if that is at most `MAX_WAIT`. A refused key (401) is said at once, and so is a
refused request (422 and other 4xx, with the API's `cause`), a redirect (never followed: the
key must not go to another host) and an answer larger than `MAX_BYTES`.

Time is bounded twice: one attempt (connecting, waiting and the whole body, however slowly it
trickles in) within `ATTEMPT_TIMES` × the timeout, and every request of one run within
`RUN_TIMES` × the timeout of the start. Every fault is one line naming the URL. The key is
replaced by `***` in every answer before anything reads or stores it, and in every message
(`redact`); a key HTTP cannot carry is refused before any request (`check_token`).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import json
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from typing import TypeVar
from urllib.parse import urlencode

import click
import httpx

from ..errors import DataErrors, UserError
from .readers.jobindsats_v2 import is_wrong_token_answer
from .readers.jobindsats_v3 import error_cause

TOKEN_VARIABLE = "JOBINDSATS_TOKEN"
ATTEMPT_TIMES = 3  # one attempt, body included, within 3 × fetch_timeout
RUN_TIMES = 20  # a whole fetch within 20 × fetch_timeout (30 minutes by default)
MAX_WAIT = 60.0  # the longest pause a Retry-After is honoured with, in seconds
MAX_BYTES = 200 * 2**20  # the largest answer read; a table of every kommune is a few MB
S = TypeVar("S", str, bytes)


class FetchError(UserError):
    """The API could not be asked, or refused to answer; one line, never the key."""


class Refused(FetchError):
    """The API refused the request itself (HTTP 422 or another 4xx); `cause` says why."""

    def __init__(self, message: str, cause: str) -> None:
        super().__init__(message)
        self.cause = cause


# ---- the key: checked before it is sent, never shown ---------------------------------------------


def check_token(token: str) -> None:
    """Raise a one-line UserError, without the key, if it holds a character no key can have
    (an HTTP header carries only visible ASCII)."""
    for position, char in enumerate(token, start=1):
        if not "!" <= char <= "~":
            raise UserError(
                f"{TOKEN_VARIABLE} contains a character a key cannot have (position {position}: "
                f"{_kind(char)}); a key is ASCII letters, digits and punctuation without spaces: "
                "copy it again from STAR's mail"
            )


def _kind(char: str) -> str:
    if char == " ":
        return "a space"
    if char in "\r\n":
        return "a line break"
    if char == "\t":
        return "a tab"
    return "a control character" if ord(char) < 128 else "a character outside ASCII"


_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"}


@functools.cache
def _secret(secret: str) -> tuple[re.Pattern[str], re.Pattern[bytes]]:
    """Every way an answer can write `secret`: as is, URL-encoded (once or twice), escaped
    for JSON (`\\u0041`, `\\/`) or HTML (`&#65;`, `&#x41;`, `&amp;`), character by character."""
    parts = []
    for char in secret:
        code = ord(char)
        forms = [re.escape(char), f"%(?:25)?{code:02x}", rf"\\u{code:04x}", f"&#0*{code};"]
        forms += [f"&#x0*{code:x};", *([re.escape(_NAMED[char])] if char in _NAMED else [])]
        if not char.isalnum():
            forms.append(re.escape("\\" + char))
        parts.append(f"(?:{'|'.join(forms)})")
    pattern = "".join(parts)
    return re.compile(pattern, re.IGNORECASE), re.compile(pattern.encode(), re.IGNORECASE)


def redact(value: S, secret: str) -> S:
    """Return `value` with `secret`, however it is written, replaced by `***`."""
    if not secret:
        return value
    text, binary = _secret(secret)
    if isinstance(value, bytes):
        return binary.sub(b"***", value)
    return text.sub("***", value)


def redact_error(exc: click.ClickException, secret: str) -> click.ClickException:
    """Return the error with the key replaced by `***` in every line it prints."""
    if isinstance(exc, DataErrors):
        exc.errors = [
            replace(
                e,
                file=redact(e.file, secret),
                column=e.column and redact(e.column, secret),
                message=redact(e.message, secret),
            )
            for e in exc.errors
        ]
    exc.message = redact(exc.message, secret)
    return exc


# ---- answers -------------------------------------------------------------------------------------


def _excerpt(content: bytes, width: int = 100) -> str:
    """Return the start of a body as one line: tags and runs of white space removed."""
    text = content[:2000].decode("utf-8", errors="replace")
    return _one_line(re.sub(r"<[^>]*>", " ", text), width)


def _one_line(text: str, width: int) -> str:
    text = " ".join(text[: width * 20].split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _no_constant(name: str) -> object:
    raise ValueError(f"it holds {name}, which is not a number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"it holds {text[:20]}, a number too large to be one")
    return number


def _integer(text: str) -> int:
    # JSON integers have no leading zeros: more than 19 digits is beyond 64 bits.
    if len(text.lstrip("-")) > 19 or abs(int(text)) >= 2**63:
        raise ValueError(f"it holds {text[:12]}…, an integer too large to be a count")
    return int(text)


def _json(content: bytes) -> object:
    """Return the JSON value of a body; NaN, Infinity, 1e999 and integers beyond 64 bits are
    not numbers an answer holds."""
    return json.loads(
        content.decode("utf-8-sig"),
        parse_constant=_no_constant,
        parse_float=_finite,
        parse_int=_integer,
    )


def _size(count: float) -> str:
    return f"{count / 2**20:g} MB" if count >= 2**20 else f"{count:g} bytes"


def _duration(seconds: float) -> str:
    """ "45 s", "3 min", "2 h", "3 days": how long, rounded up, as a person reads it."""
    for unit, size, up_to in (("s", 1, 120), ("min", 60, 120), ("h", 3600, 48)):
        if seconds <= size * up_to:
            return f"{math.ceil(seconds / size)} {unit}"
    return f"{math.ceil(min(seconds, 1e9) / 86400)} days"


def _http_date(value: str) -> dt.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def retry_after(headers: httpx.Headers) -> float | None:
    """Return the seconds `Retry-After` asks to wait (a number, or an HTTP date measured from
    the answer's `Date`), or None when there is none or it cannot be read."""
    value = headers.get("Retry-After", "").strip()
    if re.fullmatch(r"[0-9]{1,12}", value):
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    sent = _http_date(headers.get("Date", "")) or dt.datetime.now(dt.UTC)
    return max((when - sent).total_seconds(), 0.0)


class _Late(Exception):
    """An attempt's time ran out before its answer was complete."""


class _TooLarge(Exception):
    """The answer is larger than MAX_BYTES."""


class _Watchdog:
    """Shuts an attempt's connection when its time is up. The body is checked as each piece
    arrives, but a server trickling its headers or its TLS handshake keeps a read waiting
    forever, each byte resetting the read timeout; only closing the socket ends it."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True
            self._sockets.clear()

    def trace(self, event: str, info: dict) -> None:
        """httpx's `trace` extension: note the socket of every connection the attempt opens."""
        if event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            sock = info["return_value"].get_extra_info("socket")
            if isinstance(sock, socket.socket):
                with self._lock:
                    self._sockets.append(sock)
                    if self.fired:
                        _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket's method: SSLSocket.shutdown would also drop its TLS state under the
    # reading thread. Shutting down wakes a blocked read, which closing would not.
    with suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


# ---- the client ----------------------------------------------------------------------------------


@dataclass
class Api:
    """A client for one API base (`…/v3`); `get` returns the URL asked and the answer."""

    client: httpx.Client
    base: str
    retries: int
    backoff: float
    sleep: Callable[[float], None] = time.sleep
    secret: str = ""  # the key: only to replace it by *** in answers and messages
    run_limit: float = math.inf  # seconds from now within which every request must be done
    clock: Callable[[], float] = time.monotonic
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = self.clock() + self.run_limit

    @property
    def timeout(self) -> float:
        return self.client.timeout.read or math.inf

    def url(self, path: str, params: Sequence[tuple[str, str]] = ()) -> str:
        query = urlencode([*params, ("format", "json")], safe=":,*/")
        return f"{self.base}/{path}?{query}"

    def get(self, path: str, params: Sequence[tuple[str, str]] = ()) -> tuple[str, bytes, object]:
        """Return (url, body, parsed JSON) of one GET, the key replaced by `***` in both, or
        raise FetchError in one line."""
        url = self.url(path, params)
        problem, asked = "", None
        for attempt in range(self.retries + 1):
            if attempt:
                pause = asked if asked is not None else self.backoff * 2 ** (attempt - 1)
                if self.clock() + pause >= self.deadline:
                    raise self._out_of_time(url, problem)
                self.sleep(pause)
            if self.clock() >= self.deadline:
                raise self._out_of_time(url, problem)
            asked = None
            try:
                response, content = self._attempt(url)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise self._error(f"{url}: not a usable URL ({exc}); check --api-url") from None
            except _Late:
                if self.clock() >= self.deadline:
                    raise self._out_of_time(url, problem) from None
                problem = (
                    f"no complete answer within {self.timeout * ATTEMPT_TIMES:g} s "
                    f"({ATTEMPT_TIMES} × fetch_timeout)"
                )
                continue
            except _TooLarge:
                raise self._error(
                    f"{url}: the answer is larger than {_size(MAX_BYTES)}, far more than a table "
                    "fetch asks for; check --api-url"
                ) from None
            except httpx.TimeoutException:
                problem = f"no answer within {self.timeout:g} s"
                continue
            except httpx.DecodingError:
                problem = "the answer's compression is broken (DecodingError)"
                continue
            except httpx.RequestError as exc:
                # Includes an answer cut off before its announced length (RemoteProtocolError).
                problem = f"the connection failed or the answer was cut off ({type(exc).__name__})"
                continue
            status, reason = response.status_code, response.reason_phrase
            if 300 <= status < 400:
                raise self._error(
                    f"{url}: the API answered with a redirect to {self._target(response)} "
                    f"(HTTP {status}); check --api-url"
                )
            parsed, parse_problem, readable = None, "", True
            try:
                parsed = _json(content)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                why = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
                parse_problem = f"{why}; it starts {_excerpt(content, 60)!r}"
            except (ValueError, RecursionError) as exc:
                why = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc)
                parse_problem, readable = _one_line(why, 100), False
            if status == 401 or is_wrong_token_answer(parsed):
                raise self._error(
                    f"{url}: jobindsats.dk refused the API key in {TOKEN_VARIABLE} (HTTP {status}: "
                    "wrong or expired key, or a key for the retired API v2); ask STAR's "
                    "jobindsats team for a key to API v3"
                )
            if status in (403, 429) or status >= 500:
                body = f": {_excerpt(content)!r}" if content.strip() else ""
                problem = f"HTTP {status} {reason}{body}"
                if status == 403:  # seen as a passing page; a key without access gets 401
                    problem += "; if it persists, check that the key is for API v3"
                if status in (429, 503):
                    asked = self._asked(url, status, reason, response.headers)
                continue
            cause = error_cause(parsed)
            if status >= 400 or cause is not None:
                said = _one_line(cause or "", 300) or _excerpt(content) or reason
                raise Refused(
                    self._redact(
                        f"{url}: jobindsats.dk refused the request (HTTP {status}: {said})"
                    ),
                    said,
                )
            if not readable:
                raise self._error(
                    f"{url}: the answer is not JSON a table can hold ({parse_problem})"
                )
            if parse_problem:
                cut = ": cut off?" if content.lstrip()[:1] in (b"{", b"[") else ""
                problem = f"the answer is not JSON ({parse_problem}){cut}"
                continue
            return url, content, parsed
        later = f"in {_duration(asked)}" if asked else "later"
        raise self._error(f"{url}: {problem} ({self.retries + 1} attempts); try again {later}")

    def _attempt(self, url: str) -> tuple[httpx.Response, bytes]:
        """Return one answer and its whole body, the key replaced by `***`; raise _Late when
        it is not complete within its time, _TooLarge past MAX_BYTES."""
        start = self.clock()
        ends = min(start + self.timeout * ATTEMPT_TIMES, self.deadline)
        with _Watchdog(ends - start) as watchdog:
            try:
                with self.client.stream("GET", url, extensions={"trace": watchdog.trace}) as answer:
                    announced = answer.headers.get("Content-Length", "")
                    if announced.isascii() and announced.isdigit() and int(announced) > MAX_BYTES:
                        raise _TooLarge
                    chunks, size = [], 0
                    for chunk in answer.iter_bytes():
                        size += len(chunk)
                        if size > MAX_BYTES:
                            raise _TooLarge
                        if self.clock() > ends:
                            raise _Late
                        chunks.append(chunk)
            except httpx.TransportError:
                if watchdog.fired:  # the watchdog shut the connection: late, not broken
                    raise _Late from None
                raise
        return answer, redact(b"".join(chunks), self.secret)

    def _asked(self, url: str, status: int, reason: str, headers: httpx.Headers) -> float | None:
        """Return the pause `Retry-After` asks for, or raise when it is longer than fetch
        waits or than is left of its time."""
        asked = retry_after(headers)
        if asked is None:
            return None
        left = self.deadline - self.clock()
        if asked <= min(MAX_WAIT, left):
            return asked
        if asked > MAX_WAIT:
            longer = f"longer than fetch waits ({MAX_WAIT:g} s)"
        else:
            longer = f"longer than is left of fetch's time ({_duration(left)})"
        raise self._error(
            f"{url}: HTTP {status} {reason}: jobindsats.dk asks to wait {_duration(asked)} "
            f"before the next request, {longer}; try again in {_duration(asked)}"
        )

    def _target(self, response: httpx.Response) -> str:
        """Where a redirect points: scheme, host and path, without the query."""
        location = response.headers.get("Location", "")
        if not location.strip():
            return "nowhere (no Location)"
        try:
            target = response.request.url.join(location)
            return f"{target.scheme}://{target.netloc.decode('ascii')}{target.path}"
        except (httpx.InvalidURL, UnicodeDecodeError, ValueError):
            return repr(_one_line(location, 100))

    def _out_of_time(self, url: str, problem: str) -> FetchError:
        last = f" (the last attempt: {problem})" if problem else ""
        return self._error(
            f"{url}: fetch ran out of time: {self.run_limit:g} s ({RUN_TIMES} × fetch_timeout) "
            f"have passed{last}; try again later"
        )

    def _redact(self, text: str) -> str:
        return redact(text, self.secret)

    def _error(self, message: str) -> FetchError:
        return FetchError(self._redact(message))


def open_api(
    base: str,
    token: str,
    *,
    timeout: float,
    retries: int,
    backoff: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[httpx.Client, Api]:
    """Return an HTTP client holding the key in its headers (close it) and the Api over it;
    a key HTTP cannot carry is a UserError before any request."""
    check_token(token)
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    client = httpx.Client(
        timeout=timeout,
        headers=headers,
        follow_redirects=False,  # never: the key must not go to another host
        # A fresh connection per request, so that the watchdog sees every socket it must shut.
        limits=httpx.Limits(max_keepalive_connections=0),
    )
    return client, Api(client, base, retries, backoff, sleep, token, timeout * RUN_TIMES, clock)
