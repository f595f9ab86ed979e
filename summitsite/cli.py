"""The command line: python build.py [build|check|serve|new-article|schemas] [--content DIR] [--out DIR]."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import PROJECT, STATIC, TEMPLATES, __version__
from .cache import Cache
from .errors import did_you_mean
from .progress import Progress
from .write import UnsafeOutput, check_output

COMMANDS = ("build", "check", "serve", "new-article", "schemas")
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="python build.py",
        description="Build a static site of a summit's timeline, who said what, and which "
        "outlets reported it, from the articles and YAML annotations in a content folder.",
        epilog="Without a command, 'build' is run. Exit codes: 0 ok, 1 content errors, 2 usage errors.",
    )
    main.add_argument("--version", action="version", version=f"summitsite {__version__}")
    commands = main.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in (
        ("build", "validate the content and build the site into the output folder"),
        ("check", "validate the content and render every page, but write nothing"),
        ("serve", "build, serve on localhost, rebuild what changed on every save and reload the browser"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                             help="the content folder (default: content)")  # fmt: skip
        command.add_argument("--out", type=Path, default=Path("site"), metavar="DIR",
                             help="output folder, replaced whole (default: site; check writes nothing)")  # fmt: skip
        command.add_argument("-q", "--quiet", action="store_true", help="print only errors")
        if name == "build":
            command.add_argument("--cache", type=Path, metavar="DIR",
                                 help="the build cache, so a rebuild does only what changed (default: "
                                      "~/.cache/summitsite/<key>, one per content and output folder)")  # fmt: skip
            command.add_argument("--no-cache", action="store_true", help="build everything, and keep no cache")
        if name in ("build", "check"):
            command.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                                 help="processes that render pages (default: one per core)")  # fmt: skip
        if name == "serve":
            command.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
            command.add_argument("--host", default="127.0.0.1",
                                 help="address to listen on (default: 127.0.0.1, this machine only)")  # fmt: skip
        if name == "check":
            command.add_argument("--coverage", action="store_true",
                                 help="also list, per article, sentences that attribute words to a known person "
                                 "(a verb of saying and a name) but that no quote covers")  # fmt: skip
    _new_article(commands)
    text = "write the JSON Schemas of the content files, for editors that check YAML as you type"
    command = commands.add_parser("schemas", help=text, description=text)
    command.add_argument("--out", type=Path, default=Path("schemas"), metavar="DIR",
                         help="folder to write the *.schema.json files into (default: schemas)")  # fmt: skip
    return main


def _new_article(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    text = "import a raw article (a text file starting with 'date YYYY-MM-DD') into the content folder"
    command = commands.add_parser(
        "new-article", help=text, description=text + ": its text verbatim as articles/<slug>.md, and "
        "articles/<slug>.yaml with the quotes found in it marked 'status: suggested' (not published until an "
        "editor removes that line). Never overwrites an article.")  # fmt: skip
    command.add_argument("file", type=Path, metavar="FILE", help="the raw article")
    command.add_argument("--outlet", required=True, metavar="ID", help="the outlet that published it")
    command.add_argument("--via", action="extend", nargs="+", default=[], metavar="ID",
                         help="outlets it cites as its source, nearest first")  # fmt: skip
    command.add_argument("--summit", metavar="ID",
                         help="its summit (default: the one held on its date or up to a week before)")  # fmt: skip
    command.add_argument("--slug", metavar="NAME", help="file name (default: outlet-date-speakers)")
    command.add_argument("--title", help="its title (default: its first sentence)")
    command.add_argument("--language", metavar="CODE", help="language of the text (default: the outlet's)")
    command.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                         help="the content folder (default: content)")  # fmt: skip
    command.add_argument("-q", "--quiet", action="store_true", help="print only errors")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(_command_first(list(sys.argv[1:] if argv is None else argv)))
    if args.command == "serve":
        return run_server(args.content, args.out, args.host, args.port, quiet=args.quiet)
    if args.command == "new-article":
        return run_import(args)
    if args.command == "schemas":
        return write_schemas(args.out)
    if args.command == "check":
        code = run("check", args.content, None, quiet=args.quiet, jobs=args.jobs)
        if code == EXIT_OK and args.coverage:
            print_coverage(args.content)
        return code
    if args.no_cache:
        cache = None
    else:
        from .cache import default_folder

        cache = args.cache or default_folder(args.content, args.out)
    return run("build", args.content, args.out, quiet=args.quiet, jobs=args.jobs, cache=cache)


def _command_first(args: list[str]) -> list[str]:
    """'python build.py' and 'python build.py --out x' mean build; '-q check' means 'check -q'."""
    takes_value = {"--content", "--out", "--port", "--host", "--cache", "-j", "--jobs", "--outlet", "--via", "--summit",
                   "--slug", "--title", "--language"}  # fmt: skip
    for index, arg in enumerate(args):
        if arg in COMMANDS and (index == 0 or args[index - 1] not in takes_value):
            return [arg, *args[:index], *args[index + 1 :]]
    if args and args[0] in ("-h", "--help", "--version"):
        return args
    positional = [a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] not in takes_value)]
    if positional:
        hint = did_you_mean(positional[0], COMMANDS)
        parser().error(f"unknown command '{positional[0]}'{hint} (commands: {', '.join(COMMANDS)})")
    return ["build", *args]


def write_schemas(out: Path) -> int:
    from .jsonschemas import write_schemas as write

    try:
        written = write(out)
    except OSError as exc:
        print(f"error: cannot write the schemas into {out}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {len(written)} JSON Schemas into {out}: {', '.join(p.name for p in written)}")
    return EXIT_OK


def run_server(content: Path, out: Path, host: str, port: int, *, quiet: bool = False) -> int:
    from .serve import serve

    try:
        check_output(out, [content, PROJECT, Path.cwd(), TEMPLATES, STATIC])
    except UnsafeOutput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not content.is_dir():
        print(f"error: content folder not found: {content}", file=sys.stderr)
        return EXIT_USAGE
    try:
        serve(content, out, host, port, watch=[TEMPLATES, STATIC], quiet=quiet)
    except OSError as exc:
        print(f"error: cannot serve on {host}:{port}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def run(
    command: str, content: Path, out: Path | None, *, quiet: bool = False, jobs: int = 0, cache: Path | None = None
) -> int:
    started = time.perf_counter()
    if out is not None:
        try:
            check_output(out, [content, PROJECT, Path.cwd()])
        except UnsafeOutput as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    store = _open_cache(cache, content, out)
    if store is not None and store.up_to_date():  # before the renderer is imported: nothing to do
        if not quiet:
            articles = store.manifest.summary.get("articles", 0) if store.manifest else 0
            print(f"{out} is up to date: nothing changed in {content} ({articles} article(s)) "
                  f"in {time.perf_counter() - started:.2f} s")  # fmt: skip
        return EXIT_OK
    from .parallel import worker_count
    from .pipeline import build  # imported here so --help and an up-to-date build stay instant

    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    try:
        result = build(content, out, workers=jobs or worker_count(), cache=store, progress=progress)
    finally:
        progress.close()
    if not result.ok:
        for error in result.errors:
            print(error, file=sys.stderr)
        kept = f"; {out} left as it was" if out is not None else ""
        count = len(result.errors)
        print(f"{count} error{'s' if count != 1 else ''}{kept}", file=sys.stderr)
        return EXIT_CONTENT
    if not quiet:
        for note in store.notes if store is not None else []:
            print(note, file=sys.stderr)
    if not quiet and result.site is not None:
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        site, seconds = result.site, time.perf_counter() - started
        quotes = sum(len(a.quotes) for a in site.articles)
        done = f"built {result.count} files ({result.written} written anew) into {out}" if out is not None \
            else "content is valid"  # fmt: skip
        unconfirmed = f" ({result.unconfirmed} suggested, not published)" if result.unconfirmed else ""
        print(f"{done}: {len(site.summits)} summit(s), {len(site.articles)} article(s), "
              f"{quotes} quote(s){unconfirmed}, {len(site.people)} people, {len(site.outlets)} outlets "
              f"in {seconds:.2f} s")  # fmt: skip
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from .importer import ImportProblem, Request, new_article

    request = Request(args.file, args.content, args.outlet, args.via, args.summit, args.slug, args.title,
                      args.language)  # fmt: skip
    try:
        done = new_article(request)
    except ImportProblem as problem:
        if problem.usage:
            print(f"error: {problem.usage}", file=sys.stderr)
            return EXIT_USAGE
        for error in problem.errors:
            print(error, file=sys.stderr)
        return EXIT_CONTENT
    if not args.quiet:
        direct = sum(s.kind == "direct" for s in done.suggestions)
        print(f"wrote {done.markdown} (the text, verbatim) and {done.annotations} "
              f"({len(done.suggestions)} suggested quote(s): {direct} direct, {len(done.suggestions) - direct} "
              "indirect); check each suggestion there, delete its 'status: suggested' line to publish it, "
              "then run: python build.py check")  # fmt: skip
    return EXIT_OK


def print_coverage(content: Path) -> None:
    from .coverage import coverage_of

    for article in coverage_of(content):
        for gap in article.gaps:
            print(gap)
        print(f"{article.path}: {article.covered} of {article.attributed} attributed sentence(s) covered by quotes")
def _open_cache(folder: Path | None, content: Path, out: Path | None) -> Cache | None:
    if folder is None or out is None:
        return None
    return Cache(folder, content, out, TEMPLATES, STATIC)
