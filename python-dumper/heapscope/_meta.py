"""Process facts for the META section, read without importing anything heavy."""

import gc
import os
import platform
import socket
import sys
import threading

from . import __version__
from ._format import VERSION_MAJOR, VERSION_MINOR
from ._names import LABEL_MAX, exact_str, plain_attr, type_name


def _platform_text():
    """Like platform.platform() ("Linux-6.1.0-x86_64"), without what it costs during a dump.

    platform.platform() runs `uname -p` in a subprocess on 3.9+ (importing subprocess, locale…)
    and caches results in module globals: new modules and objects in the very heap being dumped.
    """
    try:
        u = os.uname()
        return "%s-%s-%s" % (u.sysname, u.release, u.machine)
    except Exception:
        return sys.platform


# Read once at import: the first dump must not import modules or fill caches (heap diffs).
_PLATFORM = _platform_text()
_PY_VERSION = platform.python_version()


def _build_facts():
    """Free-threaded (Py_GIL_DISABLED) and debug (Py_DEBUG) builds: refcounts mean less there.

    sysconfig.get_config_var is the authority, but importing sysconfig loads _sysconfigdata (a
    dict of ~1,000 build variables) into the very heap being dumped; POSIX builds say the same in
    sys.abiflags ("t", "d"), so sysconfig is imported only where that is missing (Windows).
    """
    abiflags = getattr(sys, "abiflags", None)
    if abiflags is not None and "sysconfig" not in sys.modules:
        free_threaded, debug = "t" in abiflags, "d" in abiflags
    else:
        import sysconfig

        free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
        debug = bool(sysconfig.get_config_var("Py_DEBUG"))
    return {"freeThreaded": free_threaded,
            "debugBuild": debug or hasattr(sys, "gettotalrefcount"),
            "abiflags": abiflags}


_BUILD = _build_facts()


def rss_bytes():
    """(current RSS, peak RSS) in bytes, or (None, None) where the platform does not say."""
    rss = peak = None
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith(b"VmHWM:"):
                    peak = int(line.split()[1]) * 1024
    except OSError:
        try:
            import resource

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            peak *= 1 if sys.platform == "darwin" else 1024
        except Exception:
            pass
    return rss, peak


def process_start_time(pid=None):
    """Start of process `pid` (this one by default) in epoch seconds; None where /proc has none."""
    try:
        with open("/proc/%s/stat" % (pid or "self"), "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        ticks = int(fields[19])
        with open("/proc/stat", "rb") as f:
            for line in f:
                if line.startswith(b"btime"):
                    return int(line.split()[1]) + ticks / os.sysconf("SC_CLK_TCK")
    except Exception:
        return None
    return None


def thread_facts():
    """Read from Thread's stored fields, never its properties (`ident`, `name`, `daemon` may be
    overridden by a subclass: user code)."""
    out = []
    for ident, t in list(dict.items(threading._active)):
        native = plain_attr(t, "_native_id")
        out.append({"ident": ident, "nativeId": native if type(native) is int else None,
                    "name": exact_str(plain_attr(t, "_name")),
                    "daemon": plain_attr(t, "_daemonic") is True})
    return out


def _argv():
    """sys.argv as plain strings (a program may have put anything there; str() is user code)."""
    argv = sys.argv
    if not issubclass(type(argv), list):
        return []
    return [exact_str(a) if exact_str(a) is not None else "<%s>" % type_name(type(a))
            for a in list.copy(argv)]


def json_default(obj):
    """json.dumps(default=…): never str(obj), which would call the object's __str__."""
    return "<%s>" % type_name(type(obj))


def collect(options, rss_before, start_time):
    rss, peak = rss_bytes()
    try:
        stats = gc.get_stats()
    except Exception:
        stats = None
    try:
        hostname = socket.gethostname()
    except Exception:
        hostname = None
    return {
        "format": "pyheap", "formatVersion": [VERSION_MAJOR, VERSION_MINOR],
        "dumper": {"name": "heapscope", "version": __version__},
        "python": {"version": _PY_VERSION,
                   "implementation": sys.implementation.name,
                   "hexversion": sys.hexversion, "executable": exact_str(sys.executable),
                   "pointerSize": 8 if sys.maxsize > 2**32 else 4,
                   # build facts (see _build_facts); gilEnabled: 3.13+ may run a free-threaded
                   # build with the GIL re-enabled (PYTHON_GIL=1), None before 3.13
                   "freeThreaded": _BUILD["freeThreaded"], "debugBuild": _BUILD["debugBuild"],
                   "abiflags": _BUILD["abiflags"],
                   "gilEnabled": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None},
        "platform": _PLATFORM, "hostname": hostname,
        # fork mode: the parent's pid, read before the fork (the child writes the file)
        "pid": options.get("pid") or os.getpid(), "ppid": options.get("ppid") or os.getppid(),
        "argv": _argv(), "cwd": _cwd(),
        # fork mode: the parent's, as its pid (the child's own start is new every dump)
        "processStartTime": process_start_time(options.get("pid")), "dumpTime": start_time,
        "rssBytes": rss_before, "peakRssBytes": peak,
        "gc": {"enabled": options.get("gc_enabled"), "thresholds": list(gc.get_threshold()),
               "counts": list(gc.get_count()), "stats": stats},
        "threads": options.get("threads") or thread_facts(),
        "options": {"collect": options["collect"], "fork": options["fork"],
                    "redactStrings": options["redact_strings"],
                    "tracemalloc": options.get("tracemalloc", False),
                    "capture": bool(options.get("capture"))},  # taken by `heapscope capture`
        "labelMaxChars": LABEL_MAX,
    }


def _cwd():
    try:
        return os.getcwd()
    except OSError:
        return None
