"""The ``archive`` command: build, check, inspect, serve, new, add."""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from pathlib import Path

from .. import __version__
from ..core.escape import terminal, terminal_lines
from ..core.models import ERROR, INFO, WARNING
from ..pipeline import Project


def _project(args) -> Project:
    root = Path(args.project).resolve() if args.project else Path.cwd()
    return Project(root)


def _print_messages(messages, stream=None, verbose: bool = False) -> None:
    stream = stream or sys.stderr      # looked up at call time, so a redirected stderr is honoured
    for m in sorted(messages, key=lambda m: (m.path, m.line, m.column, m.text)):
        if m.severity == INFO and not verbose:
            continue
        print(terminal(m.format()), file=stream)


def cmd_build(args) -> int:
    from ..stages.executor import ExecutorError
    from ..core.progress import Reporter, choose_mode
    from ..mkdocs.publish import BuildFailed, build

    project = _project(args)
    if not _scheduler_ok(args.scheduler) or not _has_mkdocs_yml(project):
        return 2
    _quiet_mkdocs(args.verbose, args.quiet)
    if not args.quiet:
        print(f"archive: building {project.root} ...", file=sys.stderr)
    reporter = Reporter(choose_mode(sys.stderr, args.quiet), sys.stderr)
    try:
        with reporter:
            outcome = build(project, strict=args.strict, site_dir=Path(args.site_dir) if args.site_dir else None,
                            progress=reporter, scheduler=args.scheduler, force=args.force)
    except (BuildFailed, ExecutorError) as exc:
        _print_build_failure(exc, args)
        return 1
    result = outcome.result
    _print_messages(result.all_messages, verbose=args.verbose)
    pages, errors, warnings = _build_counts(result)
    if not args.quiet:
        _print_build_summary(project, outcome, (pages, errors, warnings), reporter)
    return 1 if args.strict and (errors or result.count(ERROR) or warnings) else 0


def _has_mkdocs_yml(project: Project) -> bool:
    """Whether the folder is an archive; if not, say how to start one."""
    if project.mkdocs_yml.is_file():
        return True
    print(f"{project.shown(project.mkdocs_yml)}:1:1: error: no mkdocs.yml here; run 'archive new DIR' "
          "to start an archive, or pass -C DIR", file=sys.stderr)
    return False


def _print_build_failure(exc: Exception, args) -> None:
    """The messages of a failed build (when it got that far), then one line saying why it failed."""
    if getattr(exc, "result", None) is not None:
        _print_messages(exc.result.all_messages, verbose=args.verbose)
    print(terminal_lines(f"archive: build failed: {exc}"), file=sys.stderr)
    if args.strict and "strict" in str(exc):
        print("archive: --strict counts warnings as errors; the previous site was left as it was",
              file=sys.stderr)


def _build_counts(result) -> tuple[int, int, int]:
    """(articles built, files with errors, warnings)."""
    pages = sum(1 for f in result.files if f.status == "page")
    return pages, len(result.files) - pages, result.count(WARNING)


def _print_build_summary(project: Project, outcome, counts: tuple[int, int, int], reporter) -> None:
    pages, errors, warnings = counts
    print(f"archive: {pages} article{'s' if pages != 1 else ''} built, {errors} file{'s' if errors != 1 else ''} "
          f"with errors, {warnings} warning{'s' if warnings != 1 else ''}; "
          f"site in {project.shown(outcome.site)}/ (report: build-report.json)", file=sys.stderr)
    if outcome.unchanged:
        print(f"archive: nothing changed since the last build: {project.shown(outcome.site)}/ was left as it "
              "was and its report repeated (delete .cache/build/ to build it again)", file=sys.stderr)
    else:
        print(reporter.summary(), file=sys.stderr)


def _scheduler_ok(address: str | None) -> bool:
    """Check a --scheduler address, and that Dask is installed, before any work (Dask hangs 40 s
    on a malformed address)."""
    from ..stages.executor import ExecutorError, check_address, require_dask

    if address is None:
        return True
    try:
        check_address(address)
        require_dask()
    except ExecutorError as exc:
        print(f"archive: build failed: {exc}", file=sys.stderr)
        return False
    return True


def cmd_check(args) -> int:
    from .check import run_check

    from ..core.progress import Reporter, choose_mode

    with Reporter(choose_mode(sys.stderr, args.quiet), sys.stderr) as reporter:
        return run_check(_project(args), strict=args.strict, changed_since=args.changed_since,
                         verbose=args.verbose, fmt=args.format, quiet=args.quiet, progress=reporter)


def cmd_inspect(args) -> int:
    from .inspect import inspect_files

    project = _project(args)
    records = inspect_files(project, [Path(p) for p in args.files])
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
    else:
        for r in records:
            for line in _inspection_lines(r):
                print(terminal(line))       # values quote the file: nothing in it drives the terminal
    return 1 if any(r["status"] == "error" for r in records) else 0


def _inspection_lines(r: dict) -> list[str]:
    """One inspected file as text: each field with the method and evidence that found it."""
    provenance = r["provenance"]
    lines = [f"{r['path']}  ->  id {r['id']}"]
    lines += [_field_line(key, r[key], provenance.get(key)) for key in ("title", "date", "source", "url")]
    lines.append(f"  authors {', '.join(r['authors']) or '-'}")
    lines += _name_notes(provenance.get("authors", {}))
    lines += [f"  {c['role']}: {c['name']}  [{c['method']}: {c['evidence']}]"
              for c in provenance.get("contributors", [])]
    lines.append(f"  people  {', '.join(r['people']) or '-'}")
    lines += _name_notes(provenance.get("people", {}))
    lines.append(f"  tags    {', '.join(r['tags']) or '-'}")
    lines.append(f"  text    {len(r['text'] or '')} characters; comments: "
                 f"{'none' if not r['comments'] else len(r['comments'].splitlines())} paragraphs")
    return lines + [f"  {w}" for w in r["warnings"]]


def _field_line(key: str, value, prov: dict | None) -> str:
    why = f"  [{prov.get('method', '')}: {prov.get('evidence', '')}]" if prov else ""
    return f"  {key:7} {value!s}{why}"


def _name_notes(provenance: dict) -> list[str]:
    return [f"            {name}: {prov['method']}: {prov['evidence']}" for name, prov in provenance.items()]


def cmd_serve(args) -> int:
    from mkdocs.commands import serve as mkdocs_serve

    project = _project(args)
    if not _has_mkdocs_yml(project):
        return 2
    _quiet_mkdocs(args.verbose)
    livereload = logging.getLogger("mkdocs.livereload")
    livereload.setLevel(logging.DEBUG if args.verbose else logging.INFO)
    livereload.addFilter(_ServeAddress(args.verbose))
    print(f"archive: building {project.root}, then serving it ...", file=sys.stderr, flush=True)
    _stop_promptly()
    try:
        mkdocs_serve.LiveReloadServer = _guarded_server(mkdocs_serve.LiveReloadServer)
        mkdocs_serve.serve(config_file=str(project.mkdocs_yml), dev_addr=args.dev_addr, livereload=True)
    except KeyboardInterrupt:
        pass            # Ctrl-C during the first build: MkDocs has cleaned up in its finally blocks
    print("archive: stopped", file=sys.stderr, flush=True)
    # MkDocs has cleaned up; what is left (worker processes finishing a batch, joined at
    # interpreter exit) is not worth waiting for after a Ctrl-C
    _end_now(0)
    return 0


def _end_now(status: int) -> None:
    """End the process at once (after a Ctrl-C of ``archive serve``): output flushed, extraction's
    worker processes killed rather than left running, no interpreter shutdown to wait for."""
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    executor = sys.modules.get("builder.stages.executor")
    if executor is not None:
        executor.end_workers()
    os._exit(status)


class _ServeAddress(logging.Filter):
    """MkDocs says where it serves at INFO level, which a serve without -v hides: say it anyway,
    and let the rest of the live-reload server's INFO lines through only with -v."""

    def __init__(self, verbose: bool) -> None:
        super().__init__()
        self.verbose = verbose

    def filter(self, record: logging.LogRecord) -> bool:
        served = re.search(r"\bServing on (\S+)", record.getMessage())    # after a "[12:00:00] " stamp
        if served:
            print(f"archive: serving at {served.group(1)} (Ctrl-C stops)", file=sys.stderr, flush=True)
            return self.verbose             # -v keeps MkDocs' own line too
        return self.verbose or record.levelno >= logging.WARNING


SERVE_GRACE = 1.0       # seconds a Ctrl-C leaves the server to stop cleanly before it is ended


def _stop_promptly() -> None:
    """Ctrl-C stops ``archive serve`` within two seconds: the first one stops it as MkDocs does
    (KeyboardInterrupt, then its clean-up); if a file watcher or a build is still busy after
    SERVE_GRACE seconds, or on a second Ctrl-C, the process ends at once, with no traceback."""
    import signal
    import threading

    def interrupted(signum, frame):
        if getattr(interrupted, "seen", False):
            _end_now(130)
        interrupted.seen = True
        timer = threading.Timer(SERVE_GRACE, _end_now, (130,))
        timer.daemon = True
        timer.start()
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupted)


def _guarded_server(base):
    """MkDocs' preview server, answering 400 to a request path it cannot open (a NUL byte:
    ``/%00`` made it log a traceback and answer 500). Anyone on the network can send one."""
    if getattr(base, "archive_guarded", False):
        return base

    class GuardedServer(base):
        archive_guarded = True

        def serve_request(self, environ, start_response):
            path = environ.get("PATH_INFO", "")
            if "\0" in path:
                start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
                return [b"400 Bad Request: the address holds a NUL character\n"]
            return super().serve_request(environ, start_response)

    return GuardedServer


def cmd_new(args) -> int:
    from .scaffold import check_url, new_archive
    from ..core.toolsource import ToolSourceError

    target = Path(args.directory)
    url = args.url
    if url is None and sys.stdin.isatty() and sys.stdout.isatty():
        url = _ask_url(check_url)
    try:
        created = new_archive(target, site_name=args.site_name, site_url=url or None, tool_source=args.tool_source)
    except (FileExistsError, ToolSourceError, ValueError) as exc:
        print(terminal_lines(f"archive: new: {exc}"), file=sys.stderr)
        return 1
    for path in created:
        print(f"created {path}")
    print(f"\nNext: add articles to {target / 'corpus' / 'articles'} and run 'archive -C {target} build'.")
    if not url:
        print(f"The site's address: the publishing workflow sets it to the GitHub Pages address; to build it "
              f"elsewhere, add it to site_url in {target / 'mkdocs.yml'} (sitemap.xml, feeds and citations use it).")
    return 0


def _ask_url(check_url) -> str | None:
    """Ask on the terminal for the address the site will live at (empty: later)."""
    while True:
        try:
            answer = input("The address the archive will live at (e.g. https://example.github.io/my-archive/; "
                           "Enter to set it later): ").strip()
        except EOFError:
            return None
        if not answer:
            return None
        try:
            return check_url(answer)
        except ValueError as exc:
            print(exc)


def cmd_add(args) -> int:
    from .add import add_files

    return add_files(_project(args), [Path(p) for p in args.files], dry_run=args.dry_run)


class _StderrHandler(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is at each message: while progress bars are drawn, it is
    redirected so that a message appears above the bars instead of through them."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        # the articles' messages the plugin logs for MkDocs (so that --strict counts them) are
        # printed by the command itself, once, with their severity
        self.addFilter(lambda record: not getattr(record, "archive_message", False))

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _quiet_mkdocs(verbose: bool, quiet: bool = False) -> None:
    level = logging.INFO if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(format="%(levelname)s - %(message)s", level=level, handlers=[_StderrHandler()])
    logging.getLogger("mkdocs").setLevel(level)


STRICT_HELP = "warnings count as errors: exit 1 on any error or warning (the same for build and check)"
STRICT_EPILOG = ("--strict means the same for 'archive build' and 'archive check': every warning counts as an "
                 "error and the command exits with status 1. A strict build that fails leaves the previous "
                 "site/ as it was. Progress display: ARCHIVE_PROGRESS=terminal|plain|off overrides the choice, "
                 "ARCHIVE_PROGRESS_INTERVAL sets the seconds between plain lines (default 5).")


def _add_verbosity(p: argparse.ArgumentParser, verbose_help: str) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("-v", "--verbose", action="store_true", help=verbose_help)
    group.add_argument("-q", "--quiet", action="store_true",
                       help="print only errors and warnings: no progress and no summary")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="archive", description="Turn a folder of news articles into a "
                                     "searchable static archive website.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-C", "--project", metavar="DIR", help="the archive folder (default: the current folder)")
    sub = parser.add_subparsers(dest="command", required=True)
    for add_command in _COMMANDS:
        add_command(sub)
    return parser


def _build_command(sub) -> None:
    p = sub.add_parser("build", help="generate the pages and build site/",
                       description="Generate the pages from corpus/ and build the site. On a terminal it shows "
                       "progress per stage; elsewhere (CI, a pipe) a line every few seconds. Exit status: 0 when "
                       "the site was built (files with errors are reported and left out), 1 when it was not, "
                       "or under --strict when there was any error or warning.", epilog=STRICT_EPILOG)
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    p.add_argument("--site-dir", help="build into this folder instead of site/")
    p.add_argument("--force", action="store_true", help="build even when nothing changed since the last build "
                   "(by default such a build leaves the site as it is and repeats its report)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="extract on a Dask cluster (tcp://HOST:8786) instead of "
                   "this machine's cores; needs the [cluster] extra here and on the workers")
    _add_verbosity(p, "also print informational notes and MkDocs' own log")
    p.set_defaults(func=cmd_build)


def _check_command(sub) -> None:
    p = sub.add_parser("check", help="validate the corpus and registries without building",
                       description="Validate the corpus and registries without building. Exit status: 0 when "
                       "there is no error, 1 on any error (or, under --strict, any warning), 2 when the check "
                       "cannot run.", epilog=STRICT_EPILOG)
    p.add_argument("--strict", action="store_true", help=STRICT_HELP)
    p.add_argument("--changed-since", metavar="REF", help="check only files changed since this git revision "
                   "(plus corpus-wide rules)")
    p.add_argument("--format", choices=["text", "json", "github", "markdown"], default="text",
                   help="text: path:line:column: severity: message; json: one array of messages; github: "
                   "workflow commands, shown as annotations on a pull request; markdown: for each checked file "
                   "the title, date, source, authors, people and tags it will publish, where each came from, "
                   "and its messages (the pull-request workflow writes it to $GITHUB_STEP_SUMMARY)")
    _add_verbosity(p, "also print informational notes")
    p.set_defaults(func=cmd_check)


def _inspect_command(sub) -> None:
    p = sub.add_parser("inspect", help="show what the pipeline infers from files, and why")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files, in the corpus or anywhere else")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.set_defaults(func=cmd_inspect)


def _serve_command(sub) -> None:
    p = sub.add_parser("serve", help="live preview at http://127.0.0.1:8000",
                       description="Build the site and serve it on this machine; a saved change to an article, "
                       "a registry, docs/ or mkdocs.yml rebuilds it and reloads the browser. Ctrl-C stops it.")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT",
                   help="the address and port to serve on (default 127.0.0.1:8000: this machine only)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also print MkDocs' own log: each rebuild, each reload, every note")
    p.set_defaults(func=cmd_serve)


def _new_command(sub) -> None:
    p = sub.add_parser("new", help="create a new, empty archive folder",
                       description="Create a new archive: site configuration, pages, contributing guide, "
                       "pull-request and deploy workflows, .gitignore, requirements.txt. The theme is loaded "
                       "from the installed tools (a theme_overrides/ folder in the archive overrides it).")
    p.add_argument("directory", help="the folder to create the archive in (new, or empty)")
    p.add_argument("--site-name", default=None, metavar="NAME",
                   help="the site's name, shown in every page's header (default: from the folder's name)")
    p.add_argument("--url", default=None, metavar="URL",
                   help="the address the site will live at (site_url; asked for on a terminal when not given)")
    p.add_argument("--tool-source", default=None, metavar="SOURCE",
                   help="where the archive installs these tools from (requirements.txt): a pinned VCS address "
                   "(git+https://...@TAG or commit), the https:// address of a wheel, or a .whl file to copy "
                   "into tools/. Default: how these tools were installed (PEP 610), or a wheel of them in tools/")
    p.set_defaults(func=cmd_new)


def _add_command(sub) -> None:
    p = sub.add_parser("add", help="copy new articles into corpus/articles with inferred front matter to review")
    p.add_argument("files", nargs="+", metavar="FILE", help="the articles to add: text, Markdown or saved web pages")
    p.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    p.set_defaults(func=cmd_add)


# the subcommands, in the order `archive --help` lists them
_COMMANDS = [_build_command, _check_command, _inspect_command, _serve_command, _new_command, _add_command]


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.project and not Path(args.project).is_dir():
        print(f"archive: -C {args.project}: no such folder", file=sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
