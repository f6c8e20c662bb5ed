"""A zoo of objects whose every overridable hook is user code the dumper must never call.

`build(hook)` makes the zoo; each hook calls `hook(name)` first, so a test can record the call
(`calls.append`) or hang on it (`time.sleep` forever, run in a subprocess under a timeout).
Hooks also fire when the test itself touches the objects, so callers reset the record right
before the dump and read it right after.

Run as a script (`python adversary.py OUT.pyheap sleep|record`) it builds the zoo in a fresh
interpreter, dumps to OUT.pyheap and prints the hooks that were called, one per line.
"""

import builtins
import collections
import sys
import threading
import types
import warnings
import weakref


def build(hook):
    """Objects with hostile hooks, plus an undo() for the process-wide ones. Keep them alive."""
    armed = [False]

    def fire(name):
        if armed[0]:
            hook(name)

    class Key:
        """Collides with attribute names on purpose: only __eq__ would notice."""

        def __init__(self, text):
            self.text = text

        def __hash__(self):
            fire("Key.__hash__")
            return hash(self.text)

        def __eq__(self, other):
            fire("Key.__eq__")
            return False

        def __repr__(self):
            fire("Key.__repr__")
            return "Key"

    class Str(str):
        """A str subclass: its methods are user code even though isinstance(x, str) holds."""

        def __hash__(self):
            fire("Str.__hash__")
            return str.__hash__(self)

        def __eq__(self, other):
            fire("Str.__eq__")
            return str.__eq__(self, other)

        def __add__(self, other):
            fire("Str.__add__")
            return str.__add__(self, other)

        def __radd__(self, other):
            fire("Str.__radd__")
            return str.__add__(other, self)

        def __str__(self):
            fire("Str.__str__")
            return str.__str__(self)

        def __repr__(self):
            fire("Str.__repr__")
            return str.__repr__(self)

        def __format__(self, spec):
            fire("Str.__format__")
            return str.__format__(self, spec)

        def __len__(self):
            fire("Str.__len__")
            return str.__len__(self)

        def __getitem__(self, i):
            fire("Str.__getitem__")
            return str.__getitem__(self, i)

        def encode(self, *a, **kw):
            fire("Str.encode")
            return str.encode(self, *a, **kw)

        def startswith(self, *a):
            fire("Str.startswith")
            return str.startswith(self, *a)

        def __mod__(self, other):
            fire("Str.__mod__")
            return str.__mod__(self, other)

    def meta_prop(name):
        def get(cls):
            fire("Meta." + name)
            return type.__dict__[name].__get__(cls)

        return property(get)

    class Meta(type):
        def __eq__(cls, other):
            fire("Meta.__eq__")
            return cls is other

        def __hash__(cls):
            fire("Meta.__hash__")
            return id(cls) >> 4

        def __getattribute__(cls, name):
            fire("Meta.__getattribute__")
            return type.__getattribute__(cls, name)

        def __getattr__(cls, name):
            fire("Meta.__getattr__")
            raise AttributeError(name)

        def __instancecheck__(cls, obj):
            fire("Meta.__instancecheck__")
            return type.__instancecheck__(cls, obj)

        def __subclasscheck__(cls, sub):
            fire("Meta.__subclasscheck__")
            return type.__subclasscheck__(cls, sub)

        def __repr__(cls):
            fire("Meta.__repr__")
            return "Meta"

        def __sizeof__(cls):
            fire("Meta.__sizeof__")
            return 2 ** 53

        def __len__(cls):
            fire("Meta.__len__")
            return 0

        def __iter__(cls):
            fire("Meta.__iter__")
            return iter(())

        def __dir__(cls):
            fire("Meta.__dir__")
            return []

        __mro__ = meta_prop("__mro__")
        __bases__ = meta_prop("__bases__")
        __base__ = meta_prop("__base__")
        __dict__ = meta_prop("__dict__")
        __basicsize__ = meta_prop("__basicsize__")
        __itemsize__ = meta_prop("__itemsize__")
        __dictoffset__ = meta_prop("__dictoffset__")
        __flags__ = meta_prop("__flags__")
        __name__ = meta_prop("__name__")

    class Sizer(metaclass=Meta):
        def __call__(self, *args):
            fire("Sizer.__call__")
            return 2 ** 53

    class OddSize:
        __sizeof__ = Sizer()  # not a function: still user code, and its type has Meta's __eq__

    class Descriptor:
        def __get__(self, obj, tp=None):
            fire("Descriptor.__get__")
            return 1

        def __set__(self, obj, value):
            fire("Descriptor.__set__")

    class NonData:
        def __get__(self, obj, tp=None):
            fire("NonData.__get__")
            return 2

    class Evil(metaclass=Meta):
        described = Descriptor()
        shadow = NonData()

        def __init__(self):
            self.plain = [1, 2]
            self.described = 3
            self.other = {"k": "v"}

        def drop(self):
            self.shadow = 4  # a STORE_ATTR name the class also defines as a non-data descriptor
            del self.shadow

        @property
        def __class__(self):
            fire("Evil.__class__")
            return Evil

        def __getattribute__(self, name):
            fire("Evil.__getattribute__")
            return object.__getattribute__(self, name)

        def __getattr__(self, name):
            fire("Evil.__getattr__")
            raise AttributeError(name)

        def __eq__(self, other):
            fire("Evil.__eq__")
            return self is other

        def __hash__(self):
            fire("Evil.__hash__")
            return id(self) >> 4

        def __repr__(self):
            fire("Evil.__repr__")
            return "Evil"

        def __str__(self):
            fire("Evil.__str__")
            return "Evil"

        def __len__(self):
            fire("Evil.__len__")
            return 0

        def __sizeof__(self):
            fire("Evil.__sizeof__")
            return 2 ** 53

        def __iter__(self):
            fire("Evil.__iter__")
            return iter(())

        def __dir__(self):
            fire("Evil.__dir__")
            return []

        def __bool__(self):
            fire("Evil.__bool__")
            return True

        def __index__(self):
            fire("Evil.__index__")
            return 0

        def __fspath__(self):
            fire("Evil.__fspath__")
            return "evil"

        def __reduce__(self):
            fire("Evil.__reduce__")
            return (Evil, ())

        def __del__(self):
            fire("Evil.__del__")

    class Slotted(metaclass=Meta):
        __slots__ = ("a", "b", "__weakref__")

        def __init__(self):
            self.a = Evil()
            self.b = "b"

        def __getattribute__(self, name):
            fire("Slotted.__getattribute__")  # the hang: asked for '__class__'
            return object.__getattribute__(self, name)

        @property
        def __class__(self):
            fire("Slotted.__class__")
            return Slotted

        def __sizeof__(self):
            fire("Slotted.__sizeof__")
            return -1

    class Dict(dict):
        def __iter__(self):
            fire("Dict.__iter__")
            return dict.__iter__(self)

        def items(self):
            fire("Dict.items")
            return dict.items(self)

        def keys(self):
            fire("Dict.keys")
            return dict.keys(self)

        def values(self):
            fire("Dict.values")
            return dict.values(self)

        def __getitem__(self, k):
            fire("Dict.__getitem__")
            return dict.__getitem__(self, k)

        def __len__(self):
            fire("Dict.__len__")
            return dict.__len__(self)

        def __getattribute__(self, name):
            fire("Dict.__getattribute__")
            return object.__getattribute__(self, name)

    class List(list):
        def __iter__(self):
            fire("List.__iter__")
            return list.__iter__(self)

        def __len__(self):
            fire("List.__len__")
            return list.__len__(self)

        def __getitem__(self, i):
            fire("List.__getitem__")
            return list.__getitem__(self, i)

        def __sizeof__(self):
            fire("List.__sizeof__")
            return 2 ** 60

    class Set(set):
        def __iter__(self):
            fire("Set.__iter__")
            return set.__iter__(self)

        def __len__(self):
            fire("Set.__len__")
            return set.__len__(self)

    class Deque(collections.deque):
        def __iter__(self):
            fire("Deque.__iter__")
            return collections.deque.__iter__(self)

        def __len__(self):
            fire("Deque.__len__")
            return collections.deque.__len__(self)

    class Error(Exception):
        @property
        def args(self):
            fire("Error.args")
            return ()

        @property
        def __traceback__(self):
            fire("Error.__traceback__")
            return None

        def __getattribute__(self, name):
            fire("Error.__getattribute__")
            return object.__getattribute__(self, name)

    class Ref(weakref.ref):
        def __call__(self):
            fire("Ref.__call__")
            return weakref.ref.__call__(self)

        @property
        def __callback__(self):
            fire("Ref.__callback__")
            return None

    class Module(types.ModuleType):
        def __getattr__(self, name):
            fire("Module.__getattr__")
            raise AttributeError(name)

        def __getattribute__(self, name):
            fire("Module.__getattribute__")
            return types.ModuleType.__getattribute__(self, name)

        def __repr__(self):
            fire("Module.__repr__")
            return "Module"

    release = threading.Event()

    class Worker(threading.Thread):
        def __init__(self):
            threading.Thread.__init__(self, target=release.wait, args=(60,), daemon=True)

        def _get(name):
            def get(self):
                fire("Worker." + name)
                return object.__getattribute__(self, "_hidden_" + name)

            def set_(self, value):
                object.__setattr__(self, "_hidden_" + name, value)

            return property(get, set_)

        ident = property(lambda self: fire("Worker.ident"))
        native_id = property(lambda self: fire("Worker.native_id"))
        _name = _get("_name")
        _ident = _get("_ident")
        _native_id = _get("_native_id")
        _daemonic = _get("_daemonic")

        def is_alive(self):
            fire("Worker.is_alive")
            return True

        def __repr__(self):
            fire("Worker.__repr__")
            return "Worker"

    # Class and function names that are str subclasses, a module name too.
    class Renamed:
        pass

    Renamed.__qualname__ = Str("Renamed")
    Renamed.__name__ = Str("Renamed")
    with warnings.catch_warnings():  # 3.13: "non-string key in the __dict__ of class"
        warnings.simplefilter("ignore")
        Shadowy = Meta("Shadowy", (), {"__module__": Evil(), Key("x"): 1})
        keyed_class = Meta("K", (), {Key("y"): 2})

    def func():
        return 1

    func.__qualname__ = Str("func")
    mod = Module(Str("adversary_module"))
    mod.__dict__["payload"] = Evil()
    sys.modules[Str("adversary_module")] = mod

    evil = Evil()
    evil.drop()
    zoo = {
        "evil": evil, "slotted": Slotted(), "dict": Dict(a=Evil()), "list": List([Evil()]),
        "set": Set([1, 2]), "deque": Deque([Evil()]), "error": Error("x"),
        "renamed": Renamed(), "Shadowy": Shadowy, "func": func, "mod": mod,
        "keyed": {Key("plain"): Evil(), Evil(): "value", Str("key"): 1},
        "odd_size": OddSize(), "strs": [Str("a" * 200), Str("b")], "class_attr_keys": keyed_class,
    }
    zoo["ref"] = Ref(zoo["slotted"], lambda r: None)
    worker = Worker()
    worker.start()
    zoo["worker"] = worker

    original_import, original_argv = builtins.__import__, sys.argv

    def import_hook(*args, **kw):
        fire("builtins.__import__")
        return original_import(*args, **kw)

    def arm():
        builtins.__import__ = import_hook
        sys.argv = [Str("prog"), Evil()]
        armed[0] = True

    def disarm():
        armed[0] = False
        builtins.__import__ = original_import
        sys.argv = original_argv

    def undo():
        disarm()
        release.set()
        worker.join(10)
        sys.modules.pop("adversary_module", None)

    return zoo, arm, disarm, undo


def main(argv):
    import time

    sys.path.insert(0, argv[3])
    import heapscope

    calls = []
    hook = (lambda name: time.sleep(3600)) if argv[2] == "sleep" else calls.append
    zoo, arm, disarm, undo = build(hook)
    fork = len(argv) > 4 and argv[4] == "fork"
    arm()
    try:
        if fork:
            heapscope.dump(argv[1], fork=True).wait()
        else:
            heapscope.dump(argv[1])
    finally:
        disarm()
    print("\n".join(sorted(set(calls))))
    undo()
    zoo.clear()


if __name__ == "__main__":
    main(sys.argv)
