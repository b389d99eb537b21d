"""`twinpress serve` as a command: where it may listen, what it says when it cannot, and that
Ctrl-C stops it cleanly, LibreOffice included."""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

import pytest
from conftest import twinpress
from serving import Served

from pipeline.serve.session import Options, ServeError, bind, is_loopback
from pipeline.serve.slides import Slides
from pipeline.serve.state import State


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.0.2.1", False),
    ],
)
def test_only_loopback_addresses_count_as_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_the_server_refuses_a_non_loopback_address_not_named_with_host(tmp_path):
    state = State(tmp_path)
    slides = Slides(tmp_path / "cache", state.bump)
    with pytest.raises(ServeError) as refused:
        bind(Options(host="0.0.0.0", port=0), state, slides)
    assert refused.value.diagnostics[0].code == "serve.host-refused"
    assert "--host" in (refused.value.diagnostics[0].hint or "")
    server = bind(Options(host="127.0.0.2", port=0), state, slides)  # any loopback is fine
    try:
        assert server.server_address[0] == "127.0.0.2"
    finally:
        server.server_close()


def test_naming_a_public_address_with_host_warns_that_anyone_can_read_the_preview(project):
    # 192.0.2.1 is a documentation address, on no interface here: the bind fails, so the
    # test never listens on a public address.
    done = twinpress("serve", "--host", "192.0.2.1", "--port", "0", cwd=project.root)
    assert "warning: serving on 192.0.2.1: anyone who can reach this machine" in done.stderr
    assert "[serve.public]" in done.stderr
    assert "error: cannot listen on 192.0.2.1 port 0" in done.stderr
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_a_port_in_use_is_an_error_with_a_hint(project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = twinpress("serve", "--port", str(port), cwd=project.root)
    assert f"error: cannot listen on 127.0.0.1 port {port}" in done.stderr
    assert "[serve.port-in-use]" in done.stderr and "--port 0" in done.stderr
    assert done.returncode == 1


def office_processes(marker: str) -> list[int]:
    """Processes whose command line mentions `marker` (LibreOffice's private profile)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in command and b"office" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stopping_during_a_slide_conversion_ends_libreoffice_streams_and_workers(
    project, tmp_path, sig
):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    browser.chmod(0o755)
    env = {"TMPDIR": str(temporary), "BROWSER": str(browser)}
    served = Served(project.root, "-a", "tech-leaders", "-j", "2", "--open", env=env)
    try:
        served.wait_for("watching content and themes")
        state = served.wait_state(
            lambda s: s["view"]["deck"]["status"] == "rendering", "rust-vs-go", "tech-leaders"
        )
        assert not state["view"]["deck"]["slides"]
        deadline = time.monotonic() + 60
        while not office_processes(str(temporary)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert office_processes(str(temporary)), "LibreOffice never started"
        host, port = served.url.split("//")[1].strip("/").split(":")
        stream = socket.create_connection((host, int(port)), timeout=30)
        stream.sendall(f"GET /events HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        received = b""
        while b"event: update" not in received:
            received += stream.recv(4096)
    except BaseException:
        served.stop(signal.SIGKILL)
        raise
    started = time.monotonic()
    assert served.stop(sig) == 0, "\n".join(served.seen)
    assert served.seen[-1] == "stopped"
    assert time.monotonic() - started < 30
    assert not office_processes(str(temporary)), "a LibreOffice process outlived the server"
    while stream.recv(4096):  # the event stream was ended, not left hanging
        pass
    stream.close()
    assert opened.read_text().split() == [served.url]  # --open, once the build was done
    assert not [p for p in temporary.iterdir() if p.name.startswith("twinpress-")]
    assert "Traceback" not in "\n".join(served.seen)
    assert os.path.isdir(project.output / "tech-leaders")


def test_a_stop_sent_to_the_server_and_its_workers_at_once_ends_them_without_a_traceback(
    project, tmp_path
):
    """systemd stops a service by signalling its whole control group, `pkill -f` every
    process whose command matches: the workers get the SIGTERM too, and end quietly."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    served = Served(
        project.root, "-a", "tech-leaders", "-j", "2", env={"TMPDIR": str(temporary)}, session=True
    )
    try:
        served.wait_for("watching content and themes")
        assert [p for p in temporary.iterdir() if p.name.startswith("twinpress-process-")]
    except BaseException:
        served.stop(signal.SIGKILL, group=True)
        raise
    assert served.stop(signal.SIGTERM, group=True) == 0, "\n".join(served.seen)
    assert served.seen[-1] == "stopped"
    assert "Traceback" not in "\n".join(served.seen)
    assert not [p for p in temporary.iterdir() if p.name.startswith("twinpress-")]
