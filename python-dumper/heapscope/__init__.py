"""Heapscope's dumper: write a labelled snapshot of this process's heap to a .pyheap file.

    import heapscope
    stats = heapscope.dump("app.pyheap")            # -> DumpStats
    handle = heapscope.dump("app.pyheap", fork=True)  # -> ForkedDump; handle.wait() -> DumpStats
    heapscope.install_signal_handler()              # kill -USR2 <pid> dumps to ./heapscope-*.pyheap

The file format is docs/FORMAT.md; `_format.py` is its only writer.
"""

__version__ = "0.1.0"
__all__ = ["dump", "install_signal_handler", "DumpStats", "DumpError", "ForkedDump", "__version__"]

import signal as _stdsignal
import time as _time
import tracemalloc as _tracemalloc  # cheap, stdlib; is_tracing() also sees PYTHONTRACEMALLOC / -X

from . import _dump
from ._dump import DumpError, DumpStats


def dump(path, *, collect=True, fork=False, redact_strings=False):
    """Write one snapshot of the heap to `path`; returns DumpStats (or a ForkedDump with fork=True).

    collect: run gc.collect() first (again while a pass frees something, at most 4 passes) so
    cyclic garbage is not reported; with False, garbage is kept and flagged CYCLIC_GARBAGE.
    fork: dump from a forked child (POSIX) so this process pauses only for the fork.
    redact_strings: withhold str values from labels.
    Raises DumpError with a one-line message; never leaves a partial file at `path`.
    """
    options = {"collect": bool(collect), "fork": bool(fork), "redact_strings": bool(redact_strings),
               "tracemalloc": _tracemalloc.is_tracing()}
    if fork:
        return _fork.dump_forked(path, options)
    t0 = _time.perf_counter()
    stats = _dump.run_dump(path, options)
    stats.pause_seconds = _time.perf_counter() - t0  # the whole dump holds the GIL
    return stats


def install_signal_handler(signum=_stdsignal.SIGUSR2, directory="."):
    """On `signum`, dump to `directory/heapscope-<pid>-<time>.pyheap` from a helper thread.

    No thread exists until a signal arrives (fork() behaves as before); the dump runs in a
    short-lived helper, never inside the interrupted frame; signals during a dump coalesce into
    one more dump. In a fork()ed child, a signal dumps the child. Returns the previous handler.
    """
    return _signal.install(signum, directory)


from . import _fork  # noqa: E402
from ._fork import ForkedDump  # noqa: E402  (re-exported; imports DumpStats from _dump)
# Everything a dump needs is imported now: a module first imported mid-dump would show up in
# the snapshot (and in every heap diff against the next one) as the dumper's doing.
from . import _signal  # noqa: E402
