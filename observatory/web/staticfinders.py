"""Serve front-end libraries straight from the Python packages that ship them.

No CDN and no npm: the browser loads the copy inside the installed wheel, so the version is
the one pinned in pyproject.toml and the app works with no internet. (htmx needs no entry
here: django-htmx keeps it in its own `static/` folder, which Django already finds.)
"""

from importlib import resources
from pathlib import Path

from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# static path -> (package, file inside the package)
PACKAGE_FILES = {
    "vendor/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
}


class PackageDataFinder(BaseFinder):
    """A staticfiles finder for single files inside installed packages (PACKAGE_FILES)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources: dict[str, Path] = {
            static_path: Path(str(resources.files(package).joinpath(inner)))
            for static_path, (package, inner) in PACKAGE_FILES.items()
        }

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        source = self.sources.get(path)
        if source is None or not source.is_file():
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns):
        for static_path, source in self.sources.items():
            if utils.matches_patterns(static_path, ignore_patterns or []):
                continue
            prefix, _, name = static_path.rpartition("/")
            storage = FileSystemStorage(location=source.parent)
            storage.prefix = prefix
            yield name, storage
