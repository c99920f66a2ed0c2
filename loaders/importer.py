"""Importing user files: read, validate each file whole, then write in UNWIND batches.

:func:`load_sources` is the one entry point (the CLI passes files from disk through
:func:`load_paths`, the API passes uploads). Per file, all or nothing by default: a
file with any error writes nothing and its report lists every error with file, row,
column, value and reason. With ``skip_invalid`` the valid rows are written and the
rejected ones go to a rejects CSV with their reasons; with ``dry_run`` nothing is
written at all. Writes MERGE on ``id``, so loading the same files twice changes nothing.

If a write fails midway (the server goes away), the file's report says so
(``status="write_failed"``) with how many nodes and relationships were written: the
batches already committed stay, and loading the file again completes it.

Speed (bench/README.md, "Loading"): the files that define elements are written by a
writer thread while the connection-only files are validated; rows go as lists; a big
step's rows are cut into parts that share no node (:mod:`loaders.partition`) and written
by ``writers`` transactions at once; the cyclic garbage collector rests during the load.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from neo4j import Driver
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from graph.cache import clear_caches
from graph.french import num, plural
from graph.schema import apply_schema, refresh_fulltext
from graph.settings import get_settings
from loaders.batching import write_batches
from loaders.history import PlanDiff, Stamp, dataset_of, diff_plan
from loaders.import_record import (
    Retirement,
    beat,
    finish_import,
    retire,
    retirement_plan,
    sha256,
    start_import,
)
from loaders.locations import derive_locations
from loaders.messages import Words
from loaders.partition import Split, split_disjoint
from loaders.recovery import recover
from loaders.rejects import write_rejects
from loaders.report import Changes, FileReport, LoadReport
from loaders.tabular import CONNECTIONS, ELEMENTS, INVENTAIRE, ReadError, Source, Table, read_source
from loaders.validate import Validator
from loaders.write_plan import Plan, WriteStep, write_steps

#: callback(stage, file, advance, total): stage is "validate" or "write"
ProgressCallback = Callable[[str, str, int, int], None]


def load_paths(driver: Driver, paths: Iterable[str | Path], *, database: str = "neo4j",
               skip_invalid: bool = False, dry_run: bool = False,
               rejects_dir: str | Path | None = None, batch_size: int | None = None,
               writers: int | None = None,
               on_progress: ProgressCallback | None = None, dataset: str | None = None,
               replace: bool = False, by: str | None = None) -> LoadReport:
    """Load CSV/XLSX files from disk; see :func:`load_sources`.

    A directory stands for its CSV and XLSX files (``alliance-graph generate`` writes
    one). Rejects files go to ``rejects_dir``, or next to each input file when it is None.
    """
    sources, dirs = [], {}
    for path in expand_paths(paths):
        sources.append(Source.from_path(path))
        dirs[path.name] = path.parent
    return load_sources(driver, sources, database=database, skip_invalid=skip_invalid,
                        dry_run=dry_run, batch_size=batch_size, writers=writers,
                        on_progress=on_progress, dataset=dataset, replace=replace, by=by,
                        rejects_dir=rejects_dir, _default_dirs=dirs)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a directory gives its ``*.csv``/``*.xlsx`` (rejects files excepted)."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(
                f for f in path.iterdir()
                if f.is_file() and f.suffix.lower() in (".csv", ".xlsx", ".xlsm")
                and not f.name.endswith(".rejects.csv")))
        else:
            out.append(path)
    return out


def load_sources(driver: Driver, sources: list[Source], *, database: str = "neo4j",
                 skip_invalid: bool = False, dry_run: bool = False,
                 rejects_dir: str | Path | None = None, batch_size: int | None = None,
                 writers: int | None = None, on_progress: ProgressCallback | None = None,
                 dataset: str | None = None, replace: bool = False, by: str | None = None,
                 _default_dirs: dict[str, Path] | None = None,
                 _resume: Stamp | None = None) -> LoadReport:
    """Validate every row of every source, then write what is valid in batches.

    Parameters
    ----------
    driver
        The Neo4j driver (validation reads through it: names and territories in bulk).
    sources
        Files as name + bytes (CSV or XLSX); a pair of CSVs (elements, connections) may
        reference each other.
    skip_invalid
        Write the valid rows of a file with errors, and its rejected rows to a rejects
        CSV (``<file>.rejects.csv``, or one per sheet) with their reasons.
    dry_run
        Only validate: nothing is written (not even a rejects file).
    rejects_dir
        Where rejects files go; None: beside the input file (for uploads: nowhere, the
        report still lists every error).
    batch_size
        Rows per ``UNWIND`` transaction; None: the ``ALLIANCE_BATCH_SIZE`` setting (5,000).
    writers
        Transactions at once on node-disjoint parts of a big step; None: the
        ``ALLIANCE_WRITERS`` setting (2).
    on_progress
        ``callback(stage, file, advance, total)`` for progress bars.
    dataset
        The dataset the files belong to; None: each file's name without its extension.
    replace
        The files are the new full version of ``dataset`` (required): once they are all
        written, the facts of that dataset they do not state are retired
        (loaders/import_record.py). A dry run reports what would be.
    by
        The operator's label, kept in the Import record.
    _resume
        The stamp of a replace cut short that this call finishes (loaders/recovery.py):
        its record exists, its writes carry its id and time.

    Raises
    ------
    ValueError
        ``replace`` without ``dataset``, or with ``skip_invalid`` (a rejected row would
        be retired); the message is French.

    Returns
    -------
    LoadReport
        Per file: rows read, elements and connections written, errors, rejects file.
    """
    if batch_size is None:
        batch_size = get_settings().batch_size
    if writers is None:
        writers = get_settings().writers
    if replace and not dataset:
        raise ValueError("remplacer un jeu de données demande son nom (--replace-dataset NOM)")
    if replace and skip_invalid:
        raise ValueError("--replace-dataset et --skip-invalid ne vont pas ensemble : une ligne "
                         "rejetée serait retirée du graphe. Corrigez le fichier, ou chargez-le "
                         "sans remplacer le jeu de données.")
    recovered = []
    if not dry_run and _resume is None:
        # a replace cut short first: the dataset must be whole before anything else reads
        # or changes it (a server gone now: this load's own report will say so)
        with contextlib.suppress(*_NEO4J_GONE):
            recovered = [r.import_id for r, _ in recover(driver, database=database)]
    names = _unique_names(sources)
    datasets = {name: dataset or dataset_of(name) for name in names}
    record = _ImportRun(driver, _resume or Stamp.new(dataset or ""), database=database,
                        datasets=[datasets[n] for n in names], files=names,
                        hashes=[sha256(s.data) for s in sources], by=by,
                        mode="replace" if replace else "add",
                        kept=[s.data for s in sources] if replace else None,
                        resumed=_resume is not None)
    def run() -> LoadReport:
        diffs: dict[str, PlanDiff] = {}

        def write(plans: list[Plan], blocked_by: list[FileReport] | None = None,
                  hold: bool = False) -> list[FileReport]:
            out = []
            for plan in sorted(plans, key=_file_rank):  # element-bearing files first
                blocker = next((r.file for r in blocked_by or () if r.status == "write_failed"),
                               None)
                out.append(_run_plan(driver, plan, database=database, dry_run=dry_run or hold,
                                     skip_invalid=skip_invalid, batch_size=batch_size,
                                     on_progress=on_progress, blocked_by=blocker,
                                     writers=writers, record=record,
                                     dataset=datasets[plan.file], diffs=diffs,
                                     rejects_dir=_rejects_dir(plan.file, rejects_dir,
                                                              _default_dirs)))
            return out

        schema_ready = dry_run
        reports: list[FileReport] = []
        # One writer thread: the files that define elements are written while the files of
        # connections are validated (a Python thread waiting on Neo4j leaves the CPU to the
        # validation; the server works on its own cores). Connections wait for those writes.
        with _without_cyclic_gc(), ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="alliance-writer") as writer:
            validator, stages = _read(driver, sources, names, database, skip_invalid, on_progress)
            try:  # validation reads the graph: Neo4j may be gone before anything is written
                first = validator.validate(stages[0], set(validator.plans))
                if len(stages) > 1:
                    schema_ready = schema_ready or _ensure_schema(driver, database, first)
            except _NEO4J_GONE as exc:
                gone = LoadReport(ok=False, dry_run=dry_run, skip_invalid=skip_invalid,
                                  files=[_unvalidated(n, stages, exc) for n in names],
                                  recovered=recovered)
                record.finish(gone)  # a resumed replace stops beating, for the next load
                return gone
            pending, second, lost = None, first, None
            if len(stages) > 1:
                if not replace:  # a replace writes nothing before all its files are valid
                    pending = writer.submit(write, list(first.values()))
                try:
                    second = validator.validate(stages[1])
                except _NEO4J_GONE as exc:  # the elements' writes end (or fail) on their own
                    second, lost = {}, exc
            if pending is not None:
                reports = pending.result()
            if lost is not None:
                reports += [_unvalidated(n, stages[1:], lost)
                            for n in dict.fromkeys(t.file for t in stages[1])]
            try:
                if not schema_ready:
                    _ensure_schema(driver, database, second)
            except _NEO4J_GONE as exc:
                reports += [_unvalidated(f, stages, exc) for f in second]
                second = {}
            if replace:
                # the new version is written whole or not at all: a refused file (or one that
                # could not be checked) would leave part of it written and nothing retired
                held = lost is not None or any(p.rejected for p in validator.plans.values())
                if held:
                    plans = [*first.values(), *second.values()] if second is not first else \
                        [*first.values()]
                    refused = [name for name, plan in validator.plans.items() if plan.rejected]
                    reports += _held(write(plans, hold=True), refused)
                else:
                    if second is not first:
                        reports += write(list(first.values()))
                    reports += write(list(second.values()), blocked_by=reports)
            else:
                reports += write(list(second.values()), blocked_by=reports)
            touched = [] if dry_run else _organisations_touched(validator.plans, reports)
            retirement = _retire(driver, record, reports, list(validator.plans.values()),
                                 dataset=dataset if replace else None, dry_run=dry_run,
                                 database=database, batch_size=batch_size)
            del validator, stages, first, second, pending  # freed now, by reference counting
        if any(r.elements_written or r.connections_written for r in reports):
            # the full-text index is eventually consistent: searches right after see every name
            # (a server gone mid-load: the reports already say write_failed)
            with contextlib.suppress(ServiceUnavailable, SessionExpired, Neo4jError, OSError):
                refresh_fulltext(driver, database)
        if touched:
            try:
                derive_locations(driver, touched, database=database, batch_size=batch_size)
            except (ServiceUnavailable, SessionExpired, Neo4jError, OSError) as exc:
                for r in reports:
                    if r.status in ("loaded", "partial"):
                        r.warn(Words(
                            "la position des organisations n'a pas été recopiée de leur commune "
                            f"({exc.__class__.__name__}) : chargez à nouveau les fichiers quand "
                            "Neo4j répondra.",
                            "the organisations' locations were not copied from their communes "
                            f"({exc.__class__.__name__}); load the files again once Neo4j is "
                            "back"))
        reports.sort(key=lambda r: names.index(r.file))
        # ok: nothing rejected, not even a row (--skip-invalid), and every write went through
        ok = all(r.status in ("loaded", "validated") and not r.errors for r in reports)
        clear_caches()  # the queries' cached answers may be stale now
        report = LoadReport(ok=ok, dry_run=dry_run, skip_invalid=skip_invalid, files=reports,
                            import_id=record.import_id if record.started else None,
                            mode=record.mode, dataset=dataset, by=by,
                            changes=_changes(diffs, retirement), recovered=recovered)
        record.finish(report)
        return report

    try:
        return run()
    finally:
        record.stop_beating()  # whatever ended the load (a bug too)


class _ImportRun:
    """The Import record of a load, written before its first write (once: the writer
    thread and the caller's may both write) and completed at the end.

    A replace keeps its files in the record (``kept``) and beats while it runs, so that
    if it is cut short the next load finishes it (loaders/recovery.py); ``resumed``: the
    record exists already (this run finishes a replace cut short)."""

    def __init__(self, driver: Driver, stamp: Stamp, *, database: str, datasets: list[str],
                 files: list[str], hashes: list[str], by: str | None, mode: str,
                 kept: list[bytes] | None = None, resumed: bool = False):
        self.driver, self.stamp, self.database = driver, stamp, database
        self.datasets, self.files, self.hashes = datasets, files, hashes
        self.by, self.mode, self.kept, self.resumed = by, mode, kept, resumed
        self.started = False
        self._lock = threading.Lock()
        self._stop_beating = threading.Event()
        self._beater: threading.Thread | None = None
        if resumed:
            self.start()

    @property
    def import_id(self) -> str:
        return self.stamp.import_id

    def start(self) -> None:
        with self._lock:
            if not self.started:
                if not self.resumed:
                    start_import(self.driver, self.stamp, database=self.database,
                                 datasets=self.datasets, files=self.files,
                                 hashes=self.hashes, by=self.by, mode=self.mode,
                                 kept=self.kept)
                self.started = True
                if self.kept is not None:
                    self._beater = threading.Thread(target=self._beat, daemon=True,
                                                    name="alliance-import-beat")
                    self._beater.start()

    def _beat(self) -> None:
        """Renew the record's ``beat`` four times a lease while the replace runs."""
        every = get_settings().import_lease / 4
        while not self._stop_beating.wait(every):
            with contextlib.suppress(*_NEO4J_GONE):
                beat(self.driver, self.import_id, database=self.database)

    def stop_beating(self) -> None:
        self._stop_beating.set()

    def finish(self, report: LoadReport) -> None:
        self.stop_beating()
        if not self.started:
            return
        statuses = {f.status for f in report.files}
        state = ("interrupted" if "write_failed" in statuses
                 else "rejected" if "loaded" not in statuses and "rejected" in statuses
                 else "partial" if statuses - {"loaded"} else "done")
        # a server gone now: the record stays "running", which says the load did not end
        with contextlib.suppress(*_NEO4J_GONE):
            finish_import(self.driver, self.import_id, database=self.database, state=state,
                          counts=report.changes.counts(),
                          report=report.model_dump(mode="json"))


def _held(reports: list[FileReport], refused: list[str]) -> list[FileReport]:
    """The reports of a replace that wrote nothing: one of its files was refused
    (``refused``), or could not be checked (Neo4j gone: its own report says so)."""
    if refused:
        names = " et ".join(refused)
        fr = f"{names} {'est refusé' if len(refused) == 1 else 'sont refusés'}"
        en = f"{', '.join(refused)} {'was' if len(refused) == 1 else 'were'} refused"
    else:
        fr = "un fichier n'a pas pu être vérifié (Neo4j ne répondait plus)"
        en = "a file could not be checked (Neo4j was gone)"
    for r in reports:
        if r.status == "validated":
            r.warn(Words(
                "rien n'a été écrit : la nouvelle version du jeu de données s'écrit en entier "
                f"ou pas du tout, et {fr}. Corrigez puis chargez à nouveau tous les fichiers.",
                f"nothing written: a replace writes the new version whole or not at all, and "
                f"{en}; fix it and load every file again"))
    return reports


def _retire(driver: Driver, record: _ImportRun, reports: list[FileReport], plans: list[Plan],
            *, dataset: str | None, dry_run: bool, database: str,
            batch_size: int) -> Retirement | None:
    """Replacing ``dataset``: retire what the new version no longer states, once every
    file of it is written whole (a rejected or interrupted file retires nothing)."""
    if dataset is None:
        return None
    whole = all(r.status in ("loaded", "validated") for r in reports)
    if not whole:
        for r in reports:
            r.warn(Words(
                f"rien n'a été retiré du jeu de données « {dataset} » : la nouvelle version "
                "n'a pas été écrite en entier. Corrigez les fichiers et chargez-les à nouveau.",
                f"nothing of dataset {dataset!r} was retired: the new version was not "
                "written whole"))
        return None
    try:
        retirement = retirement_plan(driver, dataset, plans, database=database)
        if not dry_run and (retirement.nodes_retired or retirement.nodes_dropped
                            or retirement.rels_retired or retirement.rels_dropped):
            record.start()
            retire(driver, retirement, record.stamp.for_dataset(dataset), database=database,
                   batch_size=batch_size)
    except _NEO4J_GONE as exc:
        for r in reports:
            r.fail_write(Words(
                f"la nouvelle version est écrite, mais le retrait de ce qu'elle ne contient "
                f"plus s'est interrompu ({exc.__class__.__name__}) : chargez-la à nouveau "
                "quand Neo4j répondra.",
                f"the new version is written but retiring what it no longer states failed "
                f"({exc.__class__.__name__}: {exc}); load it again once Neo4j is back"))
        return None
    return retirement


def _changes(diffs: dict[str, PlanDiff], retirement: Retirement | None) -> Changes:
    """The load's changes: the files' diffs added up, and the retirements."""
    out = Changes()
    created: Counter = Counter()
    fields: Counter = Counter()
    for d in diffs.values():
        for key in ("elements_created", "elements_updated", "elements_unchanged",
                    "connections_created", "connections_updated", "connections_unchanged"):
            setattr(out, key, getattr(out, key) + getattr(d, key))
        created.update(d.created_by_label)
        fields.update(d.fields_changed)
    out.created_by_label, out.fields_changed = dict(created), dict(fields)
    if retirement is not None:
        out.elements_retired = retirement.elements
        out.connections_retired = retirement.connections
        out.retired_by_label = dict(retirement.by_label())
    return out


#: what a server gone away (or refusing midway) raises through the driver
_NEO4J_GONE = (ServiceUnavailable, SessionExpired, Neo4jError, OSError)


def _unvalidated(name: str, stages: list[list[Table]], exc: Exception) -> FileReport:
    """The report of a file that could not be validated: Neo4j went away while its rows
    were checked against the graph. Nothing of it was written."""
    tables = [t for stage in stages for t in stage if t.file == name]
    report = FileReport(file=name, status="write_failed", tables=[t.kind for t in tables],
                        rows_read=sum(len(t.rows) for t in tables))
    report.fail_write(Words(
        "rien n'a été écrit : Neo4j ne répondait plus pendant la vérification du fichier "
        f"({exc.__class__.__name__}). Chargez-le à nouveau quand Neo4j répondra.",
        "not written: Neo4j could not be reached while the file was validated "
        f"({exc.__class__.__name__}: {exc}); load it again once Neo4j is back"))
    return report


def _write_failed_words(report: FileReport, total: int, exc: Exception) -> Words:
    """Why a file's writes stopped, and what is known of what they wrote.

    The counts are those of the transactions Neo4j acknowledged. A transaction whose
    commit was sent but whose acknowledgement was lost (``IncompleteCommit``: the
    connection dropped meanwhile) may have committed: then the counts are "at least"
    (« au moins »), with how many rows more may be written.
    """
    unsure = report.elements_uncertain + report.connections_uncertain
    at_least_fr, at_least_en = ("au moins ", "at least ") if unsure else ("", "")
    written = (f"{at_least_fr}{plural(report.elements_written, 'élément', 'éléments')} et "
               f"{plural(report.connections_written, 'lien', 'liens')}")
    maybe_fr = maybe_en = ""
    if unsure:
        maybe_fr = (f", et peut-être jusqu'à {plural(unsure, 'ligne', 'lignes')} de plus dont "
                    "Neo4j n'a pas confirmé l'écriture (la connexion a été coupée)")
        maybe_en = (f", and up to {unsure} more rows whose commit Neo4j did not acknowledge "
                    "(the connection was lost: they may be written)")
    return Words(
        f"l'écriture s'est interrompue après {written} sur {num(total)}{maybe_fr} "
        f"({exc.__class__.__name__}) : le fichier est écrit en partie. Chargez-le à "
        "nouveau quand Neo4j répondra (recharger ne crée pas de doublon).",
        f"the write failed after {at_least_en}{report.elements_written} elements and "
        f"{report.connections_written} connections of {total} were committed{maybe_en} "
        f"({exc.__class__.__name__}: {exc}); the file is partly written — load it again "
        "once Neo4j is back: MERGE makes that safe")


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """No cyclic garbage collection during a load.

    Reading and validation build millions of small objects and no cycles, kept until the
    writes end: the collector would rescan them over and over (a third of the validation
    time, and pauses between write batches). Reference counting still frees the rest.
    """
    was_enabled = gc.isenabled()
    # a process that froze its own heap (the API does at startup) keeps it frozen
    frozen_before = gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not frozen_before:
                # What survives goes straight to the oldest generation (freeze, then
                # unfreeze): else the first young collection would scan every object made
                # meanwhile (half a second after a load of 100,000 organisations)
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _read(driver: Driver, sources: list[Source], names: list[str], database: str,
          skip_invalid: bool, on_progress: ProgressCallback | None,
          ) -> tuple[Validator, list[list[Table]]]:
    """Read every source; the validator (with the read errors) and the tables in stages.

    Two stages when the files that define elements (elements, inventaire) and the files
    of connections are different files: the first can be written while the second is
    validated. One stage otherwise (a workbook with both sheets is one file, all or nothing).
    """
    tables: list[Table] = []
    validator = Validator(driver, database, skip_invalid)
    for source, name in zip(sources, names, strict=True):
        if name != source.name:
            source = Source(name, source.data)
        try:
            tables.extend(read_source(source))
        except ReadError as exc:
            validator.file_error(name, exc.reason, exc.row, exc.column)
        if on_progress:
            on_progress("validate", name, 1, len(sources))
    kinds: dict[str, set[str]] = {}
    for t in tables:
        kinds.setdefault(t.file, set()).add(t.kind)
    defining = {f for f, k in kinds.items() if k <= {ELEMENTS, INVENTAIRE}}
    linking = {f for f, k in kinds.items() if k == {CONNECTIONS}}
    if defining and linking and len(defining) + len(linking) == len(kinds):
        return validator, [[t for t in tables if t.file in defining],
                           [t for t in tables if t.file in linking]]
    return validator, [tables]


def _ensure_schema(driver: Driver, database: str, plans: dict[str, Plan]) -> bool:
    """Constraints and indexes before the first write (True once done or not needed)."""
    if any(not p.rejected and (p.nodes or p.relationships) for p in plans.values()):
        apply_schema(driver, database)
        return True
    return False


def _unique_names(sources: list[Source]) -> list[str]:
    # two uploads called data.csv must not share a report line
    out, seen = [], {}
    for s in sources:
        name = s.name or "upload"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _file_rank(plan: Plan) -> int:
    kinds = {t.kind for t in plan.tables}
    return 0 if "elements" in kinds else 1 if "inventaire" in kinds else 2


def _rejects_dir(name: str, rejects_dir: str | Path | None,
                 defaults: dict[str, Path] | None) -> Path | None:
    if rejects_dir is not None:
        return Path(rejects_dir)
    return (defaults or {}).get(name)


def _run_plan(driver: Driver, plan: Plan, *, database: str, dry_run: bool, skip_invalid: bool,
              batch_size: int, on_progress: ProgressCallback | None,
              rejects_dir: Path | None, record: _ImportRun, dataset: str,
              diffs: dict[str, PlanDiff], writers: int = 1,
              blocked_by: str | None = None) -> FileReport:
    report = FileReport(
        file=plan.file, status="validated", tables=[t.kind for t in plan.tables],
        rows_read=plan.rows_read, errors=plan.errors,
        warnings=[w.fr for w in plan.warnings], warnings_en=[w.en for w in plan.warnings],
        rows_rejected=len(plan.rejected_rows), dataset=dataset,
    )
    if not plan.rejected:
        report.elements_planned = plan.element_count
        report.connections_planned = plan.connection_count
    if plan.rejected:
        report.status = "rejected"
        return report
    if skip_invalid and plan.rejected_rows and not dry_run and rejects_dir is not None:
        report.rejects_file = str(write_rejects(plan, rejects_dir))
    total = plan.element_count + plan.connection_count
    if blocked_by is None:
        stamp = record.stamp.for_dataset(dataset)
        try:  # what the file changes, fact by fact (a dry run says it too)
            diff = diffs[plan.file] = diff_plan(driver, plan, stamp, database=database)
            if not dry_run:
                record.start()
        except _NEO4J_GONE as exc:
            report.fail_write(_write_failed_words(report, total, exc))
            return report
        for key in ("elements_created", "elements_updated", "elements_unchanged",
                    "connections_created", "connections_updated", "connections_unchanged"):
            setattr(report, key, getattr(diff, key))
    if dry_run:
        return report
    if blocked_by is not None:
        # its connections would find only part of the elements they join
        report.fail_write(Words(
            f"rien n'a été écrit : l'écriture de {blocked_by} a échoué avant ; chargez à "
            "nouveau les fichiers quand Neo4j répondra (recharger ne crée pas de doublon).",
            f"not written: writing {blocked_by} failed first; load the files again once "
            "Neo4j is back: MERGE makes that safe"))
        return report

    lock = threading.Lock()  # batches of one step may end in several threads at once

    def progress(what: str, n: int) -> None:
        with lock:
            _progress(what, n)

    def uncertain(what: str, n: int) -> None:  # a commit whose acknowledgement was lost
        with lock:
            if what == "elements":
                report.elements_uncertain += n
            elif what == "connections":
                report.connections_uncertain += n

    def _progress(what: str, n: int) -> None:
        if what == "elements":
            report.elements_written += n
        elif what == "connections":
            report.connections_written += n
        else:
            return
        if on_progress:
            on_progress("write", plan.file, n, total)

    try:
        _write_steps(driver, write_steps(plan, stamp.params()), batch_size=batch_size,
                     database=database,
                     writers=writers, progress=progress, uncertain=uncertain)
    except (ServiceUnavailable, SessionExpired, Neo4jError, OSError) as exc:
        report.fail_write(_write_failed_words(report, total, exc))
        return report
    report.status = "partial" if plan.rejected_rows else "loaded"
    return report


def _write_steps(driver: Driver, steps: list[WriteStep], *, batch_size: int, database: str,
                 writers: int, progress: Callable[[str, int], None],
                 uncertain: Callable[[str, int], None] | None = None) -> None:
    """Run the steps in order; a big step's rows in ``writers`` transactions at once.

    Each round of :func:`loaders.partition.split_disjoint` runs its parts together (their
    rows share no node: no lock waits, no deadlocks), the rows left over run alone. The
    next step is split while this one's first round is written.
    """
    def split(step: WriteStep) -> Split:
        if writers < 2 or len(step.rows) < PARALLEL_MIN_ROWS:
            return Split(rest=list(range(len(step.rows))))
        if step.counts == "elements":  # one node per row, distinct ids: any cut will do
            return Split(rounds=[[list(range(k, len(step.rows), writers))
                                  for k in range(writers)]])
        return split_disjoint([(r[0], r[1]) for r in step.rows], writers,
                              min_rows=PARALLEL_MIN_ROWS)

    def run(step: WriteStep, indexes: list[int]) -> None:
        rows = step.rows if len(indexes) == len(step.rows) else [step.rows[i] for i in indexes]
        write_batches(driver, step.query, rows, batch_size=batch_size, database=database,
                      params=step.params, on_batch=lambda n: progress(step.counts, n),
                      retry_delay=0.05, on_uncertain=uncertain and (
                          lambda n: uncertain(step.counts, n)))

    with ThreadPoolExecutor(max_workers=max(writers, 1),
                            thread_name_prefix="alliance-write-part") as pool:
        next_split = split(steps[0]) if steps else None
        for k, step in enumerate(steps):
            plan, next_split = next_split, None
            for parts in plan.rounds:
                futures = [pool.submit(run, step, part) for part in parts]
                if next_split is None and k + 1 < len(steps):
                    next_split = split(steps[k + 1])  # the client's CPU is free meanwhile
                for f in futures:
                    f.result()
            if plan.rest:
                run(step, plan.rest)
            if next_split is None and k + 1 < len(steps):
                next_split = split(steps[k + 1])


#: fewer rows than this in a step are written by one transaction at a time
PARALLEL_MIN_ROWS = 2000


def _organisations_touched(plans: dict[str, Plan], reports: list[FileReport]) -> list[str]:
    """Organisations whose location may come from their commune: written or given a
    LOCATED_IN by this load (files actually written), without a lat/lon of their own in it.

    One given a lat/lon is skipped: its explicit location wins
    (:data:`loaders.locations.DERIVE_LOCATIONS` would leave it as it is), and skipping it
    spares 100,000 lookups on a generated load.
    """
    written = {r.file for r in reports if r.status in ("loaded", "partial", "write_failed")}
    ids: set[str] = set()
    placed: set[str] = set()
    for name, plan in plans.items():
        if name not in written:
            continue
        for (label, _roles), rows in plan.nodes.items():
            if label == "Organisation":
                for r in rows:
                    (placed if "location" in r["props"] else ids).add(r["id"])
        for (rel, src, _dst), rows in plan.relationships.items():
            if rel == "LOCATED_IN" and src == "Organisation":
                ids.update(r["from"] for r in rows)
    return sorted(ids - placed)
