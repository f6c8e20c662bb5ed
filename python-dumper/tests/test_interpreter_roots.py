"""Objects the interpreter keeps are rooted: after a collection, nothing reads as cyclic garbage.

3.12+ static types are immortal (so never held-from-C roots) and many are referenced by no
Python object: without the dumper's `interpreter: static types` roots, they and their dicts,
descriptors and docstrings (~600 objects, ~65 KB on 3.13) were unreachable in every snapshot.
"""

import ctypes  # noqa: F401  loaded, as in many targets: the dump's accounting then uses it
import gc
import os
import unittest
import weakref

from helpers import DumpCase, heapscope, pyheap_reader


def _reachable(heap):
    """Addresses reachable over strong edges from ROOT records and held-from-C objects."""
    objects = heap.by_address()
    out = heap.out_edges()
    stack = [a for a, _, _ in heap.roots if a in objects] + list(heap.held_from_c())
    seen = set()
    while stack:  # explicit stack, as everywhere over the heap graph
        a = stack.pop()
        if a in seen:
            continue
        seen.add(a)
        for target, kind, _ in out.get(a, ()):
            if kind != "WEAK" and target in objects and target not in seen:
                stack.append(target)
    return seen


def _garbage_freed_a_link_per_collection(links):
    """Cyclic garbage one collection cannot free whole; a weakref to its last link.

    A type's `__name__` (ht_name) is a reference tp_traverse does not visit, so a str-subclass
    instance there is held from outside the GC's view. Type i+1 is a str subclass whose instance
    names type i: each collection frees one type, whose name then drops the next type's last
    outside reference. (numpy object arrays and other C objects without tp_traverse do the same.)
    """
    holder = type("ChainLink0", (), {})
    for i in range(1, links):
        name_type = type("ChainLink%d" % i, (str,), {})
        holder.__name__ = name_type("ChainLink%d's name" % (i - 1))
        holder = name_type
    return weakref.ref(holder)


def _lost(heap):
    """`type label` of every object no root reaches (sorted, for a readable failure)."""
    reachable = _reachable(heap)
    return sorted("%s %s" % (o["type"], o["label"] or "") for o in heap.objects
                  if o["address"] not in reachable)


_FORK_MODES = (False, True) if hasattr(os, "fork") else (False,)


class InterpreterRoots(DumpCase):
    maxDiff = None

    def _dump_collected(self, fork):
        """A collect=True dump, plain or forked; the heap read back."""
        path = self.path("fork.pyheap" if fork else "t.pyheap")
        if fork:
            self.assertIsNotNone(heapscope.dump(path, collect=True, fork=True).wait(60))
        else:
            heapscope.dump(path, collect=True)
        return pyheap_reader.read(path)

    def test_nothing_unreachable_after_a_collection(self):
        # Fork mode: the dumper's capture of thread stacks (in the parent, before the fork) once
        # left its own frame in a cycle, which the child dumped as ~40 unreachable objects.
        for fork in _FORK_MODES:
            with self.subTest(fork=fork):
                self.assertEqual(_lost(self._dump_collected(fork)), [])

    def test_garbage_that_needs_several_collections_is_collected(self):
        # What made the test above fail after test_adversarial (whose zoo has a class named by a
        # str subclass): one collection left garbage, read as unreachable objects.
        for fork in _FORK_MODES:
            with self.subTest(fork=fork):
                gc.collect()
                was_enabled = gc.isenabled()
                gc.disable()  # no automatic collection between building the garbage and the dump
                try:
                    last = _garbage_freed_a_link_per_collection(3)
                    heap = self._dump_collected(fork)
                finally:
                    if was_enabled:
                        gc.enable()
                self.assertIsNone(last(), "collect=True left garbage a further collection frees")
                self.assertEqual([o["label"] for o in heap.objects if o["type"] == "type" and
                                  (o["label"] or "").startswith("ChainLink")], [])
                self.assertEqual(_lost(heap), [])

    def test_static_types_are_rooted_and_recorded(self):
        path = self.path()
        heapscope.dump(path)
        heap = pyheap_reader.read(path)
        objects = heap.by_address()
        roots = {a for a, label, kind in heap.roots
                 if kind == "SYS" and label == "interpreter: static types"}
        # A type no Python object refers to, nor does any module: found through __subclasses__.
        hidden = type(iter({}.items()))
        for tp in (int, object, type, hidden):
            self.assertIn(id(tp), roots, tp)
            self.assertIn(id(tp), objects, tp)
        self.assertNotIn(id(DumpCase), roots)  # a class: owned by its module, not the interpreter

    def test_a_static_types_edges_are_references_it_holds(self):
        # A static type's __name__ and __qualname__ are new strs made from tp_name at each read:
        # edges to them pointed at temporaries of the dumper (freed, their addresses reused by
        # the next: `int.__name__` led to a str 'RecursionError' with refcount 0).
        heap = self._dump_collected(False)
        out = heap.out_edges()
        for tp in (int, type(iter({}.items()))):
            edges = {name: target for target, kind, name in out[id(tp)] if kind == "INTERNAL"}
            self.assertNotIn("__name__", edges, tp)
            self.assertNotIn("__qualname__", edges, tp)
            self.assertEqual(edges["__mro__"], id(tp.__mro__), tp)
        # The temporaries, recorded: strs nothing holds.
        self.assertEqual([o["label"] for o in heap.objects if o["type"] == "str"
                          and o["refcount"] == 0 and not o["flags"] & 4], [])


if __name__ == "__main__":
    unittest.main()
