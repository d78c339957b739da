"""`python -m stargate_explainer validate|export-data|schema`: the dataset's command line.

Problems in the data are reported as `FILE:LINE: field: message` with exit status 1 (the first
`PROBLEM_LIMIT`, then `… and N more problems`); the command line never shows a Python traceback
for them. Everything printed that comes from a file or its name goes through `escape_controls`,
so that a data file cannot drive the terminal (clear it, move the cursor, forge an "OK" line).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from . import settings
from .data_export import export_data
from .dataset import load
from .originals import quality_lines
from .problems import DataError, escape_controls
from .schema import json_schema_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stargate_explainer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a data file and report every problem")
    validate.add_argument("file", nargs="?", type=Path, help="default: $STARGATE_DATA or data/")
    export = commands.add_parser("export-data", help="write one CSV per table and one JSON")
    export.add_argument("out_dir", type=Path)
    export.add_argument("--data", type=Path, help="data file (default: as for validate)")
    site = commands.add_parser("export-site", help="write the static site (HTML pages + data)")
    site.add_argument("out_dir", type=Path)
    site.add_argument("--data", type=Path, help="data file (default: as for validate)")
    commands.add_parser("schema", help="print the JSON Schema of the data file")
    model = commands.add_parser(
        "page-model", help="build the views' page model of a data file (the cache runs this)"
    )
    model.add_argument("file", type=Path)
    model.add_argument("out", type=Path, help="the JSON file written")
    warm = commands.add_parser("warm-cache", help="build the page model once, before serving")
    warm.add_argument("--data", type=Path, help="data file (default: as for validate)")
    args = parser.parse_args(argv)

    if args.command == "schema":
        sys.stdout.write(json_schema_text())
        return 0
    if args.command == "page-model":
        from .model_cache import write

        write(args.file, args.out)
        return 0
    if args.command == "warm-cache":
        from .model_cache import model_text

        problems = json.loads(model_text(args.data)).get("problems")
        if problems:
            print(f"the data has {problems['count']} problem(s): run `make validate`")
            return 1
        print("page model ready")
        return 0
    data_path = getattr(args, "file", None) or getattr(args, "data", None)
    data_path = data_path or settings.DATA_PATH.value()
    try:
        dataset = load(data_path)
    except DataError as error:
        for line in error.for_terminal():
            print(line, file=sys.stderr)
        count = error.count
        _print(f"{data_path}: {count:,} problem{'s' * (count != 1)}", file=sys.stderr)
        return 1
    if args.command == "validate":
        counts = ", ".join(f"{n} {table}" for table, n in dataset.counts().items())
        _print(f"{data_path}: OK ({counts})")
        for line in quality_lines(dataset.quality()):
            _print(line)
        return 0
    if args.command == "export-site":
        from .static_site import build_site  # nbconvert is only needed here

        started = time.perf_counter()
        for path in build_site(dataset, args.out_dir):
            _print(f"{path} ({path.stat().st_size:,} bytes)")
        print(f"exported in {time.perf_counter() - started:.1f} s")
        return 0
    for path in export_data(dataset, args.out_dir):
        _print(str(path))
    return 0


def _print(text: str, file: TextIO | None = None) -> None:
    print(escape_controls(text), file=file or sys.stdout)
