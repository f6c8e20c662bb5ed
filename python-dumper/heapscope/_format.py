"""The .pyheap writer: the one Python module that implements docs/FORMAT.md.

Everything that knows a byte offset, a tag or a column width lives here, so a change to the
format is a change to this file and to FORMAT.md, nothing else. Columns are `array.array`s that
the walk appends to; a chunk is written (and the arrays emptied) every CHUNK records, so memory
stays flat however large the heap is.
"""

import array
import errno
import json
import struct
import sys
import time
import zlib

MAGIC = b"\x89PYHEAP\n"
VERSION_MAJOR = 1
VERSION_MINOR = 1

NONE32 = 0xFFFFFFFF
U32_MAX = 0xFFFFFFFF
# Addresses and sizes are u64 on disk but must stay below 2^53: readers key objects by exact
# float64 numbers (FORMAT.md "Reader obligations").
SIZE_MAX = (1 << 53) - 1

# Section header: tag, flags, stored length, raw length (FORMAT.md "Section header").
_SECTION = struct.Struct("<4sIQQ")
# Precompiled: struct.pack("<II", …) would add entries to struct's module-level cache mid-walk,
# i.e. objects created after the object list was taken (dangling edges in the dump).
_HEADER = struct.Struct("<HHI")
_COUNTS = struct.Struct("<II")
_END = struct.Struct("<QQQQII")
SECTION_COMPRESSED = 1

# Object flags (FORMAT.md "Object flags").
GC_TRACKED = 1 << 0
SIZE_ERROR = 1 << 1
IMMORTAL = 1 << 2
CYCLIC_GARBAGE = 1 << 3
LABEL_TRUNCATED = 1 << 4
REDACTED = 1 << 5
EDGES_INCOMPLETE = 1 << 6

# Edge kinds (FORMAT.md "Edge kinds").
OTHER = 0
ATTR = 1
DICT_VALUE = 2
DICT_KEY = 3
INDEX = 4
SET_MEMBER = 5
CLOSURE = 6
LOCAL = 7
INTERNAL = 8
WEAK = 9

# Root kinds (FORMAT.md "ROOT").
ROOT_MODULE = 1
ROOT_THREAD_FRAME = 2
ROOT_SYS = 3
ROOT_HELD_FROM_C = 4
ROOT_OTHER = 5

# Records per OBJS/EDGE chunk: 32K objects keep every column under 256 KiB.
CHUNK = 1 << 15
# zlib level 1: columns are regular, so level 1 already gets most of the gain at a fraction of the cost.
ZLIB_LEVEL = 1
# The intern table is cleared when it grows past this (duplicates are legal): hot names
# (attribute names, common keys) come straight back, one-off values stop costing memory.
INTERN_LIMIT = 1 << 14

_LITTLE = sys.byteorder == "little"


def _column_bytes(col):
    """One column as little-endian bytes-like data (the array itself on little-endian hosts)."""
    if _LITTLE or col.itemsize == 1:
        return col
    swapped = array.array(col.typecode, col)
    swapped.byteswap()
    return swapped.tobytes()


def _new_u32():
    # 'I' is 4 bytes on every platform CPython supports; 'L' is 8 on LP64.
    col = array.array("I")
    assert col.itemsize == 4
    return col


def _new_u64():
    col = array.array("Q")
    assert col.itemsize == 8
    return col


class WriteError(Exception):
    """The file could not be written (disk full, permissions); the message is one line."""


class PyheapWriter:
    """Streams one .pyheap file to an open binary file object.

    The caller appends to the public column arrays (`o_*`, `e_*`) and calls `maybe_flush()`
    between objects; strings and types are defined through `string()` / `add_type()`, which
    queue them so they are written before the chunk that first uses them (order rule 3).
    """

    def __init__(self, fileobj, compress=True):
        self._f = fileobj
        self._crc = 0
        self._pos = 0
        self._compress = compress
        self.n_strings = 0
        self.n_types = 0
        self.n_objects = 0
        self.n_edges = 0
        self.n_tracebacks = 0
        self._intern = {}
        self._str_data = bytearray()  # utf-8 of strings not yet written, concatenated
        self._str_lens = _new_u32()
        self._pending_types = (_new_u64(), _new_u32())
        # OBJS columns, in file order.
        self.o_addr = _new_u64()
        self.o_size = _new_u64()
        self.o_type = _new_u32()
        self.o_label = _new_u32()
        self.o_refcnt = _new_u32()
        self.o_len = _new_u32()
        self.o_nedges = _new_u32()
        self.o_flags = array.array("H")
        # EDGE columns.
        self.e_target = _new_u64()
        self.e_name = _new_u32()
        self.e_kind = array.array("B")
        # ROOT columns.
        self._r_addr = _new_u64()
        self._r_label = _new_u32()
        self._r_kind = array.array("B")
        # While other threads may run: sections kept raw in memory (see defer()).
        self._deferred = None
        self.deferred_bytes = 0
        self.defer_overflowed = False
        self._write_raw(MAGIC + _HEADER.pack(VERSION_MAJOR, VERSION_MINOR, 0))

    # -- low level -------------------------------------------------------------------------

    def _write_raw(self, data):
        try:
            self._f.write(data)
        except OSError as exc:
            raise WriteError(_os_error_text(exc)) from None
        self._crc = zlib.crc32(data, self._crc)
        self._pos += memoryview(data).nbytes

    def defer(self, limit, on_overflow=None, deadline=None):
        """Keep sections raw in memory (up to `limit` bytes) instead of writing them.

        zlib and write() release the GIL, letting other threads mutate the heap mid-walk; with
        nothing released, the walk sees one state. Past `limit` the backlog is written out
        (`defer_overflowed`) and later sections are written as they come.
        """
        self._deferred = []
        self._defer_limit = limit
        self._on_overflow = on_overflow
        self._defer_deadline = deadline  # time.perf_counter() value; past it, give up as well

    def undefer(self):
        """Write what defer() kept, in order; later sections are written directly."""
        pending, self._deferred = self._deferred, None
        for tag, parts, compress in pending or ():
            self.section(tag, parts, compress)

    def section(self, tag, payload, compress=None):
        """Write one section; `payload` is bytes or a list of bytes-like parts (arrays included).

        Parts are fed to zlib one by one, so a chunk is never joined into one more copy.
        """
        parts = payload if isinstance(payload, list) else [payload]
        if self._deferred is not None:
            parts = [bytes(p) for p in parts]  # the column arrays are emptied after this call
            self._deferred.append((tag, parts, compress))
            self.deferred_bytes += sum(len(p) for p in parts)
            if self.deferred_bytes > self._defer_limit or (
                    self._defer_deadline is not None and time.perf_counter() > self._defer_deadline):
                self.defer_overflowed = True
                if self._on_overflow is not None:
                    self._on_overflow()
                self.undefer()
            return
        raw_len = sum(memoryview(p).nbytes for p in parts)
        if compress is None:
            compress = self._compress
        if compress and raw_len >= 256:
            comp = zlib.compressobj(ZLIB_LEVEL)
            packed = [comp.compress(p) for p in parts]
            packed.append(comp.flush())
            stored = sum(len(p) for p in packed)
            if stored < raw_len:
                self._write_raw(_SECTION.pack(tag, SECTION_COMPRESSED, stored, raw_len))
                for p in packed:
                    if p:
                        self._write_raw(p)
                return
        self._write_raw(_SECTION.pack(tag, 0, raw_len, raw_len))
        for p in parts:
            self._write_raw(p)

    def _table(self, tag, columns):
        """A `u32 count, u32 reserved, columns…, padding` payload (OBJS, EDGE, ROOT, TYPE, ALOC)."""
        count = len(columns[0])
        parts = [_COUNTS.pack(count, 0)]
        size = 8
        for col in columns:
            data = _column_bytes(col)
            parts.append(data)
            size += len(data) * col.itemsize if isinstance(data, array.array) else len(data)
        if size % 8:
            parts.append(b"\0" * (8 - size % 8))
        self.section(tag, parts)

    # -- strings and types -----------------------------------------------------------------

    def string(self, text):
        """Id of `text` in the string table, defining it if new (bounded interning)."""
        sid = self._intern.get(text)
        if sid is None:
            sid = self.new_string(text)
            if len(self._intern) >= INTERN_LIMIT:
                self._intern.clear()
            # A private copy as key: the table must not hold (and so count) the heap's own strings.
            self._intern[_copy_str(text)] = sid
        return sid

    def new_string(self, text):
        """Define `text` as a new string id without interning it (one-off labels)."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            data = text.encode("utf-8", "backslashreplace")
        self._str_data += data
        self._str_lens.append(len(data))
        sid = self.n_strings
        self.n_strings += 1
        return sid

    def new_strings(self, datas):
        """Define already UTF-8-encoded strings as new ids, in order; returns the first id."""
        first = self.n_strings
        self._str_lens.extend(map(len, datas))
        self._str_data += b"".join(datas)
        self.n_strings += len(datas)
        return first

    def add_type(self, address, name):
        """Define a type record; returns its id."""
        addr_col, name_col = self._pending_types
        addr_col.append(address)
        name_col.append(self.string(name))
        tid = self.n_types
        self.n_types += 1
        return tid

    def _flush_defs(self):
        if self._str_lens:
            self.section(b"STRS", [_COUNTS.pack(len(self._str_lens), 0),
                                   _column_bytes(self._str_lens), self._str_data])
            self._str_data = bytearray()
            self._str_lens = _new_u32()
        addr_col, name_col = self._pending_types
        if addr_col:
            self._table(b"TYPE", [addr_col, name_col])
            self._pending_types = (_new_u64(), _new_u32())

    # -- object and edge chunks ------------------------------------------------------------

    def maybe_flush(self):
        if len(self.o_addr) >= CHUNK or len(self.e_target) >= 2 * CHUNK:
            self.flush()

    def flush(self):
        """Write pending definitions, then the current object and edge chunks."""
        self._flush_defs()
        _check_below_2_53(self.o_addr, "object address")
        _check_below_2_53(self.o_size, "object size")
        _check_below_2_53(self.e_target, "edge target address")
        if self.o_addr:
            cols = [self.o_addr, self.o_size, self.o_type, self.o_label, self.o_refcnt,
                    self.o_len, self.o_nedges, self.o_flags]
            self._table(b"OBJS", cols)
            self.n_objects += len(self.o_addr)
            for col in cols:
                del col[:]
        if self.e_target:
            cols = [self.e_target, self.e_name, self.e_kind]
            self._table(b"EDGE", cols)
            self.n_edges += len(self.e_target)
            for col in cols:
                del col[:]

    # -- the rest --------------------------------------------------------------------------

    def meta(self, facts):
        self.section(b"META", json.dumps(facts, default=str).encode("utf-8"))

    def root(self, address, label, kind):
        self._r_addr.append(address)
        self._r_label.append(self.string(label))
        self._r_kind.append(kind)

    def flush_roots(self):
        self._flush_defs()
        if self._r_addr:
            self._table(b"ROOT", [self._r_addr, self._r_label, self._r_kind])
            self._r_addr, self._r_label, self._r_kind = _new_u64(), _new_u32(), array.array("B")

    def tracebacks(self, frames_list):
        """Define tracebacks; each is a list of (filename, lineno), most recent call last."""
        counts, files, lines = _new_u32(), _new_u32(), _new_u32()
        for frames in frames_list:
            counts.append(len(frames))
            for filename, lineno in frames:
                files.append(self.string(filename))
                lines.append(lineno & U32_MAX)
        self._flush_defs()
        self.section(b"TBAK", [_COUNTS.pack(len(counts), len(files)), _column_bytes(counts),
                               _column_bytes(files), _column_bytes(lines)])
        first = self.n_tracebacks
        self.n_tracebacks += len(counts)
        return first

    def allocations(self, addresses, traceback_ids):
        self._table(b"ALOC", [addresses, traceback_ids])

    def info(self, stats):
        self.section(b"INFO", json.dumps(stats).encode("utf-8"))

    def finish(self):
        """Flush everything and write END; the caller then fsyncs and renames."""
        self.flush()
        self.flush_roots()
        crc = self._crc & U32_MAX
        payload = _END.pack(self.n_objects, self.n_edges, self.n_strings,
                              self.n_types, crc, 0)
        self._write_raw(_SECTION.pack(b"END ", 0, len(payload), len(payload)))
        self._write_raw(payload)
        return self._pos


def _check_below_2_53(col, what):
    """u64 columns must stay below 2^53 (readers key by exact float64): refuse, never wrap.

    Sizes are clamped by the walk (flag SIZE_ERROR); an address this high cannot be written.
    u32 columns cannot overflow silently: array('I') raises OverflowError on append.
    """
    if col and _has_bits_at_or_past_53(col):
        raise WriteError("%s 0x%x is at or past 2^53, which the .pyheap format cannot hold"
                         % (what, max(col)))


# Bytes 0x00-0x1F: what byte 6 of a value below 2^53 can hold (its bits 53-55 are clear).
_BELOW_BIT_5 = bytes(range(32))


def _has_bits_at_or_past_53(col):
    """Any value of a u64 array at or past 2^53, read from its bytes in C (`max` over the
    array built an int per value: ~2 % of a dump)."""
    if col.itemsize != 8:
        return max(col) > SIZE_MAX
    data = col.tobytes()
    top, six = (7, 6) if _LITTLE else (0, 1)
    high = data[top::8]
    if high.count(0) != len(high):
        return True
    return bool(data[six::8].translate(None, _BELOW_BIT_5))


def _copy_str(text):
    # str(x), x[:] and "".join([x]) all return x itself for an exact str; slicing a longer string does not.
    if len(text) < 2:
        return text  # empty and 1-char strings are interpreter-cached singletons anyway
    return (text + " ")[:-1]


def _os_error_text(exc):
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    return exc.strerror or str(exc)
