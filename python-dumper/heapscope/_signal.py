"""Dump on a signal. The handler only writes one byte to a pipe; a daemon thread does the dump.

Why not dump in the handler: Python runs handlers between bytecodes of the main thread, which
may be in the middle of mutating the very structures we would walk, and a long dump there would
stall that thread's frame. A pipe write is async-signal-safe and cannot deadlock on a lock the
interrupted code holds (a threading.Event could).
"""

import os
import signal
import sys
import threading
import time

_state = {"fd": None, "thread": None}


def install(signum, directory):
    if _state["fd"] is None:
        read_fd, write_fd = os.pipe()
        _state["fd"] = write_fd
        thread = threading.Thread(target=_serve, args=(read_fd,), name="heapscope-signal",
                                  daemon=True)
        thread.start()
        _state["thread"] = thread
    _state["directory"] = os.fspath(directory)

    def handler(signo, frame):
        try:
            os.write(_state["fd"], b"d")
        except OSError:
            pass

    return signal.signal(signum, handler)


def _serve(read_fd):
    from . import DumpError, dump

    while True:
        try:
            if not os.read(read_fd, 1):
                return
        except OSError:
            return
        path = dump_path(_state["directory"])
        try:
            stats = dump(path)
            sys.stderr.write("heapscope: wrote %s (%d objects, %.2fs)\n"
                             % (stats.path, stats.objects, stats.seconds))
        except DumpError as exc:
            sys.stderr.write("heapscope: %s\n" % exc)
        except Exception as exc:  # never let the helper thread die silently
            sys.stderr.write("heapscope: dump failed: %s\n" % exc)


def dump_path(directory):
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    base = os.path.join(directory, "heapscope-%d-%s" % (os.getpid(), stamp))
    path, n = base + ".pyheap", 1
    while os.path.exists(path):
        n += 1
        path = "%s-%d.pyheap" % (base, n)
    return path
