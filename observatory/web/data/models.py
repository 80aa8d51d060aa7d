"""Import jobs started from the web, and the mirror of the lake's import log.

The lake's manifest is the authority on what was imported (observatory.lake.store); the
database keeps a copy of its log (`ImportRecord`) so that the history can be paged and
sorted like any other table, and the state of each web upload (`ImportJob`) while it runs.
"""

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

# The kinds the upload form offers, with what a person calls them. Geography needs several
# files at once and stays on the command line (`observatory import geography`).
KINDS = [
    ("police", "police.uk file (street crime, outcomes or stop and search)"),
    ("force-crime", "Force crime extract"),
    ("istv", "Emergency department assaults (ISTV extract)"),
    ("premises", "Licensing register of premises"),
    ("places", "Schools or youth provision"),
]


class ImportJob(models.Model):
    """One file uploaded for import, from upload to summary."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    who = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The user name at upload time: the log still says who after an account is deleted.
    who_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=32, choices=KINDS)
    file_name = models.CharField(max_length=255)
    mapping_name = models.CharField(max_length=255, blank=True)  # ISTV mapping file, if any
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.CharField(max_length=255, blank=True)
    rows_read = models.PositiveBigIntegerField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    import_id = models.CharField(max_length=64, blank=True)
    # Which server process runs the job (see jobs.py), to tell a job still running from
    # one whose process died.
    owner = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()}, {self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportRecord(models.Model):
    """One entry of the lake manifest's `imports` list (see lake/imports.py)."""

    id = models.CharField(max_length=64, primary_key=True)
    # Position in the manifest's log, which is in the order the imports were committed
    # (`when` has a resolution of one second).
    sequence = models.PositiveIntegerField(default=0)
    who = models.CharField(max_length=150, blank=True)
    when = models.DateTimeField(null=True, blank=True)
    file = models.CharField(max_length=1024, blank=True)
    source = models.CharField(max_length=64, blank=True)
    table = models.CharField(max_length=64, blank=True)
    read = models.PositiveBigIntegerField(default=0)
    accepted = models.PositiveBigIntegerField(default=0)
    rejected = models.PositiveBigIntegerField(default=0)
    duplicates = models.PositiveBigIntegerField(default=0)
    # Relative to the lake's root; the only way to a rejections file (never a user's path).
    rejections = models.CharField(max_length=1024, blank=True)
    notes = models.JSONField(default=list, blank=True)
    replaced = models.JSONField(default=list, blank=True)
    slices = models.JSONField(default=list, blank=True)
    file_hash = models.CharField(max_length=64, blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-sequence"]

    def __str__(self):
        return f"{self.id} {self.file_name}"

    @property
    def file_name(self) -> str:
        return PurePath(self.file).name
