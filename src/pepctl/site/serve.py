"""`pepctl site serve`: serve the built site on 127.0.0.1 and rebuild it when PEP files change.

The standard library's ThreadingHTTPServer serves the static files: the site
is plain files, one reader at a time on a developer's machine, and it needs
nothing more. Changes are found by polling the PEP folder's file names, sizes
and modification times (a few milliseconds for a thousand files), which works
the same on every platform and file system and needs no extra dependency.
Rebuilds are incremental, and highlighted code comes from the build cache.
Nothing hidden (a name starting with ".") is ever served.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
import urllib.parse

from pepctl import fanout
from pepctl.config import ConfigError, load_config
from pepctl.corpus import Corpus
from pepctl.errors import PepctlError, UsageError
from pepctl.gitutil import repo_info
from pepctl.site.builder import build_site
from pepctl.site.highlight import Highlighter
from pepctl.site.output import check_output

_HANDLER = None


class ListenError(UsageError):
    """The server cannot listen on the port asked for (taken, or not allowed)."""


def handler_class():
    """The request handler class (made on first use: `site build` never imports http.server)."""
    global _HANDLER
    if _HANDLER is None:
        import http.server  # only when serving: `site build` never loads the HTTP server

        class Handler(http.server.SimpleHTTPRequestHandler):
            """Static files, with the site's 404 page for missing ones; quiet unless something fails."""

            extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".json": "application/json",
                              ".xml": "application/atom+xml", ".svg": "image/svg+xml", ".js": "text/javascript"}

            def send_error(self, code, message=None, explain=None):
                page = os.path.join(self.directory, "404.html")
                if code == 404 and os.path.isfile(page):
                    with open(page, "rb") as handle:
                        body = handle.read()
                    self.send_response(404, message)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                    return
                super().send_error(code, message, explain)

            def send_head(self):
                # nothing hidden is served: no build cache (it lives beside the site, but an old one
                # may linger inside), no half-written temporary file, no .git of a published checkout
                path = urllib.parse.unquote(self.path.split("?", 1)[0].split("#", 1)[0])
                if "\x00" in path or any(part.startswith(".") for part in path.split("/")):  # no file has a NUL
                    self.send_error(404, "Not found")
                    return None
                return super().send_head()

            def list_directory(self, path):  # a folder without index.html is no page: no listing of its files
                self.send_error(404, "Not found")
                return None

            def end_headers(self):
                self.send_header("Cache-Control", "no-cache")
                super().end_headers()

            def log_request(self, code="-", size="-"):
                pass  # one line per file served is noise; errors still go through log_error

            def log_error(self, format, *args):  # noqa: A002 - the base class's name
                sys.stderr.write(f"pepctl: {self.address_string()} {format % args}\n")

        _HANDLER = Handler
    return _HANDLER


def __getattr__(name: str):
    if name == "Handler":
        return handler_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def make_server(out_dir: str, port: int = 0):
    """A server for `out_dir` on 127.0.0.1 (port 0: any free port); not started (an http.server.ThreadingHTTPServer)."""
    import http.server  # only when serving: `site build` never loads the HTTP server

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # a reader that hangs up mid-answer is no error; anything else is one line, not a traceback
            error = sys.exc_info()[1]
            if not isinstance(error, (ConnectionError, TimeoutError)):
                sys.stderr.write(f"pepctl: {client_address[0]}: cannot answer a request: {error!r}\n")

    handler = functools.partial(handler_class(), directory=os.path.abspath(out_dir))
    server = Server(("127.0.0.1", port), handler)
    server.daemon_threads = True
    return server


def git_files(folder: str):
    """A function giving the files git rewrites when a commit is made or another checked out
    (HEAD, its reflog, the branch's ref, packed refs), or None outside a repository. The site's
    timelines come from commits, so a commit that changes no file must still bring a rebuild."""
    try:
        info = repo_info(folder)
    except Exception:  # no repository, no git: only the files are watched
        return None

    def files() -> list[str]:
        head = os.path.join(info.git_dir, "HEAD")
        found = [head, os.path.join(info.git_dir, "logs", "HEAD"), os.path.join(info.common_dir, "packed-refs")]
        try:
            with open(head, encoding="utf-8", errors="replace") as handle:
                ref = handle.read().strip()
        except OSError:
            return found
        if ref.startswith("ref: "):
            found.append(os.path.join(info.common_dir, *ref[5:].split("/")))
        return found

    return files


def sources(folder: str, config) -> list[str]:
    """The files a build reads that the folder's own do not cover: proposals in folders of their own
    (a KEP's kep.yaml) and the files their pages show besides (its README.md)."""
    from pepctl import formats

    try:
        config = formats.configure(config, folder)
        corpus = Corpus(folder, config)
        paths = corpus.paths()
    except PepctlError:  # the next build says what is wrong
        return []
    top = os.path.normpath(folder)
    found = [path for path in paths if os.path.dirname(os.path.normpath(path)) != top]
    for path in paths:
        found += corpus.companions(path)
    return found


def snapshot(folder: str, extra: list[str]) -> tuple:
    """What changes when a file of the PEP folder is added, removed or edited (a PEP in any format,
    or a file a PEP links to), or a file in `extra`."""
    state = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.startswith(".") and entry.is_file():
                    try:
                        info = entry.stat()
                    except OSError:
                        continue
                    state.append((entry.name, info.st_size, info.st_mtime_ns))
    except OSError:
        pass
    for path in extra:
        try:
            info = os.stat(path)
            state.append((path, info.st_size, info.st_mtime_ns))
        except OSError:
            state.append((path, -1, -1))
    return tuple(sorted(state))


def serve(app, out_dir: str, port: int, base_url: str = "", interval: float = 0.5, progress=None,
          force: bool = False) -> int:
    """Build, serve and rebuild until Ctrl-C; `progress(label, done, total)` and `force` as for build_site."""
    pep_dir = app.pep_dir
    jobs = fanout.default_jobs()  # a bad PEPCTL_JOBS stops here, not in the first build
    highlighter = Highlighter()
    config_files = [app.config.source] if app.config.source else []
    commits = git_files(pep_dir)

    def watched() -> list[str]:
        found = config_files + sources(pep_dir, app.config)
        return found + commits() if commits is not None else found

    said: set[str] = set()  # the warnings about the setting the last build gave, said once a session

    def rebuild(jobs: int) -> None:
        nonlocal said
        try:
            result = build_site(pep_dir, out_dir, app.config, base_url, progress, jobs=jobs, highlighter=highlighter,
                                force=True)
        except Exception as err:  # keep serving the last good site
            sys.stderr.write(f"pepctl: error: the rebuild failed: {err}\n")
            return
        finally:
            if progress is not None and hasattr(progress, "clear"):
                progress.clear()
        for warning in result.warnings:
            if warning not in said:
                sys.stderr.write(f"pepctl: warning: {warning}\n")
        said = set(result.settings_warnings)  # one that goes away is said again if it comes back
        sys.stderr.write(result.summary() + "\n")

    if not force:
        check_output(out_dir)  # before serving anything: a refused folder is an error, not a warning
    seen = snapshot(pep_dir, watched())
    rebuild(jobs)
    try:
        server = make_server(out_dir, port)
    except OSError as err:
        raise ListenError(f"cannot listen on 127.0.0.1:{port}: {err.strerror}") from None
    host, bound = server.server_address[:2]
    sys.stderr.write(f"serving {out_dir} at http://{host}:{bound}/ (Ctrl-C stops); rebuilding when {pep_dir} changes\n")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        while True:
            time.sleep(interval)
            now = snapshot(pep_dir, watched())
            if now != seen:
                seen = now
                if app.config.source:
                    try:
                        app._config = load_config(app.config.source)
                    except ConfigError as err:
                        sys.stderr.write(f"pepctl: error: {err}\n")
                        continue
                # one process once the server thread runs: forking a process with threads can hang
                # the children on a lock the server thread held; a rebuild is a few pages anyway
                rebuild(jobs=1)
    except KeyboardInterrupt:
        sys.stderr.write("stopped\n")
    finally:
        server.shutdown()
        server.server_close()
    return 0
