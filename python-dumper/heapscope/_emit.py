"""Edge emission for one object: which references it holds and why (mixed into Walker).

Kept apart from the walk driver so each file stays one concept: `_walk.py` decides *which*
objects are recorded and reads their facts; this module writes their edges and pushes the
untracked objects it finds onto the walk's explicit stack.
"""

import gc
import sys
import types
import weakref
from itertools import chain, repeat
from operator import is_


from . import _edges, _names
from ._format import (ATTR, CHUNK, DICT_KEY, DICT_VALUE, EDGES_INCOMPLETE, INDEX, INTERNAL,
                      LOCAL, NONE32, OTHER, SET_MEMBER, U32_MAX, _copy_str)

# Kinds of handling, chosen once per type (see Walker._type_info).
K_ATOM, K_STR, K_DICT, K_SEQ, K_SET, K_INST, K_NAMED, K_GENERIC = range(8)
_SEQ_BASES = (list, tuple)

# Lists, tuples, sets and long dicts have their edges written a container at a time by C
# iterators (`array.extend(map(id, refs))`, kinds sliced from these patterns) instead of three
# appends per edge in bytecode. (For a dict of a few items the iterators' fixed cost is more than
# the loop: _BULK_DICT.)
_chain = chain.from_iterable
_KV_KINDS = bytes((DICT_KEY, DICT_VALUE)) * CHUNK
_INDEX_KINDS = bytes((INDEX,)) * (2 * CHUNK)
_SET_KINDS = bytes((SET_MEMBER,)) * (2 * CHUNK)
# Dicts this long have their edges written by _dict_edges_bulk.
_BULK_DICT = 24
# Ids of str dict keys recorded already (_dict_edges); cleared past this many (~4 MiB).
_KEY_IDS_MAX = 1 << 16


def _kinds(pattern, n):
    """The first n bytes of a repeating kind pattern (longer than the pattern when needed)."""
    if n <= len(pattern):
        return pattern[:n]
    return (pattern * (n // len(pattern) + 1))[:n]


try:
    from collections import deque as _collections_deque
except Exception:  # pragma: no cover
    _collections_deque = None
try:  # a C member: read through its descriptor, no user code
    from collections import defaultdict as _defaultdict
    _default_factory = _defaultdict.__dict__["default_factory"].__get__
except Exception:  # pragma: no cover
    _defaultdict = _default_factory = None


# 3.12's _asyncio lists its free list of future iterators among its module's referents: dead
# objects (refcount 0) that gc.get_referents would revive into its result list and free a second
# time, looping the free list (the target then hangs in its next collection). That module's
# references are read as its dict alone.
_FREED_IN_TRAVERSE = frozenset(("_asyncio",)) if sys.version_info[:2] == (3, 12) else frozenset()


def _referents(obj):
    """gc.get_referents(obj), except of a module whose traverse lists freed objects."""
    if _FREED_IN_TRAVERSE and type(obj) is types.ModuleType \
            and _names.module_name(obj) in _FREED_IN_TRAVERSE:
        try:
            namespace = _names._MODULE_DICT(obj)
        except Exception:
            return []
        return [namespace] if type(namespace) is dict else []
    return gc.get_referents(obj)


def _dict_subclass_attrs(obj, tp):
    """Named references of a dict subclass besides its items and class (C members only)."""
    if _default_factory is not None and issubclass(tp, _defaultdict):
        return [(_default_factory(obj), ATTR, "default_factory")]
    return []


def _with_managed_dict(refs, managed):
    """(referents with the instance dict in place of the values it shares, the dict or None).

    3.11/3.12 report a materialised dict among the referents. 3.13 reports the inline values
    instead while the dict shares them: one reference per value, owned by the instance's
    storage. The dict stands for them, so each value is reached once, through `__dict__`,
    as on every other version (an ATTR edge as well would count each value twice).
    """
    address, shared = managed
    for ref in refs:
        if id(ref) == address:
            return refs, ref
    if shared is None:
        return refs, None
    counts = {}
    for value in dict.values(shared):
        counts[id(value)] = counts.get(id(value), 0) + 1
    out = []
    for ref in refs:
        n = counts.get(id(ref))
        if n:
            counts[id(ref)] = n - 1
        else:
            out.append(ref)
    out.append(shared)
    return out, shared


class EdgeEmitter:
    """Methods of Walker that write edges; they use its writer `w`, caches and bitmap."""

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
            n = len(refs)
            w.e_target.extend(map(id, refs))
            w.e_name.extend(range(n))  # never past U32_MAX: longer ones stream (_big_sequence)
            w.e_kind.frombytes(_kinds(_INDEX_KINDS, n))
            self._push(refs, stack)
            return n
        refs = _referents(obj)
        if kind == K_NAMED and tinfo[4] is _edges.name_type:
            refs += _edges.untraversed_type_refs(obj)  # real references the GC does not report
        managed = self.managed_dict if tinfo[5] is not None else None
        if managed is not None:
            refs, mdict = _with_managed_dict(refs, managed)
        if kind == K_SET and type(obj) in (set, frozenset):
            n = len(refs)
            w.e_target.extend(map(id, refs))
            w.e_name.extend(repeat(NONE32, n))
            w.e_kind.frombytes(_kinds(_SET_KINDS, n))
            self._push(refs, stack)
            return n
        if kind == K_INST and tinfo[4][4] is not None:
            for ref in refs:
                if type(ref) is dict:
                    break
            else:
                return self._plain_instance_edges(obj, refs, tinfo[4][4], stack)
        elif kind == K_INST and tinfo[4][5]:
            return self._dict_instance_edges(obj, refs, tinfo[4][2], stack)
        named = self._named_for(obj, kind, tinfo, refs)
        if managed is not None and mdict is not None:
            named.insert(0, (mdict, INTERNAL, "__dict__"))
        if not refs and named and not gc.is_tracked(obj):
            # No tp_traverse (code objects, static types): the named slots are the references.
            refs = [target for target, kind, name in named if kind != 9]
        live = kind == K_NAMED and type(obj) is types.FrameType and id(obj) in self.live_frames
        return self._named_edges(refs, named, stack, live)

    def _big_sequence(self, seq, tp, n):
        """Edges of a huge list or tuple, a slice at a time: a copy of the whole ([None] * 10**7
        is 80 MB) plus its edge columns (130 MB more) would grow the dumper by ~205 MB.

        The object's record already says `n` edges. Slices are taken with the GIL held, but a
        chunk written between them may release it (past the deferral limit, or with no other
        thread deferral is off) and the list may shrink meanwhile: missing entries are written
        as edges to address 0, which readers drop and count as dangling. Untracked items are
        pushed later, a slice at a time, by _refill (the stack stays small too).
        """
        w = self.w
        getitem = list.__getitem__ if issubclass(tp, list) else tuple.__getitem__  # subclasses too
        e_t, e_n, e_k = w.e_target, w.e_name, w.e_kind
        for start in range(0, n, CHUNK):
            part = getitem(seq, slice(start, min(start + CHUNK, n)))
            i = start
            for ref in part:
                e_t.append(id(ref))
                e_n.append(i & U32_MAX)
                e_k.append(INDEX)
                i += 1
            part = None
            while i < min(start + CHUNK, n):
                e_t.append(0)
                e_n.append(i & U32_MAX)
                e_k.append(INDEX)
                i += 1
            if len(e_t) >= 2 * CHUNK:
                w.flush()
        self.big_pending.append([seq, 0])

    def _big_unordered(self, obj, kind, n):
        """Edges of a huge dict (a key and a value edge per item, named as _dict_edges names
        them), set or frozenset, a slice at a time: like _big_sequence, without a copy of the
        items or all the edge columns held until the object ends.

        One iterator walks it (unbound C methods: no user code). If a chunk written between
        slices released the GIL and another thread resized it, the iterator raises
        RuntimeError; the edges not listed are written to address 0 (the record already says
        how many), and EDGES_INCOMPLETE is set (and counted) if the record is not written out
        yet; readers count the edges to 0 as dangling either way.
        """
        w = self.w
        e_t, e_n, e_k = w.e_target, w.e_name, w.e_kind
        at, objects_before = len(w.o_flags) - 1, w.n_objects
        is_dict = kind == K_DICT
        total = 2 * n if is_dict else n
        key_names, key_name = self.key_names, self._key_name
        written = 0
        try:
            if is_dict:
                it = iter(dict.items(obj))
            else:  # subclasses too (_items_subclass_others)
                it = set.__iter__(obj) if issubclass(type(obj), set) else frozenset.__iter__(obj)
            while written < total:
                stop = min(written + 2 * CHUNK, total)
                if is_dict:
                    for key, value in it:
                        name = key_names.get(key) if type(key) is str else None
                        if name is None:
                            name = key_name(key)
                        e_t.append(id(key))
                        e_n.append(name)
                        e_k.append(DICT_KEY)
                        e_t.append(id(value))
                        e_n.append(name)
                        e_k.append(DICT_VALUE)
                        written += 2
                        if written >= stop:
                            break
                    else:
                        break
                else:
                    for item in it:
                        e_t.append(id(item))
                        e_n.append(NONE32)
                        e_k.append(SET_MEMBER)
                        written += 1
                        if written >= stop:
                            break
                    else:
                        break
                key = value = item = None
                if len(e_t) >= 2 * CHUNK:
                    w.flush()
        except RuntimeError:  # resized by another thread between slices
            pass
        key = value = item = it = None
        complete = written >= total
        while written < total:
            e_t.append(0)
            e_n.append(NONE32)
            e_k.append(OTHER)
            written += 1
        if not complete and w.n_objects == objects_before:
            w.o_flags[at] |= EDGES_INCOMPLETE
            self.n_incomplete += 1
        self.big_pending.append([obj, None])

    @staticmethod
    def _dict_subclass_others(obj):
        """A huge dict subclass's (a Counter's, a defaultdict's) referents other than its items,
        or None when they are not laid out as expected (then the per-item path names them).

        The per-item path builds a named entry per key and per value and a dict keyed by their
        ids: ~450 bytes an item, ~450 MB of the target's memory for a million-key Counter. Its
        items are streamed instead (_big_unordered); what else it references is told apart by
        identity in one scan: the dict's traverse lists the items in order, each as its value
        (str keys) or its value and then its key, in one run among the other referents.
        """
        refs = gc.get_referents(obj)
        end = len(refs)
        try:
            it = iter(dict.items(obj))
            key, value = next(it)
            start = 0
            while start < end and refs[start] is not value:
                start += 1
            i = start
            for key, value in chain(((key, value),), it):
                if i >= end or refs[i] is not value:
                    return None
                i += 2 if i + 1 < end and refs[i + 1] is key else 1
        except (StopIteration, RuntimeError):  # emptied or resized meanwhile
            return None
        return refs[:start] + refs[i:]

    @staticmethod
    def _items_subclass_others(obj, tp):
        """A huge list, tuple, set or frozenset subclass's referents other than its items, or
        None when they are not laid out as expected (then the per-item path names them).

        As _dict_subclass_others: the per-item path builds a named entry per item and a dict
        keyed by their ids. The base type's traverse lists the items in one run, after the
        subclass's own references (slots, `__dict__`, its type): a list's and a tuple's last
        to first, a set's in iteration order. The run is checked item by item, by identity.
        """
        refs = gc.get_referents(obj)
        if issubclass(tp, list):
            size, items, backwards = list.__len__, list.__iter__, list.__getitem__
        elif issubclass(tp, tuple):
            size, items, backwards = tuple.__len__, tuple.__iter__, tuple.__getitem__
        elif issubclass(tp, set):
            size, items, backwards = set.__len__, set.__iter__, None
        else:
            size, items, backwards = frozenset.__len__, frozenset.__iter__, None
        n, end = size(obj), len(refs)
        if not n or n > end:
            return None
        try:
            first = backwards(obj, n - 1) if backwards else next(items(obj))
            # Where CPython puts the run (the base type's traverse comes last); else its first
            # match.
            start = end - n
            if refs[start] is not first:
                start = 0
                while start < end - n and refs[start] is not first:
                    start += 1
            run = refs[start:start + n]
            if backwards:
                run.reverse()
            if len(run) != n or not all(map(is_, run, items(obj))) or size(obj) != n:
                return None
        except (IndexError, StopIteration, RuntimeError):  # emptied or resized meanwhile
            return None
        return refs[:start] + refs[start + n:]

    def _refill_unordered(self, entry):
        """The next slice of a huge dict's or set's items (keys and values), [] at the end."""
        obj, it = entry
        part = []
        try:
            is_dict = issubclass(type(obj), dict)  # subclasses too (_dict_subclass_others)
            if it is None:
                it = entry[1] = iter(dict.items(obj)) if is_dict else \
                    (set.__iter__(obj) if issubclass(type(obj), set) else frozenset.__iter__(obj))
            if is_dict:
                for key, value in it:
                    part.append(key)
                    part.append(value)
                    if len(part) >= CHUNK:
                        break
            else:
                for item in it:
                    part.append(item)
                    if len(part) >= CHUNK:
                        break
        except RuntimeError:  # resized meanwhile: what is left unrecorded is dangling
            entry[1] = iter(())
        return part

    def _refill(self, stack):
        """Push the next slice of a huge container's untracked items; False when none is left."""
        pending = self.big_pending
        while pending:
            entry = pending[-1]
            seq, start = entry
            tp = type(seq)
            if not issubclass(tp, _SEQ_BASES):  # (subclasses of list and tuple stream too)
                part = self._refill_unordered(entry)
                if not part:
                    pending.pop()
                    continue
                self._push(part, stack)
                part = None
                if stack:
                    return True
                continue
            part = (list.__getitem__ if issubclass(tp, list) else tuple.__getitem__)(
                seq, slice(start, start + CHUNK))
            entry[1] = start + CHUNK
            if not part:
                pending.pop()
                continue
            self._push(part, stack)
            if stack:
                return True
        return False

    def _dict_edges(self, d, stack):
        # The dict's own traverse omits str keys (they cannot form cycles), so walk the items:
        # each key is a real reference and must be counted and found.
        if dict.__len__(d) >= _BULK_DICT:
            return self._dict_edges_bulk(d, stack)
        w = self.w
        e_t = w.e_target
        add_t, add_n = e_t.append, w.e_name.append
        key_names, key_ids = self.key_names, self.key_ids
        is_tracked, pages = self.is_tracked, self.pages
        append = stack.append
        start = len(e_t)
        try:
            for key, value in dict.items(d):
                kid, vid = id(key), id(value)
                if type(key) is str:
                    name = key_names.get(key)
                    if name is None:
                        name = self._key_name(key)
                    # The same few key objects (attribute names) come back in dict after dict:
                    # a set answers "recorded already" in one step.
                    if kid not in key_ids:  # _mark inlined here and below: the hot path
                        key_ids.add(kid)
                        page = pages.get(kid >> 20)
                        if page is None:
                            page = pages[kid >> 20] = bytearray(16384)
                        bit = (kid >> 3) & 0x1FFFF
                        mask = 1 << (bit & 7)
                        if not page[bit >> 3] & mask:
                            page[bit >> 3] |= mask
                            append(key)
                else:  # (rare: the bitmap test as a call)
                    name = self._key_name(key)
                    if not is_tracked(key) and self._mark(kid):
                        append(key)
                add_t(kid)
                add_n(name)
                add_t(vid)
                add_n(name)
                if not is_tracked(value):
                    page = pages.get(vid >> 20)
                    if page is None:
                        page = pages[vid >> 20] = bytearray(16384)
                    bit = (vid >> 3) & 0x1FFFF
                    mask = 1 << (bit & 7)
                    if not page[bit >> 3] & mask:
                        page[bit >> 3] |= mask
                        append(value)
        finally:  # also when another thread resized it (RuntimeError): what was written is kept
            n = len(e_t) - start
            w.e_kind.frombytes(_kinds(_KV_KINDS, n))
            self._edges_after_race = n
        if len(key_ids) > _KEY_IDS_MAX:
            key_ids.clear()
        return n

    def _dict_edges_bulk(self, d, stack):
        """_dict_edges for a dict of many items, by C iterators: the same edges and names.

        One C call lists the items (keys and values alternating): no bytecode runs meanwhile,
        so no other thread can resize the dict under the walk. For a few items the fixed cost
        of the iterators is more than the per-item loop saves (measured: ast node dicts).
        """
        flat = list(_chain(dict.items(d)))
        n = len(flat)
        w = self.w
        w.e_target.extend(map(id, flat))
        w.e_kind.frombytes(_kinds(_KV_KINDS, n))
        keys = flat[0::2]
        known = self.key_names.get
        # A str subclass key would hash by its own __hash__ (user code): exact str only.
        if all(map(is_, map(type, keys), repeat(str))):
            names = list(map(known, keys))
        else:
            names = [known(key) if type(key) is str else None for key in keys]
        if None in names:
            key_name = self._key_name
            for i, name in enumerate(names):
                if name is None:
                    names[i] = key_name(keys[i])
        keys = None
        w.e_name.extend(_chain(zip(names, names)))
        self._push(flat, stack)
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
            if issubclass(tp, weakref.ref):
                # KeyedRef (WeakValueDictionary), user subclasses: the target is held weakly.
                named.extend(_edges.name_weakref(obj, self))
            # issubclass on type(obj), never isinstance(obj, …): a false isinstance looks up
            # obj.__class__, which runs the class's __getattribute__ or a __class__ property.
            elif issubclass(tp, dict):
                # Values first: a str key is no referent (see _named_edges), so an object that
                # is both a value and a str key matches its one referent as the value, and its
                # key entry stays to be written as the extra edge it is.
                keys = []
                for key, value in dict.items(obj):
                    label = _names.key_label(key)
                    named.append((value, DICT_VALUE, label))
                    keys.append((key, DICT_KEY, label))
                named.extend(keys)
                keys = None
                named.extend(_dict_subclass_attrs(obj, tp))
            elif issubclass(tp, (list, tuple)):
                for i, item in enumerate(list.__iter__(obj) if issubclass(tp, list) else
                                         tuple.__iter__(obj)):
                    named.append((item, INDEX, i))
            elif issubclass(tp, (set, frozenset)):
                for item in set.__iter__(obj) if issubclass(tp, set) else frozenset.__iter__(obj):
                    named.append((item, SET_MEMBER, None))
            elif issubclass(tp, BaseException):
                named.extend(_edges.name_exception(obj, self))
            elif _collections_deque is not None and issubclass(tp, _collections_deque):
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
        names, slots, dict_get, managed, _, _ = tinfo[4]
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
        elif has_dict and managed and attrs and tinfo[5] is None:
            # No layout reader here (see _layout): find the dict by what it holds.
            self._find_managed_dict(refs, attrs, named)
        named.extend(attrs)
        named.extend(self._base_names(obj, tp))  # __class__, and deque/exception parts
        return named

    def _plain_instance_edges(self, obj, refs, name_ids, stack):
        """Fast path: an instance with no slots and no dict object among its referents.

        `name_ids` are (attribute name, string id) pairs; values are matched by identity.
        """
        w = self.w
        add_t, add_n, add_k = w.e_target.append, w.e_name.append, w.e_kind.append
        getattribute = object.__getattribute__
        by_id = {}
        for name, sid in name_ids:
            try:
                value = getattribute(obj, name)
            except Exception:
                continue
            key = id(value)
            prev = by_id.get(key)
            if prev is None:
                by_id[key] = sid
            else:  # two attributes hold the same object (None, say)
                by_id[key] = (prev if type(prev) is list else [prev]) + [sid]
        value = None
        tp = type(obj)
        for ref in refs:
            rid = id(ref)
            sid = by_id.pop(rid, None)
            add_t(rid)
            if sid is None:
                if ref is tp:
                    add_n(self._class_sid)
                    add_k(INTERNAL)
                else:
                    add_n(NONE32)
                    add_k(OTHER)
                continue
            if type(sid) is list:
                if len(sid) > 1:
                    by_id[rid] = sid[1:]
                sid = sid[0]
            add_n(sid)
            add_k(ATTR)
        self._push(refs, stack)
        return len(refs)

    def _dict_instance_edges(self, obj, refs, dict_get, stack):
        """Fast path: an instance with no slots whose attributes live in a real `__dict__`.

        Names exactly what _instance_names + _named_edges would: the dict (read through the
        C getter, only when a dict is among the referents: the getter would create one)
        `__dict__`, the type `__class__`, anything else OTHER.
        """
        w = self.w
        add_t, add_n, add_k = w.e_target.append, w.e_name.append, w.e_kind.append
        own = None
        for ref in refs:
            if type(ref) is dict:
                try:
                    own = dict_get(obj)
                except Exception:
                    pass
                break
        tp = type(obj)
        for ref in refs:
            add_t(id(ref))
            if ref is own:
                add_n(self._dict_sid)
                add_k(INTERNAL)
                own = None  # one reference is the __dict__; another to it would be OTHER
            elif ref is tp:
                add_n(self._class_sid)
                add_k(INTERNAL)
                tp = None
            else:
                add_n(NONE32)
                add_k(OTHER)
        own = None
        self._push(refs, stack)
        return len(refs)

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
            # running frame's locals (3.11+), nor the str keys of a dict subclass (a dict's
            # traverse skips them: they cannot form cycles), yet a user needs those edges, and
            # the keys are found only through them.
            if kind == 9 or kind == DICT_KEY or (live and (kind == LOCAL or name == "f_locals")):
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
        is_tracked = self.is_tracked
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
        if not self.is_tracked(ref) and self._mark(id(ref)):
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
