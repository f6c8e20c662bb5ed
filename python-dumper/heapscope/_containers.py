"""Edge namers for C containers whose entries `gc` exposes only as opaque structure.

A `contextvars.Context` holds its entries in a HAMT (`hamt` → `hamt_bitmap_node`/`_array_node`/
`_collision_node`): without help, a value set in a context is reached through three unnamed
edges. The keys are `ContextVar`s, whose name is a C member, so a node's entries can be labelled
`<ContextVar name='request_id'>` without hashing or comparing anything (no user `__hash__` or
`__eq__` can run: the nodes are read through `gc.get_referents`, never looked up).

`functools.partial` objects name their `func`, `args` and `keywords`, descriptors of C types their
`__objclass__`, `types.GenericAlias` its `__origin__` and `__args__` (C members).

The context types are found among `object.__subclasses__()` by their C names, so importing heapscope
does not import `contextvars`.
"""

import functools
import gc
import types

from ._format import DICT_KEY, DICT_VALUE, INTERNAL
from ._names import HEAPTYPE, LABEL_MAX


def _static_type(name):
    """The static type `name` (its module is `builtins`, or `_contextvars` from 3.10 on)."""
    for tp in type.__dict__["__subclasses__"](object):
        if type.__dict__["__name__"].__get__(tp) == name and \
                type.__dict__["__module__"].__get__(tp) in ("builtins", "_contextvars") and \
                not type.__dict__["__flags__"].__get__(tp) & HEAPTYPE:
            return tp
    return None


CONTEXT = _static_type("Context")
CONTEXT_VAR = _static_type("ContextVar")
HAMT = _static_type("hamt")
_NODES = tuple(tp for tp in (_static_type("hamt_bitmap_node"), _static_type("hamt_array_node"),
                             _static_type("hamt_collision_node")) if tp is not None)
_VAR_NAME = CONTEXT_VAR.__dict__["name"].__get__ if CONTEXT_VAR is not None else None


def var_label(var):
    """`<ContextVar name='x'>` for a ContextVar (its name is a C member: no user code)."""
    try:
        name = _VAR_NAME(var)
    except Exception:
        return "<ContextVar>"
    if not isinstance(name, str):
        return "<ContextVar>"
    return "<ContextVar name=%s>" % str.__repr__(name[:LABEL_MAX])


def name_hamt_node(node, walk):
    """A node's referents are its array in reverse (CPython traverses it last to first): read
    forward, each entry is a key (a ContextVar) and then its value, or a child node alone."""
    out = []
    refs = gc.get_referents(node)
    i = len(refs) - 1
    while i >= 0:
        ref = refs[i]
        if type(ref) in _NODES:
            out.append((ref, INTERNAL, "child"))
            i -= 1
            continue
        if type(ref) is not CONTEXT_VAR or i == 0:
            return out  # not the layout described above: leave the rest unnamed
        label = var_label(ref)
        out.append((ref, DICT_KEY, label))
        out.append((refs[i - 1], DICT_VALUE, label))
        i -= 2
    return out


def name_context(ctx, walk):
    """Context → its HAMT (`vars`) and, while entered, the context it replaced (`prev`)."""
    out = []
    for ref in gc.get_referents(ctx):
        if type(ref) is HAMT:
            out.append((ref, INTERNAL, "vars"))
        elif type(ref) is CONTEXT:
            out.append((ref, INTERNAL, "prev"))
    return out


def name_hamt(hamt, walk):
    return [(ref, INTERNAL, "root") for ref in gc.get_referents(hamt) if type(ref) in _NODES]


def name_context_var(var, walk):
    try:
        return [(_VAR_NAME(var), INTERNAL, "name")]
    except Exception:
        return []


_PARTIAL = [(name, functools.partial.__dict__[name].__get__)
            for name in ("func", "args", "keywords")]  # C members; `__dict__` would create one


def name_partial(obj, walk):
    out = []
    for name, get in _PARTIAL:
        try:
            value = get(obj)
        except Exception:
            continue
        if value is not None:
            out.append((value, INTERNAL, name))
    out.append((type(obj), INTERNAL, "__class__"))  # a heap type from 3.12 on: a referent
    return out


def _fields(tp, names):
    """A namer reading C getters of `tp` itself (found in its own dict: no MRO, no user code)."""
    getters = []
    for name in names:
        desc = tp.__dict__.get(name)
        if desc is not None:
            getters.append((name, desc.__get__))

    def namer(obj, walk):
        out = []
        for name, get in getters:
            try:
                out.append((get(obj), INTERNAL, name))
            except Exception:
                continue
        return out

    return namer


NAMERS = {functools.partial: name_partial}
# Descriptors of C types: the class they belong to (their only gc referent; the name string is
# not traversed).
for _tp in (type(object.__init__), type(object.__dir__), type(type.__dict__["__dict__"]),
            type(type.__dict__["__basicsize__"]), type(dict.__dict__["fromkeys"])):
    NAMERS[_tp] = _fields(_tp, ("__objclass__",))
# list[int]: read through the members, never the alias's getattr (it forwards to the origin).
_GENERIC_ALIAS = getattr(types, "GenericAlias", None)
if _GENERIC_ALIAS is not None:
    NAMERS[_GENERIC_ALIAS] = _fields(_GENERIC_ALIAS, ("__origin__", "__args__"))
_UNION = getattr(types, "UnionType", None)  # int | None (3.10+)
if _UNION is not None:
    NAMERS[_UNION] = _fields(_UNION, ("__args__",))
if CONTEXT is not None and CONTEXT_VAR is not None and HAMT is not None and _NODES:
    NAMERS[CONTEXT] = name_context
    NAMERS[CONTEXT_VAR] = name_context_var
    NAMERS[HAMT] = name_hamt
    for _tp in _NODES:
        NAMERS[_tp] = name_hamt_node
