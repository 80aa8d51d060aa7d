"""Reading a CSV file the way partners really send them, in bounded memory.

`open_csv(path, expected)` checks the file as a whole first (not empty, text not binary,
UTF-8, a header naming the expected columns) and raises UnusableFile with one sentence a
person understands when it is not usable. Then `CsvFile.batches()` streams the data rows
as polars DataFrames of strings, in order, each with a `_row` column: the data-row number
in the file (1 is the first row under the header; a spreadsheet shows it as row 2).

Normalisation done here, and only here: a UTF-8 byte-order mark is ignored, CRLF is the
same as LF, header names match without regard to case or surrounding spaces, and every
value is trimmed of surrounding spaces. Rows with the wrong number of fields are not in any
batch; they are reported in `ragged` as (row, reason) so that the caller can reject them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from observatory.errors import ObservatoryError

BLOCK_BYTES = 8 << 20  # one batch is about 8 MiB of file: ~40,000 police.uk rows
ROW = "_row"

# The first bytes of files people send by mistake, and what they are.
_MAGIC = {
    b"PK\x03\x04": "an Excel workbook or another zip file; save it as CSV first",
    b"\xd0\xcf\x11\xe0": "an old-style Excel or Word file; save it as CSV first",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


class UnusableFile(ObservatoryError):
    """The file cannot be imported at all; nothing of it is written."""

    def __init__(self, path: Path, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def read_header(path: Path) -> list[str]:
    """The file's header names as written (BOM removed, trimmed); UnusableFile if the file
    is missing, empty, binary or not UTF-8 at the start."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
    except FileNotFoundError:
        raise UnusableFile(path, "no such file") from None
    except IsADirectoryError:
        raise UnusableFile(path, "is a folder, not a file") from None
    except OSError as error:
        raise UnusableFile(path, f"cannot be read ({error.strerror})") from None
    if not head.strip():
        raise UnusableFile(path, "is empty")
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise UnusableFile(path, f"is not a CSV file: it looks like {what}")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnusableFile(path, "is UTF-16 text; save it as 'CSV UTF-8' and import it again")
    if b"\x00" in head:
        raise UnusableFile(path, "is not a CSV file: it contains binary data")
    first_line = head.split(b"\n", 1)[0]
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnusableFile(path, _NOT_UTF8) from None
    names = next(csv.reader(io.StringIO(text)), [])
    return [name.strip() for name in names]


_NOT_UTF8 = "is not UTF-8 text; save it as 'CSV UTF-8' and import it again"


def match_header(
    path: Path, names: list[str], expected: list[str], required: set[str] | None = None
) -> list[str]:
    """Map the file's header onto the expected column names, case-insensitively.

    Returns one name per file column: the expected name, or `_extra_<n>` for a column
    that is not expected (it is read but never stored). Raises UnusableFile naming the
    missing columns when a required one is absent (all expected columns are required
    unless `required` says otherwise)."""
    wanted = {name.lower(): name for name in expected}
    columns, seen = [], set()
    for index, name in enumerate(names):
        canonical = wanted.get(name.lower())
        if canonical is None or canonical in seen:
            columns.append(f"_extra_{index}")
        else:
            columns.append(canonical)
            seen.add(canonical)
    missing = [name for name in expected if name not in seen and name in (required or expected)]
    if missing:
        raise UnusableFile(
            path,
            "does not have the expected header: missing "
            + ", ".join(repr(name) for name in missing)
            + f" (found {', '.join(repr(n) for n in names[:15]) or 'nothing'})",
        )
    return columns


@dataclass
class CsvFile:
    """An open, checked CSV file. `columns` names each file column (see match_header)."""

    path: Path
    columns: list[str]
    ragged: list[tuple[int, str]] = field(default_factory=list)
    rows_read: int = 0  # data rows seen so far, good and ragged

    def batches(self) -> Iterator[pl.DataFrame]:
        """Data rows in order, as DataFrames of trimmed strings (blank is null) with `_row`.

        Raises UnusableFile if the file turns out not to be UTF-8 further on: the caller
        has not written anything yet, so nothing of the file is kept."""
        invalid: list[int] = []  # data-row numbers of ragged rows, ascending
        expected = len(self.columns)

        def on_ragged(row) -> str:
            number = row.number - 1  # pyarrow counts the header as row 1
            invalid.append(number)
            self.ragged.append(
                (number, f"has {row.actual_columns} fields where the header has {expected}")
            )
            return "skip"

        reader = self._guarded(lambda: self._open_stream(on_ragged))
        text_schema = pa.schema([(name, pa.string()) for name in self.columns])
        good = 0
        while True:
            try:
                batch = self._guarded(reader.read_next_batch)
            except StopIteration:
                break
            if batch.num_rows == 0:
                continue
            batch = self._guarded(lambda batch=batch: batch.cast(text_schema))
            frame = pl.from_arrow(batch)
            frame = frame.select(
                pl.col(name).str.strip_chars().replace("", None)
                for name in self.columns
                if not name.startswith("_extra_")
            )
            rows = _row_numbers(good, batch.num_rows, invalid)
            good += batch.num_rows
            self.rows_read = good + len(invalid)
            yield frame.with_columns(pl.Series(ROW, rows, dtype=pl.Int64))
        self.rows_read = good + len(invalid)

    def _open_stream(self, on_ragged):
        return pacsv.open_csv(
            self.path,
            read_options=pacsv.ReadOptions(
                skip_rows=1,
                column_names=self.columns,
                block_size=BLOCK_BYTES,
                use_threads=False,  # row numbers of ragged rows need one thread
                encoding="utf8",
            ),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=True, invalid_row_handler=on_ragged
            ),
            convert_options=pacsv.ConvertOptions(
                # Bytes here, text below on this thread: pyarrow's own UTF-8 error can abort
                # the process when raised inside its reader with a row handler set.
                column_types={name: pa.binary() for name in self.columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    def _guarded(self, step):
        """Run a step of pyarrow's reader, turning its errors into UnusableFile."""
        try:
            return step()
        except pa.ArrowInvalid as error:
            message = str(error)
            if "UTF8" in message:
                raise UnusableFile(self.path, _NOT_UTF8) from None
            raise UnusableFile(self.path, f"cannot be read as CSV ({message})") from None


def _row_numbers(first_good: int, count: int, invalid: list[int]) -> np.ndarray:
    """Data-row numbers of good rows first_good .. first_good+count-1 (0-based among good
    rows), given the ascending data-row numbers of the ragged rows skipped so far.

    Good row k is preceded by ragged row j (0-based) exactly when the number of good rows
    before that ragged row, invalid[j] - 1 - j, is at most k."""
    k = np.arange(first_good, first_good + count, dtype=np.int64)
    good_before_ragged = np.asarray(invalid, dtype=np.int64) - 1 - np.arange(len(invalid))
    return k + 1 + np.searchsorted(good_before_ragged, k, side="right")


def open_csv(path: Path, expected: list[str], required: set[str] | None = None) -> CsvFile:
    """Check `path` as a whole and return it ready to stream (see the module docstring)."""
    path = Path(path)
    names = read_header(path)
    return CsvFile(path, match_header(path, names, expected, required))
