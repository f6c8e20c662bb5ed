"""One-entry line tables for the dumper's own code while tracemalloc traces.

With tracemalloc tracing, every allocation the walk makes (an int from id(), a tuple, an array
growing) records a traceback, and each traced frame's line number is found by scanning its code
object's line table from the start up to the frame's current instruction. The walk's frames are
long functions deep into their bytecode, so that scan was 77 % of a traced dump's CPU (perf, 3.12:
a 38K-object program took 47 s to dump with PYTHONTRACEMALLOC=10, 0.4 s untraced).

For the dump's duration the dumper's functions run a copy of their code whose line table has one
entry: the first instructions are on the `def` line, the rest have no line, found at once (one
entry per 8 instructions, the finest a full table can be, was only 4x faster than the original;
one entry, 50x). Allocations the dumper makes are its own, never in the snapshot, so their line
numbers never mattered. The one reader that needs a position for every instruction is the
traceback module (3.11+ `co_positions`): an exception leaving a traced dump therefore has its
traceback through these frames cut (`strip_tracebacks`); its message is kept.
"""

import sys
import types

_V = sys.version_info[:2]
_NO_COLUMNS = 13  # 3.11+ location entry kind: a line delta, no column information


def _flat_table(code):
    """`code` with a one-entry line table in this interpreter's format."""
    if _V >= (3, 11):
        units = min(len(code.co_code) // 2, 8)  # an entry covers 1-8 code units
        return code.replace(co_linetable=bytes((0x80 | (_NO_COLUMNS << 3) | (units - 1), 0)))
    if _V == (3, 10):
        return code.replace(co_linetable=bytes((min(len(code.co_code), 254), 0)))
    return code.replace(co_lnotab=b"")  # 3.8/3.9: no entries = every line is the first


def _flat(code):
    """_flat_table of `code` and of the code objects among its constants (nested functions)."""
    consts = tuple(_flat(c) if type(c) is types.CodeType else c for c in code.co_consts)
    return _flat_table(code.replace(co_consts=consts))


def _functions(modules):
    for module in modules:
        for value in list(vars(module).values()):
            if type(value) is types.FunctionType and value.__module__ == module.__name__:
                yield value
            elif type(value) is type and value.__module__ == module.__name__:
                for member in list(vars(value).values()):
                    if type(member) in (staticmethod, classmethod):
                        member = member.__func__
                    if type(member) is types.FunctionType:
                        yield member


class Flattened:
    """Swaps in flat-table code for the dumper's functions; restore() puts the originals back."""

    def __init__(self, modules):
        self._saved = []
        try:
            for func in _functions(modules):
                flat = _flat(func.__code__)
                self._saved.append((func, func.__code__))
                func.__code__ = flat
        except Exception:  # an interpreter whose table format is not known here: leave as is
            self.restore()

    def restore(self):
        for func, code in self._saved:
            func.__code__ = code
        self._saved = []


def strip_tracebacks(exc):
    """Drop the tracebacks of `exc` and of the exceptions chained to it (cause and context)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc.__traceback__ = None
        if exc.__cause__ is not None:
            strip_tracebacks(exc.__cause__)
        exc = exc.__context__
