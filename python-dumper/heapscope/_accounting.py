"""Process accounting for META["accounting"]: what the RSS is made of, from every source the
platform offers, each number tagged with where it came from. Nothing is printed on the target's
stdout/stderr, no file is left behind and no module is imported that the target has not loaded.

Record layout (every part optional; a part that cannot be read is {"source": None, "reason": …}):
  os:          {source, rss, anonymous, file, shmem, swap}   bytes; /proc/self/status on Linux
  pymalloc:    {source, arenas, arenaBytes, allocatedBlocks, freeBlocks, freePools, overhead}
  malloc:      {source, heap, mmapped, inUse, free, releasable}   glibc mallinfo2()
  tracemalloc: {source, tracing, traced, peak}

sys._debugmallocstats() writes to the C-level stderr (fd 2). It is captured by pointing fd 2 at an
anonymous memory file (memfd; an unlinked temp file elsewhere) for the duration of the call and
restoring it at once. The call holds the GIL, so no Python thread writes to stderr meanwhile; a
native thread writing to fd 2 in that window (about a millisecond) would have its lines captured:
they are written back to the real stderr unparsed. In fork mode the dump, and so this capture,
runs in the forked child, whose fd table is its own: the target's stderr is never touched.
"""

import os
import re
import sys
import tracemalloc  # the walker imports it too; imported here, not in a function (see _tracemalloc)

# "# bytes in allocated blocks        =           10,934,576" → ("bytes in allocated blocks", 10934576)
_STAT = re.compile(r"^#\s*(.+?)\s*=\s*([\d,]+)\s*$")
_ARENAS = re.compile(r"^(\d+) arenas \* (\d+) bytes/arena\s*=\s*([\d,]+)")
_UNUSED_POOLS = re.compile(r"^(\d+) unused pools \* (\d+) bytes\s*=\s*([\d,]+)")
_OVERHEAD = ("bytes lost to pool headers", "bytes lost to quantization", "bytes lost to arena alignment")


def collect():
    """The accounting record (a dict of plain values); never raises."""
    out = {}
    for name, part in (("os", _os), ("pymalloc", _pymalloc), ("malloc", _malloc),
                       ("tracemalloc", _tracemalloc)):
        try:
            out[name] = part()
        except Exception as exc:  # a platform quirk must not fail the dump
            out[name] = {"source": None, "reason": "%s: %s" % (type(exc).__name__, exc)}
    return out


def _os():
    fields = {b"VmRSS:": "rss", b"RssAnon:": "anonymous", b"RssFile:": "file",
              b"RssShmem:": "shmem", b"VmSwap:": "swap"}
    try:
        with open("/proc/self/status", "rb") as f:
            found = {}
            for line in f:
                key = line.split(None, 1)[0] if line.strip() else b""
                if key in fields:
                    found[fields[key]] = int(line.split()[1]) * 1024
    except OSError:
        return {"source": None, "rss": None,
                "reason": "no /proc/self/status on %s: RSS and its split are not measured" % sys.platform}
    found["source"] = "/proc/self/status"
    return found


def _pymalloc():
    if not hasattr(sys, "_debugmallocstats"):
        return {"source": None, "reason": "this interpreter has no sys._debugmallocstats"}
    text, foreign = _captured_stderr(sys._debugmallocstats)
    if foreign:
        _write_back(foreign)
    return _parse_mallocstats(text)


def _parse_mallocstats(text):
    stats = {}
    out = {"source": "sys._debugmallocstats"}
    for line in text.splitlines():
        m = _ARENAS.match(line)
        if m and "arenaBytes" not in out:
            out["arenas"], out["arenaBytes"] = int(m.group(1)), int(m.group(3).replace(",", ""))
            continue
        m = _UNUSED_POOLS.match(line)
        if m and "freePools" not in out:
            out["freePools"] = int(m.group(3).replace(",", ""))
            continue
        m = _STAT.match(line)
        if m and m.group(1) not in stats:
            stats[m.group(1)] = int(m.group(2).replace(",", ""))
    if "arenaBytes" not in out or "bytes in allocated blocks" not in stats:
        return {"source": None, "reason": "sys._debugmallocstats printed no pymalloc arenas "
                                          "(pymalloc disabled, e.g. PYTHONMALLOC=malloc, or mimalloc)"}
    out["allocatedBlocks"] = stats["bytes in allocated blocks"]
    out["freeBlocks"] = stats.get("bytes in available blocks", 0)
    out.setdefault("freePools", 0)
    out["overhead"] = sum(stats.get(k, 0) for k in _OVERHEAD)
    return out


def _captured_stderr(call):
    """Run call() with fd 2 pointed at an anonymous file; (its text, lines that are not ours)."""
    sink = _anonymous_file()
    try:
        saved = os.dup(2)
        try:
            os.dup2(sink, 2)
            try:
                call()
            finally:
                os.dup2(saved, 2)
        finally:
            os.close(saved)
        os.lseek(sink, 0, os.SEEK_SET)
        chunks = []
        while True:
            chunk = os.read(sink, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(sink)
    text = b"".join(chunks).decode("utf-8", "replace")
    return text, _foreign_lines(text)


def _anonymous_file():
    """An fd to a file with no name: memfd on Linux, else an immediately unlinked temp file."""
    if hasattr(os, "memfd_create"):
        try:
            return os.memfd_create("heapscope-mallocstats", getattr(os, "MFD_CLOEXEC", 1))
        except OSError:
            pass
    # Only off Linux. An import statement here would call the target's builtins.__import__ (user code
    # if it was replaced), so tempfile is used only if the program already loaded it.
    tempfile = sys.modules.get("tempfile")
    if tempfile is None:
        raise OSError("no memfd_create and tempfile not loaded")
    fd, path = tempfile.mkstemp(prefix=".heapscope-")
    os.unlink(path)
    return fd


_OURS = re.compile(r"^(\s*$|Small block threshold|class\s+size|-----|\s*\d+\s+\d+\s+\d+\s+\d+\s+\d+\s*$|#|\d+ arenas|"
                   r"\d+ unused pools|Total|arena map|\s*\d+ free |\s*\d+ .*bytes each|.*=\s*[\d,]+\s*$)")


def _foreign_lines(text):
    return [line for line in text.splitlines() if not _OURS.match(line)]


def _write_back(lines):
    try:
        os.write(2, ("\n".join(lines) + "\n").encode("utf-8", "replace"))
    except OSError:
        pass


# [libc's mallinfo2, or None], made once: a CDLL and a Structure class are cycles, and made per
# call they were garbage each dump left behind. In fork mode the child makes them after the
# parent's collection, with its gc off: the snapshot showed ~40 of the dumper's objects (StgDict,
# CField, MallInfo2) as unreachable. Cached here, they are reachable.
_MALLINFO2 = []


def _malloc():
    ctypes = sys.modules.get("ctypes")
    if ctypes is None:
        return {"source": None, "reason": "glibc mallinfo2 needs ctypes, which the target has not "
                                          "loaded (importing it would change the heap measured)"}
    if not _MALLINFO2:
        _MALLINFO2.append(_mallinfo2(ctypes))
    if _MALLINFO2[0] is None:
        return {"source": None, "reason": "no glibc mallinfo2 (glibc < 2.33, musl, macOS or Windows)"}
    m = _MALLINFO2[0]()
    return {"source": "glibc mallinfo2", "heap": m.arena, "mmapped": m.hblkhd,
            "inUse": m.uordblks + m.hblkhd, "free": m.fordblks + m.fsmblks, "releasable": m.keepcost}


def _mallinfo2(ctypes):
    """libc's mallinfo2 returning a Structure, or None without one."""
    try:
        mallinfo2 = ctypes.CDLL(None).mallinfo2
    except (OSError, AttributeError):
        return None

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in
                    ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
                     "uordblks", "fordblks", "keepcost")]

    mallinfo2.restype = MallInfo2
    return mallinfo2


def _tracemalloc():
    # is_tracing() also sees -X tracemalloc / PYTHONTRACEMALLOC.
    if not tracemalloc.is_tracing():
        return {"source": "tracemalloc", "tracing": False}
    traced, peak = tracemalloc.get_traced_memory()
    return {"source": "tracemalloc", "tracing": True, "traced": traced, "peak": peak}
