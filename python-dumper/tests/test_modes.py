"""collect=False, fork mode, the signal handler, the run CLI, concurrent mutation, tracemalloc."""

import gc
import os
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
import unittest

from helpers import ROOT, DumpCase, Snapshot, heapscope, pyheap_reader
from heapscope import _meta


class Node:
    def __init__(self):
        self.partner = None


class Traced:
    __slots__ = ("value",)


def _make_traced():
    return Traced()


_TRACED_LINE = _make_traced.__code__.co_firstlineno + 1


class Modes(DumpCase):
    def test_collect_false_marks_cyclic_garbage_and_restores_gc(self):
        gc.collect()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            a, b = Node(), Node()
            a.partner, b.partner = b, a
            garbage_ids = {id(a), id(b)}
            del a, b
            live = Node()
            garbage_before = list(gc.garbage)
            debug_before = gc.get_debug()
            snap, _ = self.snapshot(collect=False)
            self.assertEqual(gc.garbage, garbage_before)
            self.assertEqual(gc.get_debug(), debug_before)
            self.assertFalse(gc.isenabled())
        finally:
            if was_enabled:
                gc.enable()
        for addr in garbage_ids:
            self.assertTrue(snap.objects[addr]["flags"] & 8, "garbage not flagged")
        self.assertFalse(snap.obj(live)["flags"] & 8)
        # gc.garbage's recorded edges do not include what the dumper parked there.
        self.assertEqual(snap.obj(gc.garbage)["edge_count"], len(gc.garbage))
        self.assertGreaterEqual(gc.collect(), 2)  # the two Nodes (and, before 3.11, their dicts)

    def test_collect_true_drops_garbage(self):
        a = Node()
        a.partner = a
        addr = id(a)
        del a
        snap, _ = self.snapshot()
        self.assertTrue(addr not in snap.objects or snap.objects[addr]["type"] != __name__ + ".Node")

    @unittest.skipUnless(hasattr(os, "fork"), "POSIX only")
    def test_fork_mode(self):
        ready, release = threading.Event(), threading.Event()
        marker = Node()

        def worker(thread_marker):
            ready.set()
            release.wait(30)

        t = threading.Thread(target=worker, args=(marker,), name="held-worker")
        t.start()
        ready.wait(10)
        try:
            path = self.path("fork.pyheap")
            handle = heapscope.dump(path, fork=True)
            self.assertIsInstance(handle, heapscope.ForkedDump)
            self.assertLess(handle.pause_seconds, 30)
            stats = handle.wait(timeout=120)
            self.assertIsNotNone(stats)
            self.assertEqual(handle.poll().objects, stats.objects)
        finally:
            release.set()
            t.join()
        snap = Snapshot(pyheap_reader.read(path))
        self.assertEqual(stats.objects, len(snap.heap.objects))
        # META describes the dumped process (the parent), not the child that wrote it: a series of
        # fork-mode dumps must name one process, or comparing them would refuse.
        self.assertEqual(snap.heap.meta["pid"], os.getpid())
        self.assertEqual(snap.heap.meta["processStartTime"], _meta.process_start_time())
        self.assertEqual(len(snap.heap.meta["threads"]), 2)
        # The other thread's frame, captured before the fork, names its local.
        holders = [src for src, lst in snap.edges.items()
                   for t_, k, n in lst if t_ == id(marker) and k == "LOCAL" and n == "thread_marker"]
        self.assertTrue(holders)
        labels = [label for _, label, kind in snap.heap.roots if kind == "THREAD_FRAME"]
        self.assertTrue(any("held-worker" in label for label in labels))

    @unittest.skipUnless(hasattr(signal, "SIGUSR2"), "POSIX only")
    def test_signal_handler(self):
        previous = heapscope.install_signal_handler(signal.SIGUSR2, directory=self.tmp)
        try:
            os.kill(os.getpid(), signal.SIGUSR2)
            deadline = time.time() + 60
            done = []
            while time.time() < deadline and not done:
                time.sleep(0.05)
                done = [n for n in os.listdir(self.tmp) if n.endswith(".pyheap")]
        finally:
            signal.signal(signal.SIGUSR2, previous or signal.SIG_DFL)
        self.assertTrue(done, "no dump appeared")
        heap = pyheap_reader.read(os.path.join(self.tmp, done[0]))
        labels = [label for _, label, kind in heap.roots if kind == "THREAD_FRAME"]
        self.assertTrue(any("test_signal_handler" in label for label in labels))
        self.assertFalse(any("heapscope-signal" in label for label in labels))

    def test_run_cli(self):
        script = os.path.join(self.tmp, "prog.py")
        with open(script, "w") as f:
            f.write("import sys\n"
                    "class Payload:\n"
                    "    def __init__(self):\n"
                    "        self.rows = [str(i) * 3 for i in range(50)]\n"
                    "kept = Payload()\n"
                    "ARGS = sys.argv[1:]\n")
        out = self.path("cli.pyheap")
        env = dict(os.environ, PYTHONPATH=ROOT)
        proc = subprocess.run([sys.executable, "-m", "heapscope", "run", "--dump-at-exit", out,
                               script, "a1", "a2"], env=env, capture_output=True, text=True,
                              timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        snap = Snapshot(pyheap_reader.read(out))
        payloads = [o for o in snap.heap.objects if o["type"] == "__main__.Payload"]
        self.assertEqual(len(payloads), 1)
        main_mod = [a for a, label, k in snap.heap.roots if k == "MODULE" and label == "__main__"]
        self.assertEqual(len(main_mod), 1)
        argv = [o["label"] for o in snap.heap.objects if o["label"] in ("a1", "a2")]
        self.assertIn("a1", argv)
        version = subprocess.run([sys.executable, "-m", "heapscope", "--version"], env=env,
                                 capture_output=True, text=True, timeout=60)
        self.assertIn(heapscope.__version__, version.stdout)

    def test_concurrent_mutation_does_not_crash(self):
        shared_dict = {i: str(i) for i in range(5000)}
        shared_list = list(range(5000))
        stop = threading.Event()

        def mutate():
            i = 0
            while not stop.is_set():
                i += 1
                shared_dict[i % 9000] = [i]
                shared_dict.pop((i * 7) % 9000, None)
                shared_list.append(str(i))
                if len(shared_list) > 8000:
                    del shared_list[:3000]

        threads = [threading.Thread(target=mutate) for _ in range(2)]
        old = sys.getswitchinterval()
        sys.setswitchinterval(5e-4)  # switch threads often, so the walk really races them
        for t in threads:
            t.start()
        try:
            snap, stats = self.snapshot()
            self.assertEqual(stats.objects, len(snap.heap.objects))
        finally:
            stop.set()
            for t in threads:
                t.join()
            sys.setswitchinterval(old)

    def test_tracemalloc_tracebacks(self):
        tracemalloc.start(1)  # 1 frame: tracing slows every allocation the walk makes
        try:
            # Slotted instances: lists would come from a free list (allocated before tracing),
            # and 3.11's get_object_traceback misses objects with a managed-dict pre-header.
            traced = [Traced() for _ in range(3)]
            snap, _ = self.snapshot()
        finally:
            tracemalloc.stop()
        self.assertTrue(snap.heap.meta["options"]["tracemalloc"])
        tb = snap.heap.allocations.get(id(traced[0]))
        self.assertIsNotNone(tb)
        self.assertTrue(any(f.endswith("test_modes.py") for f, _ in tb))
        self.assertIs(snap.heap.allocations[id(traced[1])], tb)  # stored once, shared

    def test_tracemalloc_frames_oldest_first_and_no_static_objects(self):
        tracemalloc.start(5)
        try:
            traced = _make_traced()
            snap, _ = self.snapshot()
        finally:
            tracemalloc.stop()
        tb = snap.heap.allocations.get(id(traced))
        self.assertIsNotNone(tb)
        self.assertGreaterEqual(len(tb), 2)
        # Most recent call last: the innermost frame is the allocating line in _make_traced.
        self.assertTrue(tb[-1][0].endswith("test_modes.py"), tb)
        self.assertEqual(tb[-1][1], _TRACED_LINE, tb)
        self.assertNotIn(id(None), snap.heap.allocations)
        self.assertNotIn(id(sys), snap.heap.allocations)

    def test_first_dump_imports_nothing(self):
        # A module imported mid-dump would appear in the snapshot and in every diff after it.
        out = self.path("first.pyheap")
        code = ("import sys, heapscope\nbefore = set(sys.modules)\nheapscope.dump(%r)\n"
                "hasattr(heapscope._dump.os, 'fork') and heapscope.dump(%r, fork=True).wait()\n"
                "print(sorted(set(sys.modules) - before))" % (out, out))
        proc = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=ROOT),
                              stdout=subprocess.PIPE, check=True, timeout=120)
        self.assertEqual(proc.stdout.decode().strip(), "[]")

    def test_tracebacks_leave_out_the_run_cli(self):
        script = os.path.join(self.tmp, "traced.py")
        with open(script, "w") as f:
            f.write("class Slotted:\n    __slots__ = ('v',)\nkept = Slotted()\n")
        out = self.path("cli-traced.pyheap")
        env = dict(os.environ, PYTHONPATH=ROOT, PYTHONTRACEMALLOC="10")
        proc = subprocess.run([sys.executable, "-m", "heapscope", "run", "--dump-at-exit", out,
                               script], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        heap = pyheap_reader.read(out)
        kept = [o["address"] for o in heap.objects if o["type"] == "__main__.Slotted"]
        tb = heap.allocations.get(kept[0])
        self.assertIsNotNone(tb)
        self.assertEqual(tb, [(script, 3)] if isinstance(tb, list) else ((script, 3),))

    def test_tracemalloc_started_by_environment(self):
        # PYTHONTRACEMALLOC starts tracing in C: the tracemalloc module need not be imported.
        out = self.path("env.pyheap")
        code = "import heapscope; heapscope.dump(%r)" % out
        env = dict(os.environ, PYTHONPATH=ROOT, PYTHONTRACEMALLOC="1")
        subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
        heap = pyheap_reader.read(out)
        self.assertTrue(heap.meta["options"]["tracemalloc"])
        self.assertTrue(heap.allocations)


class TracedDumpLineTables(DumpCase):
    """While tracemalloc traces, the dumper's code runs with one-entry line tables (_linetables)."""

    def _functions(self):
        from heapscope import _dump, _emit, _walk
        return [_walk.Walker._visit, _emit.EdgeEmitter._edges, _dump._run_dump]

    def test_originals_are_back_after_a_traced_dump(self):
        before = [(f, f.__code__) for f in self._functions()]
        tracemalloc.start(3)
        try:
            self.snapshot()
        finally:
            tracemalloc.stop()
        for func, code in before:
            self.assertIs(func.__code__, code, func.__qualname__)

    def test_an_exception_leaving_a_traced_dump_still_formats(self):
        # A traceback through a one-entry-table frame breaks the traceback module on 3.11+
        # (co_positions ends early): the dump must not hand one out.
        import traceback
        before = [(f, f.__code__) for f in self._functions()]
        error = None
        tracemalloc.start(3)
        try:
            heapscope.dump(os.path.join(self.tmp, "no-such-dir", "x.pyheap"))
        except heapscope.DumpError as exc:  # not assertRaises: it drops the traceback
            error = exc
        finally:
            tracemalloc.stop()
        self.assertIsNotNone(error)
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self.assertIn("cannot create file", text)
        for func, code in before:
            self.assertIs(func.__code__, code, func.__qualname__)


if __name__ == "__main__":
    unittest.main()
