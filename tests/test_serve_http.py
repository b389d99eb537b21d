"""The preview server over plain HTTP: it sends the outputs and its own assets and nothing
else (no `..`, no absolute paths, no symlink out of the output folder), answers only to
loopback host names, and streams an event on every change."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import Diagnostic, SourceLocation
from pipeline.serve import files
from pipeline.serve.server import PreviewServer
from pipeline.serve.slides import Slides
from pipeline.serve.state import State
from pipeline.watch import Round

SECRET = "top secret: not an output"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """An output folder with a briefing and a deck, beside a secret and symlinks out."""
    out = tmp_path / "output"
    (out / "tech-leaders").mkdir(parents=True)
    (out / "tech-leaders" / "deck.html").write_text("<!DOCTYPE html><title>b</title><p>briefing")
    (out / "tech-leaders" / "deck.pptx").write_bytes(b"PK\x03\x04 deck")
    (out / "tech-leaders" / "deck.manifest.json").write_text("{}")
    (out / "tech-leaders" / ".hidden.html").write_text("hidden")
    (tmp_path / "secret.html").write_text(SECRET)
    (out / "tech-leaders" / "leak.html").symlink_to(tmp_path / "secret.html")
    (out / "tech-leaders" / "same.html").symlink_to(out / "tech-leaders" / "deck.html")
    (out / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    return out


@pytest.fixture
def server(tree: Path, tmp_path: Path):
    state = State(tree)
    state.seed({})
    slides = Slides(tmp_path / "cache", state.bump)
    served = PreviewServer(("127.0.0.1", 0), socket.AF_INET, state, slides, check_host=True)
    thread = threading.Thread(target=served.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield served
    state.close()
    served.shutdown()
    served.server_close()
    thread.join(5)


def get(server: PreviewServer, raw: str, host: str | None = None, method: str = "GET"):
    """Send the request line exactly as given (http.client does not normalise it)."""
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, raw, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", f"127.0.0.1:{port}" if host is None else host)
    connection.endheaders()
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    return answer.status, dict(answer.getheaders()), body


def test_outputs_are_served_with_their_type_and_a_policy_that_forbids_scripts(server):
    status, headers, body = get(server, "/output/tech-leaders/deck.html?v=1")
    assert status == 200 and b"briefing" in body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "script-src" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, body = get(server, "/output/tech-leaders/deck.pptx")
    assert status == 200 and body == b"PK\x03\x04 deck"
    assert headers["Content-Type"].endswith("presentationml.presentation")


@pytest.mark.parametrize(
    "raw",
    [
        "/output/../secret.html",
        "/output/tech-leaders/../../secret.html",
        "/output/%2e%2e/secret.html",
        "/output/tech-leaders/..%2f..%2fsecret.html",
        "/output/tech-leaders/%2E%2E%5C..%5Csecret.html",
        "/output//etc/passwd",
        "/output/%2Fetc%2Fpasswd",
        "/output/tech-leaders/deck.html%00.png",
        "/output/tech-leaders/.hidden.html",
        "/assets/../server.py",
        "/output/tech-leaders/%ff.html",
        "output/tech-leaders/deck.html",
    ],
)
def test_dot_dot_absolute_and_encoded_paths_are_refused(server, raw):
    status, _headers, body = get(server, raw)
    assert status == 400, (raw, status, body)
    assert SECRET.encode() not in body


def test_symlinks_out_of_the_output_folder_are_refused_and_those_inside_are_followed(server):
    status, _headers, body = get(server, "/output/tech-leaders/leak.html")
    assert status == 403 and SECRET.encode() not in body
    status, _headers, body = get(server, "/output/elsewhere/secret.html")
    assert status == 403 and SECRET.encode() not in body
    status, _headers, body = get(server, "/output/tech-leaders/same.html")
    assert status == 200 and b"briefing" in body


@pytest.mark.parametrize(
    "raw",
    [
        "/output/tech-leaders/deck.manifest.json",  # not an output format
        "/output/tech-leaders/missing.html",
        "/output/deck.html",
        "/assets/missing.js",
        "/slides/not-a-hash/1.png",
        f"/slides/{'a' * 64}/1.png",  # a set that was never rendered
        "/etc/passwd",
        "//etc/passwd",  # http.server reads a leading `//` as `/`
    ],
)
def test_anything_else_is_not_found(server, raw):
    assert get(server, raw)[0] == 404


def test_a_foreign_host_name_is_refused_against_dns_rebinding(server):
    port = server.server_address[1]
    assert get(server, "/assets/page.js", host=f"attacker.example:{port}")[0] == 421
    assert get(server, "/assets/page.js", host="")[0] == 421
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "localhost"):
        assert get(server, "/assets/page.js", host=host)[0] == 200, host


def test_the_page_and_its_assets_come_from_the_server_under_a_strict_policy(server):
    status, headers, body = get(server, "/preview/rust-vs-go/tech-leaders")
    assert status == 200 and b'<script src="/assets/page.js"' in body
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert b"http://" not in body and b"https://" not in body  # nothing from elsewhere
    for name, kind in (("page.js", "text/javascript"), ("page.css", "text/css")):
        status, headers, body = get(server, f"/assets/{name}")
        assert status == 200 and headers["Content-Type"].startswith(kind)
        assert b"https://" not in body and b"http://" not in body
    assert get(server, "/favicon.ico")[0] == 200


def test_only_get_and_head_are_answered(server):
    assert get(server, "/assets/page.js", method="HEAD")[0] == 200
    assert get(server, "/assets/page.js", method="POST")[0] == 501
    assert get(server, "/assets/page.js", method="DELETE")[0] == 501


def test_the_state_carries_diagnostics_as_the_terminal_prints_them(server, tmp_path):
    where = SourceLocation(tmp_path / "content" / "x.yaml", 3, 7)
    problem = Diagnostic("error", "content.unknown-kind", "unknown block kind '<b>'", where, "hint")
    server.state.apply(Round((), (), (problem,), 0.1))
    _status, _headers, body = get(server, "/api/state")
    data = json.loads(body)
    assert data["diagnostics"][0]["text"] == str(problem)
    assert data["diagnostics"][0]["line"] == 3 and data["diagnostics"][0]["column"] == 7
    assert data["view"] is None and data["building"] is False


def test_an_event_is_streamed_on_every_change_and_the_stream_ends_when_the_server_stops(server):
    port = server.server_address[1]
    stream = socket.create_connection(("127.0.0.1", port), timeout=10)
    stream.sendall(f"GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    received = b""
    while b"event: update" not in received:  # the current version, at once
        received += stream.recv(4096)
    assert b"text/event-stream" in received
    version = server.state.version
    server.state.bump()
    while f"data: {version + 1}".encode() not in received:
        received += stream.recv(4096)
    server.state.close()
    while chunk := stream.recv(4096):  # the server ends the stream: no hanging thread
        received += chunk
    stream.close()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["..", ".", "", "a", "%2e", "%2f", "%00", "b.html", "\\"]), max_size=5)
)
def test_no_url_path_resolves_outside_the_output_folder(tmp_path_factory, parts):
    root = tmp_path_factory.getbasetemp() / "hyp-output"
    (root / "a").mkdir(parents=True, exist_ok=True)
    (root / "a" / "b.html").write_text("ok")
    try:
        found = files.output_file(root, files.segments("/" + "/".join(parts))[:])
    except files.Refused:
        return
    assert found.is_relative_to(root.resolve()) and found.is_file()
    assert os.path.basename(found) == "b.html"
