"""A small, strict .pyheap reader for the tests (docs/FORMAT.md, reader side).

Independent of heapscope._format on purpose: it re-derives every offset from the spec, so a
writer bug that both sides shared would not hide. Also derives HELD_FROM_C roots the way the
spec tells readers to.
"""

import array
import json
import struct
import sys
import zlib

MAGIC = b"\x89PYHEAP\n"
NONE32 = 0xFFFFFFFF
KINDS = ["OTHER", "ATTR", "DICT_VALUE", "DICT_KEY", "INDEX", "SET_MEMBER", "CLOSURE", "LOCAL",
         "INTERNAL", "WEAK"]
ROOT_KINDS = {1: "MODULE", 2: "THREAD_FRAME", 3: "SYS", 4: "HELD_FROM_C", 5: "OTHER"}
FLAGS = {"GC_TRACKED": 1, "SIZE_ERROR": 2, "IMMORTAL": 4, "CYCLIC_GARBAGE": 8,
         "LABEL_TRUNCATED": 16, "REDACTED": 32, "EDGES_INCOMPLETE": 64}


class PyheapError(Exception):
    pass


def _cols(payload, spec, name, tag, offset):
    """Split a `u32 count, u32 reserved, columns` payload into arrays per (typecode, width)."""
    if len(payload) < 8:
        raise PyheapError("%s: %s section at byte %d is too short" % (name, tag, offset))
    count = struct.unpack_from("<I", payload)[0]
    pos, out = 8, []
    for code in spec:
        col = array.array(code)
        width = col.itemsize
        end = pos + count * width
        if end > len(payload):
            raise PyheapError("%s: %s section at byte %d: columns run past its payload"
                              % (name, tag, offset))
        col.frombytes(payload[pos:end])
        if sys.byteorder != "little":
            col.byteswap()
        out.append(col)
        pos = end
    return count, out


class Heap:
    def __init__(self):
        self.meta = None
        self.info = None
        self.strings = []
        self.types = []          # (address, name)
        self.objects = []        # dicts
        self.edges = []          # (target, name, kind) in stream order
        self.roots = []          # (address, label, kind)
        self.tracebacks = []
        self.allocations = {}

    # -- derived views ---------------------------------------------------------------------

    def by_address(self):
        return {o["address"]: o for o in self.objects}

    def out_edges(self):
        """address -> [(target, kind name, name)] with names resolved."""
        result, pos = {}, 0
        for o in self.objects:
            result[o["address"]] = self.edges_at(pos, o["edge_count"])
            pos += o["edge_count"]
        return result

    def edge_starts(self):
        """address -> (first edge's position, edge count): one object's edges without all of them."""
        result, pos = {}, 0
        for o in self.objects:
            result[o["address"]] = (pos, o["edge_count"])
            pos += o["edge_count"]
        return result

    def edges_at(self, pos, count):
        """The edges self.edges[pos:pos + count] as (target, kind name, name), names resolved."""
        lst = []
        for target, name, kind in self.edges[pos:pos + count]:
            kname = KINDS[kind] if kind < len(KINDS) else str(kind)
            if kname == "INDEX":
                label = name
            else:
                label = None if name == NONE32 else self.strings[name]
            lst.append((target, kname, label))
        return lst

    def held_from_c(self):
        """FORMAT.md reader rule: non-immortal objects whose refcount exceeds strong in-edges."""
        incoming = {}
        for target, _, kind in self.edges:
            if kind != 9:
                incoming[target] = incoming.get(target, 0) + 1
        held = {}
        for o in self.objects:
            if o["flags"] & FLAGS["IMMORTAL"]:
                continue
            excess = o["refcount"] - incoming.get(o["address"], 0)
            if excess > 0:
                held[o["address"]] = excess
        return held


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return parse(data, path)


def parse(data, name="<bytes>"):
    if len(data) < 16 or data[:8] != MAGIC:
        raise PyheapError("%s: not a .pyheap file (bad magic)" % name)
    major, minor, _ = struct.unpack_from("<HHI", data, 8)
    if major != 1:
        raise PyheapError("%s: written by a newer Heapscope (format %d.%d)" % (name, major, minor))
    heap = Heap()
    pos, ended, n_tb = 16, False, 0
    first = True
    while pos < len(data):
        if ended:
            raise PyheapError("%s: bytes after END at byte %d" % (name, pos))
        if pos + 24 > len(data):
            raise PyheapError("%s: truncated at byte %d (section header); the dump was probably "
                              "interrupted" % (name, pos))
        tag, flags, stored, raw = struct.unpack_from("<4sIQQ", data, pos)
        tagtxt = tag.decode("ascii", "replace")
        start = pos + 24
        if start + stored > len(data):
            raise PyheapError("%s: truncated at byte %d (%s section); the dump was probably "
                              "interrupted" % (name, len(data), tagtxt))
        payload = data[start:start + stored]
        if flags & 1:
            try:
                payload = zlib.decompress(payload)
            except zlib.error:
                raise PyheapError("%s: %s section at byte %d fails to inflate" % (name, tagtxt, pos))
        if len(payload) != raw:
            raise PyheapError("%s: %s section at byte %d: raw length disagrees" % (name, tagtxt, pos))
        if first and tag != b"META":
            raise PyheapError("%s: first section is %s, not META" % (name, tagtxt))
        first = False
        if tag == b"META":
            heap.meta = json.loads(payload.decode("utf-8"))
        elif tag == b"STRS":
            count = struct.unpack_from("<I", payload)[0]
            lens = array.array("I")
            lens.frombytes(payload[8:8 + 4 * count])
            p = 8 + 4 * count
            for n in lens:
                heap.strings.append(payload[p:p + n].decode("utf-8"))
                p += n
        elif tag == b"TYPE":
            count, (addr, nm) = _cols(payload, "QI", name, tagtxt, pos)
            for a, s in zip(addr, nm):
                _check_id(s, heap.strings, name, tagtxt, pos)
                heap.types.append((a, heap.strings[s]))
        elif tag == b"OBJS":
            count, cols = _cols(payload, "QQIIIIIH", name, tagtxt, pos)
            for a, sz, t, lb, rc, ln, ne, fl in zip(*cols):
                if t >= len(heap.types):
                    raise PyheapError("%s: OBJS at byte %d uses type %d before it is defined"
                                      % (name, pos, t))
                if lb != NONE32:
                    _check_id(lb, heap.strings, name, tagtxt, pos)
                heap.objects.append({"address": a, "size": sz, "type": heap.types[t][1],
                                     "label": None if lb == NONE32 else heap.strings[lb],
                                     "refcount": rc, "length": None if ln == NONE32 else ln,
                                     "edge_count": ne, "flags": fl})
        elif tag == b"EDGE":
            count, (tg, nm, kd) = _cols(payload, "QIB", name, tagtxt, pos)
            # One check for the section (the largest name id), not a call per edge.
            nstr = len(heap.strings)
            bad = next((n for n, k in zip(nm, kd) if n >= nstr and k != 4 and n != NONE32), None)
            if bad is not None:
                _check_id(bad, heap.strings, name, tagtxt, pos)
            heap.edges.extend(zip(tg, nm, kd))
        elif tag == b"ROOT":
            count, (addr, lb, kd) = _cols(payload, "QIB", name, tagtxt, pos)
            for a, l, k in zip(addr, lb, kd):
                heap.roots.append((a, heap.strings[l], ROOT_KINDS.get(k, str(k))))
        elif tag == b"TBAK":
            count, total = struct.unpack_from("<II", payload)
            counts, files, lines = array.array("I"), array.array("I"), array.array("I")
            counts.frombytes(payload[8:8 + 4 * count])
            p = 8 + 4 * count
            files.frombytes(payload[p:p + 4 * total])
            lines.frombytes(payload[p + 4 * total:p + 8 * total])
            i = 0
            for c in counts:
                heap.tracebacks.append([(heap.strings[files[j]], lines[j]) for j in range(i, i + c)])
                i += c
        elif tag == b"ALOC":
            count, (addr, tb) = _cols(payload, "QI", name, tagtxt, pos)
            for a, t in zip(addr, tb):
                heap.allocations[a] = heap.tracebacks[t]
        elif tag == b"INFO":
            heap.info = json.loads(payload.decode("utf-8"))
        elif tag == b"END ":
            if stored != 40 or flags:
                raise PyheapError("%s: END section at byte %d is malformed" % (name, pos))
            n_obj, n_edge, n_str, n_type, crc, _ = struct.unpack_from("<QQQQII", payload)
            if (n_obj, n_edge, n_str, n_type) != (len(heap.objects), len(heap.edges),
                                                   len(heap.strings), len(heap.types)):
                raise PyheapError("%s: END counts do not match the sections read" % name)
            if zlib.crc32(data[:pos]) & 0xFFFFFFFF != crc:
                raise PyheapError("%s: CRC mismatch; the file is corrupt" % name)
            ended = True
        pos = start + stored
    if not ended:
        raise PyheapError("%s: truncated at byte %d (no END section); the dump was probably "
                          "interrupted" % (name, len(data)))
    if sum(o["edge_count"] for o in heap.objects) != len(heap.edges):
        raise PyheapError("%s: edge counts do not add up to the edge stream" % name)
    seen = set()
    for o in heap.objects:
        if o["address"] in seen:
            raise PyheapError("%s: duplicate object address %#x" % (name, o["address"]))
        seen.add(o["address"])
    return heap


def _check_id(sid, strings, name, tag, pos):
    if sid >= len(strings):
        raise PyheapError("%s: %s at byte %d uses string %d before it is defined"
                          % (name, tag, pos, sid))
