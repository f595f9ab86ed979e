"""The whole build, top to bottom: load -> validate -> model -> render -> write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, ContentWarning, ErrorList
from .load import RawContent, display_path, load_content
from .model import Site, build_site
from .outputs import publishing_warnings
from .render import TemplateProblem, render_site
from .validate import unconfirmed_quotes, validate
from .write import write_site

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
STATIC = PROJECT / "static"


@dataclass
class Result:
    errors: list[ContentError] = field(default_factory=list)
    site: Site | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[ContentWarning] = field(default_factory=list)  # unconfirmed quotes, no base_url
    unconfirmed: int = 0  # quotes marked status: suggested, left off the pages

    @property
    def ok(self) -> bool:
        return not self.errors


def build(content: Path, out: Path | None, templates: Path = TEMPLATES, static: Path = STATIC) -> Result:
    """Build content into out; with out=None, check everything and write nothing."""
    errors = ErrorList()
    raw = load_content(content, errors)
    checked = validate(raw, errors)
    if errors:
        return Result(errors.sorted())
    warnings = unconfirmed_quotes(raw)
    site = build_site(raw, checked)
    try:
        files = render_site(site, templates) | static_files(static)
    except TemplateProblem as problem:
        return Result([problem.error], site, warnings=warnings)
    if out is not None:
        write_site(files, out)
    return Result([], site, files, warnings + publishing_warnings(site, site_yaml_path(raw)), len(warnings))


def site_yaml_path(raw: RawContent) -> str:
    return raw.site.path if raw.site else display_path(raw.root / "site.yaml")


def static_files(folder: Path) -> dict[str, bytes]:
    return {
        f"static/{path.relative_to(folder).as_posix()}": path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
