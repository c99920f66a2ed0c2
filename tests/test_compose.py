"""docker-compose.yml: valid for `docker compose config -q`, same Neo4j version as the rest."""

import os
import shutil
import subprocess

import pytest

from graph.server import NEO4J_VERSION
from tests.conftest import ROOT


def _compose_available() -> bool:
    if not shutil.which("docker"):
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _compose_available(), reason="the docker compose client is not installed")
def test_compose_config_is_valid():
    # A clean environment (HOME kept: the compose plugin lives under ~/.docker).
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(ROOT)),
           "NEO4J_PASSWORD": "a-test-password"}
    ok = subprocess.run(["docker", "compose", "config", "-q"], cwd=ROOT, env=env,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    env.pop("NEO4J_PASSWORD")
    missing = subprocess.run(["docker", "compose", "config", "-q"], cwd=ROOT, env=env,
                             capture_output=True, text=True)
    assert missing.returncode != 0
    assert "NEO4J_PASSWORD" in missing.stderr


def test_compose_file_shape():
    text = (ROOT / "docker-compose.yml").read_text()
    assert f"image: neo4j:{NEO4J_VERSION}-community" in text
    assert "${NEO4J_PASSWORD:?" in text
    assert "cypher-shell" in text and "healthcheck" in text
    assert "condition: service_healthy" in text
    assert "neo4j-data:" in text
    assert (ROOT / "Dockerfile").exists()
