"""Summit Watch: a static site generator for coverage of political summits.

The build is one pipeline, a module per stage:
load (files -> raw data with positions) -> validate (collect every error)
-> model (plain dataclasses) -> render (Jinja2) -> write (temp folder, then swap,
or each changed file renamed into place).
"""

from pathlib import Path

__version__ = "0.1.0"
PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
STATIC = PROJECT / "static"
