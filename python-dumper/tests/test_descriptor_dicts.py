"""classmethod/staticmethod objects' own `__dict__` (cm_dict) is named, without creating one.

From 3.10 every classmethod/staticmethod copies its function's `__module__`, `__name__`,
`__qualname__`, `__doc__`, `__annotations__` into its own dict; unnamed, a real program's hundred
of them read as "dicts used as records" and their paths ended in an empty edge (`classmethod → `).
"""

import gc
import unittest

from helpers import DumpCase


class WithMethods:
    @classmethod
    def make(cls):
        return cls()

    @staticmethod
    def helper():
        return 1

    @classmethod
    def bare(cls):
        return cls


def own_dict(descriptor):
    """The descriptor's dict, found among its referents (its `__dict__` getter would create one)."""
    func = descriptor.__func__
    dicts = [r for r in gc.get_referents(descriptor) if type(r) is dict and r is not func]
    return dicts[0] if dicts else None


class DescriptorDicts(DumpCase):
    def test_classmethod_and_staticmethod_dicts_are_named(self):
        cm = WithMethods.__dict__["make"]
        sm = WithMethods.__dict__["helper"]
        cm.note = "set from outside"  # 3.8/3.9 create the dict only now
        sm.note = "set from outside"
        snap, _ = self.snapshot()
        for descriptor in (cm, sm):
            d = own_dict(descriptor)
            self.assertIsNotNone(d)
            self.assertEqual(snap.edge(descriptor, d), [("INTERNAL", "__dict__")])
            self.assertEqual(snap.edge(descriptor, descriptor.__func__), [("INTERNAL", "__func__")])

    def test_no_dict_is_created(self):
        bare = WithMethods.__dict__["bare"]
        before = [type(r) for r in gc.get_referents(bare)]
        self.snapshot()
        self.assertEqual([type(r) for r in gc.get_referents(bare)], before)


if __name__ == "__main__":
    unittest.main()
