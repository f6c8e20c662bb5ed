"""Reads of CPython 3.11-3.13's managed-dict layout that no Python API gives without side effects.

An instance of a plain class keeps its attributes in a values array (3.11/3.12: allocated apart,
its pointer in the pre-header; 3.13: inline, right after the object) and has a dict object only
once something asked for `__dict__`. `sys.getsizeof` counts neither the array nor (3.13) says
whether a dict exists, and reading `__dict__` would create one. So this module reads the few
machine words that hold the answer, through _ctypes, never writing and never following a pointer
to an object it has not checked:
    3.11  pre-header word -4: values pointer (NULL once a dict exists); word -3: dict pointer
    3.12  pre-header word -3: dict pointer, or (values pointer - 1) tagged by its low bit
    3.13  pre-header word -3: dict pointer; inline values at obj + tp_basicsize, whose first
          byte is their capacity and fourth their `valid` flag (False once a dict took them over)
    3.11/3.12 values arrays: byte -1 is the prefix size (round_up(capacity + 2, 8)), byte -2 the
          number of attributes set; the array is prefix + capacity * 8 bytes.
The layout is checked on probe instances at import; any mismatch (another version, a patched or
free-threaded build, no _ctypes) disables it and the dumper falls back to `sys.getsizeof` and
identity matching. Each read is of memory inside the object's own allocation, which exists for
every object whose type has the flags tested (the pre-header is allocated with the object).
"""

import gc
import sys

MANAGED_DICT = 1 << 4   # Py_TPFLAGS_MANAGED_DICT (3.11+)
INLINE_VALUES = 1 << 2  # Py_TPFLAGS_INLINE_VALUES (3.13+)
_V = sys.version_info[:2]
_LITTLE = sys.byteorder == "little"
_WORD = 8

# read_word(address) -> unsigned int; None when the layout is not the one described above.
read_word = None
# The same words by index (address // 8 - 1): the hot paths below subscript it, no call per read.
_mem = None


def _shift(byte):
    """Shift that brings byte `byte` (0..7, by address) of a word read as an int to the bottom."""
    return byte * 8 if _LITTLE else (7 - byte) * 8


_USED, _PREFIX = _shift(6), _shift(7)          # 3.11/3.12: the last word before a values array
_CAPACITY, _EMBEDDED, _VALID = _shift(0), _shift(2), _shift(3)  # 3.13: the values' header word


def _make_reader():
    # The C module only: the `ctypes` package would add twice the objects (and modules) to
    # every process that imports heapscope.
    import _ctypes
    import struct

    class Word(_ctypes._SimpleCData):
        _type_ = "Q"

    if struct.calcsize("P") != _WORD or struct.calcsize("Q") != _WORD:
        return None
    # A word array over the address space from address 8 (nothing is allocated or touched but
    # the words read), seen through a memoryview: `mem[i]` is a plain subscript returning an
    # int, about twice as fast as indexing a ctypes pointer and with no ctypes object per read.
    words = (Word * (1 << 44)).from_address(_WORD)
    mem = memoryview(words).cast("B").cast("Q")

    def read(address):
        return mem[(address >> 3) - 1]

    return read, mem


def _byte(word_address, offset):
    """Byte `offset` (0..7) of the aligned word at `word_address`."""
    return (read_word(word_address) >> _shift(offset)) & 0xFF


def _array_bytes(tail):
    """3.11/3.12: bytes of a values array, from the word before it (`used` and `prefix` bytes)."""
    prefix = (tail >> _PREFIX) & 0xFF
    # The capacity is not stored. Once a class's shared keys settle, every new instance gets
    # capacity = attributes + 1; early instances got more, bounded by what the prefix allows.
    capacity = ((tail >> _USED) & 0xFF) + 1
    if capacity < prefix - 9:
        capacity = prefix - 9
    elif capacity > prefix - 2:
        capacity = prefix - 2
    return prefix + capacity * _WORD if capacity > 0 else 0


def _state_311(obj, flags, basicsize):
    index = (id(obj) >> 3) - 1
    values = _mem[index - 4]
    return (_array_bytes(_mem[(values >> 3) - 2]) if values else 0), _mem[index - 3], False


def _state_312(obj, flags, basicsize):
    word = _mem[(id(obj) >> 3) - 4]
    if word & 1:  # tagged: values pointer - 1
        return _array_bytes(_mem[((word + 1) >> 3) - 2]), 0, False
    return 0, word, False


def _state_313(obj, flags, basicsize):
    index = (id(obj) >> 3) - 1
    dict_address = _mem[index - 3]
    if not flags & INLINE_VALUES:
        return 0, dict_address, False
    header = _mem[index + (basicsize >> 3)]
    capacity = (header >> _CAPACITY) & 0xFF
    # _PyInlineValuesSize: the 4 header bytes padded to a word, capacity pointers, and the
    # insertion-order bytes rounded up to a word.
    storage = _WORD + capacity * _WORD + ((capacity + _WORD - 1) // _WORD) * _WORD
    return storage, dict_address, (header >> _VALID) & 0xFF != 0


def managed_state(obj, flags, basicsize):
    """(bytes of attribute storage outside `sys.getsizeof`, address of the instance dict or 0,
    3.13: whether a dict, if any, shares the inline values instead of holding its own).

    `flags` are the type's tp_flags; only types with MANAGED_DICT may be passed. Replaced at
    import by the function for this version.
    """
    return _STATE(obj, flags, basicsize)


_STATE = {(3, 11): _state_311, (3, 12): _state_312, (3, 13): _state_313}.get(_V)


class _Probe:
    """Kept at module level: a class made and dropped at import would linger as cyclic garbage."""

    def __init__(self):
        self.a = self.b = self.c = None


_MA_VALUES = 5 * _WORD  # PyDictObject: refcnt, type, ma_used, ma_version_tag, ma_keys, ma_values
SPLIT_DICT_MAX = 64 + 30 * _WORD  # sys.getsizeof of the largest split dict (30 shared keys)


def split_dict_extra(d):
    """Bytes of a split-table dict's own values array that `dict.__sizeof__` leaves out.

    `__sizeof__` counts a split dict's value pointers but not the bytes around them (3.11/3.12:
    the prefix; 3.13: the header word and insertion-order bytes). Values embedded in an
    instance (3.13) belong to the instance: nothing here.
    """
    values = _mem[(id(d) >> 3) + 4]  # the word at id + 40, by index
    if not values:
        return 0
    if _V < (3, 13):
        return (_mem[(values >> 3) - 2] >> _PREFIX) & 0xFF
    header = _mem[(values >> 3) - 1]
    if (header >> _EMBEDDED) & 0xFF:
        return 0
    capacity = (header >> _CAPACITY) & 0xFF
    return _WORD + ((capacity + _WORD - 1) // _WORD) * _WORD


def _self_check():
    """True if this interpreter lays probe instances out as the module docstring says."""
    Probe = _Probe
    flags = Probe.__flags__
    if not flags & MANAGED_DICT:
        return False
    for _ in range(40):  # let the class's shared keys settle (capacity = attributes + 1)
        Probe()
    bare, with_dict = Probe(), Probe()
    materialized = with_dict.__dict__
    extra, dict_address, valid = managed_state(bare, flags, Probe.__basicsize__)
    if dict_address != 0 or not 24 <= extra <= 128:
        return False
    extra2, dict_address2, valid2 = managed_state(with_dict, flags, Probe.__basicsize__)
    if dict_address2 != id(materialized):
        return False
    if _V >= (3, 13):
        # The dict shares the inline values: gc reports the values, not the dict.
        shared = not any(ref is materialized for ref in gc.get_referents(with_dict))
        embedded = read_word(id(materialized) + _MA_VALUES) == id(with_dict) + Probe.__basicsize__
        return valid and valid2 and shared and embedded and extra == extra2 == 48 and \
            split_dict_extra(materialized) == 0
    # The dict took over the instance's values array (prefix 8 for 4 slots).
    return extra == 40 and extra2 == 0 and split_dict_extra(materialized) == 8


if (3, 11) <= _V <= (3, 13):
    try:
        read_word, _mem = _make_reader() or (None, None)
        if read_word is not None and not _self_check():
            read_word = _mem = None
        elif read_word is not None:
            managed_state = _STATE  # noqa: F811  (the hot path: no extra call)
    except Exception:
        read_word = _mem = None

available = read_word is not None
