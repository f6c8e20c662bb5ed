"""The captured process's side of `heapscope capture`: started by the bootstrap, reports by file.

The bootstrap (see _capture.bootstrap_source) imports this module with the GIL held at a safe
point and calls `start`. Everything the capturer learns comes from one status file, replaced
atomically at each step (`<state>\\n<json>`):

    forked  {"child": pid, "pause": seconds, "tmp": path}   fork mode: the child is walking
    done    {"stats": DumpStats.as_dict()}                   the snapshot is complete at `path`
    failed  {"error": "one line"}                            nothing was left at `path`

Fork mode reaps its child from a daemon thread (named `heapscope-capture`) that ends when the
child does, so the target is left without a zombie and without an extra thread.
"""

import json
import os
import threading
import warnings

from . import _fork
from ._dump import DumpError, run_dump


def start(path, status, fork):
    """Begin a dump of this process to `path`; never raises (errors go to `status`)."""
    options = {"collect": False, "fork": bool(fork), "redact_strings": False,
               "tracemalloc": _tracemalloc_is_tracing(), "capture": True}
    try:
        if not fork:
            stats = run_dump(path, options)
            write_status(status, "done", {"stats": stats.as_dict()})
            return
        with warnings.catch_warnings():
            # 3.12+ warns that fork() in a multi-threaded process may deadlock the child; ours
            # runs no other thread's code, and the warning would land in the target's stderr.
            warnings.simplefilter("ignore", DeprecationWarning)
            handle = _fork.dump_forked(path, options)
    except DumpError as exc:
        write_status(status, "failed", {"error": str(exc)})
        return
    except Exception as exc:  # the target must never see our exception
        write_status(status, "failed", {"error": "%s: %s" % (type(exc).__name__, exc)})
        return
    tmp = os.path.join(os.path.dirname(os.path.abspath(path)),
                       ".%s.%d.tmp" % (os.path.basename(path), handle.pid))
    write_status(status, "forked", {"child": handle.pid, "pause": handle.pause_seconds,
                                    "tmp": tmp})
    threading.Thread(target=_reap, args=(handle, status), name="heapscope-capture",
                     daemon=True).start()


def _reap(handle, status):
    try:
        stats = handle.wait()  # reads the child's pipe: works even if the target reaped it
        write_status(status, "done", {"stats": stats.as_dict()})
    except DumpError as exc:
        write_status(status, "failed", {"error": str(exc)})
    except Exception as exc:  # never let the thread die silently
        write_status(status, "failed", {"error": "dump child: %s" % exc})


def write_status(status, state, data):
    tmp = "%s.%d.tmp" % (status, os.getpid())
    try:
        with open(tmp, "w") as f:
            f.write("%s\n%s" % (state, json.dumps(data, default=str)))
        os.replace(tmp, status)
    except OSError:
        pass  # the capturer times out and says the status could not be read


def _tracemalloc_is_tracing():
    import tracemalloc

    return tracemalloc.is_tracing()
