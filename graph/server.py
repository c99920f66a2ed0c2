"""The managed local Neo4j: Neo4j 5.26 Community run by the project itself.

No Docker engine is needed. The server's jars come from Maven Central once (``mvn`` with
the pom beside this module) into a cache directory; the server runs as a background Java
process bound to 127.0.0.1 with a home directory of its own (data, logs, pid file, and
the generated password, readable only by its owner).

The main class ``org.neo4j.server.CommunityEntryPoint`` is what the official ``neo4j``
script runs; it takes ``--home-dir`` and ``--config-dir``. We write the ``neo4j.conf``
ourselves, with the JVM options of the official distribution.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from graph.settings import Settings

#: The one Neo4j version the project runs; the pom and docker-compose.yml pin the same.
NEO4J_VERSION = "5.26.30"
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
POM = Path(__file__).with_name("neo4j") / "pom.xml"
MIN_JAVA = 17

#: JVM options of the official 5.26 distribution (conf/neo4j.conf, server.jvm.additional),
#: minus -XX:+AlwaysPreTouch, which would touch the whole heap at start for no gain here.
OFFICIAL_JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
)

WAYS_OUT = (
    "three ways out: set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) to a Neo4j 5.26 server; "
    "or run `docker compose up` where a Docker engine runs; "
    "or install Java 17+ and Maven (Debian: apt-get install openjdk-17-jre-headless maven)"
)


class ServerError(RuntimeError):
    """The managed server could not be set up, started or stopped; the message says why."""


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    version: str | None
    uri: str
    http_url: str
    data_dir: Path
    pid: int | None
    auth: bool = True


class ManagedNeo4j:
    """One managed Neo4j server, identified by its home directory.

    Parameters
    ----------
    settings
        Where the jars are cached, the home directory, ports, heap and page cache.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.home = Path(settings.db_dir).expanduser().resolve()
        self.lib_dir = Path(settings.cache_dir).expanduser() / f"neo4j-{NEO4J_VERSION}" / "lib"

    # -- paths -----------------------------------------------------------------------------
    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def pid_file(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def stopping_file(self) -> Path:
        """Present while a stop runs: a process gone then was stopped, not crashed."""
        return self.home / "neo4j.stopping"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def console_log(self) -> Path:
        return self.logs_dir / "console.log"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.settings.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}"

    # -- prerequisites -----------------------------------------------------------------------
    @staticmethod
    def find_java() -> str:
        """The ``java`` executable (``JAVA_HOME`` first), checked to be 17 or newer."""
        candidates = []
        java_home = os.environ.get("JAVA_HOME")
        if java_home:
            candidates.append(str(Path(java_home) / "bin" / "java"))
        on_path = shutil.which("java")
        if on_path:
            candidates.append(on_path)
        for java in candidates:
            if not Path(java).exists():
                continue
            major = _java_major(java)
            if major is not None and major >= MIN_JAVA:
                return java
        found = ", ".join(candidates) or "none"
        raise ServerError(
            f"the managed Neo4j needs Java {MIN_JAVA}+ (found: {found}); {WAYS_OUT}"
        )

    def jars_present(self) -> bool:
        return (self.lib_dir / f"neo4j-{NEO4J_VERSION}.jar").exists()

    def ensure_jars(self, quiet: bool = True) -> Path:
        """Fetch the Neo4j jars from Maven Central once; later calls find them in the cache."""
        if self.jars_present():
            return self.lib_dir
        mvn = shutil.which("mvn")
        if not mvn:
            raise ServerError(
                f"the Neo4j {NEO4J_VERSION} jars are not in {self.lib_dir} and Maven (mvn) "
                f"is not installed to fetch them; {WAYS_OUT}"
            )
        staging = self.lib_dir.with_name("lib.partial")
        shutil.rmtree(staging, ignore_errors=True)
        staging.parent.mkdir(parents=True, exist_ok=True)
        cmd = [
            mvn,
            "-B",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={staging}",
        ]
        if quiet:
            cmd.insert(1, "-q")
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0 or not (staging / f"neo4j-{NEO4J_VERSION}.jar").exists():
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise ServerError(
                f"Maven could not fetch org.neo4j:neo4j:{NEO4J_VERSION} from Maven Central "
                f"(exit {proc.returncode}); check the network or ~/.m2/settings.xml.\n{tail}"
            )
        # Rename last, so an interrupted download never looks complete.
        shutil.rmtree(self.lib_dir, ignore_errors=True)
        staging.rename(self.lib_dir)
        return self.lib_dir

    # -- configuration ------------------------------------------------------------------
    def password(self) -> str:
        """The generated password of this server (created once, mode 0600)."""
        self.home.mkdir(parents=True, exist_ok=True)
        if not self.password_file.exists():
            secret = secrets.token_urlsafe(24)
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secret + "\n")
        os.chmod(self.password_file, 0o600)
        return self.password_file.read_text().strip()

    def write_config(self) -> Path:
        s = self.settings
        for d in (self.conf_dir, self.data_dir, self.logs_dir, self.home / "import",
                  self.home / "plugins", self.home / "run"):
            d.mkdir(parents=True, exist_ok=True)
        lines = [
            "# Written by alliance-graph (graph/server.py) at every start; edits are lost.",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}",
            f"server.bolt.advertised_address=127.0.0.1:{s.bolt_port}",
            "server.http.enabled=true",
            f"server.http.listen_address=127.0.0.1:{s.http_port}",
            f"server.http.advertised_address=127.0.0.1:{s.http_port}",
            "server.https.enabled=false",
            "server.bolt.tls_level=DISABLED",
            "dbms.security.auth_enabled=true",
            # No file:/// URLs in LOAD CSV: the read-only console must not read local files.
            "dbms.security.allow_csv_import_from_file_urls=false",
            f"server.directories.data={self.data_dir}",
            f"server.directories.logs={self.logs_dir}",
            f"server.directories.import={self.home / 'import'}",
            f"server.directories.plugins={self.home / 'plugins'}",
            f"server.directories.run={self.home / 'run'}",
            f"server.memory.heap.initial_size={s.heap}",
            f"server.memory.heap.max_size={s.heap}",
            f"server.memory.pagecache.size={s.pagecache}",
            "dbms.usage_report.enabled=false",
            "dbms.transaction.timeout=0",
            # What one transaction may hold (collect, sort, distinct, transaction state):
            # a console query past it fails alone instead of filling the heap; an import
            # batch (5,000 rows) takes a few MB of it.
            f"db.memory.transaction.max={s.transaction_memory}",
            "db.logs.query.enabled=OFF",
        ]
        conf = self.conf_dir / "neo4j.conf"
        conf.write_text("\n".join(lines) + "\n")
        return conf

    # -- process ------------------------------------------------------------------------
    def pid(self) -> int | None:
        """The pid of this server if it runs (and really is our Neo4j), else None."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if not _is_our_process(pid, self.home):
            return None
        return pid

    def bolt_open(self) -> bool:
        return _port_open("127.0.0.1", self.settings.bolt_port)

    def start(self, timeout: float | None = None, *,
              restoring: bool = False) -> tuple[ServerStatus, bool]:
        """Start the server unless it already runs; wait until Bolt answers.

        A restore cut short (graph/backup.py) is undone first, so the server never starts
        on a store that was not confirmed; ``restoring`` is the restore's own start.

        Returns
        -------
        (status, started)
            ``started`` is False when the server was already running.
        """
        timeout = self.settings.start_timeout if timeout is None else timeout
        if self.pid() is not None:
            self.wait_ready(timeout)
            return self.status(), False
        java = self.find_java()
        self.ensure_jars()
        if not restoring:
            from graph.backup import undo_interrupted_restore

            undone = undo_interrupted_restore(self.home, self.settings.neo4j_database)
            if undone:
                logging.getLogger(__name__).warning("%s (%s)", undone, self.home)
        for port in (self.settings.bolt_port, self.settings.http_port):
            if _port_open("127.0.0.1", port):
                raise ServerError(
                    f"port {port} on 127.0.0.1 is taken by another program; stop it or choose "
                    "other ports with ALLIANCE_BOLT_PORT / ALLIANCE_HTTP_PORT"
                )
        first_start = not (self.data_dir / "dbms").exists()
        password = self.password()
        self.write_config()
        s = self.settings
        cmd = [
            java,
            f"-Xms{s.heap}",
            f"-Xmx{s.heap}",
            *OFFICIAL_JVM_OPTIONS,
            # A server out of heap may have lost any transaction, an import's included:
            # it stops at once, and whoever supervises it (`alliance-graph serve`) starts
            # it again, rather than limping on with threads that died.
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            str(self.lib_dir / "*"),
            MAIN_CLASS,
            f"--home-dir={self.home}",
            f"--config-dir={self.conf_dir}",
        ]
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        with open(self.console_log, "ab") as log:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.home,
                start_new_session=True,  # survives the CLI that started it
            )
        self.pid_file.write_text(f"{proc.pid}\n")
        try:
            self.wait_ready(timeout, proc=proc)
            if first_start or not self._auth_works(password):
                self._set_initial_password(password)
        except BaseException:
            self.stop()
            raise
        return self.status(), True

    def wait_ready(self, timeout: float, proc: subprocess.Popen | None = None) -> None:
        """Block until Bolt accepts connections, or raise with the log's last lines."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise ServerError(
                    f"Neo4j exited with code {proc.returncode} during start; "
                    f"log {self.console_log}:\n{self._log_tail()}"
                )
            if self.bolt_open() and self._bolt_handshake():
                return
            time.sleep(0.2)
        raise ServerError(
            f"Neo4j did not answer on {self.uri} within {timeout:.0f} s "
            f"(raise ALLIANCE_START_TIMEOUT); log {self.console_log}:\n{self._log_tail()}"
        )

    def _bolt_handshake(self) -> bool:
        """True once the server speaks Bolt (an open port alone is not enough)."""
        try:
            with socket.create_connection(("127.0.0.1", self.settings.bolt_port), 1.0) as sock:
                sock.sendall(b"\x60\x60\xb0\x17" + b"\x00\x00\x04\x04" * 1 + b"\x00" * 12)
                return len(sock.recv(4)) == 4
        except OSError:
            return False

    def _auth_works(self, password: str) -> bool:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ClientError

        try:
            with GraphDatabase.driver(self.uri, auth=("neo4j", password)) as drv:
                drv.verify_connectivity()
                drv.execute_query("RETURN 1", database_="neo4j")
            return True
        except (AuthError, ClientError):
            return False

    def _set_initial_password(self, password: str) -> None:
        """Replace the default ``neo4j/neo4j`` credential by the generated password."""
        from neo4j import GraphDatabase

        deadline = time.monotonic() + 60
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                with (
                    GraphDatabase.driver(self.uri, auth=("neo4j", "neo4j")) as drv,
                    drv.session(database="system") as session,
                ):
                    session.run(
                        "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                        old="neo4j",
                        new=password,
                    ).consume()
                return
            except Exception as exc:  # the system database may still be starting
                last = exc
                if self._auth_works(password):
                    return
                time.sleep(0.5)
        raise ServerError(f"could not set the password of the managed Neo4j: {last}")

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop this server (and nothing else). Returns False when it was not running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        # a stop asked for: the supervisor (graph/supervisor.py) must not start it again
        self.stopping_file.parent.mkdir(parents=True, exist_ok=True)
        self.stopping_file.write_text(str(pid))
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
            while pid_alive(pid):
                time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        self.stopping_file.unlink(missing_ok=True)
        return True

    def status(self) -> ServerStatus:
        pid = self.pid()
        version = None
        if pid is not None and self.bolt_open():
            version = self._version()
        return ServerStatus(
            running=pid is not None,
            version=version,
            uri=self.uri,
            http_url=self.http_url,
            data_dir=self.data_dir,
            pid=pid,
        )

    def _version(self) -> str | None:
        from neo4j import GraphDatabase

        try:
            with GraphDatabase.driver(self.uri, auth=("neo4j", self.password())) as drv:
                records, _, _ = drv.execute_query(
                    "CALL dbms.components() YIELD versions RETURN versions[0] AS v",
                    database_="system",
                )
                return records[0]["v"]
        except Exception:
            return None

    def _log_tail(self, lines: int = 20) -> str:
        chunks = []
        for log in (self.console_log, self.logs_dir / "neo4j.log"):
            if log.exists():
                chunks.extend(log.read_text(errors="replace").splitlines()[-lines:])
        return "\n".join(chunks[-lines:])


def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _port_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` of this host exists (a zombie counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of this process counts as ended.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            if fh.read().split(") ", 1)[1].startswith("Z"):
                os.waitpid(pid, os.WNOHANG)
                return False
    except (OSError, IndexError, ChildProcessError):
        pass
    return True


def _is_our_process(pid: int, home: Path) -> bool:
    """The pid is alive and is the Neo4j of this home (a recycled pid is not)."""
    if not pid_alive(pid):
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not cmdline.exists():  # not Linux: trust the pid file
        return sys.platform != "linux"
    args = cmdline.read_bytes().split(b"\0")
    return MAIN_CLASS.encode() in args and f"--home-dir={home}".encode() in args
