#!/usr/bin/env python3
"""Summit Watch: build the site. Run `python build.py --help`."""

import sys

from summitsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
