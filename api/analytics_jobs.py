"""Brokers and communities as jobs, for the API's routes and pages, and their computation
after each load, in the background.

A route or a page reads the graph's fingerprint (one quick read, within the request's
deadline), then the stored table of that fingerprint (:mod:`queries.analytics_store`):
there, it answers at once. Absent, it starts (or joins) the task that computes it
(:mod:`api.jobs`): ended within ``ALLIANCE_JOB_WAIT``, the answer is a 200 as before;
else a 202 with the job, and a page says « Calcul en cours… ».

:class:`AnalyticsRefresher` looks at the fingerprint every ``ALLIANCE_ANALYTICS_REFRESH``
seconds (and right after an import through the API): when the graph changed, by a load
of the CLI or of the API, it computes the default brokers and communities (the pages'
and the routes' defaults) in a job, so that pages find them stored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from neo4j import Driver

from api.jobs import Job, JobRunner, Task, waited
from graph import deadline
from queries import analytics, analytics_store
from queries.analytics import broker_key, community_key
from queries.models import BrokersResult, CommunitiesResult
from queries.projection import graph_fingerprint

log = logging.getLogger(__name__)


def _brokers_task(jobs: JobRunner, driver: Driver, database: str, fingerprint: str,
                  seed: int) -> Task:
    key = ("analytics", *broker_key(database, fingerprint, seed=seed))
    return jobs.task("brokers", key, lambda: analytics.broker_table(
        driver, seed=seed, database=database)[0])


def _communities_task(jobs: JobRunner, driver: Driver, database: str, fingerprint: str,
                      seed: int, resolution: float) -> Task:
    key = ("analytics", *community_key(database, fingerprint, seed=seed,
                                       resolution=resolution))
    return jobs.task("communities", key, lambda: analytics.community_table(
        driver, seed=seed, resolution=resolution, database=database)[0])


def _result_url(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def brokers_job(request: Request, driver: Driver, database: str, *, top: int = 20,
                organisations_only: bool = True, seed: int = 42,
                as_job: bool = False) -> tuple[BrokersResult | None, Job | None]:
    """The brokers answer when stored (answer, None), else the job computing it
    (None, job); ``as_job`` (``?async=true``): a job even when stored (done already)."""
    jobs = request.app.state.jobs
    fingerprint = graph_fingerprint(driver, database=database)
    table = analytics_store.load("brokers", broker_key(database, fingerprint, seed=seed))

    def answer(found: dict, cached: bool) -> BrokersResult:
        return analytics.brokers_answer(found, top=top, organisations_only=organisations_only,
                                        cached=cached)

    if table is not None and not as_job:
        return answer(table, True), None
    stored = table is not None
    task = (jobs.finished("brokers", table) if stored
            else _brokers_task(jobs, driver, database, fingerprint, seed))
    return None, jobs.job(task, result_url=_result_url(request),
                          finish=lambda found: answer(found, stored))


def communities_job(request: Request, driver: Driver, database: str, *, seed: int = 42,
                    resolution: float = 1.0, limit: int = 50, offset: int = 0,
                    members_limit: int = 20,
                    as_job: bool = False) -> tuple[CommunitiesResult | None, Job | None]:
    """The communities answer when stored (answer, None), else the job computing it
    (None, job); ``as_job`` (``?async=true``): a job even when stored (done already)."""
    jobs = request.app.state.jobs
    fingerprint = graph_fingerprint(driver, database=database)
    key = community_key(database, fingerprint, seed=seed, resolution=resolution)
    table = analytics_store.load("communities", key)

    def answer(found: dict, cached: bool) -> CommunitiesResult:
        return analytics.communities_answer(found, limit=limit, offset=offset,
                                            members_limit=members_limit, cached=cached)

    if table is not None and not as_job:
        return answer(table, True), None
    stored = table is not None
    task = (jobs.finished("communities", table) if stored
            else _communities_task(jobs, driver, database, fingerprint, seed, resolution))
    return None, jobs.job(task, result_url=_result_url(request),
                          finish=lambda found: answer(found, stored))


def ready(request: Request, found: tuple[Any, Job | None], *, wait: bool = True) -> Any | None:
    """For a page: the answer, stored or computed within ``ALLIANCE_JOB_WAIT`` (no wait
    with ``wait=False``); None while the job goes on (the page says so). A failed job
    raises its error (the page's own)."""
    answer, job = found
    if job is None:
        return answer
    if not (waited(request, job) if wait else job.task.future.done()):
        return None
    error = job.task.future.exception()
    if error is not None:
        raise error
    return job.finish(job.task.future.result())


class AnalyticsRefresher:
    """Compute the default analytics in the background whenever the graph changes.

    Parameters
    ----------
    app
        The API (its driver, database, guard and job runner, set by the lifespan).
    interval
        Seconds between two looks at the fingerprint; 0: only when :meth:`poke`\\ d.
    """

    def __init__(self, app: FastAPI, interval: float):
        self.app = app
        self.interval = interval
        self._stop = threading.Event()
        self._poked = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="analytics-refresher",
                                        daemon=True)

    def start(self) -> None:
        if self.interval > 0:
            self._poked.set()  # a first look at start: the stored tables may be missing
            self._thread.start()

    def poke(self) -> None:
        """Look now (an import through the API just ended)."""
        self._poked.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._poked.wait(self.interval)
            self._poked.clear()
            if self._stop.is_set():
                return
            try:
                self.refresh()
            except Exception as exc:  # noqa: BLE001 - Neo4j away: the next look retries
                log.info("analytics refresh skipped: %s", exc)

    def refresh(self) -> list[Task]:
        """Start the tasks of the default analytics the current graph lacks; they run in
        the job threads (the fingerprint's read is bounded like a request's)."""
        state = self.app.state
        settings = state.settings
        with deadline.request_scope(state.guard, settings.request_deadline):
            fingerprint = graph_fingerprint(state.driver, database=state.database)
        started = []
        wanted: list[tuple[str, tuple, Callable[[], Task]]] = [
            ("brokers", broker_key(state.database, fingerprint),
             lambda: _brokers_task(state.jobs, state.driver, state.database, fingerprint,
                                   42)),
            ("communities", community_key(state.database, fingerprint),
             lambda: _communities_task(state.jobs, state.driver, state.database,
                                       fingerprint, 42, 1.0)),
        ]
        for kind, key, start in wanted:
            if analytics_store.load(kind, key) is None:
                started.append(start())
        return started

    def stop(self) -> None:
        self._stop.set()
        self._poked.set()
