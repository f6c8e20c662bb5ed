"""Objects `gc.freeze()` moved to the permanent generation are recorded like any other.

`gc.get_objects()` leaves that generation out: a server that froze its heap before forking
workers lost most of it from the dump, and edges to it dangled. Each case runs a small program
in a fresh interpreter (freezing the test runner's heap would change every later test): it builds
a structure, freezes, dumps, and after the dump lists the frozen objects (`gc.unfreeze()`, then
what `gc.get_objects()` did not list before).
"""

import json
import os
import subprocess
import sys
import unittest

from helpers import ROOT, DumpCase, pyheap_reader, retained as _retained

_PROGRAM = r'''
import ctypes
import gc
import json
import sys

import heapscope
from heapscope import _frozen, _walk

path, mode = sys.argv[1], sys.argv[2]


class Node:
    def __init__(self, i):
        self.i = i
        self.name = "node-%d" % i
        self.items = [i * 1000, (i, "t%d" % i)]
        self.meta = {"k%d" % i: [i]}


def make_closure(captured):
    return lambda: captured


HOLDER = [Node(i) for i in range(300)]
FUNCTION = make_closure(Node(-1))  # a frozen closure: its cell named by its variable
ids = {"holder": id(HOLDER), "parts": [], "closure": id(FUNCTION.__closure__),
       "cell": id(FUNCTION.__closure__[0])}
for node in HOLDER:
    for part in (node, node.items, node.items[1], node.meta, node.meta["k%d" % node.i]):
        ids["parts"].append(id(part))
part = node = None
# Frozen and held only from C: no referrer, one reference more than the heap shows.
c_only = [["c-only"]]
ctypes.pythonapi.Py_IncRef(ctypes.py_object(c_only))
ids["c_only"], ids["c_inner"] = id(c_only), id(c_only[0])
del c_only
gc.collect()
if mode == "zero":
    gc.unfreeze()
else:
    gc.freeze()
ids["freeze_count"] = gc.get_freeze_count()
if mode == "unlisted":  # listed first, to compare records of the same objects
    heapscope.dump(path + ".inproc")
    _frozen.objects = lambda: None  # as on an interpreter whose permanent generation is unread
modes = []
_run = _walk.Walker.run
def run(self, objs):
    modes.append(self.frozen_mode)
    return _run(self, objs)
_walk.Walker.run = run
if mode == "fork":  # and in-process, to compare records of the same objects
    heapscope.dump(path + ".inproc")
    listing = _frozen.objects
    _frozen.objects = lambda: None  # the child lists them all without reading the layout
    heapscope.dump(path, fork=True).wait(120)
    _frozen.objects = listing
else:
    heapscope.dump(path)
ids["frozen_mode"] = modes
ids["listed_now"] = None if mode == "zero" else _frozen.objects() is not None
frozen = []
listed = set(map(id, gc.get_objects()))
gc.unfreeze()
for obj in gc.get_objects():
    if id(obj) not in listed and obj is not listed:
        frozen.append(id(obj))
ids["frozen"] = frozen
with open(path + ".json", "w") as f:
    json.dump(ids, f)
'''

_FORK = hasattr(os, "fork")


def _record(objects, out, address):
    o = objects[address]
    return (o["size"], o["type"], o["refcount"], o["length"], o["flags"], sorted(out[address]))


class FrozenObjects(DumpCase):
    maxDiff = None
    runs = {}

    def _run(self, mode):
        if mode not in self.runs:
            path = self.path(mode + ".pyheap")
            proc = subprocess.run([sys.executable, "-c", _PROGRAM, path, mode],
                                  env=dict(os.environ, PYTHONPATH=ROOT), cwd=self.tmp,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
            self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
            with open(path + ".json") as f:
                ids = json.load(f)
            if mode in ("fork", "unlisted"):
                ids["inproc"] = pyheap_reader.read(path + ".inproc")
            FrozenObjects.runs[mode] = (pyheap_reader.read(path), ids)
        return self.runs[mode]

    @classmethod
    def tearDownClass(cls):
        cls.runs.clear()

    def _check_present(self, heap, ids):
        objects = heap.by_address()  # the reader refuses a duplicate address: each is there once
        out = heap.out_edges()
        frozen = set(ids["frozen"])
        self.assertEqual([a for a in ids["parts"] + [ids["holder"]] if a not in objects], [])
        for address in ids["parts"] + [ids["holder"]]:
            if address in frozen:  # (the GC untracks a tuple of atoms: not every part)
                self.assertTrue(objects[address]["flags"] & pyheap_reader.FLAGS["GC_TRACKED"])
            self.assertEqual([t for t, _, _ in out[address] if t not in objects], [])
        return objects, out

    def test_every_frozen_object_is_recorded_in_process(self):
        heap, ids = self._run("listed")
        self.assertTrue(ids["listed_now"])
        self.assertEqual(ids["frozen_mode"], [False])  # listed: no walk by reference needed
        self.assertGreater(ids["freeze_count"], 1000)
        self.assertGreater(len(set(ids["frozen"]) & set(ids["parts"])), 3 * 300)
        objects, out = self._check_present(heap, ids)
        self.assertEqual([a for a in ids["frozen"] if a not in objects], [])
        frozen = set(ids["frozen"])
        # (A weak target nothing else references is not walked: 3.13's thread-local dummy.)
        self.assertEqual([(objects[a]["type"], k, n) for a in frozen for t, k, n in out[a]
                          if t not in objects and t != 0 and k != "WEAK"], [])
        # Held only from C: found, and read as held from C (its one extra reference).
        self.assertEqual(heap.held_from_c().get(ids["c_only"]), 1)
        self.assertIn(ids["c_inner"], objects)
        self.assertEqual([(k, n) for t, k, n in out[ids["closure"]]], [("CLOSURE", "captured")])
        self.assertEqual([(k, n) for t, k, n in out[ids["cell"]]], [("CLOSURE", "captured")])
        retained = _retained(heap, ids["holder"])
        self.assertEqual([a for a in ids["parts"] if a not in retained], [])

    @unittest.skipUnless(_FORK, "fork mode needs a POSIX system")
    def test_fork_mode_records_the_same_objects(self):
        heap, ids = self._run("fork")
        inproc = ids["inproc"]
        objects, out = self._check_present(heap, ids)
        # The child's at-fork handlers replace a few of threading's locks: not the parent's.
        missing = [a for a in ids["frozen"] if a not in objects]
        self.assertLessEqual(len(missing), 8, missing)
        self.assertEqual(heap.held_from_c().get(ids["c_only"]), 1)
        # The same records as the in-process dump of the same objects.
        inproc_objects, inproc_out = inproc.by_address(), inproc.out_edges()
        for address in ids["parts"] + [ids[k] for k in ("holder", "c_only", "c_inner", "closure",
                                                         "cell")]:
            self.assertEqual(_record(objects, out, address),
                             _record(inproc_objects, inproc_out, address))
        in_both = set(objects) & set(inproc_objects)
        self.assertEqual([a for a in ids["frozen"] if a not in in_both], missing)
        self.assertEqual(_retained(heap, ids["holder"]), _retained(inproc, ids["holder"]))

    def test_unlisted_frozen_objects_are_reached_by_reference(self):
        # No layout to read the permanent generation: the walk pushes tracked referents too,
        # each recorded once, flagged GC_TRACKED, with its edges.
        heap, ids = self._run("unlisted")
        self.assertEqual(ids["frozen_mode"], [True])  # (the listed dump ran before the count)
        objects, out = self._check_present(heap, ids)
        # The same records as when they are listed (a frozen function's closure cells are not
        # named: the pre-pass sees only listed functions).
        listed, listed_out = ids["inproc"].by_address(), ids["inproc"].out_edges()
        for address in ids["parts"] + [ids["holder"]]:
            self.assertEqual(_record(objects, out, address), _record(listed, listed_out, address))
        # What only C holds is not found by reference: the reason to list the generation.
        self.assertNotIn(ids["c_only"], objects)
        self.assertEqual([(objects[a]["type"], k, n) for a in objects for t, k, n in out[a]
                          if t not in objects and t != 0 and k != "WEAK"], [])
        retained = _retained(heap, ids["holder"])
        self.assertEqual([a for a in ids["parts"] if a not in retained], [])

    def test_a_freeze_count_of_zero_walks_as_before(self):
        heap, ids = self._run("zero")
        if ids["freeze_count"]:
            # 3.12+: every full collection moves immortal objects to the permanent generation.
            self.assertGreaterEqual(sys.version_info[:2], (3, 12))
        else:
            self.assertEqual(ids["frozen_mode"], [False])
        self._check_present(heap, ids)


if __name__ == "__main__":
    unittest.main()
