"""`python -m heapscope._capture PID`: snapshot a running Python process that never imported us.

Runs in the capturing process (any Python 3.8+), never in the target. Design (docs/CAPTURE.md):
pre-flight checks from /proc (_target.py), then one of three ways in:

- CPython 3.8-3.13 on Linux: gdb attaches and runs `_gdbscript.py`, which waits for a thread at
  a safe point, runs the bootstrap there and detaches;
- CPython 3.14+: `sys.remote_exec(pid, script)` run by the target's own executable;
- `--signal`: a process that installed `heapscope.install_signal_handler()` gets SIGUSR2.

The bootstrap runs in the target: it puts the dumper on sys.path for one import (then removes
it), starts the dump through _inject.start and returns. The target (fork mode: its child) writes
the snapshot and a status file; we follow the status file until the snapshot is complete.
Progress and the result go to `report(event, fields)`: JSON lines with --json (the Node CLI and
the app read those), else text on stderr.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time

from ._target import (CaptureError, default_output, is_alive, list_python_processes,
                      read_target, require_ptrace, require_python, require_visible,
                      require_writable)

DUMPER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GDB_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_gdbscript.py")
GDB_GRACE = 60.0   # attaching and reading symbols, on top of --timeout
POLL = 0.05


def capture(pid, output=None, fork=True, timeout=30.0, dumper_dir=DUMPER_DIR, gdb=None,
            report=None, cancel=None):
    """Snapshot process `pid` into `output`; returns a result dict. Raises CaptureError.

    `cancel` (a threading.Event) stops the capture: before the bootstrap ran, nothing happened;
    after, the dump child is killed and its temp file removed.
    """
    import threading

    report = report or (lambda event, fields: None)
    cancel = cancel or threading.Event()
    t0, started = time.monotonic(), time.time()
    target = read_target(pid)
    require_python(target)
    output = os.path.abspath(output or default_output(pid))
    directory = os.path.dirname(output)
    require_writable(target, directory)
    require_visible(target, directory, "the output directory")
    status = os.path.join(directory, ".heapscope-capture-%d-%d.status" % (os.getpid(), pid))
    _remove(status)
    held = [0.0]
    report("preflight", {"pid": pid, "python": "%d.%d" % target.version, "output": output})
    try:
        if target.version >= (3, 14):
            _via_remote_exec(target, output, status, fork, timeout, dumper_dir, report)
        else:
            require_visible(target, dumper_dir, "the dumper")
            require_ptrace(target)
            _via_gdb(target, output, status, fork, timeout, dumper_dir, gdb, report, held, cancel)
        result = _follow(target, output, status, report, started, cancel)
        if held[0]:
            # What the program felt: stopped while gdb attached, plus the bootstrap's run with
            # the GIL held (importing heapscope the first time, then the fork).
            result["forkSeconds"], result["pauseSeconds"] = result["pauseSeconds"], held[0]
    finally:
        _remove(status)
    result["totalSeconds"] = time.monotonic() - t0
    report("done", result)
    return result


def capture_by_signal(pid, output=None, timeout=30.0, directory=None, signum=signal.SIGUSR2,
                      report=None):
    """For a program that called heapscope.install_signal_handler(): signal it, await its file.

    The handler dumps (in-process, from its helper thread) to the directory it was given, as
    heapscope-PID-TIME.pyheap; that directory defaults to the target's working directory here
    (`directory` overrides it). The file appears by rename, so when it exists it is complete.
    """
    report = report or (lambda event, fields: None)
    t0 = time.monotonic()
    target = read_target(pid)
    require_python(target)
    if not _catches(pid, signum):
        raise CaptureError("no-handler", "PID %d does not handle %s (its default action would end "
                           "it): call heapscope.install_signal_handler() in the program, or capture "
                           "without --signal" % (pid, signal.Signals(signum).name))
    directory = directory or os.path.realpath("/proc/%d/cwd" % pid)
    pattern = "heapscope-%d-" % pid
    before = set(_listdir(directory))
    try:
        os.kill(pid, signum)
    except OSError as exc:
        raise CaptureError("ptrace" if exc.errno == 1 else "signal",
                           "cannot signal PID %d: %s" % (pid, exc.strerror))
    report("waiting", {"timeout": timeout})
    deadline = time.monotonic() + timeout
    while True:
        new = [n for n in _listdir(directory) if n not in before and n.startswith(pattern)
               and n.endswith(".pyheap")]
        if new:
            break
        writing = any(n.startswith("." + pattern) and n.endswith(".tmp")
                      for n in _listdir(directory))
        if not is_alive(pid):
            raise CaptureError("exited", "PID %d exited during the capture" % pid)
        if not writing and time.monotonic() > deadline:
            raise CaptureError("timeout", "PID %d wrote no heapscope-%d-*.pyheap in %s within %gs "
                               "(is the handler's directory elsewhere? pass --signal-dir)"
                               % (pid, pid, directory, timeout))
        time.sleep(POLL)
    path = os.path.join(directory, sorted(new)[0])
    if output:
        shutil.move(path, os.path.abspath(output))
        path = os.path.abspath(output)
    result = {"path": path, "objects": None, "edges": None, "bytes": _size(path),
              "walkSeconds": None, "pauseSeconds": None, "fork": False,
              "totalSeconds": time.monotonic() - t0}
    report("done", result)
    return result


def _catches(pid, signum):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) & (1 << (signum - 1)))
    except (OSError, ValueError):
        pass
    return False


def _listdir(directory):
    try:
        return os.listdir(directory)
    except OSError:
        return []


def bootstrap_source(dumper_dir, output, status, fork):
    """The code PyRun_SimpleString runs in the target's __main__, as one `exec` statement.

    It binds no name in __main__ (its own globals dict), adds the dumper directory to sys.path
    only for the import (removed by identity, so a copy the program put there stays) and drops
    the path-importer cache entry it created. heapscope stays imported after the first capture:
    a later capture reuses it, and snapshots of a series all contain the same modules.
    """
    body = "\n".join([
        "import os, sys",
        "D, OUT, ST, FORK = %r, %r, %r, %r" % (dumper_dir, output, status, bool(fork)),
        "def fail(text):",
        "    tmp = ST + '.%d.tmp' % os.getpid()",
        "    with open(tmp, 'w') as f:",
        "        f.write('failed-text\\n' + text)",
        "    os.replace(tmp, ST)",
        "try:",
        "    cached = D in sys.path_importer_cache",
        "    mark = str(D + '/.')[:-2]",  # a str object of our own, to remove by identity
        "    sys.path.insert(0, mark)",
        "    try:",
        "        from heapscope import _inject",
        "    finally:",
        "        for i, p in enumerate(sys.path):",
        "            if p is mark:",
        "                del sys.path[i]",
        "                break",
        "        if not cached:",
        "            sys.path_importer_cache.pop(D, None)",
        "    _inject.start(OUT, ST, FORK)",
        "except BaseException as e:",
        "    try:",
        "        fail('bootstrap: %s: %s' % (type(e).__name__, str(e).splitlines()[0] if str(e) else ''))",
        "    except BaseException:",
        "        pass",
        "    if isinstance(e, KeyboardInterrupt):",
        "        import signal",
        "        signal.raise_signal(signal.SIGINT)",  # the target's Ctrl-C, re-raised at its own frame
    ])
    return "exec(%r, {'__builtins__': __builtins__, '__name__': '__heapscope_capture__'})" % body


def _via_gdb(target, output, status, fork, timeout, dumper_dir, gdb, report, held, cancel):
    gdb = gdb or os.environ.get("HEAPSCOPE_GDB") or "gdb"
    path = shutil.which(gdb)
    if path is None:
        raise CaptureError("no-gdb", "gdb not found (%s): install it (apt-get install gdb / "
                           "dnf install gdb) or set HEAPSCOPE_GDB" % gdb)
    env = dict(os.environ)
    env["HEAPSCOPE_GDB_ARGS"] = json.dumps({"pid": target.pid, "timeout": timeout})
    env["HEAPSCOPE_BOOTSTRAP"] = bootstrap_source(dumper_dir, output, status, fork)
    args = [path, "-nx", "-nh", "-batch", "--readnever", "-iex", "set auto-load off",
            "-iex", "set debuginfod enabled off", "-x", GDB_SCRIPT]
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        events, stderr = _read_gdb(proc, timeout, report, cancel)
    finally:
        _close(proc.stdin)
    errors = [e for e in events if e["event"] == "error"]
    if errors:
        _raise_gdb_error(target, errors[0])
    for e in events:
        if e["event"] in ("resumed", "ran"):
            key = "stoppedSeconds" if e["event"] == "resumed" else "seconds"
            held[0] += e.get(key) or 0.0
    if not any(e["event"] == "ran" for e in events):
        if not is_alive(target.pid):
            raise CaptureError("exited", "PID %d exited during the capture" % target.pid)
        if "Python scripting is not supported" in stderr:
            raise CaptureError("no-gdb", "%s was built without Python support; install a gdb "
                               "with Python (Debian/Ubuntu: gdb)" % path)
        last = (stderr.strip().splitlines() or ["no output"])[-1]
        raise CaptureError("gdb", "gdb failed before running the bootstrap: %s" % last)


def _read_gdb(proc, timeout, report, cancel):
    """Relay gdb's HEAPSCOPE lines. To stop it we close its stdin (never a signal: see
    _gdbscript.watch_stdin); once it runs the bootstrap, we wait for it whatever happens."""
    import threading

    events = []
    deadline = time.monotonic() + timeout + GDB_GRACE
    injecting = threading.Event()

    def watchdog():
        while proc.poll() is None and not injecting.is_set():
            if time.monotonic() > deadline or cancel.is_set():
                _close(proc.stdin)
                return
            time.sleep(0.05)

    threading.Thread(target=watchdog, daemon=True).start()
    for raw in proc.stdout:
        line = raw.decode("utf-8", "replace")
        if not line.startswith("HEAPSCOPE "):
            continue
        event = json.loads(line[len("HEAPSCOPE "):])
        events.append(event)
        if event["event"] == "injecting":
            injecting.set()
        name = event.pop("event")
        report(name, event)
        event["event"] = name
    stderr = proc.stderr.read().decode("utf-8", "replace")
    proc.wait()
    _close(proc.stdout)
    _close(proc.stderr)
    return events, stderr


def _close(f):
    try:
        f.close()
    except (OSError, ValueError):
        pass


def _raise_gdb_error(target, error):
    code, message = error["code"], error["message"]
    if code == "attach":
        if "not permitted" in message:
            from ._target import ptrace_scope

            scope = ptrace_scope()
            raise CaptureError("ptrace", "ptrace not permitted (kernel.yama.ptrace_scope=%s%s): "
                               "run with sudo, or in a container add CAP_SYS_PTRACE "
                               "(docker run --cap-add=SYS_PTRACE)"
                               % (scope, "" if scope in (None, 0) else
                                  "; sudo sysctl -w kernel.yama.ptrace_scope=0 allows it"))
        if not is_alive(target.pid):
            raise CaptureError("exited", "PID %d exited before gdb could attach" % target.pid)
        raise CaptureError("attach", "gdb could not attach to PID %d: %s" % (target.pid, message))
    if code == "timeout":
        raise CaptureError("timeout", "PID %d did not reach a safe point within the timeout (a "
                           "thread holds the GIL in a long C call?); nothing was changed: retry, "
                           "or raise --timeout" % target.pid)
    if code == "exited":
        raise CaptureError("exited", "PID %d exited during the capture" % target.pid)
    if code == "cancelled":
        raise CaptureError("cancelled", "cancelled before anything ran in PID %d" % target.pid)
    raise CaptureError(code, "PID %d: %s" % (target.pid, message))


def _via_remote_exec(target, output, status, fork, timeout, dumper_dir, report):
    """Python 3.14+: PEP 768 remote execution, by an interpreter of the target's version."""
    require_ptrace(target)
    if _remote_debug_disabled(target):
        raise CaptureError("remote-debug-disabled", "PID %d disabled remote debugging "
                           "(PYTHON_DISABLE_REMOTE_DEBUG or -X disable-remote-debug): restart it "
                           "without, or install heapscope.install_signal_handler()" % target.pid)
    require_visible(target, dumper_dir, "the dumper")
    script = os.path.join(os.path.dirname(output), ".heapscope-capture-%d.py" % os.getpid())
    with open(script, "w") as f:
        f.write(bootstrap_source(dumper_dir, output, status, fork) + "\n")
    os.chmod(script, 0o644)
    exe = "/proc/%d/exe" % target.pid
    report("waiting", {"timeout": timeout})
    try:
        run = subprocess.run([exe, "-I", "-c", "import sys; sys.remote_exec(int(sys.argv[1]), "
                              "sys.argv[2])", str(target.pid), script],
                             stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        if run.returncode != 0:
            last = (run.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1]
            raise CaptureError("remote-exec", "sys.remote_exec(%d) failed: %s" % (target.pid, last))
        deadline = time.monotonic() + timeout
        while not os.path.exists(status):  # it runs at the target's next safe point
            if not is_alive(target.pid):
                raise CaptureError("exited", "PID %d exited during the capture" % target.pid)
            if time.monotonic() > deadline:
                raise CaptureError("timeout", "PID %d did not run the bootstrap within the timeout"
                                   % target.pid)
            time.sleep(POLL)
    finally:
        _remove(script)


def _remote_debug_disabled(target):
    if any(a in ("-Xdisable-remote-debug", "disable-remote-debug") for a in target.cmdline):
        return True
    try:
        with open("/proc/%d/environ" % target.pid, "rb") as f:
            env = f.read().split(b"\0")
    except OSError:
        return False
    return any(e.startswith(b"PYTHON_DISABLE_REMOTE_DEBUG=") and len(e) > 28 for e in env)


def _follow(target, output, status, report, started, cancel):
    """Wait for the status file to say `done` (or `failed`), reporting the temp file's growth."""
    state, data = _read_status(status)
    if state is None:
        raise CaptureError("bootstrap", "the bootstrap ran but reported nothing (%s not written)"
                           % status)
    pause = data.get("pause")
    tmp, child = data.get("tmp"), data.get("child")
    if state == "forked":
        report("walking", {"child": child, "pauseSeconds": pause, "bytes": 0})
    last_size, gone_since = -1, None
    while state == "forked":
        time.sleep(POLL)
        state, data = _read_status(status)
        if state != "forked":
            break
        size = _size(tmp)
        if size is not None and size != last_size:
            last_size = size
            report("walking", {"child": child, "pauseSeconds": pause, "bytes": size})
        if cancel.is_set() and child and is_alive(child):
            os.kill(child, signal.SIGKILL)  # a separate process: the target itself is untouched
            end = time.monotonic() + 3.0
            while _read_status(status)[0] == "forked" and time.monotonic() < end:
                time.sleep(POLL)  # let the target's reaper write `failed` before we delete it
            _remove(tmp)
            raise CaptureError("cancelled", "cancelled; the dump child was stopped, no file left")
        if not is_alive(child):
            # The child is the writer. Its reaper (a thread in the target) says `done`; if the
            # target exited meanwhile nobody will, and the file itself is the answer.
            gone_since = gone_since or time.monotonic()
            if time.monotonic() - gone_since > 2.0:
                state, data = _outcome_without_status(output, tmp, started)
    if state == "failed":
        _remove(tmp)
        if not is_alive(target.pid):
            raise CaptureError("exited", "PID %d exited during the capture; no snapshot was left"
                               % target.pid)
        raise CaptureError("dump", data.get("error") or "the dump failed")
    stats = data.get("stats") or {}
    if not os.path.exists(output):
        raise CaptureError("dump", "the dump reported success but %s is missing" % output)
    return {"path": output, "objects": stats.get("objects"), "edges": stats.get("edges"),
            "bytes": stats.get("bytes_written"), "walkSeconds": stats.get("seconds"),
            "pauseSeconds": pause if pause is not None else stats.get("seconds"),
            "fork": child is not None}


def _outcome_without_status(output, tmp, started):
    try:
        complete = os.stat(output).st_mtime >= started - 1 and _size(tmp) is None
    except OSError:
        complete = False
    if complete:
        return "done", {"stats": {}}
    return "failed", {"error": "the dump child exited without finishing the snapshot"}


def _read_status(path):
    try:
        with open(path) as f:
            state, _, rest = f.read().partition("\n")
        if state == "failed-text":  # written by the bootstrap, which has no json module at hand
            return "failed", {"error": rest}
        return state, json.loads(rest or "{}")
    except (OSError, ValueError):
        return None, {}


def _size(path):
    try:
        return os.stat(path).st_size
    except (OSError, TypeError):
        return None


def _remove(path):
    try:
        os.unlink(path)
    except (OSError, TypeError):
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m heapscope._capture",
                                     description="Snapshot a running Python process.")
    parser.add_argument("pid", nargs="?", type=int)
    parser.add_argument("-o", "--output")
    parser.add_argument("--no-fork", action="store_true")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--dumper-dir", default=DUMPER_DIR)
    parser.add_argument("--json", action="store_true", help="progress and result as JSON lines")
    parser.add_argument("--list", action="store_true", help="list capturable Python processes")
    parser.add_argument("--signal", action="store_true",
                        help="the program installed heapscope.install_signal_handler(): send SIGUSR2")
    parser.add_argument("--signal-dir", help="where that handler writes (default: its cwd)")
    opts = parser.parse_args(argv)
    emit = _json_report if opts.json else _text_report
    import threading

    cancel = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: cancel.set())  # never leave gdb or a child half-way
    if opts.list:
        for t in list_python_processes():
            emit("process", {"pid": t.pid, "cmdline": t.cmdline, "python": "%d.%d" % t.version,
                             "abiflags": t.abiflags, "rss": t.rss, "startTime": t.start_time,
                             "uid": t.uid})
        return 0
    if opts.pid is None or opts.pid <= 0 or opts.timeout <= 0:
        parser.error("expected a PID and a positive --timeout")
    try:
        if opts.signal:
            capture_by_signal(opts.pid, opts.output, opts.timeout, opts.signal_dir, report=emit)
        else:
            capture(opts.pid, opts.output, not opts.no_fork, opts.timeout,
                    os.path.abspath(opts.dumper_dir), report=emit, cancel=cancel)
    except CaptureError as exc:
        emit("error", {"code": exc.code, "message": str(exc)})
        return 2
    return 0


def _json_report(event, fields):
    fields = dict(fields, event=event)
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def _text_report(event, fields):
    if event == "error":
        sys.stderr.write("heapscope capture: %s\n" % fields["message"])
    elif event == "done":
        sys.stdout.write("%s\n" % fields["path"])
    elif event in ("waiting", "injecting", "walking", "attached") and sys.stderr.isatty():
        sys.stderr.write("\r%s…\033[K" % event)


if __name__ == "__main__":
    sys.exit(main())
