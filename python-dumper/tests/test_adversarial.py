"""The dumper never runs user code: every hook of a hostile zoo (tests/adversary.py) stays silent.

Hooks cover what a dumper could be tempted to call: `__getattribute__`, `__getattr__`, a
`__class__` property, `__eq__`/`__hash__` (metaclass too), `__repr__`/`__str__`, `__len__`,
`__iter__`, `__sizeof__`, `__dir__`, descriptors, Thread-subclass properties, str-subclass
methods, `__del__`, a replaced `builtins.__import__` and a `sys.argv` holding objects.
"""

import os
import subprocess
import sys
import types
import unittest
from unittest import mock

import adversary
from helpers import HERE, ROOT, DumpCase, heapscope, pyheap_reader

from heapscope import _names

_SCRIPT = os.path.join(HERE, "adversary.py")


class _Huge:
    """sys.getsizeof is patched to claim 2**60 bytes for one instance (past the format's 2^53)."""


class NoUserCode(DumpCase):
    @classmethod
    def setUpClass(cls):
        import tempfile

        calls = []
        zoo, arm, disarm, undo = adversary.build(calls.append)
        zoo["huge"] = _Huge()
        real = sys.getsizeof

        def lying_getsizeof(obj, *default):
            return 2 ** 60 if obj is zoo["huge"] else real(obj, *default)

        fd, path = tempfile.mkstemp(suffix=".pyheap")
        os.close(fd)
        try:
            # Plus the attribute storage sys.getsizeof leaves out (3.11+; checked against
            # tracemalloc in test_sizes).
            cls.expected = {name: _c_size(zoo[name]) + _storage(zoo[name])
                            for name in ("evil", "slotted", "list")}
            arm()
            try:
                with mock.patch.object(sys, "getsizeof", lying_getsizeof):
                    heapscope.dump(path)
            finally:
                disarm()
                undo()
            heap = pyheap_reader.read(path)
        finally:
            os.unlink(path)
        # Keep only the records the tests look at: a parsed heap is ~10x the process's own
        # objects, and would slow every later dump in this process.
        by_addr = heap.by_address()
        cls.records = {name: by_addr.get(id(obj)) for name, obj in zoo.items()}
        cls.limits_ok = all(o["size"] < 2 ** 53 and o["address"] < 2 ** 53 for o in heap.objects)
        cls.calls = calls
        heap = by_addr = None

    @classmethod
    def tearDownClass(cls):
        cls.calls = cls.records = None

    def test_no_hook_is_called(self):
        self.assertEqual(sorted(set(self.calls)), [])
        self.assertIsNotNone(self.records["evil"])
        self.assertIsNotNone(self.records["slotted"])
        # Labels still come from the C-level fields, copied out of str subclasses.
        self.assertEqual(self.records["func"]["label"], "func")
        self.assertIn("Shadowy", self.records["Shadowy"]["label"])

    def test_python_sizeof_is_never_called_and_size_is_the_c_size(self):
        for name, size in self.expected.items():
            rec = self.records[name]
            self.assertEqual(rec["size"], size, name)
            self.assertFalse(rec["flags"] & 2, name)  # a true size, not an error
        self.assertLess(self.records["Shadowy"]["size"], 2 ** 53)  # the metaclass's __sizeof__

    def test_size_past_the_format_limit_is_clamped_and_flagged(self):
        rec = self.records["huge"]
        self.assertTrue(rec["flags"] & 2)  # SIZE_ERROR
        self.assertEqual(rec["size"], _Huge.__basicsize__)
        self.assertTrue(self.limits_ok)

    @unittest.skipUnless(hasattr(os, "fork"), "POSIX only")
    def test_no_hook_is_called_in_fork_mode(self):
        calls = []
        zoo, arm, disarm, undo = adversary.build(calls.append)
        path = self.path()
        arm()
        try:
            self.assertIsNotNone(heapscope.dump(path, fork=True).wait(60))
        finally:
            disarm()
            undo()
        self.assertEqual(sorted(set(calls)), [])
        self.assertGreater(len(pyheap_reader.read(path).objects), 1000)  # the child wrote it

    def test_hooks_that_never_return_do_not_hang_the_dump(self):
        # The hang: a slotted class whose __getattribute__ sleeps when asked for
        # '__class__'. Here every hook sleeps for an hour; the dump must still finish.
        out = self.path("hang.pyheap")
        proc = subprocess.run([sys.executable, _SCRIPT, out, "sleep", ROOT], timeout=60,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode()[-2000:])
        self.assertGreater(len(pyheap_reader.read(out).objects), 1000)


class Sizes(unittest.TestCase):
    def test_c_size_matches_getsizeof_where_no_python_sizeof_exists(self):
        # The replacement formula (C __sizeof__ + GC header + pre-header) must agree with
        # sys.getsizeof on every interpreter, or sizes would shift for overriding classes.
        class Plain:
            def __init__(self):
                self.a = 1

        class Slots:
            __slots__ = ("a", "b")

        class Weak:
            __slots__ = ("__weakref__",)

        class L(list):
            pass

        class D(dict):
            pass

        class I(int):
            pass

        class S(str):
            pass

        class E(Exception):
            pass

        class M(type):
            pass

        samples = [Plain(), Slots(), Weak(), L([1, 2, 3]), D(a=1), I(10 ** 30), S("abc"), E("x"),
                   M("X", (), {}), types.SimpleNamespace(a=1)]
        for obj in samples:
            tp = type(obj)
            with self.subTest(type=tp.__name__):
                forced = _forced_c_sizeof(tp)
                self.assertEqual(forced(obj), sys.getsizeof(obj))


def _c_size(obj):
    """What the dumper must write for an object whose class defines __sizeof__ in Python."""
    tp = type(obj)
    for klass in tp.__mro__:
        impl = klass.__dict__.get("__sizeof__")
        if impl is not None and not isinstance(impl, types.FunctionType):
            return impl.__get__(obj)() + (sys.getsizeof([]) - [].__sizeof__() if tp.__flags__ & (1 << 14) else 0) \
                + _preheader(tp)
    raise AssertionError("no C __sizeof__")


def _preheader(tp):
    managed = tp.__flags__ & ((1 << 4) | ((1 << 3) if sys.version_info >= (3, 12) else 0))
    return 16 if sys.version_info >= (3, 11) and managed else 0


def _forced_c_sizeof(tp):
    """The dumper's size function, as if `tp` defined __sizeof__ in Python."""
    sub = type("Sub", (tp,), {"__sizeof__": lambda self: 0, "__slots__": ()})
    sizer = _names.c_sizeof(sub)
    assert sizer is not None
    return sizer



def _storage(obj):
    from heapscope import _layout

    flags = type(obj).__flags__
    if not _layout.available or not flags & _layout.MANAGED_DICT:
        return 0
    return _layout.managed_state(obj, flags, type(obj).__basicsize__)[0]

if __name__ == "__main__":
    unittest.main()
