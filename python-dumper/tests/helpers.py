"""Dump this very process and read it back; look objects up by id()."""

import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import heapscope  # noqa: E402
import pyheap_reader  # noqa: E402


class Snapshot:
    # Edges are resolved when asked for, one object's at a time: a test dumps its whole process
    # (~250K objects under `discover`), and resolving every edge's name took longer than the dump.
    def __init__(self, heap):
        self.heap = heap
        self.objects = heap.by_address()
        self._edges = None
        self._starts = None

    @property
    def edges(self):
        """address -> [(target, kind, name)] for every object."""
        if self._edges is None:
            self._edges = self.heap.out_edges()
        return self._edges

    def obj(self, x):
        return self.objects.get(id(x))

    def edges_from(self, x):
        return self._edges_of(id(x))

    def _edges_of(self, address):
        if self._edges is not None:
            return self._edges.get(address, [])
        if self._starts is None:
            self._starts = self.heap.edge_starts()
        at = self._starts.get(address)
        return [] if at is None else self.heap.edges_at(*at)

    def edge(self, src, dst, kind=None, name=None):
        """The edges src -> dst, optionally filtered by kind / name."""
        dst_id = dst.addr if type(dst).__name__ == "_Addr" else id(dst)
        return [(k, n) for t, k, n in self.edges_from(src)
                if t == dst_id and (kind is None or k == kind) and (name is None or n == name)]

    def has_attr(self, holder, name, target):
        """`holder.name is target` is recorded: ATTR edge, or __dict__ then DICT_VALUE."""
        if self.edge(holder, target, "ATTR", name):
            return True
        for t, k, n in self.edges_from(holder):
            if k == "INTERNAL" and n == "__dict__":
                for t2, k2, n2 in self._edges_of(t):
                    if t2 == id(target) and k2 == "DICT_VALUE" and n2 == repr(name):
                        return True
        return False


class DumpCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="heapscope-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name="t.pyheap"):
        return os.path.join(self.tmp, name)

    def snapshot(self, **kw):
        path = self.path()
        stats = heapscope.dump(path, **kw)
        self.assertEqual(stats.path, path)
        return Snapshot(pyheap_reader.read(path)), stats


def retained(heap, holder):
    """Addresses only `holder` keeps reachable (reached from it, not from the roots without it):
    its retained set as a dominator tree gives it. Roots as FORMAT.md's reader derives them:
    ROOT records, held-from-C objects, IMMORTAL ones."""
    objects = heap.by_address()
    out = heap.out_edges()
    roots = [a for a, _, _ in heap.roots] + list(heap.held_from_c())
    roots += [o["address"] for o in heap.objects if o["flags"] & pyheap_reader.FLAGS["IMMORTAL"]]

    def reach(starts, blocked):
        seen, stack = set(), [a for a in starts if a in objects and a != blocked]
        while stack:  # explicit stack, as everywhere over the heap graph
            a = stack.pop()
            if a in seen:
                continue
            seen.add(a)
            stack.extend(t for t, k, _ in out.get(a, ()) if k != "WEAK" and t in objects
                         and t != blocked and t not in seen)
        return seen

    return reach([holder], None) - reach(roots, holder)
