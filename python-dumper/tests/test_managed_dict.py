"""Instance `__dict__`s on every layout: owned by their instance, counted once, never created.

3.13 hides a materialised dict from `gc.get_referents` while it shares the instance's inline
values; 3.11/3.12 show it, but a class whose attributes are set from outside gives no names to
recognise it by. Either way the snapshot must show `instance → __dict__ → ['x'] → value`, the dict
must not look held from C, and each value must have exactly the in-edges its refcount allows.
"""

import gc
import sys
import unittest

from helpers import DumpCase


class Assigned:
    def __init__(self, value):
        self.x = value
        self.y = None


class Outside:
    """Attributes come from outside the class (no `self.x = …` in its methods)."""


class Fixture:
    def __init__(self):
        self.value = ["only the attribute holds this list"]
        self.assigned = Assigned(self.value)
        self.assigned_dict = vars(self.assigned)          # materialised, shares the values
        self.outside = Outside()
        self.outside.payload = ["payload"]
        self.outside_dict = vars(self.outside)
        self.detached = Assigned(["detached"])
        self.detached_dict = vars(self.detached)
        for i in range(40):                                 # past the shared keys: the dict
            self.detached_dict["extra%d" % i] = i           # takes its own copy of the values
        self.fresh = Assigned(["fresh"])                    # never materialised


class ManagedDictEdges(DumpCase):
    @classmethod
    def setUpClass(cls):
        import os
        import tempfile

        from helpers import Snapshot, heapscope, pyheap_reader

        cls.fx = Fixture()
        cls.dicts_before = _dict_holders(cls.fx.fresh.x)
        fd, path = tempfile.mkstemp(suffix=".pyheap")
        os.close(fd)
        try:
            heapscope.dump(path)
            heap = pyheap_reader.read(path)
            cls.snap = Snapshot(heap)
            cls.held = heap.held_from_c()
        finally:
            os.unlink(path)

    @classmethod
    def tearDownClass(cls):
        cls.fx = cls.snap = cls.held = None

    def owner_edge(self, obj, d):
        self.assertEqual(self.snap.edge(obj, d), [("INTERNAL", "__dict__")])
        # Held by the instance and by the fixture's attribute (in its own dict or inline): two
        # references, both seen, so the dict is no held-from-C root.
        self.assertNotIn(id(d), self.held)

    def test_materialized_dict_has_its_owner(self):
        f = self.fx
        self.owner_edge(f.assigned, f.assigned_dict)
        self.owner_edge(f.outside, f.outside_dict)
        self.owner_edge(f.detached, f.detached_dict)

    def test_values_hang_off_the_dict_once(self):
        f, snap = self.fx, self.snap
        self.assertEqual(snap.edge(f.assigned_dict, f.value), [("DICT_VALUE", "'x'")])
        self.assertEqual(snap.edge(f.assigned, f.value), [])
        self.assertEqual(snap.edge(f.outside_dict, f.outside.payload), [("DICT_VALUE", "'payload'")])
        # The list's references: the fixture's attribute and the instance's storage. Both are
        # edges, no more: an instance → value edge besides the dict's would count one twice.
        incoming = sum(1 for edges in snap.edges.values() for t, k, n in edges
                       if t == id(f.value) and k != "WEAK")
        self.assertEqual(incoming, snap.obj(f.value)["refcount"])
        self.assertNotIn(id(f.value), self.held)

    def test_no_dict_is_created(self):
        f = self.fx
        # Before 3.11 the instance always has its dict; from 3.11 on it has none, and the dump
        # must not create one (3.11/3.12 would then list it, 3.13 too: it traverses shared values).
        self.assertEqual(_dict_holders(f.fresh.x), self.dicts_before)
        self.assertEqual(self.dicts_before == [], sys.version_info >= (3, 11))
        self.assertTrue(self.snap.has_attr(f.fresh, "x", f.fresh.x))
        owned = [k for t, k, n in self.snap.edges_from(f.fresh) if n == "__dict__"]
        self.assertEqual(owned, [] if sys.version_info >= (3, 11) else ["INTERNAL"])


def _dict_holders(value):
    return [id(r) for r in gc.get_referrers(value) if type(r) is dict]


if __name__ == "__main__":
    unittest.main()
