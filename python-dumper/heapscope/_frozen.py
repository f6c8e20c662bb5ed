"""The objects `gc.freeze()` moved to the GC's permanent generation, which `gc.get_objects()` omits.

A server that freezes its heap before forking workers would otherwise lose most of it from the
dump, and an object only C holds (refcount excess, no referrer) would not be found at all. No
Python API lists that generation without changing it (`gc.unfreeze()` cannot be undone for just
those objects), so this module reads its linked list, the way `_layout` reads memory:

    struct _gc_runtime_state { ...; struct gc_generation generations[3];
                               PyGC_Head *generation0; struct gc_generation permanent_generation; }
    struct gc_generation { PyGC_Head head; int threshold; int count; }   (24 bytes)
    PyGC_Head { uintptr_t _gc_next; uintptr_t _gc_prev (low 2 bits: flags); }, just before the object

A list made now is the youngest generation's tail, so its `_gc_next` is `generations[0]`'s head;
the word 72 bytes on (`generation0`) must point back at it, and the permanent list's first
nodes must link back to their predecessors (all of them, and close the ring, when there are
few). Any mismatch (another version, a free-threaded build) returns None and the walk reaches
frozen objects through references only (`Walker`'s frozen mode).

Each pass over the ring is one C call (`list.extend` over C iterators fed by the list itself): no
bytecode runs inside it, so no other thread can free a node between reading its address and
taking a reference to it.
"""

import gc
import sys
from functools import partial
from itertools import chain, islice, repeat, takewhile
from operator import add, and_, ne, rshift, sub

_WORD = 8
_GC_HEAD = 2 * _WORD      # PyGC_Head, just before the object
_GENERATION = 3 * _WORD   # struct gc_generation
_GENERATION0_PTR = 3 * _GENERATION
_PERMANENT = _GENERATION0_PTR + _WORD
_PREV_MASK = ~3           # _gc_prev's flag bits (finalized, collecting)
# Nodes whose links are checked before any is taken as an object: enough to tell the layout
# (a wrong one fails on the first), few enough to cost nothing (a full check doubled the time).
_CHECKED = 64

_mem = _from_ptr = None


def _reader():
    """(word view, PyObj_FromPtr) on the interpreters whose layout the docstring describes."""
    if sys.implementation.name != "cpython" or not (3, 8) <= sys.version_info[:2] <= (3, 13):
        return None, None
    from . import _layout, _meta
    if _meta._BUILD["freeThreaded"]:  # (no generation lists)
        return None, None
    mem = _layout._mem
    if mem is None:
        made = _layout._make_reader()
        if made is None:
            return None, None
        mem = made[1]
    import _ctypes
    return mem, _ctypes.PyObj_FromPtr


try:  # at import: objects made mid-dump would be in the heap the walk lists
    _mem, _from_ptr = _reader()
except Exception:
    _mem = _from_ptr = None


def objects():
    """Every object in the permanent generation (a list), or None when there are some and this
    interpreter's layout is not the one checked."""
    n = gc.get_freeze_count()
    if not n:
        return []
    if _mem is None:
        return None
    try:
        head = _permanent_head()
        if head is None or not _ring_checks(head, n):
            return None
        return _take(head, n)
    except Exception:  # an index outside the view: not the layout described
        return None


def _permanent_head():
    mem = _mem
    probe = []  # appended to the youngest generation: its next link is that generation's head
    gen0 = mem[(id(probe) >> 3) - 3] if gc.is_tracked(probe) else 0
    probe = None
    if not gen0 or gen0 & 7 or mem[((gen0 + _GENERATION0_PTR) >> 3) - 1] != gen0:
        return None
    return gen0 + _PERMANENT


def _nexts(addresses):
    """The `_gc_next` word of each GC head address, lazily."""
    return map(_mem.__getitem__, map(sub, map(rshift, addresses, repeat(3)), repeat(1)))


def _ring_checks(head, n):
    """True if the ring's first nodes from `head` are aligned and each one's back link is the
    node before it; with `n` nodes or fewer, that it closes after exactly `n`. Read in one C
    call (see the module docstring)."""
    ring = []
    checked = min(n, _CHECKED)
    ring.extend(islice(takewhile(partial(ne, head), chain(_nexts((head,)), _nexts(ring))),
                       checked + 1))
    if len(ring) != checked + (n > checked) or any(map(and_, ring, repeat(7))):
        return False
    prevs = map(and_, map(_mem.__getitem__, map(rshift, ring, repeat(3))), repeat(_PREV_MASK))
    return all(map(int.__eq__, prevs, chain((head,), ring)))


def _take(head, n):
    """The ring's objects, one C call: each next link is read from an object already held."""
    held = []
    heads = chain(_nexts((head,)), map(_mem.__getitem__,
                                       map(sub, map(rshift, map(id, held), repeat(3)), repeat(3))))
    held.extend(islice(map(_from_ptr, map(add, takewhile(partial(ne, head), heads),
                                          repeat(_GC_HEAD))), n))
    return held
