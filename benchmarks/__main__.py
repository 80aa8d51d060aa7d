"""`python -m benchmarks`: run every benchmark in a throw-away data dir and print a table
(and benchmarks/results/latest.json)."""

import json
import os
import platform
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from benchmarks import (
    bench_analysis,
    bench_dashboards,
    bench_demo,
    bench_import,
    bench_matching,
    bench_pages,
    bench_startup,
)
from benchmarks.harness import report


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="observatory-bench-") as data_dir:
        os.environ["OBSERVATORY_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatory.web.settings")
        import django

        django.setup()
        results = [
            *bench_startup.run(),
            *bench_pages.run(),
            *bench_demo.run(),
            *bench_import.run(),
            *bench_matching.run(),
            *bench_analysis.run(),
            *bench_dashboards.run(),
        ]
    print(report(results))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps(
            {
                "python": sys.version.split()[0],
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "results": [{**asdict(r), "ratio": r.ratio} for r in results],
            },
            indent=2,
        )
    )
    return 1 if any(r.meets_target is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
