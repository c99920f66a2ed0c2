"""The Bolt probe against stand-in listeners in child processes: what it says of a port
where nothing listens, of a server that answers, and of one that accepts and says
nothing — idle or stopped (hung), or spending its CPU (busy, so up).

The stand-ins are small Python processes, not Neo4j: these tests are about what the
kernel shows of a process (its state, its CPU time), which tests/api/test_deadlines.py
checks on a real Neo4j stopped with SIGSTOP.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from graph import local_process
from graph.probe import DOWN, NOT_ANSWERING, UP, probe, probe_async

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc (Linux)")

# a listener that never accepts: the kernel completes the TCP handshake, nobody reads
SILENT = """
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
spin = sys.argv[1] == "spin"
while True:
    if not spin:
        time.sleep(1)
"""

# a listener that answers any handshake with four bytes, as Bolt does
ANSWERING = """
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept(); c.recv(20); c.sendall(bytes([0, 0, 5, 8])); c.close()
"""


@pytest.fixture
def listener():
    started: list[subprocess.Popen] = []

    def start(code: str, *args: str) -> tuple[int, subprocess.Popen]:
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                                text=True)
        started.append(proc)
        port = int(proc.stdout.readline())
        return port, proc

    yield start
    for proc in started:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.wait()


def _async_probe(uri: str, timeout: float) -> str:
    """:func:`probe_async` on a loop of its own, in a thread: the session's Playwright may
    hold a running loop in this one."""
    answer: list[str] = []
    thread = threading.Thread(target=lambda: answer.append(asyncio.run(probe_async(uri,
                                                                               timeout))))
    thread.start()
    thread.join(30)
    return answer[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nothing_listening_is_down():
    assert probe(f"bolt://127.0.0.1:{_free_port()}", 0.5) == DOWN


def test_an_answer_is_up(listener):
    port, _ = listener(ANSWERING)
    assert probe(f"bolt://127.0.0.1:{port}", 1.0) == UP
    assert _async_probe(f"bolt://127.0.0.1:{port}", 1.0) == UP


def test_the_listener_is_found_by_its_port(listener):
    port, proc = listener(SILENT, "idle")
    assert local_process.listener_pid(port) == proc.pid


def test_an_idle_silent_server_is_not_answering(listener):
    port, _ = listener(SILENT, "idle")
    assert probe(f"bolt://127.0.0.1:{port}", 0.4) == NOT_ANSWERING
    assert _async_probe(f"bolt://127.0.0.1:{port}", 0.4) == NOT_ANSWERING


def test_a_busy_silent_server_is_up(listener):
    port, _ = listener(SILENT, "spin")
    time.sleep(0.1)
    assert probe(f"bolt://127.0.0.1:{port}", 0.4) == UP
    assert _async_probe(f"bolt://127.0.0.1:{port}", 0.4) == UP


def test_a_stopped_server_is_not_answering_however_busy_before(listener):
    port, proc = listener(SILENT, "spin")
    local_process.listener_pid(port)  # found while it runs
    proc.send_signal(signal.SIGSTOP)
    time.sleep(0.05)
    assert probe(f"bolt://127.0.0.1:{port}", 0.4) == NOT_ANSWERING
    assert _async_probe(f"bolt://127.0.0.1:{port}", 0.4) == NOT_ANSWERING


def test_a_server_elsewhere_is_not_watched():
    assert local_process.Watch("db.example", 7687).busy() is False
