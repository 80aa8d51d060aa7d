"""Running imports in the background of the web server, with no extra server to run.

One worker thread per server process, started the first time a job is submitted, takes
jobs off a queue one at a time (imports take the lake's write lock anyway, so running two
at once would only make them wait). It records progress on the job's row as it goes, and
closes its database connection after each job, as Django expects of threads it did not
start.

A server process that stops mid-import leaves its job marked running. Such a job is
recognised by its `owner` (host, process id and a token unique to the process) and marked
failed the next time a Data page is opened (`fail_abandoned_jobs`). The lake itself is
unharmed: an import that did not commit left it as it was.

After an ISTV extract or a licensing register comes in, ED locations are matched to
premises again (observatory.lake.venues), so that the review queue is current.
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
import traceback
import uuid
from pathlib import Path

from django.db import close_old_connections, connection
from django.utils import timezone

from observatory.errors import ObservatoryError
from observatory.lake import venues
from observatory.lake.pipelines import Unusable, import_paths
from observatory.web.data import services
from observatory.web.data.models import ImportJob

log = logging.getLogger(__name__)

HOST = socket.gethostname()
OWNER = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
STOPPED = (
    "the server stopped during the import; the import history shows whether the file got in "
    "before that (if not, nothing of it was written: upload it again)"
)
# New ED locations or a new register: locations are matched to premises again after these.
MATCHED_KINDS = ("istv", "premises")
PROGRESS_SECONDS = 0.5  # how often a running import writes its row count to the job
UNEXPECTED = "an unexpected error stopped the import (the server log has the details)"

_queue: queue.SimpleQueue[int] = queue.SimpleQueue()
_live: set[int] = set()  # jobs this process has queued or is running
_lock = threading.Lock()
_worker: threading.Thread | None = None


def create(**fields) -> ImportJob:
    """A new queued job owned by this process (registered as live before anyone can see
    it, so that `fail_abandoned_jobs` never takes it for a dead process's job)."""
    with _lock:
        job = ImportJob.objects.create(owner=OWNER, **fields)
        _live.add(job.pk)
    return job


def submit(job: ImportJob) -> None:
    """Queue `job` for the worker thread, starting the thread if there is none yet."""
    global _worker
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="observatory-imports", daemon=True)
            _worker.start()
    _queue.put(job.pk)


def _work() -> None:
    while True:
        job_id = _queue.get()
        close_old_connections()
        try:
            run_job(job_id)
        except Exception as error:  # the worker must outlive anything (a lost database)
            log.error("import job %s could not be recorded: %s", job_id, type(error).__name__)
        finally:
            connection.close()


def run_job(job_id: int) -> None:
    """Import the job's uploaded file, recording progress and the outcome on the job.

    The uploaded files are deleted afterwards whatever happens: the lake keeps what
    matters, and the rejections file is in the lake."""
    try:
        job = ImportJob.objects.get(pk=job_id)
        job.status = ImportJob.Status.RUNNING
        job.started = timezone.now()
        job.progress = "Reading the file"
        job.save(update_fields=["status", "started", "progress"])
        folder = services.upload_folder(job.pk)
        mapping = folder / "mapping" / job.mapping_name if job.mapping_name else None
        try:
            _run(job, folder / job.file_name, mapping)
        except ObservatoryError as error:  # raised before anything is written
            _finish(job, ImportJob.Status.FAILED, error=f"{error}; nothing of the file was written")
    except Exception as error:
        # An exception's message may quote a row: the log gets its type and where it was
        # raised, the page a plain sentence.
        where = " < ".join(
            f"{frame.filename}:{frame.lineno} {frame.name}"
            for frame in reversed(traceback.extract_tb(error.__traceback__))
        )
        log.error("import job %s failed with %s at %s", job_id, type(error).__name__, where)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED, error=UNEXPECTED, finished=timezone.now()
        )
    finally:
        services.remove_upload(job_id)
        with _lock:
            _live.discard(job_id)


def _run(job: ImportJob, path: Path, mapping: Path | None) -> None:
    lake = services.lake()
    last_update = 0.0

    def progress(rows_read: int) -> None:
        nonlocal last_update
        if time.monotonic() - last_update >= PROGRESS_SECONDS:
            last_update = time.monotonic()
            ImportJob.objects.filter(pk=job.pk).update(
                rows_read=rows_read, progress=f"{rows_read:,} rows read"
            )

    context = services.context(mapping)
    for result in import_paths(job.kind, [path], lake, context, job.who_name, progress):
        if isinstance(result, Unusable):
            error = f"{job.file_name} {result.error}; nothing of it was written"
            _finish(job, ImportJob.Status.FAILED, error=error)
            return
        summary = result.as_dict()
        job.rows_read = summary["read"]
        job.import_id = summary["import_id"] or ""
        if job.kind in MATCHED_KINDS and summary["accepted"]:
            ImportJob.objects.filter(pk=job.pk).update(
                progress="Matching assault locations to licensed premises"
            )
            summary["venues"] = _match_venues(lake, job)
        services.sync_import_history()
        _finish(job, ImportJob.Status.DONE, result=summary)


def _match_venues(lake, job: ImportJob) -> dict | None:
    """Match ED locations to premises again; a failure here must not hide that the file
    itself is in (it can be run again from the venue review page)."""
    try:
        return venues.match_new_descriptions(lake, who=job.who_name)
    except Exception:
        log.exception("matching venues after import job %s failed", job.pk)
        return None


def fail(job: ImportJob, error: str) -> None:
    """Give up on a job that never reached the worker (its upload could not be saved)."""
    with _lock:
        _live.discard(job.pk)
    _finish(job, ImportJob.Status.FAILED, error=error)
    services.remove_upload(job.pk)


def _finish(job: ImportJob, status: str, result: dict | None = None, error: str = "") -> None:
    job.status = status
    job.result = result
    job.error = error
    job.progress = "Finished" if status == ImportJob.Status.DONE else "Stopped"
    job.finished = timezone.now()
    job.save()


def fail_abandoned_jobs() -> int:
    """Mark failed the unfinished jobs whose server process is gone; return how many."""
    unfinished = list(
        ImportJob.objects.filter(
            status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
        ).values_list("pk", "owner")
    )
    with _lock:  # after the query: a job it found is in `_live` by now if it is ours
        live = set(_live)
    abandoned = [pk for pk, owner in unfinished if pk not in live and _owner_is_gone(owner)]
    if abandoned:
        ImportJob.objects.filter(pk__in=abandoned).update(
            status=ImportJob.Status.FAILED,
            error=STOPPED,
            progress="Stopped",
            finished=timezone.now(),
        )
        for job_id in abandoned:
            services.remove_upload(job_id)
    return len(abandoned)


def _owner_is_gone(owner: str) -> bool:
    """True when the process that owns a job has certainly stopped.

    This process, a job it no longer holds: gone. The same host and process id under
    another token: an earlier process (the id was reused, as in a container). Another
    process on this host: gone if no process has that id. Another host: unknown, so no."""
    if owner == OWNER or not owner:
        return True
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
