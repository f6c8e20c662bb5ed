"""Fork mode: the parent pauses only for the fork; a child process writes the file.

Memory cost: the child shares the parent's pages copy-on-write. Reading an object writes its
refcount (and the walk's own buffers are new), so the child gradually copies the pages it walks:
in the worst case the child's private memory approaches the parent's heap size, released when
it exits. Threads do not survive fork(), so other threads' stacks are captured in the parent
first; in the child those frames are never touched again (their thread state is gone).
"""

import json
import os
import sys
import time

from ._dump import DumpError, DumpStats


class ForkedDump:
    """Handle on a dump running in a child process: `poll()` / `wait()` -> DumpStats."""

    def __init__(self, pid, read_fd, path, pause_seconds):
        self.pid = pid
        self.path = os.fspath(path)
        self.pause_seconds = pause_seconds
        self._fd = read_fd
        self._result = None

    def poll(self):
        """DumpStats when the child has finished, else None. Raises DumpError if it failed."""
        if self._result is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == 0:
                return None
            self._finish(status)
        return self._outcome()

    def wait(self, timeout=None):
        """Block until the child finishes (or `timeout` seconds pass: then None)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self._result is None:
            if deadline is None:
                _, status = os.waitpid(self.pid, 0)
                self._finish(status)
                break
            if self.poll() is not None or self._result is not None:
                break
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)
        return self._outcome()

    def _finish(self, status):
        chunks = []
        while True:
            data = os.read(self._fd, 65536)
            if not data:
                break
            chunks.append(data)
        os.close(self._fd)
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


def dump_forked(path, options):
    if not hasattr(os, "fork"):
        raise DumpError("%s: fork mode needs a POSIX system" % path)
    import gc

    from . import _dump

    t0 = time.perf_counter()
    if options["collect"]:
        gc.collect()  # in the parent: garbage finalizers must not run in the child (shared files)
    capture = _dump.capture_for_fork()
    read_fd, write_fd = os.pipe()
    options["gc_enabled"] = gc.isenabled()
    gc.disable()  # no collection in the child before the dump starts (it must not run finalizers)
    try:
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
