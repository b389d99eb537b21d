"""`twinpress verify --recipients`: check every output of a batch against its recipient's
personalised document, and against the batch manifest.

Each output is read back like any other (verify/): every section the recipient's audience
should see, in order, with all its text as personalised for that recipient, and the
recipient named on its first page or slide. The batch manifest must list it as built from
the current inputs, with the hash of the file as it is now.
"""

from __future__ import annotations

from pathlib import Path

from .. import manifest
from ..errors import Diagnostic, display_path
from ..verify import OutputResult, verify_output
from .ledger import Ledger
from .plan import Batch, Item
from .run import target_of


def verify_batch(batch: Batch) -> list[OutputResult]:
    """One result per output of the batch (per recipient and format)."""
    manifest_path, journal, _ = batch.paths
    book = Ledger(manifest_path, journal)
    results = []
    for item in batch.items:
        job = batch.job(item)
        target = target_of(batch, item)
        result = verify_output(
            job.document, target, item.format, item.profile.name, job.theme, check_manifest=False
        )
        if target.is_file():
            result.problems.extend(_ledger_problems(book, item, target))
        results.append(result)
    return results


def _ledger_problems(book: Ledger, item: Item, target: Path) -> list[Diagnostic]:
    record = book.get(item.row.id, item.format)
    name = display_path(target)
    where = item.row.loc
    if record is None:
        return [
            Diagnostic(
                "error",
                "verify.no-manifest",
                f"{name} is not in the batch manifest",
                where,
                "run `twinpress batch` again",
            )
        ]
    problems = []
    if record.status == "failed":
        problems.append(
            Diagnostic("error", "verify.failed", f"the last batch failed to make {name}", where)
        )
    elif manifest.data_hash(target.read_bytes()) != record.sha256:  # exact: no cache
        problems.append(
            Diagnostic(
                "error",
                "verify.modified",
                f"{name} was changed after it was built",
                where,
                "rebuild it with `twinpress batch --force`",
            )
        )
    if record.inputs != item.inputs:
        problems.append(
            Diagnostic(
                "error",
                "verify.stale",
                f"{name} is older than its inputs (the source, the recipient's row, "
                "the theme or the audience profile changed)",
                where,
                "run `twinpress batch`",
            )
        )
    return problems
