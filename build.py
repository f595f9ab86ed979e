#!/usr/bin/env python3
"""Summit Watch: build the site. Run `python build.py --help`."""

import os
import sys

from summitsite.cli import main

if __name__ == "__main__":
    code = main()
    if sys.getprofile() is None and sys.gettrace() is None:  # not under a profiler or coverage (they report at exit)
        # Leave without freeing the site's millions of objects one by one (a fifth of a second and
        # more at 2,000 articles): every file is closed by now, and nothing is registered to run at exit.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
