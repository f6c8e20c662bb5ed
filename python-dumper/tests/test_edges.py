"""Every edge kind and label case of FORMAT.md, on hand-built objects with known truth."""

import collections
import sys
import types
import unittest
import weakref

from helpers import DumpCase


class Leaf:
    pass


class Holder:
    def __init__(self, value):
        self.attr_val = value

    def method(self):
        return self


class Slotted:
    __slots__ = ("slot_a", "slot_b")


def make_closure(captured):
    def inner():
        return captured
    return inner


def gen_fn(marker):
    gen_local = marker
    yield 1
    return gen_local


class _Suspend:
    def __await__(self):
        yield


async def coro_fn(marker):
    coro_local = marker
    await _Suspend()
    return coro_local


class EdgeKinds(DumpCase):
    def test_dict_keys_and_values(self):
        k_obj, v1, v2, v3 = (1, Leaf()), Leaf(), Leaf(), Leaf()
        key = "k-" + str(id(v1))  # a runtime str key, not interned by the compiler
        d = {key: v1, 7: v2, k_obj: v3}
        snap, _ = self.snapshot()
        self.assertEqual(snap.edge(d, v1), [("DICT_VALUE", repr(key))])
        self.assertEqual(snap.edge(d, key), [("DICT_KEY", repr(key))])
        self.assertEqual(snap.edge(d, v2), [("DICT_VALUE", "7")])
        self.assertEqual(snap.edge(d, v3), [("DICT_VALUE", "<tuple>")])
        self.assertEqual(snap.edge(d, k_obj), [("DICT_KEY", "<tuple>")])
        self.assertEqual(snap.obj(d)["length"], 3)

    def test_list_tuple_deque_index(self):
        a, b = Leaf(), Leaf()
        lst = [a, b, a]
        tup = (b, a)
        dq = collections.deque([b])
        snap, _ = self.snapshot()
        self.assertEqual(sorted(snap.edge(lst, a)), [("INDEX", 0), ("INDEX", 2)])
        self.assertEqual(snap.edge(lst, b), [("INDEX", 1)])
        self.assertEqual(snap.edge(tup, a), [("INDEX", 1)])
        self.assertEqual(snap.edge(dq, b), [("INDEX", 0)])
        self.assertEqual(snap.obj(lst)["length"], 3)

    def test_attributes_and_slots(self):
        leaf, sa = Leaf(), Leaf()
        holder = Holder(leaf)
        slotted = Slotted()
        slotted.slot_a = sa
        snap, _ = self.snapshot()
        self.assertTrue(snap.has_attr(holder, "attr_val", leaf))
        self.assertEqual(snap.edge(slotted, sa), [("ATTR", "slot_a")])
        self.assertEqual(snap.edge(holder, Holder), [("INTERNAL", "__class__")])

    def test_attribute_set_from_outside_is_not_invented(self):
        leaf = Leaf()
        holder = Leaf()
        holder.set_elsewhere = leaf  # no STORE_ATTR in Leaf's methods names it
        snap, _ = self.snapshot()
        named = [(k, n) for t, k, n in snap.edges_from(holder) if t == id(leaf)]
        if sys.version_info >= (3, 11):
            self.assertEqual(named, [("OTHER", None)])
        else:
            self.assertTrue(snap.has_attr(holder, "set_elsewhere", leaf))

    def test_instance_dict_is_not_materialized(self):
        holder = Holder(Leaf())
        before = type(holder).__dict__  # noqa: F841  (class dict, not the instance's)
        import gc
        refs_before = [type(r) for r in gc.get_referents(holder)]
        self.snapshot()
        self.assertEqual([type(r) for r in gc.get_referents(holder)], refs_before)

    def test_function_slots_and_closure(self):
        captured = Leaf()
        fn = make_closure(captured)
        default, kwdefault = Leaf(), Leaf()

        def with_defaults(x=default, *, k=kwdefault):
            return x, k
        snap, _ = self.snapshot()
        cell = fn.__closure__[0]
        self.assertEqual(snap.edge(fn, fn.__closure__), [("INTERNAL", "__closure__")])
        self.assertEqual(snap.edge(fn.__closure__, cell), [("CLOSURE", "captured")])
        self.assertEqual(snap.edge(cell, captured), [("CLOSURE", "captured")])
        self.assertEqual(snap.edge(fn, fn.__code__), [("INTERNAL", "__code__")])
        self.assertEqual(snap.edge(fn, fn.__globals__), [("INTERNAL", "__globals__")])
        self.assertEqual(snap.edge(with_defaults, with_defaults.__defaults__),
                         [("INTERNAL", "__defaults__")])
        self.assertEqual(snap.edge(with_defaults, with_defaults.__kwdefaults__),
                         [("INTERNAL", "__kwdefaults__")])
        self.assertEqual(snap.obj(fn)["label"], "make_closure.<locals>.inner")

    def test_bound_method(self):
        holder = Holder(None)
        m = holder.method
        snap, _ = self.snapshot()
        self.assertEqual(snap.edge(m, holder), [("INTERNAL", "__self__")])
        self.assertEqual(snap.edge(m, Holder.__dict__["method"]), [("INTERNAL", "__func__")])

    def test_set_members(self):
        a, b = Leaf(), Leaf()
        s = {a, b}
        fs = frozenset([a])
        snap, _ = self.snapshot()
        self.assertEqual(snap.edge(s, a), [("SET_MEMBER", None)])
        self.assertEqual(snap.edge(fs, a), [("SET_MEMBER", None)])

    def test_weakref_target_is_weak(self):
        target = Leaf()
        ref = weakref.ref(target)
        snap, _ = self.snapshot()
        self.assertEqual(snap.edge(ref, target), [("WEAK", None)])

    def test_generator_and_coroutine_locals(self):
        m1, m2 = Leaf(), Leaf()
        gen = gen_fn(m1)
        next(gen)
        coro = coro_fn(m2)
        coro.send(None)
        try:
            snap, _ = self.snapshot()
            holders = [src for src, lst in snap.edges.items()
                       for t, k, n in lst if t == id(m1) and k == "LOCAL" and n == "gen_local"]
            self.assertTrue(holders, "gen_local not labelled")
            self.assertIn(snap.objects[holders[0]]["type"], ("generator", "frame"))
            holders = [src for src, lst in snap.edges.items()
                       for t, k, n in lst if t == id(m2) and k == "LOCAL" and n == "coro_local"]
            self.assertTrue(holders, "coro_local not labelled")
        finally:
            coro.close()

    def test_frame_locals_of_running_frame(self):
        marker = Leaf()
        snap, _ = self.snapshot()
        frame = sys._getframe()
        self.assertEqual(snap.edge(frame, marker), [("LOCAL", "marker")])
        roots = {addr: (label, kind) for addr, label, kind in snap.heap.roots}
        self.assertEqual(roots[id(frame)][1], "THREAD_FRAME")
        self.assertIn("test_frame_locals_of_running_frame", roots[id(frame)][0])

    def test_module_type_and_labels(self):
        snap, _ = self.snapshot()
        mod = sys.modules[__name__]
        self.assertEqual(snap.edge(mod, mod.__dict__), [("INTERNAL", "__dict__")])
        self.assertEqual(snap.obj(mod)["label"], __name__)
        self.assertEqual(snap.obj(Holder)["label"], __name__ + ".Holder")
        self.assertEqual(snap.obj(Holder)["type"], "type")
        self.assertEqual(snap.edge(Holder, Holder.__mro__), [("INTERNAL", "__mro__")])
        code = Holder.method.__code__
        self.assertEqual(snap.obj(code)["label"],
                         "%s %s:%d" % (getattr(code, "co_qualname", code.co_name),
                                       code.co_filename, code.co_firstlineno))
        self.assertEqual(snap.obj(Leaf())["type"] if snap.obj(Leaf()) else None, None)

    def test_no_label_is_invented_for_unnamed_referents(self):
        snap, _ = self.snapshot()
        for src, lst in snap.edges.items():
            for target, kind, name in lst:
                if kind in ("OTHER", "SET_MEMBER"):
                    self.assertIsNone(name)
                if kind in ("ATTR", "LOCAL", "DICT_VALUE", "DICT_KEY"):
                    self.assertIsInstance(name, str)


if __name__ == "__main__":
    unittest.main()
