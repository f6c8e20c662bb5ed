"""Process accounting in META: every part sourced, consistent, and silent for the target."""

import os
import subprocess
import sys
import unittest
from unittest import mock

from helpers import ROOT, DumpCase

from heapscope import _accounting, _meta


class AccountingTest(DumpCase):
    def test_meta_has_the_accounting(self):
        snap, _ = self.snapshot()
        acc = snap.heap.meta["accounting"]
        self.assertEqual(set(acc), {"os", "pymalloc", "malloc", "tracemalloc"})
        for part in acc.values():
            self.assertIn("source", part)
            if part["source"] is None:
                self.assertTrue(part["reason"])
        if sys.platform.startswith("linux"):
            os_part = acc["os"]
            self.assertEqual(os_part["source"], "/proc/self/status")
            self.assertGreater(os_part["rss"], 0)
            self.assertEqual(os_part["rss"], os_part["anonymous"] + os_part["file"] + os_part["shmem"])
        pm = acc["pymalloc"]
        if pm["source"] is not None:
            # _debugmallocstats' own total: every arena byte is in exactly one of these.
            self.assertEqual(pm["arenaBytes"],
                             pm["allocatedBlocks"] + pm["freeBlocks"] + pm["freePools"] + pm["overhead"])
        self.assertFalse(acc["tracemalloc"]["tracing"])

    @unittest.skipUnless(sys.platform.startswith("linux"), "/proc/self/status is Linux's")
    def test_header_rss_is_the_breakdowns(self):
        # One reading of the RSS for the header and the breakdown: two reads a moment apart
        # differed by ~200 KB and the app showed both side by side. A second reading, made to
        # differ here, must not be the one recorded.
        real = _meta.rss_bytes
        with mock.patch.object(_meta, "rss_bytes", lambda: tuple(
                None if v is None else v + (1 << 20) for v in real())):
            snap, _ = self.snapshot()
        meta = snap.heap.meta
        self.assertEqual(meta["rssBytes"], meta["accounting"]["os"]["rss"])

    def test_silent_and_leaves_nothing(self):
        # The target's stdout and stderr see nothing, no file appears, ctypes is not imported.
        code = ("import os, sys, heapscope\nheapscope.dump(%r)\n"
                "hasattr(os, 'fork') and heapscope.dump(%r, fork=True).wait()\n"
                "sys.exit(3 if 'ctypes' in sys.modules else 0)" % (self.path("a.pyheap"), self.path("b.pyheap")))
        proc = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=ROOT),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, cwd=self.tmp)
        self.assertEqual((proc.returncode, proc.stdout, proc.stderr), (0, b"", b""))
        self.assertEqual(sorted(os.listdir(self.tmp)), ["a.pyheap", "b.pyheap"][: 2 if hasattr(os, "fork") else 1])

    def test_foreign_stderr_lines_are_written_back(self):
        # A native thread writing to fd 2 during the capture must not lose its output.
        def noisy():
            os.write(2, b"# arenas allocated current = 2\n2 arenas * 1048576 bytes/arena = 2,097,152\n"
                        b"a line from someone else\n")

        text, foreign = _accounting._captured_stderr(noisy)
        self.assertIn("arenas allocated current", text)
        self.assertEqual(foreign, ["a line from someone else"])

    def test_malloc_needs_ctypes_loaded(self):
        if "ctypes" in sys.modules:
            self.assertIn(_accounting._malloc()["source"], ("glibc mallinfo2", None))
        else:
            part = _accounting._malloc()
            self.assertIsNone(part["source"])
            self.assertIn("ctypes", part["reason"])
            self.assertNotIn("ctypes", sys.modules)

    @unittest.skipUnless(sys.platform.startswith("linux"), "glibc")
    def test_mallinfo2_when_ctypes_is_there(self):
        code = ("import ctypes, json, heapscope._accounting as a\n"
                "print(json.dumps(a._malloc()))")
        proc = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=ROOT),
                              stdout=subprocess.PIPE, check=True, timeout=60)
        import json

        part = json.loads(proc.stdout)
        if part["source"] is None:
            self.assertIn("mallinfo2", part["reason"])  # glibc < 2.33
        else:
            self.assertGreater(part["inUse"], 0)
            self.assertGreaterEqual(part["free"], 0)


if __name__ == "__main__":
    unittest.main()
