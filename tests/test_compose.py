"""docker-compose.yml: valid for `docker compose config -q`, same Neo4j version as the rest."""

import os
import shutil
import subprocess

import pytest

from graph.server import NEO4J_VERSION
from tests.conftest import IN_CI, ROOT


def _compose_command() -> list[str] | None:
    """``docker compose`` (the plugin) or Debian's ``docker-compose``, whichever answers."""
    for command in (["docker", "compose"], ["docker-compose"]):
        if not shutil.which(command[0]):
            continue
        probe = subprocess.run([*command, "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return command
    return None


COMPOSE = _compose_command()


def test_compose_config_is_valid():
    if COMPOSE is None:
        # .ci/apt-packages installs docker-compose: in CI its absence is a failure
        if IN_CI:
            pytest.fail("neither `docker compose` nor `docker-compose` answers")
        pytest.skip("the docker compose client is not installed")
    # A clean environment (HOME kept: the compose plugin lives under ~/.docker).
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(ROOT)),
           "NEO4J_PASSWORD": "a-test-password"}
    ok = subprocess.run([*COMPOSE, "config", "-q"], cwd=ROOT, env=env,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    env.pop("NEO4J_PASSWORD")
    missing = subprocess.run([*COMPOSE, "config", "-q"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    assert missing.returncode != 0
    assert "NEO4J_PASSWORD" in missing.stderr + missing.stdout


def test_compose_file_shape():
    text = (ROOT / "docker-compose.yml").read_text()
    assert f"image: neo4j:{NEO4J_VERSION}-community" in text
    assert "${NEO4J_PASSWORD:?" in text
    assert "cypher-shell" in text and "healthcheck" in text
    assert "condition: service_healthy" in text
    assert "neo4j-data:" in text
    assert (ROOT / "Dockerfile").exists()
