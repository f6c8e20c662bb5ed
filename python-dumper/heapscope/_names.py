"""Safe names: type names, object labels and per-class attribute names, without running user code.

Everything here reads C-level slots through the base types' own descriptors
(`type.__dict__['__qualname__'].__get__(cls)`), so a metaclass property, a `__getattr__` or a
`__repr__` defined in user code is never called.
"""

import dis
import sys
import types
from gc import get_referents as _get_referents

_type_dict = type.__dict__
_TYPE_QUALNAME = _type_dict["__qualname__"].__get__
_TYPE_MODULE = _type_dict["__module__"].__get__
_TYPE_MRO = _type_dict["__mro__"].__get__
_TYPE_DICT = _type_dict["__dict__"].__get__
_TYPE_FLAGS = _type_dict["__flags__"].__get__
_TYPE_BASICSIZE = _type_dict["__basicsize__"].__get__
_TYPE_DICTOFFSET = _type_dict["__dictoffset__"].__get__
_MODULE_DICT = types.ModuleType.__dict__["__dict__"].__get__
_FUNC_QUALNAME = types.FunctionType.__dict__["__qualname__"].__get__
_BUILTIN_QUALNAME = types.BuiltinFunctionType.__dict__["__qualname__"].__get__

HEAPTYPE = 1 << 9
HAVE_GC = 1 << 14
MANAGED_WEAKREF = 1 << 3  # 3.12+
MANAGED_DICT = 1 << 4  # Py_TPFLAGS_MANAGED_DICT, 3.11+: attributes may live inline, dict-less

LABEL_MAX = 120
_INT_DIGITS_MAX = 40
_STORE_ATTR_OP = dis.opmap["STORE_ATTR"]
_EXTENDED_ARG = dis.opmap["EXTENDED_ARG"]


def exact_str(value):
    """`value` as an exact str, or None. A str subclass's methods (`__hash__`, `__add__`,
    `encode`, `__str__`…) are user code, so it is copied by str's own C slot before any use;
    `isinstance(x, str)` is not used either: when false it looks up `x.__class__`."""
    tp = type(value)
    if tp is str:
        return value
    if issubclass(tp, str):
        return str.__str__(value)  # unicode_str: an exact copy, no lookup on the subclass
    return None


def type_name(tp):
    """`module.QualName`; builtins without prefix. Never raises."""
    try:
        qual = exact_str(_TYPE_QUALNAME(tp))
    except Exception:
        qual = None
    if qual is None:
        qual = "?"
    try:
        mod = exact_str(_TYPE_MODULE(tp))
    except Exception:
        mod = None
    if mod is None or mod == "builtins":
        return qual
    return mod + "." + qual


def module_name(mod):
    try:
        name = dict.get(_MODULE_DICT(mod), "__name__")
    except Exception:
        return None
    return exact_str(name)


def code_label(code):
    name = exact_str(getattr(code, "co_qualname", None) or code.co_name)
    return "%s %s:%d" % (name, exact_str(code.co_filename), code.co_firstlineno)


def frame_label(frame):
    code = frame.f_code
    return "%s %s:%s" % (exact_str(code.co_name), exact_str(code.co_filename), frame.f_lineno)


_MISSING = object()


def plain_attr(obj, name, default=None):
    """`obj.<name>` when it can only be a stored value: no class in type(obj)'s MRO defines
    `name` (so no property or descriptor of a subclass can run), read with
    object.__getattribute__ (so no `__getattribute__`/`__getattr__` override runs)."""
    try:
        for klass in _TYPE_MRO(type(obj)) or ():
            if dict.get(_type_dict_of(klass), name, _MISSING) is not _MISSING:
                return default
        return object.__getattribute__(obj, name)
    except Exception:
        return default


def _type_dict_of(klass):
    """The real dict behind a class's mappingproxy (its only referent), for unbound dict.get."""
    proxy = _TYPE_DICT(klass)
    for real in _get_referents(proxy):
        if type(real) is dict:
            return real
    return {}


def basic_size(tp):
    try:
        size = _TYPE_BASICSIZE(tp)
    except Exception:
        return 0
    return size if type(size) is int else 0


def dict_offset(tp):
    try:
        return _TYPE_DICTOFFSET(tp)
    except Exception:
        return 0


_SIZEOF_C = (types.MethodDescriptorType, types.WrapperDescriptorType, types.BuiltinMethodType)
_GC_HEAD = sys.getsizeof([]) - [].__sizeof__()
_PTR = 8 if sys.maxsize > 2 ** 32 else 4


def c_sizeof(tp):
    """None when sys.getsizeof(obj) runs only C code for instances of `tp`; else a function
    computing the same size from the nearest C `__sizeof__` in the MRO.

    A class that defines `__sizeof__` in Python makes sys.getsizeof call it: user code, which
    may hang, raise or lie (the format cannot hold 2**53). The C implementation measures the
    object's own memory, which is what a shallow size means anyway.
    """
    override = False
    try:
        for klass in _TYPE_MRO(tp) or ():
            impl = dict.get(_type_dict_of(klass), "__sizeof__", _MISSING)
            if impl is _MISSING:
                continue
            impl_type = type(impl)  # by identity: `in` would call a metaclass's __eq__
            if (impl_type is _SIZEOF_C[0] or impl_type is _SIZEOF_C[1]
                    or impl_type is _SIZEOF_C[2]):
                if not override:
                    return None
                break
            override = True
        else:
            return None if not override else _size_unknown
    except Exception:
        return _size_unknown
    flags = type_flags(tp)
    extra = _GC_HEAD if flags & HAVE_GC else 0
    if sys.version_info >= (3, 12) and flags & (MANAGED_DICT | MANAGED_WEAKREF):
        extra += 2 * _PTR
    elif sys.version_info >= (3, 11) and flags & MANAGED_DICT:
        extra += 2 * _PTR
    sizeof = impl.__get__  # bound to each object below; a C descriptor, checked above

    def size_of(obj):
        return sizeof(obj)() + extra

    return size_of


def _size_unknown(obj):
    raise ValueError("no C __sizeof__ found")  # the walk then writes the basic size, SIZE_ERROR


def value_label(obj, tp):
    """(label or None, truncated?) for str/bytes/numbers; None for anything else."""
    if tp is str:
        if len(obj) > LABEL_MAX:
            return obj[:LABEL_MAX], True
        return obj, False
    if tp is int:
        text = int.__repr__(obj) if -10**_INT_DIGITS_MAX < obj < 10**_INT_DIGITS_MAX else None
        if text is None:
            return ("-" if obj < 0 else "") + "…(%d bits)" % obj.bit_length(), True
        return text, False
    if tp is float:
        return float.__repr__(obj), False
    if tp is bool or obj is None or tp is complex:
        return repr(obj), False
    if tp is bytes or tp is bytearray:
        head = bytes(obj[:LABEL_MAX])
        return repr(head), len(obj) > LABEL_MAX
    return None, False


def key_label(key):
    """DICT_KEY/DICT_VALUE edge name: repr of str and int keys (cut), `<TypeName>` otherwise."""
    tp = type(key)
    if tp is str:
        if len(key) > LABEL_MAX:
            return str.__repr__(key[:LABEL_MAX]) + "…"
        return str.__repr__(key)
    if tp is int or tp is bool:
        text, cut = value_label(key, int if tp is int else bool)
        return text
    return "<" + type_name(tp) + ">"


def other_label(obj, tp):
    """Labels for modules, functions, classes, code, frames; None for other objects."""
    try:
        if tp is types.ModuleType:
            return module_name(obj)
        if tp is types.FunctionType:
            return exact_str(_FUNC_QUALNAME(obj))
        if tp is types.BuiltinFunctionType:
            return exact_str(_BUILTIN_QUALNAME(obj))
        if tp is types.CodeType:
            return code_label(obj)
        if tp is types.FrameType:
            return frame_label(obj)
        if issubclass(tp, type):
            return type_name(obj)
    except Exception:
        return None
    return None


# -- attribute names of a class's instances -------------------------------------------------


def class_layout(cls):
    """(candidate attribute names, slot descriptors {name: member descriptor}) for `cls`.

    Candidates are names assigned with STORE_ATTR anywhere in the class's own methods (so
    `self.x = …` in `__init__`), minus names the MRO defines (methods, properties, class data
    with descriptors): looking those up with `object.__getattribute__` could run user code or
    allocate a bound method. Reading a candidate is then a plain instance-attribute read, which
    never materializes the instance dict.
    """
    names = set()
    slots = {}
    shadowed = set()
    try:
        mro = _TYPE_MRO(cls)
    except Exception:
        return (), {}
    for klass in mro:
        try:
            if not _TYPE_FLAGS(klass) & HEAPTYPE:
                for name in _TYPE_DICT(klass):
                    shadowed.add(name)
                continue
            kdict = _type_dict_of(klass)
        except Exception:
            continue
        for name, value in dict.items(kdict):
            if type(name) is not str:
                continue  # hashing a non-str key into our sets would run its __hash__
            vt = type(value)
            if vt is types.MemberDescriptorType:
                slots.setdefault(name, value)
            elif _is_descriptor(vt):
                shadowed.add(name)
            for code in _codes_of(value):
                _store_attr_names(code, names)
    names -= shadowed
    names.difference_update(slots)
    names.discard("__dict__")
    names.discard("__class__")
    return tuple(sorted(names)), slots


def _is_descriptor(vt):
    for klass in _TYPE_MRO(vt):
        if dict.get(_type_dict_of(klass), "__get__", _MISSING) is not _MISSING:
            return True
    return False


def _codes_of(value):
    vt = type(value)
    if vt is types.FunctionType:
        yield value.__code__
    elif vt is staticmethod or vt is classmethod:
        func = value.__func__
        if type(func) is types.FunctionType:
            yield func.__code__
    elif vt is property:
        for func in (value.fget, value.fset, value.fdel):
            if type(func) is types.FunctionType:
                yield func.__code__


def _store_attr_names(code, out):
    """Names stored with STORE_ATTR in `code` and its nested code objects (explicit stack).

    Scans the wordcode with bytes.find instead of `dis` (20x faster). Reading `co_code` on
    3.11+ caches a bytes copy on the code object: one per method of a class that has
    instances, a small, bounded cost.
    """
    stack = [code]
    op = bytes([_STORE_ATTR_OP])
    while stack:
        co = stack.pop()
        raw, names = co.co_code, co.co_names
        i = raw.find(op)
        while i >= 0:
            if i % 2 == 0:
                arg = raw[i + 1]
                if i >= 2 and raw[i - 2] == _EXTENDED_ARG:
                    arg |= raw[i - 1] << 8
                if arg < len(names):
                    out.add(names[arg])
            i = raw.find(op, i + 1)
        for const in co.co_consts:
            if type(const) is types.CodeType:
                stack.append(const)


def is_heap_type(cls):
    try:
        return bool(_TYPE_FLAGS(cls) & HEAPTYPE)
    except Exception:
        return False


def type_flags(cls):
    try:
        return _TYPE_FLAGS(cls)
    except Exception:
        return 0

