"""Is a Neo4j on this machine working or stopped? What the kernel says of the process that
listens on a Bolt port, for a probe whose handshake went unanswered.

A handshake that waits may mean a hung server (``kill -STOP``, a deadlock) or a busy one:
two heavy console queries on two cores, its garbage collector. From outside the two look
the same; on this machine the kernel tells them apart: a stopped process is in state
``T``, a hung one spends no CPU, a busy one spends a core or more. :class:`Watch` reads the
listener's CPU time when a probe starts and again when its wait ends.

Linux only (``/proc``); anywhere else, or for a server on another host, nothing is known
and the probe says what it always said.

>>> loopback("127.0.0.1"), loopback("localhost"), loopback("db.example")
(True, True, False)
>>> _port_of("0100007F:1E61")
7777
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from time import monotonic

PROC = Path("/proc")

#: share of one core the listener must have spent during the wait to be called busy: a
#: hung JVM's housekeeping threads spend a few per cent, a query that holds the server
#: spends whole cores
BUSY_SHARE = 0.25

#: TCP state LISTEN in /proc/net/tcp
_LISTEN = "0A"

_cache: dict[int, int] = {}
_lock = threading.Lock()


def loopback(host: str) -> bool:
    """Whether ``host`` is this machine (the only servers whose process can be read)."""
    return host in {"localhost", "::1"} or host.startswith("127.")


def _port_of(local_address: str) -> int:
    return int(local_address.rsplit(":", 1)[1], 16)


def _listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == _LISTEN and _port_of(fields[1]) == port:
                inodes.add(fields[9])
    return inodes


def _find_listener(port: int) -> int | None:
    inodes = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not inodes:
        return None
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(entry.name)
        except OSError:  # another user's process, or gone meanwhile
            continue
    return None


def listener_pid(port: int) -> int | None:
    """The pid of the process of this machine listening on TCP ``port`` (None: none, not
    ours to read, or no ``/proc``). Found once by a scan of the processes' sockets, then
    remembered while that process lives."""
    with _lock:
        pid = _cache.get(port)
    if pid is not None and cpu(pid) is not None:
        return pid
    pid = _find_listener(port)
    with _lock:
        if pid is None:
            _cache.pop(port, None)
        else:
            _cache[port] = pid
    return pid


@dataclass(frozen=True)
class Cpu:
    """A process's state letter (``R``, ``S``, ``T``…) and the CPU seconds it has spent."""

    state: str
    seconds: float


def cpu(pid: int) -> Cpu | None:
    """What ``/proc/PID/stat`` says of ``pid`` (None: gone or unreadable)."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # the command name is in parentheses and may hold spaces: read after the last one
    fields = raw[raw.rfind(")") + 2:].split()
    if fields[0] in {"Z", "X"}:
        return None
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return Cpu(fields[0], ticks / os.sysconf("SC_CLK_TCK"))


class Watch:
    """The listener of a Bolt address watched across a probe's wait.

    Parameters
    ----------
    host, port
        Where the probe knocks. A host other than this machine is not watched.
    """

    def __init__(self, host: str, port: int):
        self.pid = listener_pid(port) if loopback(host) and PROC.is_dir() else None
        self._start = cpu(self.pid) if self.pid is not None else None
        self._since = monotonic()

    def busy(self) -> bool:
        """True when the listener ran (not stopped) and spent at least :data:`BUSY_SHARE`
        of a core since the watch began: working, not hung. False when it is stopped,
        idle, gone, or cannot be read."""
        if self.pid is None or self._start is None:
            return False
        now = cpu(self.pid)
        if now is None or now.state in {"T", "t"}:
            return False
        elapsed = max(monotonic() - self._since, 1e-3)
        return now.seconds - self._start.seconds >= BUSY_SHARE * elapsed
