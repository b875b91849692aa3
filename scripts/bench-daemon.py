#!/usr/bin/env python3
"""The daemon idle with 20 sources (part d of scripts/bench-history.sh).

Serves real saved answers on 127.0.0.1 (m.weibo.cn getIndex and statuses/extend from
tests/fixtures/weibo/, an RSSHub feed from tests/fixtures/rss/), writes a config with 10 Weibo
and 10 RSS sources pointing at it, starts `windvane run`, and reports:
- start to first request: from exec to the first /healthz answer, and to the first request the
  daemon sends a source;
- resident memory (VmRSS) once every source has run and the daemon sits idle, and its peak (VmHWM).
Nothing leaves loopback.

usage: bench-daemon.py WINDVANE_BIN WORKDIR [DB]   (DB: an existing database to run against)
"""

import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GETINDEX = (ROOT / "tests/fixtures/weibo/weibo_ak_list_0.json").read_bytes()
EXTEND = (ROOT / "tests/fixtures/weibo/weibo_detail_4645748019299849.json").read_bytes()
FEED = (ROOT / "tests/fixtures/rss/rsshub_weibo_user_1935396210_demo.xml").read_bytes()
first_request = []
requests = []


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        now = time.monotonic()
        if not first_request:
            first_request.append(now)
        requests.append(self.path)
        if self.path.startswith("/api/container/getIndex"):
            body, ctype = GETINDEX, "application/json"
        elif self.path.startswith("/statuses/"):
            body, ctype = EXTEND, "application/json"
        elif self.path.startswith("/feed/"):
            body, ctype = FEED, "application/rss+xml"
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_of(pid):
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        k, _, v = line.partition(":")
        if k in ("VmRSS", "VmHWM"):
            out[k] = int(v.split()[0]) / 1024.0
    return out


def main():
    binary, work = sys.argv[1], Path(sys.argv[2])
    db = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    work.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    metrics = free_port()
    base = f"http://127.0.0.1:{port}"
    db_path = work / "daemon.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    if db:
        shutil.copyfile(db, db_path)
    cfg = [
        f'[store]\npath = "{db_path}"\n',
        f'[daemon]\nmetrics_listen = "127.0.0.1:{metrics}"\n',
        '[fetch]\nmin_interval_per_host = "0s"\njitter = "0s"\ntimeout = "5s"\nretries = 0\n',
    ]
    for i in range(10):
        cfg.append(
            f'[[sources]]\nid = "weibo-{i}"\nkind = "weibo"\nuid = "{6279793937 + i}"\n'
            f'schedule = "every 1h"\napi_base = "{base}"\npassport_base = "{base}"\n'
        )
        cfg.append(
            f'[[sources]]\nid = "rss-{i}"\nkind = "rss"\nurl = "{base}/feed/{i}"\nschedule = "every 1h"\n'
        )
    (work / "daemon.toml").write_text("\n".join(cfg))
    start = time.monotonic()
    proc = subprocess.Popen(
        [binary, "--config", str(work / "daemon.toml"), "run"],
        stdout=subprocess.DEVNULL,
        stderr=open(work / "daemon.log", "w"),
        env={**os.environ, "RUST_LOG": "info"},
    )
    healthz = None
    while time.monotonic() - start < 30 and proc.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{metrics}/healthz", timeout=1).read()
            healthz = time.monotonic()
            break
        except urllib.error.HTTPError:  # 503 is an answer too
            healthz = time.monotonic()
            break
        except OSError:
            time.sleep(0.005)
    # Every source runs once at start; then the daemon idles until the next hour.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if sum(p.startswith(("/api/container/getIndex", "/feed/")) for p in requests) >= 20:
            break
        time.sleep(0.1)
    time.sleep(10)
    mem = rss_of(proc.pid) if proc.poll() is None else {}
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    server.shutdown()
    ms = lambda t: f"{(t - start) * 1000:.0f} ms" if t else "never"
    print(f"daemon, 20 sources ({'database ' + str(db) if db else 'empty database'}):")
    print(f"  start to first /healthz answer: {ms(healthz)}")
    print(f"  start to first source request:  {ms(first_request[0] if first_request else None)}")
    print(f"  requests served: {len(requests)}")
    print(f"  idle RSS: {mem.get('VmRSS', 0):.1f} MiB (peak {mem.get('VmHWM', 0):.1f} MiB), exit {proc.returncode}")


if __name__ == "__main__":
    main()
