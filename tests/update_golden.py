"""Regenerate the golden copy of the sample site after an intended change:

    python tests/update_golden.py

then review `git diff tests/golden` before committing it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
GOLDEN = PROJECT / "tests" / "golden" / "site"
sys.path.insert(0, str(PROJECT))

from summitsite.pipeline import build  # noqa: E402


def main() -> int:
    result = build(PROJECT / "content", None)
    if not result.ok:
        print("\n".join(map(str, result.errors)), file=sys.stderr)
        return 1
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for relative, data in sorted(result.files.items()):
        path = GOLDEN / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(result.files)} files to {GOLDEN.relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
