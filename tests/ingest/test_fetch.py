"""Fetching pages and feeds (issue 16), against a local server the suite starts: the SSRF guard,
robots.txt, redirects, conditional requests, errors, size limits and legacy encodings."""

from __future__ import annotations

import threading

import pytest
from werkzeug import Request, Response

from onrecord.errors import FetchError
from onrecord.ingest.fetch import Fetcher, Guard, documents_of, feed_entries, is_feed

LOCAL = ["127.0.0.1/32"]  # the test server, and nothing else
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Ministers meet at the lake</title></head>
<body><nav>Home | World</nav><article><h1>Ministers meet at the lake</h1>
<p>The two foreign ministers met on Tuesday at the lake for the first time since the talks stalled in March.</p>
<p>"We came to listen, and we will come back with an answer," Anna Petrova told reporters after the meeting.</p>
<p>Jonas Kallas said the meeting had been useful but that the sanctions would stay in place for now.</p>
</article><footer>Copyright</footer></body></html>"""


def fetcher(**kwargs) -> Fetcher:
    return Fetcher(guard=kwargs.pop("guard", Guard.of(allow=LOCAL)), per_host_seconds=0, **kwargs)


# -- the guard: what a URL may reach ------------------------------------------------------------------
@pytest.mark.parametrize(
    "address, refused",
    [
        ("93.184.216.34", False),
        ("2606:4700:4700::1111", False),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.1.1", True),  # link-local
        ("169.254.169.254", True),  # cloud metadata
        ("100.64.0.1", True),  # shared address space (carrier-grade NAT)
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("255.255.255.255", True),
        ("::1", True),
        ("::", True),
        ("fe80::1", True),
        ("fc00::1", True),
        ("ff02::1", True),
        ("::ffff:10.0.0.1", True),  # IPv4-mapped: judged as the IPv4 address it carries
        ("::ffff:127.0.0.1", True),
        ("::ffff:93.184.216.34", False),
        ("fd00:ec2::254", True),
        ("64:ff9b::a00:1", True),  # NAT64 of 10.0.0.1
        ("2002:a00:1::", True),  # 6to4 of 10.0.0.1
        ("2002:5db8:d822::", False),  # 6to4 of 93.184.216.34
        ("fe80::1%eth0", True),  # a scope does not hide it
    ],
)
def test_the_guard_refuses_internal_addresses(address, refused):
    assert (Guard().refusal(address) is not None) == refused


def test_allow_private_lets_private_through_but_never_the_metadata_service():
    guard = Guard.of(allow_private=True)
    assert guard.refusal("10.0.0.1") is None and guard.refusal("::1") is None and guard.refusal("fe80::2") is None
    assert "metadata" in guard.refusal("169.254.169.254")
    assert guard.refusal("224.0.0.1") is not None  # multicast is never a web page
    assert Guard.of(allow=["169.254.169.254/32"]).refusal("169.254.169.254") is None  # only when named


def test_a_bad_network_is_refused_by_name():
    with pytest.raises(ValueError, match="not-a-net"):
        Guard.of(allow=["not-a-net"])


def test_a_name_with_any_internal_address_is_refused_before_connecting():
    asked = []

    def resolve(host, port):
        asked.append(host)
        return ["93.184.216.34", "::ffff:10.0.0.7"]

    with fetcher(guard=Guard(resolve=resolve)) as f, pytest.raises(FetchError) as caught:
        f.fetch("http://news.example/story")
    assert asked == ["news.example"]
    message = str(caught.value)
    assert message.startswith("http://news.example/story: refused") and "10.0.0.7" in message
    assert "\n" not in message


def test_the_local_server_is_refused_unless_allowed(web_server):
    web_server.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    with Fetcher(per_host_seconds=0) as f, pytest.raises(FetchError, match="loopback address"):
        f.fetch(web_server.url_for("/page"))
    with Fetcher(guard=Guard.of(allow_private=True), per_host_seconds=0) as f:
        assert f.fetch(web_server.url_for("/page")).status == 200


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/admin", "http://[::1]:9/"]
)
def test_a_redirect_to_an_internal_address_is_refused(web_server, target):
    web_server.expect_request("/go").respond_with_response(Response(status=302, headers={"Location": target}))
    with fetcher() as f, pytest.raises(FetchError) as caught:
        f.fetch(web_server.url_for("/go"))
    assert str(caught.value).startswith(target) and "refused" in str(caught.value)


def test_only_http_and_https(web_server):
    web_server.expect_request("/go").respond_with_response(
        Response(status=301, headers={"Location": "file:///etc/passwd"})
    )
    with fetcher() as f, pytest.raises(FetchError, match="only http and https"):
        f.fetch(web_server.url_for("/go"))


def test_redirects_are_followed_each_hop_checked_up_to_the_limit(web_server):
    web_server.expect_request("/old").respond_with_response(Response(status=301, headers={"Location": "/new"}))
    web_server.expect_request("/new").respond_with_data(PAGE, content_type="text/html; charset=utf-8")
    web_server.expect_request("/loop").respond_with_response(Response(status=302, headers={"Location": "/loop"}))
    with fetcher(max_redirects=3) as f:
        got = f.fetch(web_server.url_for("/old"))
        assert (got.status, got.url, got.requested) == (200, web_server.url_for("/new"), web_server.url_for("/old"))
        with pytest.raises(FetchError, match="more than 3 redirects"):
            f.fetch(web_server.url_for("/loop"))


# -- what the server says ------------------------------------------------------------------------------
def test_user_agent_and_conditional_requests(web_server):
    seen = []

    def page(request: Request) -> Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(
            PAGE, content_type="text/html", headers={"ETag": '"v1"', "Last-Modified": "Tue, 03 Mar 2026 10:00:00 GMT"}
        )

    web_server.expect_request("/page").respond_with_handler(page)
    with fetcher() as f:
        first = f.fetch(web_server.url_for("/page"))
        again = f.fetch(web_server.url_for("/page"), first.etag, first.last_modified)
    assert first.status == 200 and first.etag == '"v1"' and not first.unchanged
    assert again.unchanged and again.body == b""
    assert seen[0]["User-Agent"].startswith("onrecord/")
    assert seen[1]["If-None-Match"] == '"v1"' and seen[1]["If-Modified-Since"] == "Tue, 03 Mar 2026 10:00:00 GMT"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_errors_are_one_line_naming_the_url(web_server, status):
    web_server.expect_request("/broken").respond_with_data("oops", status=status)
    with fetcher() as f, pytest.raises(FetchError) as caught:
        f.fetch(web_server.url_for("/broken"))
    assert str(caught.value).startswith(web_server.url_for("/broken") + ": the server answered " + str(status))


def test_a_slow_answer_times_out(web_server):
    release = threading.Event()

    def slow(request: Request) -> Response:
        release.wait(10)  # until the test has seen the timeout
        return Response(PAGE, content_type="text/html")

    web_server.expect_request("/slow").respond_with_handler(slow)
    try:
        with fetcher(timeout=0.2) as f, pytest.raises(FetchError, match="timed out"):
            f.fetch(web_server.url_for("/slow"))
    finally:
        release.set()


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_an_oversized_body_is_refused(web_server, declared):
    body = b"<html><body><p>" + b"word " * 60_000 + b"</p></body></html>"  # 300 KB

    def big(request: Request) -> Response:
        if declared:
            return Response(body, content_type="text/html")
        return Response((body[i : i + 4096] for i in range(0, len(body), 4096)), content_type="text/html")

    web_server.expect_request("/big").respond_with_handler(big)
    with fetcher(max_bytes=100_000) as f, pytest.raises(FetchError, match="more than the 0.1 MB limit"):
        f.fetch(web_server.url_for("/big"))


def test_robots_txt_is_honoured(web_server):
    web_server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    web_server.expect_request("/private/page").respond_with_data(PAGE, content_type="text/html")
    web_server.expect_request("/public/page").respond_with_data(PAGE, content_type="text/html")
    with fetcher() as f:
        assert f.fetch(web_server.url_for("/public/page")).status == 200
        with pytest.raises(FetchError, match="robots.txt .* disallows"):
            f.fetch(web_server.url_for("/private/page"))


def test_per_host_rate_limit_waits_between_requests(web_server):
    web_server.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    now = [100.0]
    waits = []
    with Fetcher(guard=Guard.of(allow=LOCAL), per_host_seconds=2.0, clock=lambda: now[0], sleep=waits.append) as f:
        f.fetch(web_server.url_for("/page"))  # robots.txt, then the page: one wait between them
        f.fetch(web_server.url_for("/page"))
    assert waits == [2.0, 2.0]


# -- bytes to documents -----------------------------------------------------------------------------------
def test_a_page_becomes_a_document_with_its_url_as_source(web_server):
    web_server.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    with fetcher() as f:
        got = f.fetch(web_server.url_for("/page"))
    (doc,) = documents_of(got)
    assert doc.source == doc.url == web_server.url_for("/page")
    assert doc.title == "Ministers meet at the lake" and "Anna Petrova told reporters" in doc.text
    assert "Copyright" not in doc.text  # boilerplate left out by trafilatura


@pytest.mark.parametrize(
    "content_type, encoding",
    [
        ("text/html; charset=windows-1251", "cp1251"),
        ("text/html", "cp1251"),
        ("text/html; charset=iso-8859-1", "cp1252"),
    ],
    ids=["header", "meta", "latin-1-label"],
)
def test_a_page_in_a_legacy_encoding(web_server, content_type, encoding):
    words = (
        "Министр заявил, что переговоры продолжатся."
        if encoding == "cp1251"
        else "Le ministre a déclaré: « Ça suffit. »"
    )
    meta = f'<meta charset="{encoding}">' if "charset" not in content_type else ""
    html = f"<html><head>{meta}<title>t</title></head><body><article><p>{words} {words}</p><p>{words}</p></article></body></html>"
    web_server.expect_request("/legacy").respond_with_data(html.encode(encoding), content_type=content_type)
    with fetcher() as f:
        (doc,) = documents_of(f.fetch(web_server.url_for("/legacy")))
    assert words in doc.text


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lake Wire</title><link>{base}/</link>
<item><title>One</title><link>{base}/one</link><guid>lake-1</guid><pubDate>Tue, 03 Mar 2026 10:00:00 GMT</pubDate>
<description>Anna Petrova said the talks would resume.</description></item>
<item><title>Two</title><guid isPermaLink="false">lake-2</guid><description>Jonas Kallas said the sanctions stay.</description></item>
</channel></rss>"""


def test_a_feed_lists_its_items(web_server):
    base = web_server.url_for("").rstrip("/")
    web_server.expect_request("/feed").respond_with_data(FEED.format(base=base), content_type="application/rss+xml")
    with fetcher() as f:
        got = f.fetch(web_server.url_for("/feed"))
    assert is_feed(got)
    one, two = feed_entries(got)
    assert (one.key, one.link, one.document.source) == ("lake-1", f"{base}/one", f"{base}/one")
    assert (two.key, two.link) == ("lake-2", None) and "sanctions stay" in two.document.text


def test_a_page_that_is_not_a_feed_says_so(web_server):
    web_server.expect_request("/notfeed").respond_with_data(PAGE, content_type="text/html")
    with fetcher() as f:
        got = f.fetch(web_server.url_for("/notfeed"))
    assert not is_feed(got)
    with pytest.raises(FetchError, match="not a feed"):
        feed_entries(got)


def test_a_robots_txt_that_cannot_be_read_keeps_the_host_out_for_now(web_server):
    # RFC 9309: a server error on robots.txt means the site may not want to be crawled
    web_server.expect_request("/robots.txt").respond_with_data("oops", status=503)
    web_server.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    with fetcher() as f, pytest.raises(FetchError, match="robots.txt"):
        f.fetch(web_server.url_for("/page"))


def test_https_is_verified_against_the_host_name_while_connecting_to_the_checked_address(tmp_path):
    """The request goes to the address the guard checked, yet TLS checks the certificate against
    the name in the URL: a certificate for another name is refused."""
    import ipaddress
    import shutil
    import ssl
    import subprocess

    from pytest_httpserver import HTTPServer

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=onrecord.test", "-addext", "subjectAltName=DNS:onrecord.test"],
        check=True, capture_output=True,
    )  # fmt: skip
    served = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    served.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=served, threaded=True)
    server.no_handler_status_code = 404
    server.start()
    try:
        server.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
        resolved = []
        guard = Guard(
            allow=(ipaddress.ip_network("127.0.0.1/32"),),
            resolve=lambda host, port: resolved.append(host) or ["127.0.0.1"],
        )
        trusted = ssl.create_default_context(cafile=str(cert))
        with Fetcher(guard=guard, per_host_seconds=0, verify=trusted) as f:
            got = f.fetch(f"https://onrecord.test:{server.port}/page")
            assert got.status == 200 and b"Anna Petrova" in got.body and "onrecord.test" in resolved
            with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed") as caught:
                f.fetch(f"https://impostor.test:{server.port}/page")
            assert str(caught.value).startswith("https://impostor.test:")
    finally:
        server.clear()
        server.stop()


def test_a_host_name_in_another_script_is_sent_as_idna(web_server):
    hosts = []

    def page(request: Request) -> Response:
        hosts.append(request.headers["Host"])
        return Response(PAGE, content_type="text/html")

    web_server.expect_request("/page").respond_with_handler(page)
    guard = Guard.of(allow=LOCAL)
    guard = Guard(guard.allow_private, guard.allow, resolve=lambda host, port: ["127.0.0.1"])
    with fetcher(guard=guard) as f:
        assert f.fetch(f"http://bücher.test:{web_server.port}/page").status == 200
    assert hosts == [f"xn--bcher-kva.test:{web_server.port}"]


def test_robots_txt_is_read_again_after_a_day(web_server):
    rules = ["User-agent: *\nDisallow: /\n"]
    web_server.expect_request("/robots.txt").respond_with_handler(lambda request: Response(rules[0]))
    web_server.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    now = [0.0]
    with fetcher(clock=lambda: now[0]) as f:
        with pytest.raises(FetchError, match="disallows"):
            f.fetch(web_server.url_for("/page"))
        rules[0] = "User-agent: *\nAllow: /\n"
        now[0] = 3600.0  # an hour on: the rules read before still hold
        with pytest.raises(FetchError, match="disallows"):
            f.fetch(web_server.url_for("/page"))
        now[0] = 90_000.0  # a day on: read again
        assert f.fetch(web_server.url_for("/page")).status == 200
