"""Edge namers: why object A references object B, for the types whose reasons are knowable.

Each namer returns a list of `(target, kind, name)` candidates read through the type's own C
descriptors (never `getattr` on the object, so no property, `__getattr__` or `__repr__` runs, and
no lazily-created attribute such as a function's `__dict__` or `__annotations__` is forced into
existence). The walk matches candidates by identity against `gc.get_referents`, which stays the
source of truth for *which* references exist; unmatched referents keep kind OTHER.
"""

import gc
import sys
import types
import weakref

from ._format import ATTR, CLOSURE, INTERNAL, LOCAL, WEAK
from ._names import is_heap_type

_V = sys.version_info
CO_NEWLOCALS = 0x0002


def _slot_reader(tp, names):
    """[(name, getter)] for C-level descriptors of `tp` that only read a stored pointer."""
    out = []
    for name in names:
        desc = None
        for klass in tp.__mro__:
            desc = klass.__dict__.get(name)
            if desc is not None:
                break
        if desc is not None and hasattr(desc, "__get__"):
            out.append((name, desc.__get__))
    return out


def _internal(readers):
    def namer(obj, walk):
        out = []
        for name, get in readers:
            try:
                value = get(obj)
            except Exception:
                continue
            if value is not None:
                out.append((value, INTERNAL, name))
        return out

    return namer


# Function: no `__dict__` / `__annotations__` (their getters create a dict when there is none).
_FUNC = _slot_reader(types.FunctionType, (
    "__code__", "__globals__", "__defaults__", "__kwdefaults__", "__closure__", "__name__",
    "__qualname__", "__module__", "__doc__", "__builtins__", "__type_params__"))
_METHOD = _slot_reader(types.MethodType, ("__self__", "__func__"))
_BUILTIN = _slot_reader(types.BuiltinFunctionType, ("__self__", "__module__"))
_CLASSMETH = _slot_reader(classmethod, ("__func__",))
_STATICMETH = _slot_reader(staticmethod, ("__func__",))
_PROPERTY = _slot_reader(property, ("fget", "fset", "fdel", "__doc__"))
_TRACEBACK = _slot_reader(types.TracebackType, ("tb_next", "tb_frame"))
_MODULE = _slot_reader(types.ModuleType, ("__dict__",))
_EXC = _slot_reader(BaseException, ("__traceback__", "__context__", "__cause__", "args"))
# Code: only attributes stored as objects; on 3.11+ co_code/co_varnames/… are computed copies.
_CODE_NAMES = ["co_consts", "co_names", "co_filename", "co_name", "co_qualname",
               "co_exceptiontable", "co_linetable"]
if _V < (3, 11):
    _CODE_NAMES += ["co_code", "co_varnames", "co_freevars", "co_cellvars"]
if _V < (3, 10):
    _CODE_NAMES += ["co_lnotab"]
_CODE = _slot_reader(types.CodeType, _CODE_NAMES)
_TYPE = _slot_reader(type, ("__mro__", "__bases__", "__base__"))
# A heap type's stored ht_name / ht_qualname. A static type's are new strs made from tp_name at
# each read: an edge to one would lead to a temporary of the dumper's, soon freed and its
# address reused (int.__name__ read as a str 'RecursionError' with refcount 0).
_TYPE_NAMES = _slot_reader(type, ("__name__", "__qualname__"))
_TYPE_DICT = type.__dict__["__dict__"].__get__


def _wrapper(readers):
    """classmethod/staticmethod: `__func__`, and their own dict (cm_dict) when they have one.

    The `__dict__` getter would create a dict where there is none; cm_traverse visits only the
    callable and that dict, so a dict referent other than the callable is it. From 3.10 every one
    has a dict (the function's `__name__`, `__doc__`, … are copied in).
    """
    base = _internal(readers)

    def namer(obj, walk):
        out = base(obj, walk)
        func = out[0][0] if out else None
        for ref in gc.get_referents(obj):
            if type(ref) is dict and ref is not func:
                out.append((ref, INTERNAL, "__dict__"))
                break
        return out

    return namer


def name_type(cls, walk):
    out = _internal(_TYPE)(cls, walk)
    if is_heap_type(cls):
        out.extend(_internal(_TYPE_NAMES)(cls, walk))
    try:
        # The mappingproxy is a fresh wrapper; its single referent is the real tp_dict.
        for real in gc.get_referents(_TYPE_DICT(cls)):
            out.append((real, INTERNAL, "__dict__"))
    except Exception:
        pass
    return out


def untraversed_type_refs(cls):
    """A heap type's stored ht_name and ht_qualname: references its tp_traverse does not report
    (a str subclass instance there, made at run time, was held from C or never recorded)."""
    if not is_heap_type(cls):
        return []  # made from tp_name at each read: not references (see _TYPE_NAMES)
    out = []
    for _, get in _TYPE_NAMES:
        try:
            value = get(cls)
        except Exception:
            continue
        if value is not None:
            out.append(value)
    return out


def name_function(func, walk):
    out = _internal(_FUNC)(func, walk)
    return out


def name_cell(cell, walk):
    try:
        value = cell.cell_contents
    except ValueError:  # empty cell
        return []
    name = walk.cell_names.get(id(cell))
    if name is None:
        return [(value, INTERNAL, "cell_contents")]
    return [(value, CLOSURE, name)]


def name_closure_tuple(tup, names):
    """A function's `__closure__` tuple: entry i is the cell of free variable i."""
    return [(cell, CLOSURE, names[i]) for i, cell in enumerate(tup) if i < len(names)]


def frame_locals(frame):
    """(locals mapping or None, the locals dict object the frame itself holds or None)."""
    code = frame.f_code
    try:
        loc = frame.f_locals
    except Exception:
        return None, None
    if not code.co_flags & CO_NEWLOCALS:
        # Module and class bodies: f_locals is the namespace dict itself, not per-variable slots.
        return None, loc if type(loc) is dict else None
    return loc, loc if type(loc) is dict else None


def name_frame(frame, walk):
    out = []
    for name in ("f_back", "f_code", "f_globals", "f_builtins", "f_trace"):
        try:
            value = getattr(frame, name)
        except Exception:
            continue
        if value is not None:
            out.append((value, INTERNAL, name))
    loc, loc_dict = frame_locals(frame)
    if loc_dict is not None:
        out.append((loc_dict, INTERNAL, "f_locals"))
    if loc is not None:
        _append_locals(out, loc)
    return out


def _append_locals(out, loc):
    try:
        for name, value in list(loc.items()):
            if type(name) is str:
                out.append((value, LOCAL, name))
    except Exception:
        pass


_GEN_ATTRS = {
    types.GeneratorType: ("gi_frame", "gi_code", "gi_yieldfrom"),
    types.CoroutineType: ("cr_frame", "cr_code", "cr_await", "cr_origin"),
    types.AsyncGeneratorType: ("ag_frame", "ag_code", "ag_await"),
}


def name_generator(gen, walk):
    out = []
    frame = None
    for name in _GEN_ATTRS[type(gen)] + ("__name__", "__qualname__"):
        try:
            value = getattr(gen, name)
        except Exception:
            continue
        if value is not None:
            out.append((value, INTERNAL, name))
            if name.endswith("_frame"):
                frame = value
    if frame is not None and _V >= (3, 11):
        # 3.11+: a suspended generator's locals live in the generator object itself.
        loc, loc_dict = frame_locals(frame)
        if loc_dict is not None:
            out.append((loc_dict, INTERNAL, "f_locals"))
        if loc is not None:
            _append_locals(out, loc)
    return out


_REF_CALLBACK = weakref.ref.__dict__["__callback__"].__get__


def name_weakref(ref, walk):
    out = []
    try:
        target = weakref.ref.__call__(ref)
    except Exception:
        target = None
    if target is not None:
        out.append((target, WEAK, None))
    try:
        callback = _REF_CALLBACK(ref)  # the C member: a subclass's __getattribute__ does not run
    except Exception:
        callback = None
    if callback is not None:
        out.append((callback, INTERNAL, "__callback__"))
    return out


def name_slots(obj, slots):
    out = []
    for name, get in slots:
        try:
            value = get(obj)
        except Exception:
            continue
        out.append((value, ATTR, name))
    return out


NAMERS = {
    type: name_type,
    types.FunctionType: name_function,
    types.MethodType: _internal(_METHOD),
    types.BuiltinFunctionType: _internal(_BUILTIN),
    classmethod: _wrapper(_CLASSMETH),
    staticmethod: _wrapper(_STATICMETH),
    property: _internal(_PROPERTY),
    types.TracebackType: _internal(_TRACEBACK),
    types.ModuleType: _internal(_MODULE),
    types.CodeType: _internal(_CODE),
    types.CellType if hasattr(types, "CellType") else type((lambda: _V).__closure__[0]): name_cell,
    types.FrameType: name_frame,
    types.GeneratorType: name_generator,
    types.CoroutineType: name_generator,
    types.AsyncGeneratorType: name_generator,
    weakref.ref: name_weakref,
}

name_exception = _internal(_EXC)

# C containers (contextvars' HAMT, functools.partial): their own module, one concept.
from ._containers import NAMERS as _CONTAINER_NAMERS  # noqa: E402

NAMERS.update(_CONTAINER_NAMERS)
