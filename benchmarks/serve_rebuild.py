"""How long `archive serve` takes to show a saved article, in an archive of any size.

    python benchmarks/serve_rebuild.py ARCHIVE [--saves 3]

Starts ``archive serve`` on a free port, waits for the first build, then saves a new article
into ``corpus/articles/`` (``serve-probe-N.txt``, removed at the end) and measures the time from
the save to the moment its page is served over http, ``--saves`` times. Prints each time, their
median, and how many generated pages each rebuild reused (from the serve log).
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """Brussels, 5 March 2023. Officials in Brussels said on Sunday that the talks would resume
next week, and Jens Stoltenberg said the alliance would meet again ({n}).
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> bytes | None:
    try:
        return urllib.request.urlopen(url, timeout=5).read()
    except (urllib.error.URLError, OSError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args(argv)
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="serve-", suffix=".log")[1])
    probes = []
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "builder", "-C", str(args.archive), "serve", "-v",
                                   "-a", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT,
                                  cwd=ROOT)
    try:
        t0 = time.perf_counter()
        while "Serving on" not in log.read_text(encoding="utf-8"):
            if server.poll() is not None or time.perf_counter() - t0 > args.timeout:
                raise SystemExit(f"serve did not start:\n{log.read_text(encoding='utf-8')[-3000:]}")
            time.sleep(0.5)
        print(f"first build        {time.perf_counter() - t0:7.1f} s")
        times = []
        for n in range(args.saves):
            path = args.archive / "corpus" / "articles" / f"serve-probe-{n}.txt"
            probes.append(path)
            url = f"http://127.0.0.1:{port}/articles/serve-probe-{n}.html"
            t = time.perf_counter()
            path.write_text(PROBE.format(n=n), encoding="utf-8")
            while True:
                page = fetch(url)
                if page and b"talks would resume" in page:
                    break
                if server.poll() is not None or time.perf_counter() - t > args.timeout:
                    raise SystemExit(f"the page never appeared:\n{log.read_text(encoding='utf-8')[-3000:]}")
                time.sleep(0.2)
            times.append(time.perf_counter() - t)
            reused = re.findall(r"(\d+) of (\d+) generated pages unchanged", log.read_text(encoding="utf-8"))
            print(f"save {n + 1}: page served {times[-1]:7.1f} s after the save; reused "
                  f"{reused[-1][0] if reused else 0} of {reused[-1][1] if reused else '?'} generated pages")
            time.sleep(2)          # let livereload settle before the next save
        print(f"median             {statistics.median(times):7.1f} s over {len(times)} saves")
    finally:
        server.terminate()
        server.wait(timeout=60)
        for path in probes:
            path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
