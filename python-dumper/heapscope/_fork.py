"""Fork mode: the parent pauses only for the fork; a child process writes the file.

Memory cost: the child shares the parent's pages copy-on-write. Reading an object writes its
refcount (and the walk's own buffers are new), so the child gradually copies the pages it walks:
in the worst case the child's private memory approaches the parent's heap size, released when
it exits. Threads do not survive fork(), so other threads' stacks are captured in the parent
first; in the child those frames are never touched again (their thread state is gone).
"""

import gc
import json
import os
import select
import sys
import time
import warnings

from . import _dump, _meta
from ._dump import DumpError, DumpStats


class ForkedDump:
    """Handle on a dump running in a child process: `poll()` / `wait()` -> DumpStats."""

    def __init__(self, pid, read_fd, path, pause_seconds):
        self.pid = pid
        self.path = os.fspath(path)
        self.pause_seconds = pause_seconds
        self._fd = read_fd
        self._result = None

    # Completion is read from the pipe, not from waitpid(): with SIGCHLD ignored the kernel
    # reaps the child itself, and a program's own waitpid(-1) handler may reap it first; either
    # way waitpid(pid) raises ChildProcessError though the file was written. The child's end of
    # the pipe closes only when it exits, so EOF means done.

    def poll(self):
        """DumpStats when the child has finished, else None. Raises DumpError if it failed."""
        if self._result is None:
            if not _readable(self._fd, 0):
                return None
            self._finish()
        return self._outcome()

    def wait(self, timeout=None):
        """Block until the child finishes (or `timeout` seconds pass: then None)."""
        if self._result is None:
            if not _readable(self._fd, timeout):
                return None
            self._finish()
        return self._outcome()

    def _finish(self):
        chunks = []
        while True:
            data = os.read(self._fd, 65536)
            if not data:
                break
            chunks.append(data)
        os.close(self._fd)
        try:
            _, status = os.waitpid(self.pid, 0)  # reap it if nobody else did
        except ChildProcessError:
            status = "unknown (reaped elsewhere)"
        try:
            self._result = json.loads(b"".join(chunks).decode("utf-8") or "{}")
        except ValueError:
            self._result = {}
        if "stats" not in self._result and "error" not in self._result:
            self._result["error"] = "%s: dump child exited with status %s" % (self.path, status)

    def _outcome(self):
        if "error" in self._result:
            raise DumpError(self._result["error"])
        stats = DumpStats(**self._result["stats"])
        stats.pause_seconds = self.pause_seconds
        return stats


def _readable(fd, timeout):
    """True when `fd` has data or EOF within `timeout` seconds (None: wait forever)."""
    if hasattr(select, "poll"):  # no FD_SETSIZE limit, unlike select()
        poller = select.poll()
        poller.register(fd, select.POLLIN | select.POLLHUP)
        return bool(poller.poll(None if timeout is None else max(0, int(timeout * 1000))))
    return bool(select.select([fd], [], [], timeout)[0])


def dump_forked(path, options):
    if not hasattr(os, "fork"):
        raise DumpError("%s: fork mode needs a POSIX system" % path)
    t0 = time.perf_counter()
    options.setdefault("pid", os.getpid())  # META describes the dumped process, not the child
    options.setdefault("ppid", os.getppid())
    options.setdefault("threads", _meta.thread_facts())  # the child's threading knows only itself
    if options["collect"]:
        _dump.collect_garbage()  # in the parent: garbage finalizers must not run in the child
    capture = _dump.capture_for_fork()
    read_fd, write_fd = os.pipe()
    options["gc_enabled"] = gc.isenabled()
    gc.disable()  # no collection in the child before the dump starts (it must not run finalizers)
    try:
        with warnings.catch_warnings():
            # 3.12+ warns on fork() with threads alive (and showing the warning imports and runs
            # code: a replaced builtins.__import__, say). The child only runs the dumper, which
            # takes no lock another thread could have held.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError as exc:
        os.close(read_fd)
        os.close(write_fd)
        if options["gc_enabled"]:
            gc.enable()
        raise DumpError("%s: fork failed: %s" % (path, exc.strerror or exc)) from None
    if pid != 0 and options["gc_enabled"]:
        gc.enable()  # the parent's state; the child keeps gc off until it exits
    if pid == 0:  # child
        code = 1
        try:
            os.close(read_fd)
            options["pause"] = time.perf_counter() - t0
            options["skip_gc"] = True  # never run finalizers in the child
            # gc.get_objects() omits what gc.freeze() moved to the permanent generation; this
            # copy of the heap is thrown away, so the child simply lists it again.
            gc.unfreeze()
            try:
                stats = _dump.run_dump(path, options, pre_captured=capture)
                out = {"stats": stats.as_dict()}
                code = 0
            except DumpError as exc:
                out = {"error": str(exc)}
            os.write(write_fd, json.dumps(out).encode("utf-8"))
        finally:
            os._exit(code)
    pause = time.perf_counter() - t0
    os.close(write_fd)
    capture = None
    return ForkedDump(pid, read_fd, path, pause)
