"""Untracked values (exact str, int, float) recorded a batch at a time, by C iterators.

Most objects the GC does not track are strings and numbers, and each carries no edges: its record
is its address, size, type, label, refcount, length and flags. Written one at a time they cost
~45 bytecodes each; here a batch is split by type and every column is filled by `map` over the
batch (`array.extend`), so a value costs a few C-level steps. Everything else stays on the stack
for `Walker._drain`'s per-object path, which records exactly the same facts for these types.

Refcounts: a value is read while held by the batch list it is in and by `getrefcount`'s argument,
two references like the per-object path's (its loop variable and the argument). `calibrate`
measures that shape instead of assuming it.
"""

import sys
from itertools import compress, repeat
from operator import and_, eq, ge, gt, lt, mul, not_, or_, sub

from ._format import IMMORTAL, LABEL_TRUNCATED, NONE32, U32_MAX
from ._names import LABEL_MAX

_getrefcount, _getsizeof = sys.getrefcount, sys.getsizeof
_STR, _INT, _FLOAT = 1, 2, 3
_KIND = {id(str): _STR, id(int): _INT, id(float): _FLOAT}
_encode = str.encode
_CUT = slice(None, LABEL_MAX)


def calibrate():
    """References a batch's own bookkeeping adds to a value's count (see the module docstring)."""
    batch = [object()]
    return list(map(_getrefcount, batch))[0]


def split(stack, limit):
    """Take up to `limit` values off the top of `stack`: {kind: [objects]}; others stay on it.

    The batch list is dropped before returning, so each value is then held once, by its list.
    """
    batch = stack[-limit:]
    del stack[-limit:]
    kinds = list(map(_KIND.get, map(id, map(type, batch)), repeat(0)))
    stack.extend(compress(batch, map(eq, kinds, repeat(0))))
    out = {}
    for kind in (_STR, _INT, _FLOAT):
        part = list(compress(batch, map(eq, kinds, repeat(kind))))
        if part:
            out[kind] = part
    batch = part = None
    return out


def write(w, objs, tid, labels, lengths, bias, held, immortal_min, is_immortal):
    """Append the records of `objs` (one type) to the writer's columns.

    `labels`: their UTF-8 label bytes; `lengths`: their lengths (str) or None. Refcounts are read
    here, first, before anything else is allocated for them.
    """
    rcs = list(map(sub, map(_getrefcount, objs), repeat(bias)))
    ids = list(map(id, objs))
    if held and any(map(held.__contains__, ids)):
        for i, oid in enumerate(ids):
            if oid in held:
                rcs[i] -= held[oid]
    n = len(objs)
    first = w.new_strings(labels)
    w.o_addr.extend(ids)
    w.o_size.extend(map(_getsizeof, objs))
    w.o_type.extend(repeat(tid, n))
    w.o_label.extend(range(first, first + n))
    w.o_refcnt.extend(map(min, map(max, rcs, repeat(0)), repeat(U32_MAX)))
    w.o_nedges.extend(repeat(0, n))
    if is_immortal is not None:
        immortal = map(is_immortal, objs)
    else:
        immortal = map(ge, rcs, repeat(immortal_min))
    flags = map(mul, immortal, repeat(IMMORTAL))
    if lengths is None:
        w.o_len.extend(repeat(NONE32, n))
    else:
        w.o_len.extend(map(min, lengths, repeat(U32_MAX)))
        flags = map(or_, flags, map(mul, map(gt, lengths, repeat(LABEL_MAX)), repeat(LABEL_TRUNCATED)))
    w.o_flags.extend(flags)


def str_labels(strs):
    """UTF-8 labels of strings, cut at LABEL_MAX (lone surrogates escaped, as new_string does)."""
    return list(map(_encode, map(str.__getitem__, strs, repeat(_CUT)), repeat("utf-8"),
                    repeat("backslashreplace")))


def repr_labels(values, rep):
    return list(map(_encode, map(rep, values)))


def take_huge(ints, bound):
    """Remove from `ints` (in place) and return those without a plain decimal label."""
    if -bound < min(ints) and max(ints) < bound:
        return []
    plain = list(map(and_, map(gt, ints, repeat(-bound)), map(lt, ints, repeat(bound))))
    huge = list(compress(ints, map(not_, plain)))
    ints[:] = compress(ints, plain)
    return huge

