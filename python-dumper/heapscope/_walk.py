"""The heap walk: every gc-tracked object, then what it reaches that the GC does not track.

Record layout while walking (one row per object, appended to the writer's columns):
    address, size, type id, label id, refcount (minus the dumper's own references), length,
    edge count, flags
then that object's edges (target address, name, kind). Nothing here keeps a reference to a heap
object after moving on: the seen-bitmap and caches hold ints (`id()`s) and private strings, so the
refcounts the walk reads are not inflated by its own bookkeeping.
"""

import array
import gc
import sys
import tracemalloc
import types
import weakref

try:
    import _tracemalloc
except ImportError:  # pragma: no cover (not CPython)
    _tracemalloc = None

from . import _edges, _emit, _layout, _names, _values
from ._emit import (K_ATOM, K_DICT, K_GENERIC, K_INST, K_NAMED, K_SEQ, K_SET, K_STR, EdgeEmitter,
                    _collections_deque)
from ._names import LABEL_MAX
from ._format import (CHUNK, CYCLIC_GARBAGE, EDGES_INCOMPLETE, GC_TRACKED, IMMORTAL, INTERNAL,
                      LABEL_TRUNCATED, NONE32, REDACTED, SIZE_ERROR, SIZE_MAX, U32_MAX, _copy_str)

_ATOMS = (int, float, complex, bool, bytes, type(None), type(Ellipsis), type(NotImplemented))
# Types are compared by identity (id() sets and dicts): `tp in (int, …)` or a dict keyed by the
# type would call a metaclass's __eq__ / __hash__, which is user code.
_ATOM_IDS = frozenset(id(t) for t in _ATOMS)
_NAMERS_BY_ID = {id(t): namer for t, namer in _edges.NAMERS.items()}
_SEQ_BASES = (list, tuple)
_LEN_BASES = (str, bytes, bytearray, list, tuple, dict, set, frozenset)
# Lists, tuples, dicts and sets longer than this stream their edges in slices (see _big_sequence,
# _big_unordered).
_BIG_SEQ = CHUNK
# 3.12+: immortal refcounts are >= 2^31 (2^32-1 on 3.12/3.13). 3.11 has no immortality, but its
# statically allocated objects (deep-frozen code of frozen modules and their strings, small ints,
# many builtin strings) start at 999,999,999 and drift a little with incref/decref. Nothing real
# reaches 5*10^8 (that is 4 GB of pointers to one object), so above it the count is the static
# marker, not holders; unflagged, ~5,000 of them would become "held from C" roots.
if sys.version_info >= (3, 12):
    _IMMORTAL_MIN = 1 << 31
elif sys.version_info >= (3, 11):
    _IMMORTAL_MIN = 500000000
else:
    _IMMORTAL_MIN = None
_is_immortal = getattr(sys, "_is_immortal", None)
_getsizeof = sys.getsizeof
# A stack this deep is recorded a batch at a time (_values); below it, one object at a time.
_BATCH_MIN = 16
# The walk of tracked objects lets this many untracked finds wait on the stack before draining
# it: one batch of values then costs a few C calls instead of a Python loop per value. Waiting
# on the stack does not disturb refcounts: each is read after its object leaves the stack.
_DRAIN_AT = 4096
_INT_LABEL_BOUND = 10 ** _names._INT_DIGITS_MAX


def _public_traceback(obj):
    tb = tracemalloc.get_object_traceback(obj)
    return None if tb is None else tuple((f.filename, f.lineno) for f in reversed(tb))


# Frames most recent first; the public API would wrap each result in Traceback and Frame objects.
_get_traceback = getattr(_tracemalloc, "_get_object_traceback", _public_traceback)


def calibrate():
    """Extra references the walk loops themselves hold while reading a refcount.

    Measured on a probe pushed through loops shaped exactly like `Walker.run`, so it adapts to
    interpreter changes (3.14's borrowed references, say) instead of hard-coding per version.
    """
    objs = [object()]
    for obj in objs:
        tracked = sys.getrefcount(obj)
    stack = [object()]
    while stack:
        obj = stack.pop()
        untracked = sys.getrefcount(obj)
    return tracked, untracked


class Walker(EdgeEmitter):
    def __init__(self, writer, options, ctx):
        self.w = writer
        self.redact = options.get("redact_strings", False)
        self.exclude = ctx.exclude            # ids of the dumper's own objects
        self.held = ctx.held                  # id -> references the dumper holds beyond the loop
        self.live_frames = ctx.live_frames    # ids of frames on some thread's stack
        self.foreign = ctx.foreign            # fork child: id(frame) -> pre-captured edges
        self.frame_objs = ctx.frame_objs
        self.static_types = ctx.static_types  # untracked and maybe referenced by nothing: walk them
        self.cell_names = ctx.cell_names      # id(cell) -> free variable name
        self.closure_names = ctx.closure_names  # id(closure tuple) -> co_freevars
        self.garbage = ctx.garbage            # ids flagged CYCLIC_GARBAGE
        self.garbage_list_len = ctx.garbage_list_len
        self.garbage_list_owner = ctx.garbage_list_owner  # {id(gc.garbage)} while we borrow it
        self.tcache = {}                      # id(type) -> [type id, kind, extra]
        self.c_sizeof = {}                    # id(type) -> size function, for Python __sizeof__s
        self.key_names = {}                   # copy of a str dict key -> its edge name id
        self.key_ids = set()                  # ids of str dict keys recorded (a cache)
        self._class_sid = writer.string("__class__")
        self._dict_sid = writer.string("__dict__")
        # Untracked objects already recorded, as a bitmap per 1 MiB of address space (one bit per
        # 8 bytes): ~16 KiB per MiB touched, instead of ~70 bytes per object for a set of ids.
        self.pages = {}
        self.n_incomplete = 0
        self.big_pending = []  # [sequence, next index]: items of huge lists still to push
        self.managed_dict = None              # (address, shared dict or None) while visiting
        # Frozen mode: gc.freeze()'s objects could not be listed (_frozen), so tracked objects
        # are pushed like untracked ones, and the bitmap, holding every listed object, keeps
        # each recorded once. `is_tracked` decides what is pushed: never in frozen mode.
        self.frozen_mode = ctx.frozen_unlisted
        self.is_tracked = _never if self.frozen_mode else gc.is_tracked
        self.bias_tracked, self.bias_untracked = calibrate()
        self.bias_values = _values.calibrate()
        w = writer  # the column arrays are emptied in place on flush, so bound appends stay valid
        self._add = (w.o_addr.append, w.o_size.append, w.o_type.append, w.o_label.append,
                     w.o_refcnt.append, w.o_len.append, w.o_nedges.append, w.o_flags.append)
        self.trace = None
        if options.get("tracemalloc"):
            self.trace = _get_traceback
            # Raw traceback (frames most recent first, as _tracemalloc returns them) -> id. Keys
            # hold private copies of the filenames; a lookup with the raw tuple still matches.
            self.tb_ids = {}
            self.aloc_addr, self.aloc_tb = array.array("Q"), array.array("I")

    # -- driver ----------------------------------------------------------------------------

    def run(self, objs):
        getrefcount = sys.getrefcount
        exclude = self.exclude
        visit, drain, visit_dict = self._visit, self._drain, self._visit_dict
        bias = self.bias_tracked
        self.dict_tid = self._tid(dict)
        stack = []
        if self.frozen_mode:
            self._mark_listed(objs)
        for obj in objs:
            rc = getrefcount(obj)
            if id(obj) in exclude:
                continue
            if type(obj) is dict:
                visit_dict(obj, rc - bias, GC_TRACKED, stack)
            else:
                visit(obj, rc - bias, GC_TRACKED, stack)
            # Untracked finds wait until there are enough to record in bulk (see _drain).
            if len(stack) >= _DRAIN_AT or self.big_pending:
                drain(stack)
        obj = None
        # Frames on thread stacks are not gc-tracked on 3.11+; reach them explicitly.
        is_tracked = self.is_tracked
        for frame in self.frame_objs:
            if not is_tracked(frame) and self._mark(id(frame)):
                stack.append(frame)
        frame = None
        for tp in self.static_types:
            if not is_tracked(tp) and self._mark(id(tp)):
                stack.append(tp)
        tp = None
        drain(stack)
        self.w.flush()

    def _mark_listed(self, objs):
        """Frozen mode: mark the listed objects and the dumper's own, so references reach only
        the others (frozen objects, untracked ones)."""
        mark = self._mark
        for obj in objs:
            mark(id(obj))
        obj = None
        for oid in self.exclude:
            mark(oid)

    def _drain(self, stack):
        """Record the untracked objects found so far; strings (most of them) inline, for speed."""
        getrefcount, getsizeof = sys.getrefcount, sys.getsizeof
        visit, w, held = self._visit, self.w, self.held
        bias = self.bias_untracked
        fast_str = not self.redact
        trace, allocation = self.trace, self._allocation
        new_string = w.new_string
        o_addr = w.o_addr
        add_addr, add_size, add_type = o_addr.append, w.o_size.append, w.o_type.append
        add_label, add_rc, add_len = w.o_label.append, w.o_refcnt.append, w.o_len.append
        add_ne, add_flags = w.o_nedges.append, w.o_flags.append
        str_tid = self._type_info(str)[0] if id(str) not in self.tcache else self.tcache[id(str)][0]
        immortal_min = _IMMORTAL_MIN if _IMMORTAL_MIN is not None else 1 << 62
        tcache, string = self.tcache, w.string
        float_repr, int_repr = float.__repr__, int.__repr__
        int_max = _INT_LABEL_BOUND  # beyond it, value_label's "…(N bits)" label
        is_immortal = _is_immortal
        batched = fast_str and trace is None
        frozen, is_tracked = self.frozen_mode, gc.is_tracked  # frozen objects are tracked
        floor = 0  # the stack below this was batched already: what is left there is not a value
        while stack or self._refill(stack):
            if batched and len(stack) >= floor + _BATCH_MIN:
                self._record_values(stack, min(len(stack) - floor, CHUNK))
                floor = len(stack)
                if not stack:
                    continue
            obj = stack.pop()
            if len(stack) < floor:
                floor = len(stack)
            rc = getrefcount(obj)
            tp = type(obj)
            if tp is str and fast_str:
                n = len(obj)
                if n > LABEL_MAX:
                    label = new_string(obj[:LABEL_MAX])
                    flags = LABEL_TRUNCATED
                else:
                    label = new_string(obj)
                    flags = 0
                tid = str_tid
            elif tp is int and -int_max < obj < int_max:  # (AST line numbers, counters, ids)
                n = NONE32
                label = string(int_repr(obj))
                flags = 0
                tinfo = tcache.get(id(int))
                tid = tinfo[0] if tinfo is not None else self._type_info(int)[0]
            elif tp is float:
                n = NONE32
                label = string(float_repr(obj))
                flags = 0
                tinfo = tcache.get(id(float))
                tid = tinfo[0] if tinfo is not None else self._type_info(float)[0]
            else:
                visit(obj, rc - bias, GC_TRACKED if frozen and is_tracked(obj) else 0, stack)
                continue
            rc -= bias
            oid = id(obj)
            if oid in held:
                rc -= held[oid]
            add_addr(oid)
            add_size(getsizeof(obj))
            add_type(tid)
            add_label(label)
            if rc >= immortal_min if is_immortal is None else is_immortal(obj):
                flags |= IMMORTAL
            add_rc(rc if 0 <= rc <= U32_MAX else (0 if rc < 0 else U32_MAX))
            add_len(n if n <= U32_MAX else U32_MAX)
            add_ne(0)
            add_flags(flags)
            if trace is not None and not flags & IMMORTAL:
                allocation(obj, oid)
            if len(o_addr) >= CHUNK:
                w.flush()
        obj = None

    def _record_values(self, stack, limit):
        """Record the strs, ints and floats among the top `limit` of the stack in bulk (see
        _values); the other objects go back on the stack."""
        parts = _values.split(stack, limit)
        w = self.w
        common = (self.bias_values, self.held,
                  _IMMORTAL_MIN if _IMMORTAL_MIN is not None else 1 << 62, _is_immortal)
        strs = parts.pop(_values._STR, None)
        if strs is not None:
            _values.write(w, strs, self._tid(str), _values.str_labels(strs),
                          list(map(len, strs)), *common)
        strs = None
        ints = parts.pop(_values._INT, None)
        if ints is not None:
            huge = _values.take_huge(ints, _INT_LABEL_BOUND)
            if huge:  # labelled "…(N bits)" by value_label: the per-object path
                stack.extend(huge)
            huge = None
            _values.write(w, ints, self._tid(int), _values.repr_labels(ints, int.__repr__),
                          None, *common)
        ints = None
        floats = parts.pop(_values._FLOAT, None)
        if floats is not None:
            _values.write(w, floats, self._tid(float),
                          _values.repr_labels(floats, float.__repr__), None, *common)
        floats = None
        if len(w.o_addr) >= CHUNK:
            w.flush()

    def _tid(self, tp):
        tinfo = self.tcache.get(id(tp))
        return (tinfo if tinfo is not None else self._type_info(tp))[0]

    # -- one object ------------------------------------------------------------------------

    def _visit_dict(self, obj, rc, flags, stack):
        """_visit for an exact dict, the commonest container: the same record in fewer steps
        (no label, no Python __sizeof__, no managed storage; `foreign` holds frames only)."""
        oid = id(obj)
        held = self.held
        if held and oid in held:
            rc -= held[oid]
        if _IMMORTAL_MIN is not None and (rc >= _IMMORTAL_MIN if _is_immortal is None
                                          else _is_immortal(obj)):
            flags |= IMMORTAL
        if self.garbage and oid in self.garbage:
            flags |= CYCLIC_GARBAGE
        size = _getsizeof(obj)
        length = dict.__len__(obj)
        if _SPLIT_DICTS and size <= _layout.SPLIT_DICT_MAX:
            try:
                size += _layout.split_dict_extra(obj)
            except Exception:
                pass
        add = self._add
        add[0](oid)
        add[1](size)
        add[2](self.dict_tid)
        add[3](NONE32)
        add[4](rc if 0 <= rc <= U32_MAX else (0 if rc < 0 else U32_MAX))
        add[5](length if length <= U32_MAX else U32_MAX)
        if _BIG_SEQ < length:
            add[6](2 * length)
            add[7](flags)
            self._big_unordered(obj, K_DICT, length)
        else:
            try:
                nedges = self._dict_edges(obj, stack)
            except RuntimeError:  # "changed size during iteration": another thread mutated it
                nedges = self._edges_after_race
                flags |= EDGES_INCOMPLETE
                self.n_incomplete += 1
            add[6](nedges)
            add[7](flags)
        if self.trace is not None and not flags & IMMORTAL:
            self._allocation(obj, oid)
        w = self.w
        if len(w.o_addr) >= CHUNK or len(w.e_target) >= 2 * CHUNK:
            w.flush()

    def _visit(self, obj, rc, flags, stack):
        w = self.w
        tp = type(obj)
        tinfo = self.tcache.get(id(tp))
        if tinfo is None:
            tinfo = self._type_info(tp)
        oid = id(obj)
        if self.held and oid in self.held:
            rc -= self.held[oid]
        if _IMMORTAL_MIN is not None and (rc >= _IMMORTAL_MIN if _is_immortal is None
                                          else _is_immortal(obj)):
            flags |= IMMORTAL
        if self.garbage and oid in self.garbage:
            flags |= CYCLIC_GARBAGE
        if self.foreign and oid in self.foreign:
            return self._visit_foreign(obj, oid, rc, flags, tinfo)
        try:
            sizer = self.c_sizeof.get(id(tp)) if self.c_sizeof else None
            size = sys.getsizeof(obj) if sizer is None else sizer(obj)
            if not 0 <= size <= SIZE_MAX:  # the format cannot hold it (FORMAT.md: < 2^53)
                raise OverflowError
        except Exception:
            size = _names.basic_size(tp)
            flags |= SIZE_ERROR
        kind = tinfo[1]
        label = NONE32
        length = NONE32
        if kind == K_STR or kind == K_ATOM:
            label, flags = self._value_label(obj, tp, flags)
        elif tinfo[3] is not None:
            text = tinfo[3](obj, tp)
            if text is not None:
                label = w.string(text)
        if tinfo[2] is not None:
            try:
                length = tinfo[2](obj)
            except Exception:
                pass
        if tinfo[5] is not None:  # 3.11+: attribute storage sys.getsizeof leaves out
            size = self._managed(obj, size, tinfo[5])
            if flags & SIZE_ERROR:  # FORMAT.md: the size is then the type's basic size alone
                size = _names.basic_size(tp)
        elif kind == K_DICT and _SPLIT_DICTS and size <= _layout.SPLIT_DICT_MAX and tp is dict:
            try:
                size += _layout.split_dict_extra(obj)
            except Exception:
                pass
        others = None
        if kind == K_GENERIC and _BIG_SEQ < length != NONE32:
            # A huge subclass of dict, list, tuple, set or frozenset: its items are streamed.
            try:
                if tinfo[2] is _DICT_LEN:
                    others = self._dict_subclass_others(obj)
                elif id(tinfo[2]) in _ITEMS_LENS:
                    others = self._items_subclass_others(obj, tp)
            except Exception:
                others = None
        add = self._add
        add[0](oid)
        add[1](size)
        add[2](tinfo[0])
        add[3](label)
        add[4](rc if 0 <= rc <= U32_MAX else (0 if rc < 0 else U32_MAX))
        add[5](length if length <= U32_MAX else U32_MAX)
        nedges = 0
        if others is not None:  # a huge subclass of a container: its items streamed
            is_dict = tinfo[2] is _DICT_LEN
            named = (_emit._dict_subclass_attrs(obj, tp) if is_dict else []) + [
                (tp, INTERNAL, "__class__")]
            if self.managed_dict is not None:  # as _edges: the instance dict stands for its values
                others, mdict = _emit._with_managed_dict(others, self.managed_dict)
                if mdict is not None:
                    named.insert(0, (mdict, INTERNAL, "__dict__"))
                mdict = None
            nedges = self._named_edges(others, named, stack, False)
            others = named = None
            add[6](nedges + (2 * length if is_dict else length))
            add[7](flags)
            if is_dict:
                self._big_unordered(obj, K_DICT, length)
            elif issubclass(tp, _SEQ_BASES):
                self._big_sequence(obj, tp, length)
            else:
                self._big_unordered(obj, K_SET, length)
        elif kind == K_SEQ and _BIG_SEQ < length != NONE32 and oid not in self.garbage_list_owner \
                and oid not in self.closure_names:
            add[6](length)
            add[7](flags)
            self._big_sequence(obj, tp, length)
        elif (kind == K_DICT or kind == K_SET) and _BIG_SEQ < length != NONE32:
            add[6](2 * length if kind == K_DICT else length)
            add[7](flags)
            self._big_unordered(obj, kind, length)
        elif kind != K_STR and kind != K_ATOM:
            try:
                nedges = self._edges(obj, kind, tinfo, stack)
            except RuntimeError:  # "changed size during iteration": another thread mutated it
                nedges = self._edges_after_race
                flags |= EDGES_INCOMPLETE
                self.n_incomplete += 1
            add[6](nedges)
            add[7](flags)
        else:
            add[6](0)
            add[7](flags)
        self.managed_dict = None  # a reference kept past this object would inflate the dict's count
        if self.trace is not None and not flags & IMMORTAL:  # static objects were never traced
            self._allocation(obj, oid)
        if len(w.o_addr) >= CHUNK or len(w.e_target) >= 2 * CHUNK:
            w.flush()

    def _allocation(self, obj, oid):
        try:
            raw = self.trace(obj)
        except Exception:
            return
        if raw is None:
            return
        # Interned by the raw tuple (hashable, compared by value): no per-object Frame objects
        # or formatting, and only a traceback seen for the first time is copied.
        tb_id = self.tb_ids.get(raw)
        if tb_id is None:
            key = tuple((_copy_str(filename), lineno) for filename, lineno in raw)
            tb_id = self.tb_ids[key] = len(self.tb_ids)
        self.aloc_addr.append(oid)
        self.aloc_tb.append(tb_id)

    def _visit_foreign(self, obj, oid, rc, flags, tinfo):
        """Fork child: a frame of a thread that no longer exists; use what the parent captured."""
        w = self.w
        edges, label = self.foreign[oid]
        w.o_addr.append(oid)
        w.o_size.append(_names.basic_size(type(obj)))
        w.o_type.append(tinfo[0])
        w.o_label.append(w.string(label))
        w.o_refcnt.append(min(max(rc, 0), U32_MAX))
        w.o_len.append(NONE32)
        for target, kind, name in edges:
            w.e_target.append(target)
            w.e_name.append(w.string(name))
            w.e_kind.append(kind)
        w.o_nedges.append(len(edges))
        w.o_flags.append(flags | SIZE_ERROR)
        w.maybe_flush()

    def _value_label(self, obj, tp, flags):
        w = self.w
        if tp is str and self.redact:
            return NONE32, flags | REDACTED
        text, cut = _names.value_label(obj, tp)
        if text is None:
            return NONE32, flags
        if cut:
            flags |= LABEL_TRUNCATED
        if tp is str and len(text) > 16:
            return w.new_string(text), flags  # one-off values: do not grow the intern table
        return w.string(text), flags

    # -- per type --------------------------------------------------------------------------

    def _type_info(self, tp):
        """[type id, kind, len function, labeller, extra] for a type, cached by id, not reference."""
        tid = self.w.add_type(id(tp), _names.type_name(tp))
        lenf = None
        for base in _LEN_BASES:
            if issubclass(tp, base):
                lenf = base.__len__
                break
        if tp is str:
            kind, extra, labeller = K_STR, None, None
        elif id(tp) in _ATOM_IDS:
            kind, extra, labeller = K_ATOM, None, None
        elif tp is dict:
            kind, extra, labeller = K_DICT, None, None
        elif tp is list or tp is tuple:
            kind, extra, labeller = K_SEQ, None, None
        elif tp is set or tp is frozenset:
            kind, extra, labeller = K_SET, None, None
        elif id(tp) in _NAMERS_BY_ID or issubclass(tp, type):
            kind, extra, labeller = K_NAMED, _NAMERS_BY_ID.get(id(tp), _edges.name_type), \
                _label_named
        elif _names.is_heap_type(tp) and not issubclass(tp, _LEN_BASES):
            kind, extra, labeller = K_INST, self._layout(tp), _instance_labeller(tp)
        else:
            kind, extra, labeller = K_GENERIC, None, None
        managed = _managed_layout(tp)
        info = [tid, kind, lenf, labeller, extra, managed]
        sizer = _names.c_sizeof(tp)
        if sizer is not None:  # a Python __sizeof__ in the MRO: never call it
            self.c_sizeof[id(tp)] = sizer
            self.held[id(sizer)] = self.held.get(id(sizer), 0) + 1
        self.tcache[id(tp)] = info
        held = self.held
        for value in (lenf, labeller, extra if kind == K_NAMED else None,
                      managed[2].__self__ if managed and managed[2] else None):
            if value is not None:  # the cache references these: not the process's references
                held[id(value)] = held.get(id(value), 0) + 1
        return info

    def _layout(self, tp):
        managed = bool(_names.type_flags(tp) & _names.MANAGED_DICT)
        names, slots = _names.class_layout(tp)
        if not managed:
            names = ()  # attributes live in a real __dict__ object: edges go through it
        slot_getters = [(_copy_str(n), d.__get__) for n, d in slots.items()]
        for n, d in slots.items():
            self.held[id(d)] = self.held.get(id(d), 0) + 1  # the bound __get__ keeps d alive
        dict_get = None
        if _names.dict_offset(tp) and not managed:
            dict_get = _dict_getter(tp)
            if dict_get is not None:
                desc = dict_get.__self__
                self.held[id(desc)] = self.held.get(id(desc), 0) + 1
        names = tuple(_copy_str(n) for n in names)
        plain = None
        special = issubclass(tp, _SPECIAL_BASES)  # _base_names has more to name for these
        if managed and not slot_getters and dict_get is None and not special:
            plain = tuple((n, self.w.string(n)) for n in names)
        # A class whose only references are its __dict__ and its type (most classes before
        # 3.11, C types with a dict offset such as ast nodes): named without the generic matcher.
        dict_only = not managed and not slot_getters and dict_get is not None and not special
        return (names, slot_getters, dict_get, managed, plain, dict_only)

    def _managed(self, obj, size, layout):
        """Size plus the attribute storage; sets `managed_dict` to (dict address, shared dict).

        The shared dict is fetched only on 3.13 and only when its pointer is set: then the C
        `__dict__` getter returns the existing dict and cannot create one.
        """
        self.managed_dict = None
        try:
            extra, address, shared = _layout.managed_state(obj, layout[0], layout[1])
        except Exception:
            return size
        shared_dict = None
        if address and shared and layout[2] is not None:
            try:
                shared_dict = layout[2](obj)
            except Exception:
                shared_dict = None
            if id(shared_dict) != address:
                shared_dict = None
            elif type(shared_dict) is dict:
                # sys.getsizeof(dict) already counts the pointers of the values it shares.
                extra = max(0, extra - (dict.__sizeof__(shared_dict) - _DICT_BASICSIZE))
        if address:
            self.managed_dict = (address, shared_dict)
        return size + extra


_DICT_BASICSIZE = dict.__basicsize__
_DICT_LEN = dict.__len__
# The len functions (by id: no __eq__ runs) of the bases whose subclasses' items stream.
_ITEMS_LENS = frozenset(map(id, (list.__len__, tuple.__len__, set.__len__, frozenset.__len__)))
# Bases whose instances _base_names names more of (weakref targets, items, exception parts).
_SPECIAL_BASES = (BaseException, weakref.ref, dict, list, tuple, set, frozenset) + (
    (_collections_deque,) if _collections_deque else ())
_SPLIT_DICTS = _layout.available
# Always False, for any object, and runs nothing of it (an empty tuple compares with nothing).
_never = ().__contains__


def _managed_layout(tp):
    """(tp_flags, tp_basicsize, C `__dict__` getter or None) when `_layout` can read `tp`'s
    instances; None otherwise (no managed dict, or an interpreter whose layout is unknown)."""
    if not _layout.available:
        return None
    flags = _names.type_flags(tp)
    if not flags & _layout.MANAGED_DICT:
        return None
    try:
        basicsize = type.__dict__["__basicsize__"].__get__(tp)
    except Exception:
        return None
    getter = None
    if flags & _layout.INLINE_VALUES:
        getter = _dict_getter(tp)
    return (flags, basicsize, getter)


def _dict_getter(tp):
    """The `__dict__` getset of a pre-3.11 class (returns the existing dict; makes one if none)."""
    for klass in _names._TYPE_MRO(tp) or ():
        desc = dict.get(_names._type_dict_of(klass), "__dict__")
        if type(desc) is types.GetSetDescriptorType:
            return desc.__get__
    return None


def _label_named(obj, tp):
    return _names.other_label(obj, tp)


def _instance_labeller(tp):
    """Threads are labelled by name (read from the attribute, never the `name` property)."""
    threading = sys.modules.get("threading")
    if threading is not None and issubclass(tp, threading.Thread):
        return _label_thread
    return None


def _label_thread(obj, tp):
    return _names.exact_str(_names.plain_attr(obj, "_name"))
