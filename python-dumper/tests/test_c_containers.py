"""C containers whose structure gc shows as opaque nodes get labelled edges, with no user code run."""

import contextvars
import functools
import gc
import sys
import unittest

from helpers import DumpCase


class Touchy:
    """A value whose hashing or comparison would be user code running inside the dump."""

    def __hash__(self):
        raise AssertionError("the dumper hashed a context value")

    def __eq__(self, other):
        raise AssertionError("the dumper compared a context value")


REQUEST = contextvars.ContextVar("request_id")
USER = contextvars.ContextVar("user", default="anon")
POINTER = contextvars.ContextVar("points_to_a_var")
MANY = [contextvars.ContextVar("var%d" % i) for i in range(40)]  # > 16 entries: array nodes


def _fill():
    REQUEST.set(Touchy())
    USER.set(["user value"])
    POINTER.set(USER)  # a value that is itself a ContextVar must not shift the pairing
    for i, var in enumerate(MANY):
        var.set(["value %d" % i])
    return contextvars.copy_context()


class ContextEntries(DumpCase):
    @classmethod
    def setUpClass(cls):
        import os
        import tempfile

        from helpers import Snapshot, heapscope, pyheap_reader

        cls.ctx = contextvars.Context().run(_fill)
        cls.partial = functools.partial(sorted, ["partial arg"], key=len)
        cls.alias = list[Touchy] if sys.version_info >= (3, 9) else None
        fd, path = tempfile.mkstemp(suffix=".pyheap")
        os.close(fd)
        try:
            heapscope.dump(path)
            cls.snap = Snapshot(pyheap_reader.read(path))
        finally:
            os.unlink(path)

    @classmethod
    def tearDownClass(cls):
        cls.ctx = cls.partial = cls.alias = cls.snap = None

    def in_edges(self, target):
        return [(self.snap.objects[src]["type"], kind, name)
                for src, edges in self.snap.edges.items() for t, kind, name in edges
                if t == id(target)]

    def test_values_are_labelled_by_their_var(self):
        ctx = self.ctx
        for var in [REQUEST, USER, POINTER] + MANY:
            value = contextvars.Context.get(ctx, var)
            label = "<ContextVar name=%r>" % var.name
            from_nodes = [e for e in self.in_edges(value) if e[0].startswith("hamt")]
            self.assertIn(("DICT_VALUE", label), [(k, n) for _, k, n in from_nodes], var.name)

    def test_no_unnamed_edges_inside_the_context(self):
        ctx, snap = self.ctx, self.snap
        hamt = [r for r in gc.get_referents(ctx) if type(r).__name__ == "hamt"][0]
        self.assertEqual(snap.edge(ctx, hamt), [("INTERNAL", "vars")])
        stack, seen, kinds = [id(hamt)], set(), set()
        while stack:  # the HAMT and its nodes
            addr = stack.pop()
            if addr in seen:
                continue
            seen.add(addr)
            for target, kind, name in snap.edges.get(addr, []):
                kinds.add(kind)
                if snap.objects[target]["type"].startswith("hamt"):
                    stack.append(target)
        self.assertGreater(len(seen), 3)
        self.assertEqual(kinds, {"INTERNAL", "DICT_KEY", "DICT_VALUE"})

    def test_partial_fields(self):
        p, snap = self.partial, self.snap
        self.assertEqual(snap.edge(p, p.func), [("INTERNAL", "func")])
        self.assertEqual(snap.edge(p, p.args), [("INTERNAL", "args")])
        self.assertEqual(snap.edge(p, p.keywords), [("INTERNAL", "keywords")])


    def test_descriptors_name_their_class(self):
        snap = self.snap
        for desc in (dict.__dict__["keys"], object.__dict__["__init__"],
                     type.__dict__["__dict__"], type.__dict__["__basicsize__"]):
            self.assertEqual(snap.edge(desc, desc.__objclass__), [("INTERNAL", "__objclass__")])

    def test_generic_alias_origin_and_args(self):
        if self.alias is None:  # 3.8: list[...] does not exist; typing's aliases are Python classes
            self.assertLess(sys.version_info, (3, 9))
            return
        snap, alias = self.snap, self.alias
        self.assertEqual(snap.edge(alias, list), [("INTERNAL", "__origin__")])
        self.assertEqual(snap.edge(alias, alias.__args__), [("INTERNAL", "__args__")])


if __name__ == "__main__":
    unittest.main()
