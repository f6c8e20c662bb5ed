"""`heapscope capture` against real child processes: the target must keep running correctly.

Each test starts a target program with this interpreter, captures it through gdb (the real
path: _capture.capture), and checks afterwards: the target is alive and finishes normally, its
own output is intact and in order, no extra thread remains, nothing is printed to its stderr,
and a failed capture leaves no file and no half-file. Needs gdb and ptrace (Linux).
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unittest

import helpers  # noqa: F401  (puts the package on sys.path)
import pyheap_reader

from heapscope import _capture
from heapscope._target import CaptureError

CAN_CAPTURE = (sys.platform.startswith("linux") and shutil.which("gdb") is not None
               and sys.implementation.name == "cpython")
REPEAT = int(os.environ.get("HEAPSCOPE_CAPTURE_REPEAT", "5"))

# The target prints numbered lines; the test checks they are contiguous (intact, in order) and
# that it ends with `done <threads>` when the stop file appears.
PRELUDE = textwrap.dedent("""\
    import os, sys, threading, time
    STOP = sys.argv[1]
    P0 = list(sys.path)
    M0 = sorted(vars(sys.modules["__main__"]))
    def say(*a):
        print(*a, flush=True)
    say("ready")
""")
# sys.path as it was and none of the bootstrap's names in __main__ (it runs in its own globals)
BOOTSTRAP_NAMES = {"D", "OUT", "ST", "FORK", "fail", "cached", "mark", "_inject", "e", "heapscope"}
END = ("say('path', sys.path == P0, sorted(set(vars(sys.modules['__main__'])) & %r))\n"
       % BOOTSTRAP_NAMES +
       "say('done', threading.active_count())\n")

IDLE = PRELUDE + textwrap.dedent("""\
    i = 0
    while not os.path.exists(STOP):
        time.sleep(0.2)
        say("tick", i); i += 1
""") + END

SELECT = PRELUDE + textwrap.dedent("""\
    import select
    say("tick", 0)
    t0 = time.monotonic()
    ready = select.select([sys.stdin], [], [], 120)  # the only thread, blocked for minutes
    # PEP 475: the EINTR of the nudge must not end the wait early: only stdin ends it
    say("woke", bool(ready[0]))
    sys.stdin.readline()
""") + END

BUSY = PRELUDE + textwrap.dedent("""\
    say("tick", 0)
    d, n = {}, 0
    while n < LOOP_COUNT:   # pure bytecode, no call at all: never a safe point by itself
        n += 1
        d[n % 1000] = n
    say("tick", 1)
    while not os.path.exists(STOP):
        time.sleep(0.1)
""") + END

THREADS = PRELUDE + textwrap.dedent("""\
    shared, lock, stop = {}, threading.Lock(), threading.Event()
    def work(k):
        j = 0
        while not stop.is_set():
            with lock:
                lst = shared.setdefault(k, [])
                lst.append(j)
                del lst[:-100]   # bounded: the heap stays small, the order stays checkable
            j += 1
            if j % 500 == 0:
                time.sleep(0.001)
    ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in ts: t.start()
    say("started")
    i = 0
    while not os.path.exists(STOP):
        time.sleep(0.2)
        say("tick", i); i += 1
    stop.set()
    for t in ts: t.join()
    ok = all(v == list(range(v[0], v[0] + len(v))) for v in shared.values())
    say("threads-ok" if ok and len(shared) == 4 else "threads-BROKEN")
""") + END

C_CALL = PRELUDE + textwrap.dedent("""\
    say("tick", 0)
    x = sum(range(SECONDS_OF_SUM))    # one C call that never releases the GIL
    say("tick", 1)
    while not os.path.exists(STOP):
        time.sleep(0.1)
""") + END


@unittest.skipUnless(CAN_CAPTURE, "capture needs Linux, CPython and gdb")
class CaptureSafety(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="heapscope-capture-")
        self.stop = os.path.join(self.dir, "stop")
        self.proc = None

    def tearDown(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, source):
        script = os.path.join(self.dir, "target.py")
        with open(script, "w") as f:
            f.write(source)
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)  # the target must not see the dumper on its own path
        self.proc = subprocess.Popen([sys.executable, script, self.stop], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                     cwd=self.dir)
        self.assertEqual(self.proc.stdout.readline().strip(), b"ready")
        self.baseline_threads = self.threads()
        return self.proc

    def threads(self):
        return len(os.listdir("/proc/%d/task" % self.proc.pid))

    def capture(self, name="snap.pyheap", **kw):
        out = os.path.join(self.dir, name)
        kw.setdefault("timeout", 20.0)
        result = _capture.capture(self.proc.pid, out, **kw)
        self.assertEqual(result["path"], out)
        heap = pyheap_reader.read(out)
        self.assertEqual(heap.meta["pid"], self.proc.pid)
        self.assertTrue(heap.meta["options"]["capture"])
        self.assertTrue(heap.objects)
        return result, heap

    def finish(self, first=0):
        """Stop the target; return its lines after checking ticks, stderr, sys.path, threads."""
        self.assertIsNone(self.proc.poll(), "the target died during the capture")
        self.wait_threads()
        open(self.stop, "w").close()
        out, err = self.proc.communicate(timeout=60)
        self.assertEqual(self.proc.returncode, 0, err.decode())
        self.assertEqual(err, b"", "the capture wrote to the target's stderr")
        lines = out.decode().splitlines()
        ticks = [line for line in lines if line.startswith("tick")]
        numbers = [int(line.split()[1]) for line in ticks]
        self.assertEqual(numbers, list(range(first, first + len(numbers))),
                         "output out of order or lost")
        self.assertIn("path True []", lines)
        self.assertEqual(lines[-1], "done 1")  # threading knows of no thread of ours either
        return lines

    def wait_threads(self):
        """Fork mode's reaper thread ends with the dump child: back to the baseline count."""
        deadline = time.monotonic() + 10
        while self.threads() != self.baseline_threads and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.threads(), self.baseline_threads, "a thread was left behind")

    def assertNoFiles(self):
        left = [p for p in os.listdir(self.dir) if p not in ("target.py",)]
        self.assertEqual(left, [], "a failed capture left files")

    def test_idle_in_sleep(self):
        self.start(IDLE)
        result, _ = self.capture()
        self.assertTrue(result["fork"])
        self.assertLess(result["forkSeconds"], 2.0)
        self.finish()

    def test_only_thread_blocked_in_select_is_nudged(self):
        self.start(SELECT)
        self.assertEqual(self.proc.stdout.readline().strip(), b"tick 0")
        time.sleep(0.3)  # inside select() by now
        result, _ = self.capture(timeout=8.0)  # without the nudge: no safe point for 120 s
        self.assertIsNone(self.proc.poll())
        self.proc.stdin.write(b"x\n")
        self.proc.stdin.flush()
        lines = self.finish(first=0)
        self.assertIn("woke True", lines)

    def test_busy_pure_python_loop(self):
        self.start(BUSY.replace("LOOP_COUNT", str(_loop_size(8.0))))
        self.assertEqual(self.proc.stdout.readline().strip(), b"tick 0")
        time.sleep(0.3)
        result, _ = self.capture(timeout=4.0)  # reached through the pending call
        self.assertIsNone(self.proc.poll())
        self.finish(first=1)

    def test_four_threads_mutating(self):
        self.start(THREADS)
        self.assertEqual(self.proc.stdout.readline().strip(), b"started")
        self.baseline_threads = self.threads()
        self.assertEqual(self.baseline_threads, 5)
        _, heap = self.capture()
        self.assertEqual(len(heap.meta["threads"]), 5)
        lines = self.finish()
        self.assertIn("threads-ok", lines)

    def test_no_fork_mode(self):
        self.start(IDLE)
        result, _ = self.capture(fork=False)
        self.assertFalse(result["fork"])
        self.finish()

    def test_gil_held_in_c_call_times_out_cleanly(self):
        self.start(C_CALL.replace("SECONDS_OF_SUM", str(_sum_size(6.0))))
        self.assertEqual(self.proc.stdout.readline().strip(), b"tick 0")
        out = os.path.join(self.dir, "never.pyheap")
        with self.assertRaises(CaptureError) as cm:
            _capture.capture(self.proc.pid, out, timeout=1.0)
        self.assertEqual(cm.exception.code, "timeout")
        self.assertNoFiles()
        self.finish(first=1)

    def test_repeated_captures_on_one_target(self):
        self.start(IDLE)
        rss = []
        for k in range(REPEAT):
            self.capture("snap%d.pyheap" % k)
            self.wait_threads()
            rss.append(_rss(self.proc.pid))
        # The first capture imports heapscope; after that the target's memory must not creep
        # (the forked child's copies are its own and go when it exits).
        self.assertLess(max(rss[1:]) - rss[0], 4 << 20, rss)
        self.assertEqual(len(glob.glob(os.path.join(self.dir, "snap*.pyheap"))), REPEAT)
        self.assertEqual(len(glob.glob(os.path.join(self.dir, ".*"))), 0)
        self.finish()

    def test_target_exits_while_waiting(self):
        # Killed (an OOM kill, say) while a C call keeps it from any safe point: "exited".
        self.start(C_CALL.replace("SECONDS_OF_SUM", str(_sum_size(8.0))))
        self.assertEqual(self.proc.stdout.readline().strip(), b"tick 0")
        out = os.path.join(self.dir, "never.pyheap")
        killer = threading.Timer(1.5, self.proc.kill)
        killer.start()
        try:
            with self.assertRaises(CaptureError) as cm:
                _capture.capture(self.proc.pid, out, timeout=20.0)
        finally:
            killer.cancel()
        self.assertEqual(cm.exception.code, "exited", str(cm.exception))
        self.proc.wait(timeout=10)
        self.assertNoFiles()


@unittest.skipUnless(sys.platform.startswith("linux"), "reads /proc")
class CaptureBySignal(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="heapscope-capture-sig-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def run_target(self, install):
        code = ("import sys, time; sys.path.insert(0, %r)\n" % os.path.dirname(helpers.HERE)
                + ("import heapscope; heapscope.install_signal_handler(directory=%r)\n" % self.dir
                   if install else "")
                + "print('ready', flush=True)\ntime.sleep(60)\n")
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        self.addCleanup(lambda: (proc.kill(), proc.communicate()))
        self.assertEqual(proc.stdout.readline().strip(), b"ready")
        return proc

    def test_signal_capture_of_a_program_with_the_handler(self):
        proc = self.run_target(True)
        out = os.path.join(self.dir, "sig.pyheap")
        result = _capture.capture_by_signal(proc.pid, out, timeout=30, directory=self.dir)
        self.assertEqual(result["path"], out)
        self.assertEqual(pyheap_reader.read(out).meta["pid"], proc.pid)
        self.assertIsNone(proc.poll())

    def test_refuses_to_signal_a_program_without_the_handler(self):
        proc = self.run_target(False)
        with self.assertRaises(CaptureError) as cm:
            _capture.capture_by_signal(proc.pid, None, timeout=5, directory=self.dir)
        self.assertEqual(cm.exception.code, "no-handler")
        self.assertIsNone(proc.poll())  # SIGUSR2 was never sent: it would have killed it


@unittest.skipUnless(sys.platform.startswith("linux"), "pre-flight reads /proc")
class Preflight(unittest.TestCase):
    def test_no_such_pid(self):
        with self.assertRaises(CaptureError) as cm:
            _capture.capture(_unused_pid(), "/tmp/x.pyheap")
        self.assertEqual(cm.exception.code, "no-such-process")

    def test_not_python(self):
        proc = subprocess.Popen(["sleep", "30"])
        try:
            with self.assertRaises(CaptureError) as cm:
                _capture.capture(proc.pid, "/tmp/x.pyheap")
            self.assertEqual(cm.exception.code, "not-python")
            self.assertIn("not a Python process", str(cm.exception))
        finally:
            proc.kill()
            proc.wait()

    def test_gdb_missing(self):
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        d = tempfile.mkdtemp()
        try:
            with self.assertRaises(CaptureError) as cm:
                _capture.capture(proc.pid, os.path.join(d, "x.pyheap"),
                                 gdb="/nonexistent/gdb-for-test")
            self.assertEqual(cm.exception.code, "no-gdb")
            self.assertEqual(os.listdir(d), [])
        finally:
            proc.kill()
            proc.wait()
            shutil.rmtree(d)

    def test_output_dir_not_writable_by_target_user(self):
        from heapscope import _target

        d = tempfile.mkdtemp()
        try:
            os.chmod(d, 0o755)
            t = _target.Target(1)
            t.uid, t.gids = 65534, {65534}
            st = os.stat(d)
            if st.st_uid == 65534:
                self.skipTest("temp dir owned by nobody")
            with self.assertRaises(CaptureError) as cm:
                _target.require_writable(t, d)
            self.assertEqual(cm.exception.code, "output")
            self.assertIn("uid 65534", str(cm.exception))
            os.chmod(d, 0o777)
            _target.require_writable(t, d)  # now it can
        finally:
            shutil.rmtree(d)

    def test_ptrace_scope_messages(self):
        from heapscope import _target

        t = _target.Target(os.getpid())
        t.uid = os.geteuid()
        saved = _target.ptrace_scope
        try:
            _target.ptrace_scope = lambda: 3
            with self.assertRaises(CaptureError) as cm:
                _target.require_ptrace(t)
            self.assertIn("ptrace_scope=3", str(cm.exception))
        finally:
            _target.ptrace_scope = saved

    def test_zombie_is_reported_as_exited(self):
        proc = subprocess.Popen([sys.executable, "-c", "pass"])
        deadline = time.monotonic() + 10
        while _capture.is_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.02)   # exited, not yet reaped: a zombie
        try:
            with self.assertRaises(CaptureError) as cm:
                _capture.capture(proc.pid, "/tmp/x.pyheap")
            self.assertEqual(cm.exception.code, "no-such-process")
            self.assertIn("has exited", str(cm.exception))
        finally:
            proc.wait()

    def test_314_remote_debug_opt_out_is_honoured(self):
        # 3.14 is not installed here: a target is faked as 3.14 to reach the check, which reads
        # the real process's environment and command line.
        for env, xopt in (({"PYTHON_DISABLE_REMOTE_DEBUG": "1"}, []),
                          ({}, ["-X", "disable-remote-debug"])):
            proc = subprocess.Popen([sys.executable] + xopt + ["-c", "import time; print('ready', "
                                     "flush=True); time.sleep(30)"],
                                    env=dict(os.environ, **env), stdout=subprocess.PIPE)
            # Until it has exec'd, /proc shows the parent's command line and environment.
            self.assertEqual(proc.stdout.readline().strip(), b"ready")
            saved = _capture.read_target

            def fake(pid, saved=saved):
                t = saved(pid)
                t.version = (3, 14)
                return t

            _capture.read_target = fake
            d = tempfile.mkdtemp()
            try:
                with self.assertRaises(CaptureError) as cm:
                    _capture.capture(proc.pid, os.path.join(d, "x.pyheap"))
                self.assertEqual(cm.exception.code, "remote-debug-disabled", str(cm.exception))
                self.assertIn("PYTHON_DISABLE_REMOTE_DEBUG", str(cm.exception))
                self.assertEqual(os.listdir(d), [])
            finally:
                _capture.read_target = saved
                proc.kill()
                proc.communicate()
                shutil.rmtree(d)

    def test_version_from_maps_and_exe(self):
        from heapscope import _target

        t = _target.read_target(os.getpid())
        self.assertEqual(t.version, sys.version_info[:2])
        self.assertEqual(t.abiflags, getattr(sys, "abiflags", ""))

    def test_bootstrap_reports_failure_and_binds_nothing(self):
        # In a fresh interpreter where the dumper cannot be imported: the bootstrap must write a
        # `failed` status, raise nothing, and leave __main__ and sys.path as they were.
        d = tempfile.mkdtemp()
        status = os.path.join(d, "status")
        src = _capture.bootstrap_source(os.path.join(d, "missing"), os.path.join(d, "x.pyheap"),
                                        status, True)
        probe = ("import sys; p = list(sys.path); m = set(vars(sys.modules['__main__']))\n"
                 "%s\nprint(sys.path == p, sorted(set(vars(sys.modules['__main__'])) - m - {'p', 'm'}),"
                 " 'heapscope' in sys.modules)\n" % src)
        try:
            run = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True,
                                 timeout=60)
            self.assertEqual((run.returncode, run.stderr), (0, b""))
            self.assertEqual(run.stdout.strip(), b"True [] False")
            with open(status) as f:
                state, _, text = f.read().partition("\n")
            self.assertEqual(state, "failed-text")
            self.assertIn("ModuleNotFoundError", text)
            self.assertEqual(sorted(os.listdir(d)), ["status"])
        finally:
            shutil.rmtree(d)


class BuildFacts(helpers.DumpCase):
    def test_meta_records_build(self):
        snap, _ = self.snapshot()
        py = snap.heap.meta["python"]
        self.assertEqual(py["implementation"], sys.implementation.name)
        self.assertEqual(py["freeThreaded"], "t" in getattr(sys, "abiflags", ""))
        self.assertEqual(py["debugBuild"], hasattr(sys, "gettotalrefcount"))
        self.assertIn("gilEnabled", py)


def _sum_size(seconds):
    """A range whose sum() takes about `seconds` here (measured, not guessed)."""
    n = 2 * 10**6
    t0 = time.perf_counter()
    sum(range(n))
    per = (time.perf_counter() - t0) / n
    return int(seconds / max(per, 1e-9))


def _loop_size(seconds):
    """Iterations of BUSY's loop that take about `seconds` here."""
    d, n, count = {}, 0, 300000
    t0 = time.perf_counter()
    while n < count:
        n += 1
        d[n % 1000] = n
    return int(seconds * count / max(time.perf_counter() - t0, 1e-6))


def _rss(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _unused_pid():
    pid = 4 * 10**6
    while os.path.exists("/proc/%d" % pid):
        pid += 1
    return pid


if __name__ == "__main__":
    unittest.main()
