"""The heap walk: every gc-tracked object, then what it reaches that the GC does not track.

Record layout while walking (one row per object, appended to the writer's columns):
    address, size, type id, label id, refcount (minus the dumper's own references), length,
    edge count, flags
then that object's edges (target address, name, kind). Nothing here keeps a reference to a heap
object after moving on: the seen-bitmap and caches hold ints (`id()`s) and private strings, so the
refcounts the walk reads are not inflated by its own bookkeeping.
"""

import gc
import sys
import types

from . import _edges, _names
from ._format import CHUNK, _copy_str
from ._names import LABEL_MAX
from ._format import (ATTR, DICT_KEY, DICT_VALUE, EDGES_INCOMPLETE, GC_TRACKED, IMMORTAL, INDEX,
                      INTERNAL, LABEL_TRUNCATED, LOCAL, NONE32, OTHER, REDACTED, SET_MEMBER,
                      SIZE_ERROR, U32_MAX, CYCLIC_GARBAGE)

# Kinds of handling, chosen once per type.
K_ATOM, K_STR, K_DICT, K_SEQ, K_SET, K_INST, K_NAMED, K_GENERIC = range(8)
_ATOMS = (int, float, complex, bool, bytes, type(None), type(Ellipsis), type(NotImplemented))
_SEQ_BASES = (list, tuple)
_LEN_BASES = (str, bytes, bytearray, list, tuple, dict, set, frozenset)
_IMMORTAL_MIN = 1 << 31 if sys.version_info >= (3, 12) else None
_is_immortal = getattr(sys, "_is_immortal", None)


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


class Walker:
    def __init__(self, writer, options, ctx):
        self.w = writer
        self.redact = options.get("redact_strings", False)
        self.exclude = ctx.exclude            # ids of the dumper's own objects
        self.held = ctx.held                  # id -> references the dumper holds beyond the loop
        self.live_frames = ctx.live_frames    # ids of frames on some thread's stack
        self.foreign = ctx.foreign            # fork child: id(frame) -> pre-captured edges
        self.frame_objs = ctx.frame_objs
        self.cell_names = ctx.cell_names      # id(cell) -> free variable name
        self.closure_names = ctx.closure_names  # id(closure tuple) -> co_freevars
        self.garbage = ctx.garbage            # ids flagged CYCLIC_GARBAGE
        self.garbage_list_len = ctx.garbage_list_len
        self.garbage_list_owner = ctx.garbage_list_owner  # {id(gc.garbage)} while we borrow it
        self.tcache = {}                      # id(type) -> [type id, kind, extra]
        self.key_names = {}                   # copy of a str dict key -> its edge name id
        # Untracked objects already recorded, as a bitmap per 1 MiB of address space (one bit per
        # 8 bytes): ~16 KiB per MiB touched, instead of ~70 bytes per object for a set of ids.
        self.pages = {}
        self.n_incomplete = 0
        self.bias_tracked, self.bias_untracked = calibrate()
        self.trace = None
        if options.get("tracemalloc"):
            import array
            import tracemalloc

            self.trace = tracemalloc.get_object_traceback
            self.tb_ids = {}  # ((filename, lineno), ...) -> traceback id
            self.aloc_addr, self.aloc_tb = array.array("Q"), array.array("I")

    # -- driver ----------------------------------------------------------------------------

    def run(self, objs):
        getrefcount = sys.getrefcount
        exclude = self.exclude
        visit, drain = self._visit, self._drain
        bias = self.bias_tracked
        stack = []
        for obj in objs:
            rc = getrefcount(obj)
            if id(obj) in exclude:
                continue
            visit(obj, rc - bias, GC_TRACKED, stack)
            if stack:
                drain(stack)
        obj = None
        # Frames on thread stacks are not gc-tracked on 3.11+; reach them explicitly.
        is_tracked = gc.is_tracked
        for frame in self.frame_objs:
            if not is_tracked(frame) and self._mark(id(frame)):
                stack.append(frame)
        frame = None
        drain(stack)
        self.w.flush()

    def _drain(self, stack):
        """Record the untracked objects found so far; strings (most of them) inline, for speed."""
        getrefcount, getsizeof = sys.getrefcount, sys.getsizeof
        visit, w, held = self._visit, self.w, self.held
        bias = self.bias_untracked
        fast_str = self.trace is None and not self.redact
        new_string = w.new_string
        o_addr = w.o_addr
        add_addr, add_size, add_type = o_addr.append, w.o_size.append, w.o_type.append
        add_label, add_rc, add_len = w.o_label.append, w.o_refcnt.append, w.o_len.append
        add_ne, add_flags = w.o_nedges.append, w.o_flags.append
        str_tid = self._type_info(str)[0] if id(str) not in self.tcache else self.tcache[id(str)][0]
        immortal_min = _IMMORTAL_MIN if _IMMORTAL_MIN is not None and _is_immortal is None \
            else 1 << 62
        while stack:
            obj = stack.pop()
            rc = getrefcount(obj)
            if type(obj) is not str or not fast_str:
                visit(obj, rc - bias, 0, stack)
                continue
            rc -= bias
            oid = id(obj)
            if oid in held:
                rc -= held[oid]
            n = len(obj)
            add_addr(oid)
            add_size(getsizeof(obj))
            add_type(str_tid)
            if n > LABEL_MAX:
                add_label(new_string(obj[:LABEL_MAX]))
                flags = LABEL_TRUNCATED
            else:
                add_label(new_string(obj))
                flags = 0
            if rc >= immortal_min:
                flags |= IMMORTAL
            add_rc(rc if 0 <= rc <= U32_MAX else (0 if rc < 0 else U32_MAX))
            add_len(n if n <= U32_MAX else U32_MAX)
            add_ne(0)
            add_flags(flags)
            if len(o_addr) >= CHUNK:
                w.flush()
        obj = None

    # -- one object ------------------------------------------------------------------------

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
            size = sys.getsizeof(obj)
        except Exception:
            size = tp.__basicsize__ if isinstance(tp.__basicsize__, int) else 0
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
        w.o_addr.append(oid)
        w.o_size.append(size if size >= 0 else 0)
        w.o_type.append(tinfo[0])
        w.o_label.append(label)
        w.o_refcnt.append(rc if 0 <= rc <= U32_MAX else (0 if rc < 0 else U32_MAX))
        w.o_len.append(length if length <= U32_MAX else U32_MAX)
        nedges = 0
        if kind != K_STR and kind != K_ATOM:
            try:
                nedges = self._edges(obj, kind, tinfo, stack)
            except RuntimeError:  # "changed size during iteration": another thread mutated it
                nedges = self._edges_after_race
                flags |= EDGES_INCOMPLETE
                self.n_incomplete += 1
        w.o_nedges.append(nedges)
        w.o_flags.append(flags)
        if self.trace is not None:
            self._allocation(obj, oid)
        w.maybe_flush()

    def _allocation(self, obj, oid):
        try:
            tb = self.trace(obj)
        except Exception:
            return
        if tb is None:
            return
        key = tuple((_copy_str(fr.filename), fr.lineno) for fr in tb)
        tb_id = self.tb_ids.get(key)
        if tb_id is None:
            tb_id = self.tb_ids[key] = len(self.tb_ids)
        self.aloc_addr.append(oid)
        self.aloc_tb.append(tb_id)

    def _visit_foreign(self, obj, oid, rc, flags, tinfo):
        """Fork child: a frame of a thread that no longer exists; use what the parent captured."""
        w = self.w
        edges, label = self.foreign[oid]
        w.o_addr.append(oid)
        w.o_size.append(type(obj).__basicsize__)
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

    # -- edges -----------------------------------------------------------------------------

    def _edges(self, obj, kind, tinfo, stack):
        """Emit obj's edges; push untracked, unseen targets. Returns the edge count."""
        w = self.w
        self._edges_after_race = 0
        if kind == K_DICT and type(obj) is dict:
            return self._dict_edges(obj, stack)
        if kind == K_SEQ and type(obj) in _SEQ_BASES:
            # Not gc.get_referents: list and tuple traverse their items last to first.
            refs = list.copy(obj) if type(obj) is list else obj
            names = self.closure_names.get(id(obj)) if type(obj) is tuple else None
            if names is not None:
                return self._named_edges(refs, _edges.name_closure_tuple(obj, names), stack, False)
            if type(obj) is list and id(obj) in self.garbage_list_owner:
                refs = refs[:self.garbage_list_len]  # our DEBUG_SAVEALL additions are not the process's
            e_t, e_n, e_k = w.e_target, w.e_name, w.e_kind
            i = 0
            for ref in refs:
                e_t.append(id(ref))
                e_n.append(i & U32_MAX)
                e_k.append(INDEX)
                i += 1
            self._push(refs, stack)
            return i
        refs = gc.get_referents(obj)
        if kind == K_SET and type(obj) in (set, frozenset):
            e_t, e_n, e_k = w.e_target, w.e_name, w.e_kind
            for ref in refs:
                e_t.append(id(ref))
                e_n.append(NONE32)
                e_k.append(5)
            self._push(refs, stack)
            return len(refs)
        named = self._named_for(obj, kind, tinfo, refs)
        if not refs and named and not gc.is_tracked(obj):
            # No tp_traverse (code objects, static types): the named slots are the references.
            refs = [target for target, kind, name in named if kind != 9]
        live = kind == K_NAMED and type(obj) is types.FrameType and id(obj) in self.live_frames
        return self._named_edges(refs, named, stack, live)

    def _dict_edges(self, d, stack):
        # The dict's own traverse omits str keys (they cannot form cycles), so walk the items:
        # each key is a real reference and must be counted and found.
        w = self.w
        add_t, add_n, add_k = w.e_target.append, w.e_name.append, w.e_kind.append
        key_names = self.key_names
        is_tracked, mark = gc.is_tracked, self._mark
        append = stack.append
        n = 0
        for key, value in dict.items(d):
            name = key_names.get(key) if type(key) is str else None
            if name is None:
                name = self._key_name(key)
            kid, vid = id(key), id(value)
            add_t(kid)
            add_n(name)
            add_k(DICT_KEY)
            add_t(vid)
            add_n(name)
            add_k(DICT_VALUE)
            n += 2
            self._edges_after_race = n
            if not is_tracked(key) and mark(kid):
                append(key)
            if not is_tracked(value) and mark(vid):
                append(value)
        return n

    def _key_name(self, key):
        """String id of a dict key's edge name; str keys cached by value (a private copy)."""
        label = _names.key_label(key)
        if type(key) is not str:
            return self.w.string(label)
        name = self.w.new_string(label)
        if len(self.key_names) >= 1 << 14:
            self.key_names.clear()
        self.key_names[_copy_str(key)] = name
        return name

    def _named_for(self, obj, kind, tinfo, refs):
        if kind == K_INST:
            return self._instance_names(obj, tinfo, refs)
        if kind == K_NAMED:
            try:
                return tinfo[4](obj, self)
            except RuntimeError:
                raise
            except Exception:
                return []
        return self._base_names(obj, type(obj))

    def _base_names(self, obj, tp):
        """Subclasses of builtins and C types we have no namer for."""
        named = []
        try:
            if isinstance(obj, dict):
                for key, value in dict.items(obj):
                    label = _names.key_label(key)
                    named.append((key, DICT_KEY, label))
                    named.append((value, DICT_VALUE, label))
            elif isinstance(obj, (list, tuple)):
                for i, item in enumerate(list.__iter__(obj) if isinstance(obj, list) else
                                         tuple.__iter__(obj)):
                    named.append((item, INDEX, i))
            elif isinstance(obj, (set, frozenset)):
                for item in set.__iter__(obj) if isinstance(obj, set) else frozenset.__iter__(obj):
                    named.append((item, SET_MEMBER, None))
            elif isinstance(obj, BaseException):
                named.extend(_edges.name_exception(obj, self))
            elif _collections_deque is not None and isinstance(obj, _collections_deque):
                for i, item in enumerate(_collections_deque.__iter__(obj)):
                    named.append((item, INDEX, i))
        except RuntimeError:
            raise
        except Exception:
            pass
        named.append((tp, INTERNAL, "__class__"))
        return named

    def _instance_names(self, obj, tinfo, refs):
        """Instances of Python classes: slots, inline (managed-dict) attributes, `__dict__`."""
        tp = type(obj)
        names, slots, dict_get, managed = tinfo[4]
        named = _edges.name_slots(obj, slots) if slots else []
        getattribute = object.__getattribute__
        attrs = []
        for name in names:
            try:
                value = getattribute(obj, name)
            except Exception:
                continue
            attrs.append((value, ATTR, name))
        has_dict = False
        for ref in refs:
            if type(ref) is dict:
                has_dict = True
                break
        if has_dict and dict_get is not None:
            # Pre-3.11 layout: a dict referent means the __dict__ exists, so the getter only reads it.
            try:
                named.append((dict_get(obj), INTERNAL, "__dict__"))
            except Exception:
                pass
        elif has_dict and managed and attrs:
            self._find_managed_dict(refs, attrs, named)
        named.extend(attrs)
        named.extend(self._base_names(obj, tp))  # __class__, and deque/exception parts
        return named

    @staticmethod
    def _find_managed_dict(refs, attrs, named):
        """3.11+: a materialized instance dict replaces the inline values among the referents.

        We never read `__dict__` (that would materialize one); a dict referent holding the very
        objects the attribute reads returned is the instance dict.
        """
        ref_ids = {id(r) for r in refs}
        for value, _, _ in attrs:
            if id(value) in ref_ids:
                return  # values are inline; any dict referent is an attribute value
        for ref in refs:
            if type(ref) is dict:
                for value, _, name in attrs:
                    if dict.get(ref, name, ref) is value:
                        named.append((ref, INTERNAL, "__dict__"))
                        return

    def _named_edges(self, refs, named, stack, live):
        """Match named candidates to referents by identity; the rest stay OTHER."""
        w = self.w
        string = w.string
        e_t, e_n, e_k = w.e_target, w.e_name, w.e_kind
        by_id = {}
        for target, kind, name in named:
            by_id.setdefault(id(target), []).append((kind, name))
        n = 0
        for ref in refs:
            entries = by_id.get(id(ref))
            if entries:
                kind, name = entries.pop(0)
            else:
                kind, name = OTHER, None
            e_t.append(id(ref))
            e_n.append(name & U32_MAX if kind == INDEX else (NONE32 if name is None else string(name)))
            e_k.append(kind)
            n += 1
        extra = []
        for target, kind, name in named:
            # Not a referent but a real reference: the GC does not see a weakref's target, nor a
            # running frame's locals (3.11+), yet a user needs those edges.
            if kind == 9 or (live and (kind == LOCAL or name == "f_locals")):
                entries = by_id.get(id(target))
                if entries and (kind, name) in entries:
                    entries.remove((kind, name))
                    e_t.append(id(target))
                    e_n.append(NONE32 if name is None else string(name))
                    e_k.append(kind)
                    n += 1
                    if kind != 9:
                        extra.append(target)
        self._push(refs, stack)
        if extra:
            self._push(extra, stack)
        return n

    def _push(self, refs, stack):
        pages, exclude = self.pages, self.exclude
        is_tracked = gc.is_tracked
        for ref in refs:
            if not is_tracked(ref):
                rid = id(ref)
                page = pages.get(rid >> 20)
                if page is None:
                    page = pages[rid >> 20] = bytearray(16384)
                bit = (rid >> 3) & 0x1FFFF
                mask = 1 << (bit & 7)
                if not page[bit >> 3] & mask and rid not in exclude:
                    page[bit >> 3] |= mask
                    stack.append(ref)

    def _push_one(self, ref, stack):
        if not gc.is_tracked(ref) and self._mark(id(ref)):
            stack.append(ref)

    def _mark(self, rid):
        """Mark an untracked object's address as recorded; False if it already was."""
        page = self.pages.get(rid >> 20)
        if page is None:
            page = self.pages[rid >> 20] = bytearray(16384)
        bit = (rid >> 3) & 0x1FFFF
        mask = 1 << (bit & 7)
        if page[bit >> 3] & mask:
            return False
        page[bit >> 3] |= mask
        return True

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
        elif tp in _ATOMS:
            kind, extra, labeller = K_ATOM, None, None
        elif tp is dict:
            kind, extra, labeller = K_DICT, None, None
        elif tp is list or tp is tuple:
            kind, extra, labeller = K_SEQ, None, None
        elif tp is set or tp is frozenset:
            kind, extra, labeller = K_SET, None, None
        elif tp in _edges.NAMERS or issubclass(tp, type):
            kind, extra, labeller = K_NAMED, _edges.NAMERS.get(tp, _edges.name_type), _label_named
        elif _names.is_heap_type(tp) and not issubclass(tp, _LEN_BASES):
            kind, extra, labeller = K_INST, self._layout(tp), _label_instance
        else:
            kind, extra, labeller = K_GENERIC, None, None
        info = [tid, kind, lenf, labeller, extra]
        self.tcache[id(tp)] = info
        held = self.held
        for value in (lenf, labeller, extra if kind == K_NAMED else None):
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
        if tp.__dictoffset__ and not managed:
            dict_get = _dict_getter(tp)
            if dict_get is not None:
                desc = dict_get.__self__
                self.held[id(desc)] = self.held.get(id(desc), 0) + 1
        return (tuple(_copy_str(n) for n in names), slot_getters, dict_get, managed)


def _dict_getter(tp):
    """The `__dict__` getset of a pre-3.11 class (returns the existing dict; makes one if none)."""
    for klass in tp.__mro__:
        desc = klass.__dict__.get("__dict__")
        if type(desc) is types.GetSetDescriptorType:
            return desc.__get__
    return None


def _label_named(obj, tp):
    return _names.other_label(obj, tp)


def _label_instance(obj, tp):
    return None


try:
    from collections import deque as _collections_deque
except Exception:  # pragma: no cover
    _collections_deque = None
