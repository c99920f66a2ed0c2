"""Long work as jobs: computing brokers and communities, imports, full exports.

A route whose answer is not ready starts a job and answers **202** with the job
(:class:`JobView`, ``Location: /jobs/{id}``, ``Retry-After``) instead of making its client
wait past the request's deadline; ``GET /jobs/{id}`` (api/routers/jobs.py) gives its
progress, then its result or its error. When the work ends within ``ALLIANCE_JOB_WAIT``
seconds (a small graph, a stored answer) the route answers **200** as it always did.

Two levels:

- a *task* is one piece of work, run once in the runner's threads and shared by every
  request that needs it (key: what the work depends on, e.g. the graph's fingerprint and
  the analytics' seed); a failed task is not kept, so the next request tries again;
- a *job* is what a client holds: an id, the task it waits for, and how the task's value
  becomes *its* answer (``finish``: two clients asking for the top 5 and the top 20
  brokers share one computation, and each gets its own answer).

Jobs live in the API process (lost at restart: ask the route again) for
:data:`KEEP_SECONDS`. Their work runs without a request deadline (graph/deadline.py):
it is long by nature; but as of the instant the request asked about (graph/as_of.py),
which is part of the task's key.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from time import monotonic
from typing import Annotated, Any, Literal

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api.errors import ErrorInfo, describe
from graph import as_of, deadline, progress

#: seconds a job stays readable after it ends
KEEP_SECONDS = 3600.0
#: jobs kept at most (the oldest go first)
MAX_JOBS = 1000
#: finished tasks kept at most, all kinds together
MAX_TASKS = 64

State = Literal["queued", "running", "done", "failed"]

#: ``?async=true`` on a route whose work may be long: 202 with the job at once, without
#: waiting ``ALLIANCE_JOB_WAIT`` for the answer (a client that always follows jobs)
AsyncParam = Annotated[bool, Query(
    alias="async", description="`true`: answer **202** with the job at once (follow "
    "`Location`), even when the answer is stored or would be ready within "
    "`ALLIANCE_JOB_WAIT`; `false` (default): the answer (200) when it is ready within "
    "that wait, else 202.")]


class Progress(BaseModel):
    """Where the work is: a step's name, and how much of it is done out of what."""

    step: str | None = Field(None, description="`queued`, then the work's own steps "
                             "(`fingerprint`, `projection`, `betweenness`, `louvain`, "
                             "`validate`, `write`, `export`…).")
    done: int | None = None
    total: int | None = None


class JobView(BaseModel):
    """A job as ``GET /jobs/{id}`` and a 202 answer show it."""

    id: str
    kind: str = Field(description="`brokers`, `communities`, `import` or `export`.")
    state: State
    progress: Progress
    created: datetime
    started: datetime | None = None
    finished: datetime | None = None
    result: Any | None = Field(None, description="When `done`: the answer the route "
                               "would have given (for an export: null, the file is at "
                               "`result_url`).")
    error: ErrorInfo | None = Field(None, description="When `failed`: the error the route "
                                    "would have given.")
    result_url: str | None = Field(None, description="The route that started the job: "
                                   "asked again, it answers 200 from what the job stored.")


def _now() -> datetime:
    return datetime.now(UTC)


class Task:
    """One piece of work, run once, shared by the jobs that wait for it."""

    def __init__(self, kind: str, key: Hashable):
        self.kind = kind
        self.key = key
        self.future: Future = Future()
        self.progress = Progress(step="queued")
        self.created = _now()
        self.started: datetime | None = None
        self.finished: datetime | None = None
        self.ended_at: float | None = None  # monotonic, for the keeping time

    def listen(self, step: str, done: int | None, total: int | None) -> None:
        self.progress = Progress(step=step, done=done, total=total)

    @property
    def ok(self) -> bool:
        """Ended without an error."""
        return self.future.done() and self.future.exception() is None


class Job:
    """What a client holds: an id, its task, and how the task's value becomes its answer."""

    def __init__(self, task: Task, finish: Callable[[Any], Any] | None,
                 result_url: str | None):
        self.id = secrets.token_urlsafe(12)
        self.task = task
        self.finish = finish or (lambda value: value)
        self.result_url = result_url
        self.created = monotonic()
        self._lock = threading.Lock()
        self._outcome: tuple[Any, ErrorInfo | None] | None = None

    def outcome(self) -> tuple[Any, ErrorInfo | None]:
        """(result, None) or (None, error), once the task ended: ``finish`` runs once."""
        with self._lock:
            if self._outcome is None:
                error = self.task.future.exception()
                if error is not None:
                    self._outcome = (None, describe(error))
                else:
                    try:
                        self._outcome = (self.finish(self.task.future.result()), None)
                    except Exception as exc:  # noqa: BLE001 - the job's error, shown as such
                        self._outcome = (None, describe(exc))
            return self._outcome

    def view(self) -> JobView:
        task = self.task
        state: State = "queued" if task.started is None else "running"
        result = error = None
        if task.future.done():
            result, error = self.outcome()
            state = "failed" if error is not None else "done"
        if isinstance(result, BaseModel):
            result = result.model_dump(mode="json")
        return JobView(id=self.id, kind=task.kind, state=state, progress=task.progress,
                       created=task.created, started=task.started, finished=task.finished,
                       result=result, error=error, result_url=self.result_url)


class JobRunner:
    """The API's job threads, its tasks and its jobs.

    Parameters
    ----------
    workers
        Tasks run at once; more wait in line (``ALLIANCE_JOB_WORKERS``).
    """

    def __init__(self, workers: int):
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="job")
        self._lock = threading.Lock()
        self._tasks: OrderedDict[Hashable, Task] = OrderedDict()
        self._jobs: OrderedDict[str, Job] = OrderedDict()

    def task(self, kind: str, key: Hashable, work: Callable[[], Any], *,
             keep: int | None = None) -> Task:
        """The task of ``key``: under way or ended well (shared), else a new one running
        ``work()``. ``keep``: finished tasks of this kind kept at most (an export's file).

        The work asks its questions as of the instant of the caller's context (the
        request's ``as_of``): a task of another instant is another task.
        """
        moment = as_of.current()
        if moment is not None:
            key = (key, "as_of", moment)
        with self._lock:
            found = self._tasks.get(key)
            if found is not None and (not found.future.done() or found.ok):
                self._tasks.move_to_end(key)
                return found
            task = self._tasks[key] = Task(kind, key)
            self._prune_tasks(kind, keep)
        self._executor.submit(self._run, task, work, moment)
        return task

    def _prune_tasks(self, kind: str, keep: int | None) -> None:
        ended = [k for k, t in self._tasks.items() if t.future.done()]
        if keep is not None:
            same = [k for k in ended if self._tasks[k].kind == kind]
            for key in same[:max(len(same) - keep, 0)]:
                del self._tasks[key]
        ended = [k for k, t in self._tasks.items() if t.future.done()]
        for key in ended[:max(len(self._tasks) - MAX_TASKS, 0)]:
            del self._tasks[key]

    @staticmethod
    def _run(task: Task, work: Callable[[], Any], moment: datetime | None = None) -> None:
        task.started = _now()
        task.progress = Progress(step="started")
        try:
            with progress.listening(task.listen), as_of.scope(moment):
                value = deadline.outside_request(work)()
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
            task.future.set_exception(exc)
        else:
            task.future.set_result(value)
        finally:
            task.finished = _now()
            task.ended_at = monotonic()

    def job(self, task: Task, *, finish: Callable[[Any], Any] | None = None,
            result_url: str | None = None) -> Job:
        """A new job id waiting for ``task``; ``finish(value)`` makes its answer."""
        job = Job(task, finish, result_url)
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
        return job

    def _forget_old(self) -> None:
        now = monotonic()
        while self._jobs:
            oldest = next(iter(self._jobs.values()))
            ended = oldest.task.ended_at
            if len(self._jobs) > MAX_JOBS or (ended is not None and now - ended > KEEP_SECONDS):
                self._jobs.popitem(last=False)
            else:
                break

    def get(self, job_id: str) -> Job | None:
        """The job of that id, while it is kept."""
        with self._lock:
            self._forget_old()
            return self._jobs.get(job_id)

    @staticmethod
    def finished(kind: str, value: Any) -> Task:
        """A task already done with ``value`` (a stored answer that ``?async=true`` asked
        as a job), run nowhere and shared with nobody."""
        task = Task(kind, None)
        task.started = task.finished = task.created
        task.ended_at = monotonic()
        task.progress = Progress(step="stored")
        task.future.set_result(value)
        return task

    def close(self) -> None:
        """Stop taking work; tasks under way end in their threads."""
        self._executor.shutdown(wait=False, cancel_futures=True)


def waited(request: Request, job: Job) -> bool:
    """Wait for ``job``'s task up to ``ALLIANCE_JOB_WAIT`` seconds (and within the
    request's deadline); whether it ended."""
    settings = request.app.state.settings
    left = deadline.remaining()
    wait = settings.job_wait if left is None else min(settings.job_wait, max(left - 0.25, 0))
    try:
        job.task.future.exception(timeout=wait)
    except TimeoutError:
        return False
    return True


def accepted(request: Request, job: Job) -> JSONResponse:
    """The 202 answer: the job, where to follow it, when to ask again."""
    retry = request.app.state.settings.retry_after
    return JSONResponse(job.view().model_dump(mode="json"), status_code=202,
                        headers={"Location": f"/jobs/{job.id}", "Retry-After": str(retry)})


def answer_or_accepted(request: Request, job: Job, respond: Callable[[Any], Response], *,
                       at_once: bool = False) -> Response:
    """``respond(answer)`` (200, as the route always answered) when the job ends within
    the wait, its error as the route would answer it when it failed, else 202 (at once
    with ``at_once``: ``?async=true``)."""
    if at_once or not waited(request, job):
        return accepted(request, job)
    error = job.task.future.exception()
    if error is not None:
        raise error
    return respond(job.finish(job.task.future.result()))


def runner(request: Request) -> JobRunner:
    """The app's job runner (opened by the lifespan)."""
    return request.app.state.jobs
