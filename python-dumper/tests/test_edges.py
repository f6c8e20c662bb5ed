"""Every edge kind and label case of FORMAT.md, on hand-built objects with known truth."""

import collections
import gc
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


class NamedRef(weakref.ref):
    """A user subclass of weakref.ref whose attribute lookups must not run during a dump."""

    def __getattribute__(self, name):
        raise AssertionError("the dumper ran user code: %s" % name)


class UserDictSub(dict):
    pass


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


class LongDicts(DumpCase):
    def test_long_dict_edges_match_the_per_item_loop(self):
        # Dicts of _BULK_DICT items or more are written by C iterators (_dict_edges_bulk): the
        # same edges, in the same order, with the same names as the per-item loop.
        class Key(str):
            pass

        tag = str(id(self))
        d = {"k%d-%s" % (i, tag): [i] for i in range(30)}
        d[7] = "seven"
        d[("t", tag)] = Leaf()
        d[Key("sub" + tag)] = 1.5
        d["x" * 300] = None
        from heapscope import _emit
        bulk, _ = self.snapshot()
        saved = _emit._BULK_DICT
        _emit._BULK_DICT = 1 << 62
        try:
            loop, _ = self.snapshot()
        finally:
            _emit._BULK_DICT = saved
        self.assertEqual(bulk.edges_from(d), loop.edges_from(d))
        self.assertEqual(len(bulk.edges_from(d)), 2 * len(d))
        self.assertEqual(bulk.edge(d, d["k3-" + tag], "DICT_VALUE"), [("DICT_VALUE", repr("k3-" + tag))])
        self.assertEqual(bulk.edge(d, "seven", "DICT_VALUE"), [("DICT_VALUE", "7")])
        self.assertEqual(bulk.obj(d)["edge_count"], 2 * len(d))


class HugeDictSubclasses(DumpCase):
    def test_streamed_edges_match_the_per_item_path(self):
        # Dict subclasses past _BIG_SEQ items stream their items (_big_dict_subclass_others):
        # the same edges as the per-item path, which holds ~450 bytes an item meanwhile.
        from heapscope import _walk
        n = 3000  # past _BIG_SEQ as the first dump sets it, not as the second
        tag = str(id(self))
        counter = collections.Counter({"c%d-%s" % (i, tag): i for i in range(n)})
        ddict = collections.defaultdict(list, {"d%d-%s" % (i, tag): [i] for i in range(n)})
        mixed = UserDictSub({i: Leaf() for i in range(n)})  # int keys: traversed with values
        mixed["str-" + tag] = ddict  # and one str key
        mixed.attr = Leaf()  # an instance __dict__ (managed on 3.11+)
        mixed[0] = list  # a value that is also referenced otherwise
        holders = (counter, ddict, mixed)
        saved, others = _walk._BIG_SEQ, _walk.Walker._dict_subclass_others
        streamed_ids = []

        def spy(obj):
            found = others(obj)
            if found is not None:
                streamed_ids.append(id(obj))
            return found
        _walk._BIG_SEQ = 1000
        _walk.Walker._dict_subclass_others = staticmethod(spy)
        try:
            snap, _ = self.snapshot()
        finally:
            _walk._BIG_SEQ = saved
            del _walk.Walker._dict_subclass_others  # the EdgeEmitter method again
        self.assertEqual(sorted(streamed_ids), sorted(map(id, holders)))
        streamed = [(sorted(snap.edges_from(h)), snap.obj(h)["edge_count"]) for h in holders]
        keys_found = [all(t in snap.objects for t, k, _ in snap.edges_from(h) if k == "DICT_KEY")
                      for h in holders]
        factory = snap.edge(ddict, list)
        # Named on 3.11+ (an ATTR edge, or `__dict__`); before, its dict is an unnamed referent,
        # as on the per-item path: reached either way.
        hops = [t for t, _, _ in snap.edges_from(mixed)]
        attr = id(mixed.attr) in hops or any(id(mixed.attr) == t2 for t in hops
                                             for t2, _, _ in snap.edges.get(t, ()))
        snap = None  # a read-back heap is big: the next dump would walk it too
        snap, _ = self.snapshot()
        per_item = [sorted(snap.edges_from(h)) for h in holders]
        snap = None
        for holder, (edges, count), expected, found in zip(holders, streamed, per_item, keys_found):
            name = type(holder).__name__
            self.assertEqual(edges, expected, name)
            self.assertEqual(count, len(edges), name)
            self.assertGreaterEqual(len(edges), 2 * len(holder), name)
            self.assertEqual(len([k for _, k, _ in edges if k == "DICT_KEY"]), len(holder), name)
            self.assertTrue(found, name)
        self.assertEqual(factory, [("ATTR", "default_factory")])
        self.assertTrue(attr)


class ListSub(list):
    pass


class TupleSub(tuple):
    pass


class SlottedList(list):
    __slots__ = ("extra",)


class SetSub(set):
    pass


class FrozenSub(frozenset):
    pass


class HugeItemSubclasses(DumpCase):
    def test_streamed_edges_match_the_per_item_path(self):
        # list, tuple, set and frozenset subclasses past _BIG_SEQ items stream their items
        # (_items_subclass_others): the same edges as the per-item path, which holds a named
        # entry per item (and a dict keyed by their ids) meanwhile.
        from heapscope import _walk
        n = 3000  # past _BIG_SEQ as the first dump sets it, not as the second
        tag = str(id(self))
        leaves = [Leaf() for _ in range(n)]
        lst = ListSub(leaves)
        lst.attr = leaves[-1]  # an instance __dict__ (managed on 3.11+), holding an item too
        lst.append("str-" + tag)  # an untracked item, found only through the list
        tup = TupleSub(["t%d-%s" % (i, tag) for i in range(n)] + [7])
        tup.extra = tup[-1]  # an attribute holding the item the traverse lists first
        slotted = SlottedList(leaves[:n // 2] + [None] * n)
        slotted.extra = slotted[-1]
        st = SetSub("s%d-%s" % (i, tag) for i in range(n))
        st.attr = Leaf()
        fz = FrozenSub(range(10 ** 6, 10 ** 6 + n))
        holders = (lst, tup, st, fz, slotted)
        saved, others = _walk._BIG_SEQ, _walk.Walker._items_subclass_others
        streamed_ids = []

        def spy(obj, tp):
            found = others(obj, tp)
            if found is not None:
                streamed_ids.append(id(obj))
            return found
        _walk._BIG_SEQ = 1000
        _walk.Walker._items_subclass_others = staticmethod(spy)
        try:
            snap, _ = self.snapshot()
        finally:
            _walk._BIG_SEQ = saved
            del _walk.Walker._items_subclass_others  # the EdgeEmitter method again
        self.assertEqual(sorted(streamed_ids), sorted(map(id, holders)))
        streamed = [(sorted(snap.edges_from(h)), snap.obj(h)["edge_count"]) for h in holders]
        found = [all(t in snap.objects for t, _, _ in snap.edges_from(h)) for h in holders]
        snap = None  # a read-back heap is big: the next dump would walk it too
        snap, _ = self.snapshot()
        per_item = [sorted(snap.edges_from(h)) for h in holders]
        snap = None
        for holder, (edges, count), expected, reached in zip(holders, streamed, per_item, found):
            name = type(holder).__name__
            self.assertEqual(edges, expected, name)
            self.assertEqual(count, len(edges), name)
            self.assertEqual(len([k for _, k, _ in edges if k in ("INDEX", "SET_MEMBER")]),
                             len(holder), name)
            self.assertTrue(reached, name)
        self.assertIn((id(TupleSub), "INTERNAL", "__class__"), streamed[1][0])
        self.assertIn((id(None), "OTHER", None), streamed[4][0])  # the slot (named as before)


class EdgeKinds(DumpCase):
    """One dump of a fixture holding every case; each test checks one case in it."""

    @classmethod
    def setUpClass(cls):
        import shutil
        import tempfile

        from helpers import Snapshot, heapscope, pyheap_reader

        f = cls.fx = types.SimpleNamespace()
        f.a, f.b = Leaf(), Leaf()
        f.k_obj, f.v1, f.v2, f.v3 = (1, Leaf()), Leaf(), Leaf(), Leaf()
        f.key = "k-" + str(id(f.v1))  # a runtime str key, not interned by the compiler
        f.d = {f.key: f.v1, 7: f.v2, f.k_obj: f.v3}
        f.lst, f.tup, f.dq = [f.a, f.b, f.a], (f.b, f.a), collections.deque([f.b])
        f.leaf, f.sa = Leaf(), Leaf()
        f.holder = Holder(f.leaf)
        f.slotted = Slotted()
        f.slotted.slot_a = f.sa
        f.outside = Leaf()
        f.outside.set_elsewhere = f.leaf  # no STORE_ATTR in Leaf's methods names it
        f.captured = Leaf()
        f.fn = make_closure(f.captured)
        f.default, f.kwdefault = Leaf(), Leaf()

        def with_defaults(x=f.default, *, k=f.kwdefault):
            return x, k
        f.with_defaults = with_defaults
        f.method = f.holder.method
        f.s, f.fs = {f.a, f.b}, frozenset([f.a])
        f.wtarget = Leaf()
        f.wref = weakref.ref(f.wtarget)
        f.wvd_value = Leaf()
        f.wvd = weakref.WeakValueDictionary({"k": f.wvd_value})
        f.sub_target = Leaf()
        f.sub_ref = NamedRef(f.sub_target, lambda r: None)
        f.sub_ref.tag = "kept"
        f.m1, f.m2 = Leaf(), Leaf()
        f.gen = gen_fn(f.m1)
        next(f.gen)
        f.coro = coro_fn(f.m2)
        f.coro.send(None)
        # Dict subclasses: their traverse skips str keys, like dict's. Runtime-built keys held
        # by nothing else, so each is found only through its dict.
        f.sub_keys = ["sub-%d-%d" % (i, id(f)) for i in range(3)]
        f.counter = collections.Counter({f.sub_keys[0]: 2})
        f.ddict = collections.defaultdict(list, {f.sub_keys[1]: [f.a]})
        f.udict = UserDictSub({f.sub_keys[2]: f.b})
        f.self_keyed = UserDictSub({f.sub_keys[0]: f.sub_keys[0]})  # a key that is its own value
        f.sub_key_ids = [id(k) for k in f.sub_keys]
        f.sub_keys = None
        f.refs_before = [type(r) for r in gc.get_referents(f.holder)]
        cls.dir = tempfile.mkdtemp(prefix="heapscope-test-")
        path = cls.dir + "/edges.pyheap"
        heapscope.dump(path)
        cls.snap = Snapshot(pyheap_reader.read(path))
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def tearDownClass(cls):
        # The read-back snapshot is a big heap of its own: drop it, or every later dump in this
        # process walks (and every later read-back holds) it too.
        cls.fx.coro.close()
        cls.fx = cls.snap = None

    def test_dict_keys_and_values(self):
        f, snap = self.fx, self.snap
        self.assertEqual(snap.edge(f.d, f.v1), [("DICT_VALUE", repr(f.key))])
        self.assertEqual(snap.edge(f.d, f.key), [("DICT_KEY", repr(f.key))])
        self.assertEqual(snap.edge(f.d, f.v2), [("DICT_VALUE", "7")])
        self.assertEqual(snap.edge(f.d, f.v3), [("DICT_VALUE", "<tuple>")])
        self.assertEqual(snap.edge(f.d, f.k_obj), [("DICT_KEY", "<tuple>")])
        self.assertEqual(snap.obj(f.d)["length"], 3)

    def test_dict_subclass_str_keys(self):
        # Counter, defaultdict, a user subclass: each str key is an edge of its dict and a
        # recorded object, counted as held by it (not "held from C").
        f, snap = self.fx, self.snap
        held = snap.heap.held_from_c()
        for holder, kid in zip((f.counter, f.ddict, f.udict), f.sub_key_ids):
            key = snap.objects.get(kid)
            self.assertIsNotNone(key, "%s: its key was never reached" % type(holder).__name__)
            self.assertEqual([(k, n) for t, k, n in snap.edges_from(holder) if t == kid],
                             [("DICT_KEY", repr(key["label"]))], type(holder).__name__)
            self.assertNotIn(kid, held, type(holder).__name__)
        self.assertEqual(snap.edge(f.ddict, list), [("ATTR", "default_factory")])
        label = repr(snap.objects[f.sub_key_ids[0]]["label"])
        self.assertEqual(sorted((k, n) for t, k, n in snap.edges_from(f.self_keyed)
                                if t == f.sub_key_ids[0]),
                         [("DICT_KEY", label), ("DICT_VALUE", label)])

    def test_list_tuple_deque_index(self):
        f, snap = self.fx, self.snap
        self.assertEqual(sorted(snap.edge(f.lst, f.a)), [("INDEX", 0), ("INDEX", 2)])
        self.assertEqual(snap.edge(f.lst, f.b), [("INDEX", 1)])
        self.assertEqual(snap.edge(f.tup, f.a), [("INDEX", 1)])
        self.assertEqual(snap.edge(f.tup, f.b), [("INDEX", 0)])
        self.assertEqual(snap.edge(f.dq, f.b), [("INDEX", 0)])
        self.assertEqual(snap.obj(f.lst)["length"], 3)

    def test_attributes_and_slots(self):
        f, snap = self.fx, self.snap
        self.assertTrue(snap.has_attr(f.holder, "attr_val", f.leaf))
        self.assertEqual(snap.edge(f.slotted, f.sa), [("ATTR", "slot_a")])
        self.assertEqual(snap.edge(f.holder, Holder), [("INTERNAL", "__class__")])

    def test_attribute_set_from_outside_is_not_invented(self):
        f, snap = self.fx, self.snap
        named = [(k, n) for t, k, n in snap.edges_from(f.outside) if t == id(f.leaf)]
        if sys.version_info >= (3, 11):
            self.assertEqual(named, [("OTHER", None)])
        else:
            self.assertTrue(snap.has_attr(f.outside, "set_elsewhere", f.leaf))

    def test_instance_dict_is_not_materialized(self):
        f = self.fx
        self.assertEqual([type(r) for r in gc.get_referents(f.holder)], f.refs_before)

    def test_function_slots_and_closure(self):
        f, snap = self.fx, self.snap
        fn, cell = f.fn, f.fn.__closure__[0]
        self.assertEqual(snap.edge(fn, fn.__closure__), [("INTERNAL", "__closure__")])
        self.assertEqual(snap.edge(fn.__closure__, cell), [("CLOSURE", "captured")])
        self.assertEqual(snap.edge(cell, f.captured), [("CLOSURE", "captured")])
        self.assertEqual(snap.edge(fn, fn.__code__), [("INTERNAL", "__code__")])
        self.assertEqual(snap.edge(fn, fn.__globals__), [("INTERNAL", "__globals__")])
        wd = f.with_defaults
        self.assertEqual(snap.edge(wd, wd.__defaults__), [("INTERNAL", "__defaults__")])
        self.assertEqual(snap.edge(wd, wd.__kwdefaults__), [("INTERNAL", "__kwdefaults__")])
        self.assertEqual(snap.obj(fn)["label"], "make_closure.<locals>.inner")

    def test_bound_method(self):
        f, snap = self.fx, self.snap
        self.assertEqual(snap.edge(f.method, f.holder), [("INTERNAL", "__self__")])
        self.assertEqual(snap.edge(f.method, Holder.__dict__["method"]), [("INTERNAL", "__func__")])

    def test_set_members(self):
        f, snap = self.fx, self.snap
        self.assertEqual(snap.edge(f.s, f.a), [("SET_MEMBER", None)])
        self.assertEqual(snap.edge(f.fs, f.a), [("SET_MEMBER", None)])

    def test_weakref_target_is_weak(self):
        f, snap = self.fx, self.snap
        self.assertEqual(snap.edge(f.wref, f.wtarget), [("WEAK", None)])

    def test_weakref_subclasses_are_weak(self):
        f, snap = self.fx, self.snap
        keyed = dict.__getitem__(f.wvd.data, "k")  # a KeyedRef (weakref.ref subclass with slots)
        self.assertEqual(snap.edge(keyed, f.wvd_value), [("WEAK", None)])
        self.assertEqual(snap.edge(f.sub_ref, f.sub_target), [("WEAK", None)])
        callback = weakref.ref.__dict__["__callback__"].__get__(f.sub_ref)
        self.assertEqual(snap.edge(f.sub_ref, callback), [("INTERNAL", "__callback__")])
        for holder in (keyed, f.sub_ref):
            self.assertFalse([e for e in snap.edges_from(holder)
                              if e[0] in (id(f.wvd_value), id(f.sub_target)) and e[1] != "WEAK"])

    def test_generator_and_coroutine_locals(self):
        f, snap = self.fx, self.snap
        holders = [src for src, lst in snap.edges.items()
                   for t, k, n in lst if t == id(f.m1) and k == "LOCAL" and n == "gen_local"]
        self.assertTrue(holders, "gen_local not labelled")
        self.assertIn(snap.objects[holders[0]]["type"], ("generator", "frame"))
        holders = [src for src, lst in snap.edges.items()
                   for t, k, n in lst if t == id(f.m2) and k == "LOCAL" and n == "coro_local"]
        self.assertTrue(holders, "coro_local not labelled")

    def test_module_type_and_labels(self):
        snap = self.snap
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

    def test_no_label_is_invented_for_unnamed_referents(self):
        snap = self.snap
        for src, lst in snap.edges.items():
            for target, kind, name in lst:
                if kind in ("OTHER", "SET_MEMBER"):
                    self.assertIsNone(name)
                if kind in ("ATTR", "LOCAL", "DICT_VALUE", "DICT_KEY"):
                    self.assertIsInstance(name, str)


class RunningFrames(DumpCase):
    def test_frame_locals_of_running_frame(self):
        marker = Leaf()
        snap, _ = self.snapshot()
        frame = sys._getframe()
        self.assertEqual(snap.edge(frame, marker), [("LOCAL", "marker")])
        roots = {addr: (label, kind) for addr, label, kind in snap.heap.roots}
        self.assertEqual(roots[id(frame)][1], "THREAD_FRAME")
        self.assertIn("test_frame_locals_of_running_frame", roots[id(frame)][0])


class ClassNames(DumpCase):
    def test_a_class_holds_its_name_and_qualname(self):
        # ht_name/ht_qualname are references tp_traverse does not report: without edges a
        # class's name made at run time was never recorded (an exact str nothing else holds),
        # and a str subclass instance there read as held from C, retained by no class.
        from helpers import retained

        class Name(str):
            pass

        named = type("Named", (), {})
        named.__name__ = Name("Named")
        built = type("".join(["Bui", "lt"]), (), {})
        built.__qualname__ = "".join(["Built", ".qual"])
        snap, _ = self.snapshot()
        for cls in (named, built):
            for attr in ("__name__", "__qualname__"):
                value = type.__dict__[attr].__get__(cls)
                self.assertEqual(snap.edge(cls, value, "INTERNAL", attr), [("INTERNAL", attr)])
                self.assertIsNotNone(snap.obj(value), (cls, attr))
        name = type.__dict__["__name__"].__get__(named)
        self.assertNotIn(id(name), snap.heap.held_from_c())
        self.assertIn(id(name), retained(snap.heap, id(named)))
        self.assertIn(id(built.__qualname__), retained(snap.heap, id(built)))
        # Static types' names are made at each read, not held: still no edges (test_interpreter_roots).
        self.assertEqual([n for _, k, n in snap.edges_from(int) if n in ("__name__", "__qualname__")],
                         [])


if __name__ == "__main__":
    unittest.main()
