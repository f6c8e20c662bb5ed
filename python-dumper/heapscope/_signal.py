"""Dump on a signal. The handler only starts (or flags) a helper thread; the dump runs there.

Why not dump in the handler: Python runs handlers between bytecodes of the main thread, which
may be in the middle of mutating the very structures we would walk, and a long dump there would
stall that thread's frame.

Why no thread until a signal arrives: a thread alive at fork() changes the program's own fork
(3.12+ warns "multi-threaded process", and the child inherits a half-copied thread). The helper
exists only while it dumps, and is started with `_thread` (threading's start() takes locks the
interrupted main thread may hold).

Signals that arrive during a dump are coalesced: they ask for one more dump after it, not one
each. After fork() the handler is still installed in the child; `_after_fork_in_child` resets
the state there, so a signal to the child dumps the child (file named with its PID).
"""

import _thread
import os
import signal
import sys
import time

from . import DumpError, _dump, dump

_state = {"directory": ".", "pending": False}
_running = _thread.allocate_lock()  # held while a helper thread exists


def install(signum, directory):
    _state["directory"] = os.fspath(directory)
    return signal.signal(signum, _handler)


def _handler(signo, frame):
    _state["pending"] = True
    if _running.acquire(False):  # no helper yet: start one; else it sees `pending` when done
        try:
            _thread.start_new_thread(_serve, ())
        except RuntimeError:  # no new threads (interpreter shutting down)
            _running.release()


def _serve():
    ident = _thread.get_ident()
    _dump.OWN_THREADS.add(ident)
    try:
        while True:
            _state["pending"] = False
            _dump_once()
            if _state["pending"]:
                continue
            _running.release()
            # A signal between the check above and the release found the lock held and started
            # nothing: take the lock back and serve it, unless a new helper already has.
            if not (_state["pending"] and _running.acquire(False)):
                return
    finally:
        _dump.OWN_THREADS.discard(ident)


def _dump_once():
    try:
        stats = dump(dump_path(_state["directory"]))
        sys.stderr.write("heapscope: wrote %s (%d objects, %.2fs)\n"
                         % (stats.path, stats.objects, stats.seconds))
    except DumpError as exc:
        sys.stderr.write("heapscope: %s\n" % exc)
    except Exception as exc:  # never let the helper thread die silently
        sys.stderr.write("heapscope: dump failed: %s\n" % exc)


def _after_fork_in_child():
    global _running
    _running = _thread.allocate_lock()  # the parent's helper (and its lock) did not come along
    _state["pending"] = False


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def dump_path(directory):
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    base = os.path.join(directory, "heapscope-%d-%s" % (os.getpid(), stamp))
    path, n = base + ".pyheap", 1
    while os.path.exists(path):
        n += 1
        path = "%s-%d.pyheap" % (base, n)
    return path
