"""A throw-away production stack for the deployment test: two gunicorn processes, one RQ worker,
a fresh PostgreSQL database and Redis, plus a small cookie-keeping HTTP client."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from tests.smtp_server import free_port

ROOT = Path(__file__).resolve().parent.parent


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let the test see redirects rather than follow them."""

    def redirect_request(self, *_args, **_kwargs):
        return None


class Browser:
    """One user's cookies, used against any of the app processes."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect())

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, dict]:
        """(status, body, headers) of a GET, or of a POST when ``data`` is given."""
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def csrf(self, url: str) -> str:
        """The CSRF token of the form on the page at ``url``."""
        _status, page, _headers = self.request(url)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


class Stack:
    """Starts and stops the processes; ``urls`` are the two app processes."""

    def __init__(self, bin_dir: Path, env: dict[str, str], workdir: Path) -> None:
        self.bin, self.env, self.workdir = bin_dir, env, workdir
        self.apps: list[subprocess.Popen] = []
        self.worker: subprocess.Popen | None = None
        self.urls: list[str] = []

    def _spawn(self, args: list[str], log: str) -> subprocess.Popen:
        with open(self.workdir / log, "ab") as out:  # the child keeps its own copy
            return subprocess.Popen(args, env=self.env, cwd=ROOT, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)

    def start_apps(self) -> None:
        for n in range(2):
            port = free_port()
            self.apps.append(self._spawn([
                str(self.bin / "gunicorn"), "--workers", "1", "--threads", "4",
                "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--timeout", "120",
                "checklist_app:create_app()"], f"gunicorn-{n}.log"))
            self.urls.append(f"http://127.0.0.1:{port}")
        for url in self.urls:
            self.wait_for(url + "/healthz")

    def start_worker(self) -> None:
        self.worker = self._spawn([str(self.bin / "checklist-app"), "jobs", "worker"], "worker.log")

    def kill_worker(self) -> None:
        """SIGKILL the worker and its work horse (the whole process group)."""
        if self.worker is not None:
            for pid in self.horse_pids():  # RQ's work horse runs in a session of its own
                os.kill(pid, signal.SIGKILL)
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(timeout=30)
            self.worker = None

    def horse_pids(self) -> list[int]:
        """The worker's forked work horses (children of the worker process)."""
        if self.worker is None:
            return []
        found = subprocess.run(["pgrep", "-P", str(self.worker.pid)], capture_output=True, text=True)
        return [int(p) for p in found.stdout.split()]

    @staticmethod
    def wait_for(url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{url} did not answer within {timeout} s")

    def stop(self) -> None:
        for process in [*self.apps, *([self.worker] if self.worker else [])]:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
