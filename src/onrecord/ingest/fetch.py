"""Ingest over the network: URLs of pages and feeds -> bytes -> Documents, through the readers.

The first layer of the flow, like reading files: :class:`Fetcher` downloads, the readers of
:mod:`.readers` (trafilatura for pages, feedparser for feeds) turn what came into documents whose
``source`` is the URL. Everything that touches the network is here, and each request goes through
these stages, in order:

1. **scheme**: only ``http`` and ``https``;
2. **resolve and guard** (:class:`Guard`): the host's addresses are looked up once and each is
   checked; loopback, private, link-local, cloud metadata, multicast, reserved and unspecified
   addresses (IPv4, IPv6, IPv4-mapped IPv6) are refused unless allowed, so a URL cannot make
   onrecord read an internal service (SSRF);
3. **connect to what was checked**: the request goes to the checked address itself (the host
   name in ``Host`` and for TLS), so a second DNS answer cannot swap in another address;
4. **robots.txt** of the host, read once per fetcher, honoured for our User-Agent;
5. **per-host rate limit**: at least ``per_host_seconds`` between two requests to one host;
6. **conditional request**: the ETag and Last-Modified of the last fetch, so an unchanged page
   costs a 304 and nothing else;
7. **bounded answer**: timeouts for connect and each read, an overall deadline, a size limit
   checked on ``Content-Length`` and again while streaming;
8. **redirects** are followed by hand, at most ``max_redirects``, each hop going through 1–7.

Errors are :class:`~onrecord.errors.FetchError`: one line naming the URL and the problem.
"""

from __future__ import annotations

import codecs
import ipaddress
import socket
import ssl
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from onrecord.errors import FetchError, InputError
from onrecord.ingest.readers import Given, Result, normalise_date, read_feed, read_html, read_text, sniff_reader

__all__ = [
    "DEFAULT_USER_AGENT",
    "Fetched",
    "Fetcher",
    "Guard",
    "documents_of",
    "feed_entries",
    "is_feed",
]

DEFAULT_USER_AGENT = "onrecord/0.1 (+https://github.com/onrecord/onrecord; keeps the record of public statements)"
DEFAULT_TIMEOUT = 15.0  # seconds to connect, and between two reads
DEFAULT_DEADLINE = 60.0  # seconds for a whole answer, however slowly it drips
DEFAULT_MAX_BYTES = 20_000_000
DEFAULT_MAX_REDIRECTS = 5
DEFAULT_PER_HOST = 1.0  # seconds between two requests to one host
ROBOTS_TTL = 86_400.0  # seconds a host's robots.txt is trusted before it is read again
_CHUNK = 65_536

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Cloud metadata services: refused even under allow_private, unless a network names them.
METADATA = tuple(
    ipaddress.ip_network(n)
    for n in ("169.254.169.254/32", "169.254.170.2/32", "fd00:ec2::254/128", "100.100.100.200/32")
)


@dataclass(frozen=True, slots=True)
class Guard:
    """Which addresses a URL may reach. By default only public ones; ``allow_private`` lets
    loopback, private and link-local through (not metadata services); ``allow`` lists networks
    (CIDR) let through whatever they are. ``resolve`` looks a host up (``getaddrinfo`` by default;
    tests give their own)."""

    allow_private: bool = False
    allow: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    resolve: Callable[[str, int], list[str]] | None = None

    @classmethod
    def of(cls, allow_private: bool = False, allow: Iterable[str] = ()) -> Guard:
        """A guard from user input; ValueError names a network that is not CIDR."""
        networks = []
        for item in allow:
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise ValueError(f"{item!r} is not an address or network (CIDR such as 127.0.0.1/32)") from None
        return cls(allow_private, tuple(networks))

    def refusal(self, address: str) -> str | None:
        """Why ``address`` may not be reached, or None when it may."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address):
            # an IPv4 address inside IPv6 is judged as itself: ::ffff:10.0.0.1 (mapped), 64:ff9b::a00:1
            # (NAT64), 2002:a00:1:: (6to4) and Teredo all reach 10.0.0.1 or its like
            inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
            if inner is None and ip in _NAT64:
                inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
            if inner is not None:
                ip = inner
        if any(ip in net for net in self.allow):
            return None
        if any(ip in net for net in METADATA):
            return f"a cloud metadata address ({ip})"
        kind = (
            "an unspecified"
            if ip.is_unspecified
            else "a loopback"
            if ip.is_loopback
            else "a link-local"
            if ip.is_link_local
            else "a multicast"
            if ip.is_multicast
            else "a private"
            if ip.is_private
            else "a reserved"
            if ip.is_reserved or not ip.is_global
            else None
        )
        if kind is None:
            return None
        if self.allow_private and kind in {"a loopback", "a private", "a link-local"}:
            return None
        return f"{kind} address ({ip})"

    def addresses(self, url: str, host: str, port: int) -> list[str]:
        """The addresses ``host`` resolves to, every one checked; FetchError when any is refused
        (a name with one public and one private address could be steered to the private one)."""
        try:
            found = (self.resolve or _getaddrinfo)(host, port)
        except OSError as exc:
            raise FetchError(url, f"cannot resolve {host} ({exc.strerror or exc})") from None
        if not found:
            raise FetchError(url, f"cannot resolve {host} (no address)")
        for address in found:
            if why := self.refusal(address):
                raise FetchError(
                    url,
                    f"refused: {host} resolves to {why}; fetching it could reach internal services "
                    "(use --allow-private or --allow-net CIDR if this is intended)",
                )
        return found


def _getaddrinfo(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one fetch brought: the final URL (after redirects), the status (200, or 304 when the
    page has not changed since ``etag``/``last_modified``), the body and its validators."""

    url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    requested: str = ""  # the URL as asked for

    @property
    def unchanged(self) -> bool:
        return self.status == 304


@dataclass
class Fetcher:
    """An HTTP client with the safeguards in the module docstring. ``clock`` and ``sleep`` are
    injectable so the rate limit can be tested without waiting."""

    guard: Guard = field(default_factory=Guard)
    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    per_host_seconds: float = DEFAULT_PER_HOST
    robots: bool = True
    verify: ssl.SSLContext | bool = True  # TLS certificates are checked against the host's name
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _client: httpx.Client | None = field(default=None, repr=False)
    _last: dict[str, float] = field(default_factory=dict, repr=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser | str] = field(default_factory=dict, repr=False)
    _robots_at: dict[str, float] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self._client is None:
            self._client = httpx.Client(
                follow_redirects=False,  # by hand: each hop is checked
                trust_env=False,  # no proxy from the environment: it would connect where we did not check
                timeout=httpx.Timeout(self.timeout),
                verify=self.verify,
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` (conditionally, when a validator of an earlier fetch is given); FetchError
        with one line for anything refused or failed, including 4xx and 5xx answers."""
        current = url
        for _hop in range(self.max_redirects + 1):
            headers = {}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            self._where(current)  # refused here, before robots.txt is asked for
            if self.robots and not self._allowed(current):
                raise FetchError(current, f"robots.txt of {urlsplit(current).netloc} disallows it for onrecord")
            status, answer_headers, body = self._get(current, headers)
            if status in (301, 302, 303, 307, 308):
                location = answer_headers.get("location")
                if not location:
                    raise FetchError(current, f"redirect ({status}) without a Location")
                current = urljoin(current, location)
                continue
            if status == 304:
                return Fetched(current, 304, etag=etag, last_modified=last_modified, requested=url)
            if status >= 400:
                raise FetchError(current, f"the server answered {status} {_reason(status)}")
            if status != 200:
                raise FetchError(current, f"unexpected answer {status} {_reason(status)}; expected 200")
            content_type = answer_headers.get("content-type", "")
            return Fetched(
                current,
                200,
                body,
                content_type.split(";", 1)[0].strip().lower(),
                _charset(content_type),
                answer_headers.get("etag"),
                answer_headers.get("last-modified"),
                url,
            )
        raise FetchError(url, f"more than {self.max_redirects} redirects; stopped at {current}")

    # -- one request ---------------------------------------------------------------------------
    def _where(self, url: str) -> tuple[str, str, str]:
        """(what to connect to, the Host header, the host name) for ``url``: the scheme checked, the
        host resolved and every address it has checked by the guard; the first is connected to."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(url, f"only http and https URLs are fetched, not {parts.scheme or 'a bare path'}")
        host = parts.hostname
        if not host:
            raise FetchError(url, "no host in this URL")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(url, "the port is not a number from 0 to 65535") from None
        address = self.guard.addresses(url, host, port)[0]
        literal = f"[{address}]" if ":" in address else address
        netloc = f"{literal}:{parts.port}" if parts.port else literal
        target = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
        # the name as sent (Host, TLS): IDNA for a name in another script; never credentials from the URL
        if ":" in host:
            name = f"[{host}]"
        else:
            try:
                name = host.encode("idna").decode("ascii")
            except UnicodeError:
                raise FetchError(url, f"{host!r} is not a valid host name") from None
        host_header = f"{name}:{parts.port}" if parts.port else name
        return target, host_header, name.strip("[]")

    def _get(self, url: str, headers: dict[str, str], limit: int | None = None) -> tuple[int, httpx.Headers, bytes]:
        """One GET without following redirects, to an address the guard checked."""
        target, host_header, host = self._where(url)
        parts = urlsplit(url)
        self._wait_turn(host)
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        limit = self.max_bytes if limit is None else limit
        started = self.clock()
        assert self._client is not None
        try:
            with self._client.stream(
                "GET", target, headers={**headers, "Host": host_header}, extensions=extensions
            ) as answer:
                if answer.status_code in (301, 302, 303, 304, 307, 308) or answer.status_code >= 400:
                    return answer.status_code, answer.headers, b""
                declared = answer.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(url, _too_large(limit, int(declared)))
                data = bytearray()
                for chunk in answer.iter_bytes(_CHUNK):
                    data += chunk
                    if len(data) > limit:
                        raise FetchError(url, _too_large(limit))
                    if self.clock() - started > self.deadline:
                        raise FetchError(url, f"the answer took longer than {self.deadline:g} s; try again later")
                return answer.status_code, answer.headers, bytes(data)
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out (no answer within {self.timeout:g} s)") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"request failed ({exc.__class__.__name__}: {exc})") from None

    def _wait_turn(self, host: str) -> None:
        if self.per_host_seconds > 0 and (last := self._last.get(host)) is not None:
            wait = last + self.per_host_seconds - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def _allowed(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch ``url``. No robots.txt (4xx) allows all; one
        that cannot be read (5xx, timeout, TLS failure) keeps the host out for now, as RFC 9309 says:
        FetchError says why."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key in self._robots and self.clock() - self._robots_at.get(key, 0.0) > ROBOTS_TTL:
            del self._robots[key]  # a long watch reads it again once a day
        if key not in self._robots:
            self._robots_at[key] = self.clock()
            robots_url = f"{key}/robots.txt"
            try:
                status, _, body = self._get(robots_url, {}, limit=500_000)
            except FetchError as exc:
                self._robots[key] = f"its robots.txt could not be read ({exc.problem}); the host is left alone for now"
            else:
                if status >= 500:
                    self._robots[key] = f"its robots.txt answered {status}; the host is left alone for now"
                elif status != 200:
                    self._robots[key] = "none"
                else:
                    parser = urllib.robotparser.RobotFileParser()
                    parser.parse(body.decode("utf-8", "replace").splitlines())
                    self._robots[key] = parser
        rules = self._robots[key]
        if isinstance(rules, str):
            if rules == "none":
                return True
            raise FetchError(url, rules)
        return rules.can_fetch(self.user_agent, url)


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            try:
                name = codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                return None
            # as browsers do (WHATWG): a page labelled Latin-1 or ASCII is windows-1252
            return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name
    return None


def _reason(status: int) -> str:
    try:
        import http

        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _too_large(limit: int, size: int | None = None) -> str:
    stated = f"{size / 1e6:.1f} MB is" if size is not None else "the answer is"
    return f"{stated} more than the {limit / 1e6:g} MB limit (--max-mb)"


# -- what came -> documents ------------------------------------------------------------------
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/xml", "text/xml"}


def is_feed(fetched: Fetched) -> bool:
    """Whether the answer is a feed (from its Content-Type, else from its first bytes)."""
    if fetched.content_type in _FEED_TYPES:
        return True
    if fetched.content_type in {"text/html", "application/xhtml+xml", "text/plain"}:
        return False
    return sniff_reader(fetched.body) is read_feed


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a feed: its link (None when it has none), its own id, and the item as a
    document (from its content or summary), used when there is no page to fetch."""

    link: str | None
    key: str
    document: Result
    date: str | None = None  # the item's date, for a page that states none


def feed_entries(fetched: Fetched) -> list[Entry]:
    """The items of a fetched feed, in feed order; FetchError when it is not a feed. An item's link
    (made absolute) is what a watch fetches; its own content serves only an item without a link."""
    import feedparser

    try:
        results = list(read_feed(fetched.body, fetched.url, _given(fetched)))
    except InputError as exc:
        raise FetchError(fetched.url, f"not a feed: {exc.problem}") from None
    # read_feed yields one result per entry, in order; the links and ids come from the entries
    # themselves, so that an item with a link but no summary is still fetched
    parsed = feedparser.parse(fetched.body).entries
    entries = []
    for number, (raw, result) in enumerate(zip(parsed, results, strict=False), start=1):
        link = raw.get("link")
        link = urljoin(fetched.url, link) if link else None
        key = raw.get("id") or link or f"{fetched.url}#{number}"
        if link and not isinstance(result, InputError):
            result = replace(result, source=link, url=link)
        when = normalise_date(raw.get("published") or raw.get("updated"))
        entries.append(Entry(link, key, result, when))
    return entries


def documents_of(fetched: Fetched, date: str | None = None) -> Iterator[Result]:
    """The documents in a fetched page (one) or feed (one per entry, from the entry itself), each
    with the URL as its source. ``date`` is used when the page states none (a feed entry's date)."""
    if not fetched.body:
        raise FetchError(fetched.url, "empty answer; nothing to read")
    if is_feed(fetched):
        yield from (e.document for e in feed_entries(fetched))
        return
    reader = (
        read_html
        if fetched.content_type in {"text/html", "application/xhtml+xml"}
        else read_text
        if fetched.content_type == "text/plain"
        else sniff_reader(fetched.body)
    )
    try:
        for result in reader(fetched.body, fetched.url, _given(fetched)):
            if isinstance(result, InputError):
                yield result
                continue
            yield replace(result, source=fetched.url, url=fetched.url, date=result.date or date)
    except InputError as exc:
        raise FetchError(fetched.url, exc.problem) from None


def _given(fetched: Fetched) -> Given:
    # the charset the server names wins over guessing; a page's own <meta> is read by the reader
    return Given(encoding=fetched.charset)
