"""Shallow sizes against tracemalloc: what the program allocated is what the snapshot says.

Each case builds N objects of one shape (their contents are shared, pre-existing objects, so only
the objects themselves are allocated), measures the bytes tracemalloc traced for the lines that
built them, then dumps and sums the shallow sizes of those objects, their holding list and any
`__dict__` objects the snapshot shows them owning. FORMAT.md ("Shallow sizes") documents the
derivation per version; the bound is 5 %.
"""

import gc
import os
import sys
import tracemalloc
import unittest

from helpers import DumpCase, Snapshot, heapscope, pyheap_reader

N = 3000
TOLERANCE = 0.05
HERE = os.path.abspath(__file__)


class Plain:
    def __init__(self):
        self.a = None
        self.b = None
        self.c = None


class Wide:
    def __init__(self):
        for_name = None
        self.a0 = self.a1 = self.a2 = self.a3 = self.a4 = self.a5 = self.a6 = for_name
        self.a7 = self.a8 = self.a9 = self.a10 = self.a11 = for_name


class Slotted:
    __slots__ = ("a", "b", "c")

    def __init__(self):
        self.a = self.b = self.c = None


class TaggedList(list):
    """A subclass of a builtin with attributes (3.12+: a managed dict too)."""

    def __init__(self):
        list.__init__(self)
        self.tag = None
        self.owner = None


class Later:
    """Attributes assigned from outside the class, then `vars()` taken: a materialised dict."""


def build_plain():
    return [Plain() for _ in range(N)]


def build_wide():
    return [Wide() for _ in range(N)]


def build_slotted():
    return [Slotted() for _ in range(N)]


def build_materialized():
    out = [Later() for _ in range(N)]
    for obj in out:
        obj.x = None
        obj.y = None
        vars(obj)
    return out


def build_tagged_lists():
    return [TaggedList() for _ in range(N)]


def build_dicts():
    return [{"k1": None, "k2": 1, "k3": True} for _ in range(N)]


def build_lists():
    return [[None, None, None, None] for _ in range(N)]


def build_strings():
    return ["string number %d of the size test" % i for i in range(N)]


class SizesMatchTracemalloc(DumpCase):
    def measure(self, build):
        """(bytes tracemalloc traced for build(), bytes the snapshot gives the same objects)."""
        # Warm up the class (its shared keys settle after a few dozen instances) and caches.
        build()
        gc.collect()
        tracemalloc.start()
        try:
            before = _traced_here(tracemalloc.take_snapshot())
            objs = build()
            after = _traced_here(tracemalloc.take_snapshot())
        finally:
            tracemalloc.stop()
        path = self.path()
        heapscope.dump(path)
        snap = Snapshot(pyheap_reader.read(path))
        counted = {id(objs)}
        for obj in objs:
            counted.add(id(obj))
            for target, kind, name in snap.edges_from(obj):
                if kind == "INTERNAL" and name == "__dict__":
                    counted.add(target)
            # Before 3.11 a builtin subclass's dict is an unnamed referent (the dumper reads no
            # memory there to prove it exists, and its getter would create one).
            counted.update(id(r) for r in gc.get_referents(obj) if type(r) is dict)
        return after - before, sum(snap.objects[a]["size"] for a in counted)

    def check(self, build):
        traced, dumped = self.measure(build)
        if os.environ.get("HEAPSCOPE_SIZES_VERBOSE"):
            print("%-22s snapshot %8d tracemalloc %8d  %+.1f %%" % (build.__name__, dumped, traced, 100.0 * (dumped - traced) / traced))
        self.assertGreater(traced, N * 8)
        self.assertLessEqual(abs(dumped - traced), TOLERANCE * traced,
                             "%s: snapshot %d B, tracemalloc %d B (%+.1f %%)" % (
                                 build.__name__, dumped, traced, 100.0 * (dumped - traced) / traced))

    def test_plain_instances(self):
        self.check(build_plain)

    def test_wide_instances(self):
        self.check(build_wide)

    def test_instances_with_materialized_dict(self):
        self.check(build_materialized)

    def test_slotted_instances(self):
        self.check(build_slotted)

    def test_subclass_of_builtin_with_attributes(self):
        self.check(build_tagged_lists)

    def test_dicts(self):
        self.check(build_dicts)

    def test_lists(self):
        self.check(build_lists)

    def test_strings(self):
        self.check(build_strings)


def _traced_here(snapshot):
    """Bytes live in blocks allocated by a line of this file (1-frame tracebacks)."""
    return sum(stat.size for stat in snapshot.filter_traces(
        [tracemalloc.Filter(True, HERE)]).statistics("filename"))


if __name__ == "__main__":
    unittest.main()
