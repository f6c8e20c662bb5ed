"""The dumper inside a real program: signals and fork(), fork mode's wait(), `run`'s exit status,
one huge container, and other threads mutating the heap during a plain dump.

Anything that installs handlers or forks runs in a subprocess (under a timeout), so the test
process itself is left as it was.
"""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import unittest

from helpers import ROOT, DumpCase, heapscope, pyheap_reader

_POSIX = hasattr(os, "fork") and hasattr(signal, "SIGUSR2")


def _run(case, code, timeout=120):
    """Run `code` (dedented) with heapscope importable; returns (returncode, stdout, stderr)."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, timeout=timeout,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=case.tmp)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


@unittest.skipUnless(_POSIX, "POSIX only")
class SignalsAndFork(DumpCase):
    def test_signal_to_a_forked_child_dumps_the_child(self):
        code, out, err = _run(self, """
            import os, signal, sys, time, warnings
            import heapscope
            heapscope.install_signal_handler(signal.SIGUSR2, directory=".")
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                r, w = os.pipe()
                pid = os.fork()
            if pid == 0:
                os.close(r)
                os.write(w, b"1")
                deadline = time.time() + 60
                mine = "heapscope-%d-" % os.getpid()
                while time.time() < deadline and not any(
                        n.startswith(mine) and n.endswith(".pyheap") for n in os.listdir(".")):
                    time.sleep(0.02)
                os._exit(0)
            os.close(w)
            os.read(r, 1)
            os.kill(pid, signal.SIGUSR2)
            os.waitpid(pid, 0)
            print(pid)
            print(len([x for x in caught if issubclass(x.category, DeprecationWarning)]))
        """)
        self.assertEqual(code, 0, err)
        child, fork_warnings = (int(x) for x in out.split())
        names = os.listdir(self.tmp)
        self.assertTrue(any(n.startswith("heapscope-%d-" % child) for n in names), names)
        self.assertEqual(fork_warnings, 0)  # no helper thread alive at fork(): 3.12+ stays quiet
        heap = pyheap_reader.read(os.path.join(self.tmp, [n for n in names if n.endswith(".pyheap")][0]))
        self.assertEqual(heap.meta["pid"], child)

    def test_signals_during_a_dump_coalesce(self):
        code, out, err = _run(self, """
            import os, signal, time
            import heapscope
            from heapscope import _signal
            heapscope.install_signal_handler(signal.SIGUSR2, directory=".")
            for _ in range(20):
                os.kill(os.getpid(), signal.SIGUSR2)
            deadline = time.time() + 90
            time.sleep(0.1)
            while time.time() < deadline and (_signal._running.locked() or _signal._state["pending"]):
                time.sleep(0.05)
            print(len([n for n in os.listdir(".") if n.endswith(".pyheap")]))
        """)
        self.assertEqual(code, 0, err)
        self.assertIn(int(out), (1, 2))

    def test_fork_mode_wait_when_the_child_is_reaped_elsewhere(self):
        code, out, err = _run(self, """
            import os, signal, time
            import heapscope
            signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps children itself
            s1 = heapscope.dump("ignored.pyheap", fork=True).wait(60)

            def reap(signo, frame):  # a program's own "reap every child" handler
                try:
                    while os.waitpid(-1, os.WNOHANG)[0]:
                        pass
                except ChildProcessError:
                    pass

            signal.signal(signal.SIGCHLD, reap)
            handle = heapscope.dump("reaped.pyheap", fork=True)
            time.sleep(0.5)
            s2 = handle.wait(60)
            print(s1.objects > 0, s2.objects > 0)
        """)
        self.assertEqual(code, 0, err)
        self.assertEqual(out.split(), ["True", "True"])
        for name in ("ignored.pyheap", "reaped.pyheap"):
            pyheap_reader.read(os.path.join(self.tmp, name))


_MUTATOR = """
    import sys, threading, time
    import heapscope
    from heapscope import _dump
    if @HOLD@ is not None:  # else the defaults
        _dump._HOLD_MIN = _dump._HOLD_MAX = @HOLD@
    shared = {"by_id": {}, "recent": [], "tags": set()}
    stop = threading.Event()

    def mutate(k):
        i = 0
        while not stop.is_set():
            if @PAUSE@:
                time.sleep(@PAUSE@)
            for _ in range(@BURST@):
                i += 1
                node = {"id": (k, i), "payload": [i, "n%d" % i], "peer": None}
                shared["by_id"][(k, i % 500)] = node
                shared["recent"].append(node)
                if len(shared["recent"]) > 2000:
                    for old_node in shared["recent"][:1000]:
                        old_node["peer"] = None  # no ever-growing chain of peers
                    del shared["recent"][:1000]
                try:
                    node["peer"] = shared["recent"][-2]
                except IndexError:  # another thread just trimmed the list
                    pass
                shared["tags"].add("t%d" % (i % 700))
                shared["tags"].discard("t%d" % ((i * 7) % 700))

    threads = [threading.Thread(target=mutate, args=(k,)) for k in range(4)]
    sys.setswitchinterval(@INTERVAL@)
    for t in threads:
        t.start()
    time.sleep(0.2)
    heapscope.dump(@NAME@)
    print(sys.getswitchinterval())
    stop.set()
    for t in threads:
        t.join()
"""


class ConsistentWhileThreadsRun(DumpCase):
    """The walk holds other threads off the GIL, and never waits long for one that computes.

    In fresh interpreters: the hold scales with the heap, and the test process's own heap
    (every earlier test's leftovers) would only make the run slower.
    """

    def test_threads_that_wake_and_mutate_are_held_off(self):
        # Threads that mutate in bursts and block in between (a service's workers): they find
        # the GIL taken when they wake and wait for the walk. One may be waiting, on the old
        # interval, as the hold starts and slip in (the dump then says so); on a loaded
        # machine that happens now and then, so up to three dumps, asserting on the first held.
        infos = []
        while len(infos) < 3 and not (infos and infos[-1]["gilHeld"]):
            name = "bursts-%d.pyheap" % len(infos)
            # The default switch interval: with 1 ms, four threads' bursts run back to back on a
            # loaded machine fill an interval, and the probe rightly calls that busy.
            infos.append(self._dump_under_threads(name, burst=10, pause=0.001, hold=10.0,
                                                  interval=0.005))
        self.assertTrue(infos[-1]["gilHeld"], infos)
        heap = pyheap_reader.read(os.path.join(self.tmp, name))
        dangling, unreachable = _dangling_and_unreachable(heap)
        # Sharing the GIL with always-busy mutators made ~3,800 dangling edges (2 % of edges)
        # and ~12,500 (19 %) "unreachable" objects; held, usually none.
        self.assertLessEqual(dangling, 1000)
        self.assertLess(unreachable, len(heap.objects) // 10)

    def test_threads_that_compute_share_the_gil_without_a_long_wait(self):
        # Always-busy threads: one waiting as the hold starts takes the GIL and keeps it for the
        # whole raised interval (with the old 60 s holds a 0.5 s dump took 60-110 s). The probe
        # sees them and the read shares the GIL. A loaded machine may not schedule them during
        # the probe: up to three dumps, one must see them, and none may hold longer than 5 s.
        infos = []
        while len(infos) < 3 and not (infos and infos[-1]["busyThreadSeen"]):
            name = "busy-%d.pyheap" % len(infos)
            # Switch often: a read that shares the GIL races.
            infos.append(self._dump_under_threads(name, burst=1, pause=0, hold=None,
                                                  interval=1e-3))
        self.assertTrue(infos[-1]["busyThreadSeen"], infos)
        self.assertFalse(infos[-1]["gilHeld"], infos)
        self.assertEqual(infos[-1]["holdSeconds"], 0, infos)
        for info in infos:
            self.assertLessEqual(info["holdSeconds"], 5.0, info)

    def _dump_under_threads(self, name, burst, pause, hold, interval):
        code = _MUTATOR
        for key, value in (("@NAME@", repr(name)), ("@BURST@", str(burst)),
                           ("@PAUSE@", repr(pause)), ("@HOLD@", repr(hold)),
                           ("@INTERVAL@", repr(interval))):
            code = code.replace(key, value)
        code, out, err = _run(self, code, timeout=200)
        self.assertEqual(code, 0, err)
        self.assertEqual(float(out), interval)  # restored
        info = pyheap_reader.read(os.path.join(self.tmp, name)).info
        # Honest either way: a hold that lasted the walk, or a walk that outlived it or shared.
        held = not info["busyThreadSeen"] and info["walkSeconds"] < 0.8 * info["holdSeconds"]
        self.assertEqual(info["gilHeld"], held, info)
        self.assertFalse(info["walkExclusive"])  # other threads existed: not guaranteed
        self.assertEqual(info["otherThreads"], 4)
        return info


def _dangling_and_unreachable(heap):
    """(edges to addresses not in the file, objects that no root, held-from-C or immortal object
    reaches: what a reader would call unreachable, i.e. cyclic garbage)."""
    objects = heap.by_address()
    dangling = sum(1 for target, _, _ in heap.edges if target not in objects)
    out = heap.out_edges()
    seen = set()
    stack = [a for a, _, _ in heap.roots if a in objects] + list(heap.held_from_c())
    stack.extend(o["address"] for o in heap.objects if o["flags"] & 4)  # IMMORTAL
    while stack:
        addr = stack.pop()
        if addr in seen:
            continue
        seen.add(addr)
        stack.extend(t for t, kind, _ in out.get(addr, ()) if kind != "WEAK" and t in objects)
    return dangling, len(objects) - len(seen)


class HugeContainer(DumpCase):
    def test_edges_of_a_huge_list_stream_in_chunks(self):
        # [None] * 10**7 once added ~205 MB to the dumper (a copy of the list, and its edge
        # columns until the object ended). 2 * 10**6 keeps the test quick: ~40 MB before.
        code, out, err = _run(self, """
            import heapscope
            from heapscope import _meta
            big = [None] * 2000000
            items = tuple(str(i) for i in range(70000))  # untracked-item pushes come in slices too
            before = _meta.rss_bytes()[0]
            heapscope.dump("big.pyheap")
            print((_meta.rss_bytes()[1] - before) // 2 ** 20, id(big), id(items))
        """)
        self.assertEqual(code, 0, err)
        growth_mb, big_id, items_id = (int(x) for x in out.split())
        self.assertLess(growth_mb, 25)
        heap = pyheap_reader.read(os.path.join(self.tmp, "big.pyheap"))
        by_addr = heap.by_address()
        self.assertEqual(by_addr[big_id]["edge_count"], 2000000)
        out_edges = heap.out_edges()
        edges = out_edges[big_id]
        self.assertEqual([name for _, _, name in edges[:3]], [0, 1, 2])
        self.assertEqual(edges[-1][2], 1999999)
        self.assertEqual(len({t for t, _, _ in edges}), 1)  # all None
        labels = {by_addr[t]["label"] for t, _, _ in out_edges[items_id] if t in by_addr}
        self.assertEqual(len(labels), 70000)  # every item recorded

    def test_edges_of_a_huge_dict_and_set_stream_in_chunks(self):
        # Same for dicts and sets: a key and a value edge per item were held until the dict's
        # record ended (+33 MB here; 7 MB streamed), a set's referents copied plus its edge
        # columns. 4 * 10**5 items (shared by both; each key is an object to visit): quick.
        code, out, err = _run(self, """
            import heapscope
            from heapscope import _meta
            big = dict.fromkeys(range(1000, 401000))  # the keys are untracked: pushed in slices
            members = frozenset(big)
            before = _meta.rss_bytes()[0]
            heapscope.dump("big.pyheap")
            print((_meta.rss_bytes()[1] - before) // 2 ** 20, id(big), id(members))
        """)
        self.assertEqual(code, 0, err)
        growth_mb, big_id, members_id = (int(x) for x in out.split())
        self.assertLess(growth_mb, 20)
        heap = pyheap_reader.read(os.path.join(self.tmp, "big.pyheap"))
        by_addr = heap.by_address()
        self.assertEqual(by_addr[big_id]["edge_count"], 800000)
        self.assertEqual(by_addr[members_id]["edge_count"], 400000)
        self.assertFalse(by_addr[big_id]["flags"] & pyheap_reader.FLAGS["EDGES_INCOMPLETE"])
        out_edges = heap.out_edges()
        edges = out_edges[big_id]
        self.assertEqual(edges[:2], [(edges[0][0], "DICT_KEY", "1000"),
                                     (edges[1][0], "DICT_VALUE", "1000")])
        self.assertEqual(edges[-1][1:], ("DICT_VALUE", "400999"))
        self.assertEqual({by_addr[t]["label"] for t, kind, _ in edges[:20] if kind == "DICT_KEY"},
                         {str(i) for i in range(1000, 1010)})
        self.assertEqual(len({t for t, kind, _ in edges if kind == "DICT_VALUE"}), 1)  # all None
        keys = [t for t, kind, _ in edges if kind == "DICT_KEY"]
        self.assertEqual(sum(1 for t in keys if t in by_addr), 400000)  # every key recorded
        members = out_edges[members_id]
        self.assertEqual({kind for _, kind, _ in members}, {"SET_MEMBER"})
        labels = {by_addr[t]["label"] for t, _, _ in members if t in by_addr}
        self.assertEqual(labels, {by_addr[t]["label"] for t in keys})

    def test_a_huge_dict_resized_between_slices_ends_in_dangling_edges(self):
        # Another thread may run while a slice is written out; here the write itself resizes it.
        code, out, err = _run(self, """
            import sys
            import heapscope
            from heapscope import _format
            big = dict.fromkeys(range(1000, 201000))
            real = _format.PyheapWriter.flush
            def flush(self):
                real(self)
                if sys._getframe(1).f_code.co_name == "_big_unordered" and len(big) == 200000:
                    big[-1] = None  # once: the next slice's iterator raises RuntimeError
            _format.PyheapWriter.flush = flush
            heapscope.dump("big.pyheap")
            print(id(big))
        """)
        self.assertEqual(code, 0, err)
        big_id = int(out)
        heap = pyheap_reader.read(os.path.join(self.tmp, "big.pyheap"))
        edges = heap.out_edges()[big_id]
        self.assertEqual(len(edges), 400000)  # what the record said up front
        missing = [e for e in edges if e[0] == 0]
        self.assertTrue(0 < len(missing) < 400000, len(missing))
        self.assertEqual(edges[-1], (0, "OTHER", None))


class ModulesThatListFreedObjects(DumpCase):
    def test_an_asyncio_program_runs_on_and_exits_after_a_plain_dump(self):
        # 3.12's _asyncio module lists its free future iterators (refcount 0) among its
        # referents; reading them freed each a second time and the program hung in its next
        # collection. Every interpreter: the program finishes, its output in order.
        code, out, err = _run(self, """
            import asyncio, gc
            import heapscope

            async def spin(n):
                loop = asyncio.get_running_loop()
                for i in range(n):
                    f = loop.create_future()
                    loop.call_soon(f.set_result, i)
                    await f

            async def main():
                await spin(5)  # awaited futures leave their iterators on the free list
                heapscope.dump("asyncio.pyheap", fork=False)
                print("dumped", flush=True)
                await spin(5)
                gc.collect()
                print("survived", flush=True)

            asyncio.run(main())
            gc.collect()
            print("exit ok", flush=True)
            """, timeout=90)
        self.assertEqual((code, out.splitlines()), (0, ["dumped", "survived", "exit ok"]), err)


class RunExitStatus(DumpCase):
    def _cli(self, body, *extra):
        script = os.path.join(self.tmp, "prog.py")
        with open(script, "w") as f:
            f.write(body)
        env = dict(os.environ, PYTHONPATH=ROOT)
        run = subprocess.run([sys.executable, "-m", "heapscope", "run"] + list(extra) + [script],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        plain = subprocess.run([sys.executable, script], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=60)
        return run, plain

    def test_exit_status_and_message_are_the_programs(self):
        for body, status in (("import sys\nsys.exit(0)\n", 0), ("import sys\nsys.exit(3)\n", 3),
                             ("import sys\nsys.exit(None)\n", 0),
                             ("import sys\nsys.exit('bad config: port')\n", 1),
                             ("raise KeyboardInterrupt\n", None)):
            with self.subTest(body=body):
                run, plain = self._cli(body)
                self.assertEqual(run.returncode, plain.returncode, run.stderr)
                if status is not None:
                    self.assertEqual(run.returncode, status)
                self.assertEqual(run.stderr.decode().strip().splitlines()[-1:],
                                 plain.stderr.decode().strip().splitlines()[-1:])

    def test_exit_message_printed_after_the_dump(self):
        out = self.path("exit.pyheap")
        run, _ = self._cli("import sys\nkept = [1]\nsys.exit('bye')\n", "--dump-at-exit", out)
        self.assertEqual(run.returncode, 1)
        lines = run.stderr.decode().strip().splitlines()
        self.assertEqual(lines[-1], "bye")
        self.assertTrue(lines[0].startswith("heapscope: wrote"), lines)
        pyheap_reader.read(out)


if __name__ == "__main__":
    unittest.main()
