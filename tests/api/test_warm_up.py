"""api/warm_up.py: the first pages' questions asked once when the API starts, against
Neo4j, on the hand-made graph of tests/queries/conftest.py (whose territories hold no
Paris: those questions still run, and so are compiled)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.warm_up import questions, warm_up
from graph.settings import get_settings
from tests.queries.conftest import graph  # noqa: F401 - the fixture
from tests.queries.waiting import wait_for


def test_every_question_is_asked_and_none_fails_the_caller(graph, neo4j_server):  # noqa: F811
    answered = warm_up(graph, neo4j_server.database)
    assert set(answered) == set(questions(graph, neo4j_server.database))
    assert answered["need_choices"] and answered["role_counts"] and answered["search"]
    assert answered["degrees"] and answered["partners_near"] is not None
    assert answered["suggestions"] is False  # no such organisation: asked all the same


def test_the_app_warms_up_in_the_background_when_asked(graph, monkeypatch):  # noqa: F811
    import api.app as app_mod

    started = []
    monkeypatch.setattr(app_mod, "start_warm_up",
                        lambda driver, database: started.append(database))
    on = get_settings().model_copy(update={"warm_up": True})
    with TestClient(create_app(on)):
        wait_for(lambda: started, "the warm-up started")
    off = get_settings().model_copy(update={"warm_up": False})
    with TestClient(create_app(off)):
        pass
    assert len(started) == 1
