"""One dump, start to finish: gc state, the pre-pass, the walk, roots, and the atomic rename.

The order matters for honest refcounts: everything the dumper creates *before* it takes
`gc.get_objects()` is listed in `exclude`; everything it creates after is simply not in the list.
"""

import atexit
import gc
import itertools
import json
import os
import sys
import threading
import time
import types

from . import _accounting, _edges, _frozen, _linetables, _meta, _names
from ._format import (INTERNAL, LOCAL, NONE32, ROOT_MODULE, ROOT_OTHER, ROOT_SYS,
                      ROOT_THREAD_FRAME, PyheapWriter, WriteError, _copy_str, _os_error_text)
from ._walk import Walker

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))
_V = sys.version_info
# Keyed by id(type): looking a type up in a dict keyed by types would hash it (a metaclass's
# __hash__ is user code).
_GEN_FRAME = {id(types.GeneratorType): "gi_frame", id(types.CoroutineType): "cr_frame",
              id(types.AsyncGeneratorType): "ag_frame"}
# Touching f_locals on <=3.12 creates a dict per frame; cap it so a heap of a million suspended
# generators is not doubled by the dumper.
_MAX_FRAMES_TOUCHED = 100000
# While other threads exist, sections are kept raw in memory during the walk (no I/O, so the
# GIL is never released) up to this many bytes: ~1M objects with their edges.
_DEFER_LIMIT = 64 << 20
# Switch interval during the walk: above its expected length. A walk takes 2-8 us per allocated
# memory block on an idle machine. Not too generous: a thread that slips in as the hold starts
# keeps the GIL for the whole interval (see _hold_gil); a walk that outlives the hold shares
# the GIL again and says so (INFO.gilHeld false).
_HOLD_PER_BLOCK = 40e-6
_HOLD_MIN = 0.5
# Also what losing the race costs (see _hold_gil): a walk longer than this is held for its first
# 80 %, then shares the GIL; fork mode is the consistent dump of a big heap.
_HOLD_MAX = 5.0
# A collection frees what was garbage when it started. An object whose last outside reference
# came from that garbage through a slot tp_traverse skips (a type's __name__ holding a str
# subclass instance, a C object without GC support such as a numpy object array) becomes garbage
# only as the collection frees its holder, and waits for the next one. collect=True collects
# until a pass finds nothing, at most this many passes (a thread making garbage meanwhile would
# otherwise keep the dump collecting). Each pass costs ~0.15-0.3 us per tracked object.
_COLLECT_PASSES = 4
# How long _busy_thread_seen watches for a thread that computes (a share of the dump's pause).
_PROBE_MIN, _PROBE_MAX = 0.05, 0.1


class DumpError(Exception):
    """A dump failed; the message is one line a user can act on. No partial file is left."""


class DumpStats:
    """What one dump wrote. Plain data: `objects, edges, bytes_written, seconds, pause_seconds, path`."""

    __slots__ = ("objects", "edges", "bytes_written", "seconds", "pause_seconds", "path",
                 "incomplete_objects")

    def __init__(self, objects, edges, bytes_written, seconds, pause_seconds, path,
                 incomplete_objects=0):
        self.objects = objects
        self.edges = edges
        self.bytes_written = bytes_written
        self.seconds = seconds
        self.pause_seconds = pause_seconds
        self.path = path
        self.incomplete_objects = incomplete_objects

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self):
        return "DumpStats(%s)" % ", ".join("%s=%r" % kv for kv in self.as_dict().items())


class _Context:
    """The dumper's bookkeeping made before `gc.get_objects()`; all of it is excluded."""

    # No __dict__: on 3.8-3.10 an instance's __dict__ is an object of its own, gc-tracked, which
    # `gc.get_objects()` lists and own_ids() does not know; it was dumped as a dict held from C
    # whose values (cell_names: one entry per closure cell in the heap) grew with the heap.
    __slots__ = ("exclude", "held", "live_frames", "thread_roots", "frame_objs", "foreign",
                 "cell_names", "closure_names", "garbage", "garbage_list_len",
                 "garbage_list_owner", "static_types", "frozen_unlisted")

    def __init__(self):
        self.exclude = set()
        self.held = {}
        self.live_frames = set()
        self.thread_roots = []        # (id(frame), label)
        self.frame_objs = []          # live frames: 3.11+ does not gc-track them, so walk them too
        self.foreign = {}
        self.cell_names = {}
        self.closure_names = {}
        self.garbage = set()
        self.garbage_list_len = 0
        self.garbage_list_owner = set()
        self.static_types = []        # types the interpreter allocates and keeps: rooted and walked
        self.frozen_unlisted = False  # gc.freeze()'s objects could not be listed: reach them by reference

    def own_ids(self, extra=()):
        """ids of the context and every container inside it (tuples of names, label pairs…).

        Descends only through list/tuple/dict/set, which hold ids, labels and names we made;
        heap objects the fork capture keeps alive sit in `keep`, which is not descended into.
        """
        ids = {id(self)}
        stack = [self.exclude, self.held, self.live_frames, self.thread_roots, self.foreign,
                 self.frame_objs,
                 self.cell_names, self.closure_names, self.garbage, self.garbage_list_owner,
                 self.static_types]
        stack.extend(extra)
        while stack:
            obj = stack.pop()
            if id(obj) in ids:
                continue
            ids.add(id(obj))
            tp = type(obj)
            if tp is dict:
                # Containers only: the values of `held` are counts, shared small ints that are
                # the process's too (excluded, an edge to one dangled).
                stack.extend(item for item in obj.values() if type(item) in (list, tuple, dict, set))
            elif tp in (list, tuple):
                stack.extend(item for item in obj if type(item) in (list, tuple, dict, set))
        return ids


_LOCK = threading.Lock()  # one dump at a time (a signal or periodic dump may meet a manual one)
_IN_FLIGHT = set()  # temp files being written; removed at exit if a daemon thread dies mid-dump
OWN_THREADS = set()  # idents of heapscope's helper threads started without `threading`


def _after_fork_in_child():
    """Threads do not survive fork(): a dump another thread was running is not the child's,
    nor are the parent's temp files (the child's exit must not delete them)."""
    global _LOCK
    _LOCK = threading.Lock()
    _IN_FLIGHT.clear()
    OWN_THREADS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


@atexit.register
def _remove_in_flight():
    for tmp in list(_IN_FLIGHT):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def run_dump(path, options, pre_captured=None):
    """Write the dump to `path` (via a temp file); returns DumpStats. Raises DumpError."""
    if not _LOCK.acquire(blocking=False):
        raise DumpError("%s: another heapscope dump is in progress in this process" % path)
    # Traced, each allocation of the walk scans the line tables of the frames above it.
    flat = _linetables.Flattened(_own_modules()) if options.get("tracemalloc") else None
    try:
        return _run_dump(path, options, pre_captured)
    except BaseException as exc:
        if flat is None:
            raise
        _linetables.strip_tracebacks(exc)  # the traceback module cannot format flat frames
        raise exc.with_traceback(None) from exc.__cause__
    finally:
        if flat is not None:
            flat.restore()
        _LOCK.release()


def _own_modules():
    prefix = __name__.rpartition(".")[0] + "."
    return [m for name, m in list(sys.modules.items())
            if name.startswith(prefix) and m is not None and name != _linetables.__name__]


def _run_dump(path, options, pre_captured):
    t0 = time.perf_counter()
    start_time = time.time()
    # Before the dump allocates or collects anything: the process as the target left it.
    accounting = _accounting.collect()
    # One reading of the RSS for the header and the accounting's breakdown: two reads a moment
    # apart differed by ~200 KB, and the app showed both numbers side by side.
    rss_before = accounting["os"].get("rss")
    if rss_before is None:
        rss_before = _meta.rss_bytes()[0]
    path = os.fspath(path)
    tmp = None
    gc_was_enabled = gc.isenabled()
    options.setdefault("gc_enabled", gc_was_enabled)
    gc_debug = gc.get_debug()
    ctx = _Context()
    f = None
    switch_interval = sys.getswitchinterval()
    try:
        try:
            f, tmp = _create_tmp(path)
        except OSError as exc:
            raise DumpError("%s: cannot create file: %s" % (path, exc.strerror or exc)) from None
        if options["collect"] and not options.get("skip_gc"):
            collect_garbage()
        gc.disable()
        if not options["collect"] and not options.get("skip_gc"):
            _save_garbage(ctx, gc_debug)
        # Process facts first: reading them imports and caches things (platform, socket), which
        # must be in the heap before the object list is taken, or their edges would dangle.
        facts = _meta.collect(options, rss_before, start_time)
        facts["accounting"] = accounting
        meta = json.dumps(facts, default=_meta.json_default)
        facts = accounting = None  # not in the heap the walk lists
        # From here until everything is read, other threads should not run (see _hold_gil).
        # Not earlier: collection (finalizers) and reading process facts (files) release the
        # GIL, and each release would cost a wait of the raised interval.
        others = _other_threads()
        t_walk = time.perf_counter()
        held = busy = None
        if others:
            busy = _busy_thread_seen(switch_interval)
            held = None if busy else _hold_gil(switch_interval)
        own_frames = _own_frames()
        if pre_captured is not None:
            pre_captured.install(ctx)
        else:
            _capture_threads(ctx, own_frames)
        # gc.get_objects() omits what gc.freeze() moved to the permanent generation: listed
        # here, before the pre-pass, which names their closures too.
        frozen = _frozen.objects()
        ctx.frozen_unlisted = frozen is None
        _prepass(ctx, frozen or ())
        ctx.static_types = _static_types(ctx)
        ctx.exclude.update(own_frames)
        own_frames = None
        ctx.exclude.update(ctx.own_ids())
        ctx.exclude.update((id(f), id(getattr(f, "raw", f)), id(options)))
        if frozen is not None:
            ctx.exclude.add(id(frozen))
        objs = gc.get_objects()
        ctx.exclude.add(id(objs))
        if frozen:
            objs.extend(frozen)
            del frozen[:]  # `objs` lists it (ours, excluded): its references are not the process's
        frozen = None
        writer = PyheapWriter(f)
        if held:
            # Past the limit the walk shares the GIL again (I/O would otherwise wait for the
            # raised interval each time another thread took it).
            # Likewise past 80 % of the hold: waiters are about to take the GIL anyway, and
            # with the raised interval each handover would cost the dump that interval.
            writer.defer(_DEFER_LIMIT, lambda: sys.setswitchinterval(switch_interval),
                         t_walk + 0.8 * held)
        writer.section(b"META", meta.encode("utf-8"))
        meta = None
        walker = Walker(writer, options, ctx)
        walker.run(objs)
        objs = None
        _write_roots(writer, ctx)
        if options.get("tracemalloc"):
            _write_tracebacks(writer, walker)
        walk_seconds = time.perf_counter() - t_walk
        # Everything is read: other threads may run from here on. The interval first, or each
        # GIL release in zlib/write() would wait the raised interval for a busy thread.
        sys.setswitchinterval(switch_interval)
        writer.undefer()
        seconds = time.perf_counter() - t0
        writer.info({"objects": writer.n_objects + len(writer.o_addr),
                     "edges": writer.n_edges + len(writer.e_target),
                     "seconds": seconds, "pauseSeconds": options.get("pause", seconds),
                     "incompleteObjects": walker.n_incomplete,
                     # Exclusive only without other threads: a thread already waiting when the
                     # interval was raised can still take the GIL briefly (its old timer).
                     "walkExclusive": not others,
                     "gilHeld": bool(held and not writer.defer_overflowed
                                     and walk_seconds < 0.8 * held),
                     "otherThreads": others, "busyThreadSeen": bool(busy),
                     "holdSeconds": held or 0,
                     "walkSeconds": walk_seconds,
                     "deferredBytes": writer.deferred_bytes})
        size = writer.finish()
        f.flush()
        os.fsync(f.fileno())
        f.close()
        os.replace(tmp, path)
        stats = DumpStats(writer.n_objects, writer.n_edges, size, time.perf_counter() - t0,
                          options.get("pause", time.perf_counter() - t0), path,
                          walker.n_incomplete)
        return stats
    except WriteError as exc:
        _discard(f, tmp)
        raise DumpError("%s: write failed: %s; no file was left" % (path, exc)) from None
    except OSError as exc:
        _discard(f, tmp)
        raise DumpError("%s: write failed: %s; no file was left" % (path, _os_error_text(exc))) \
            from None
    except DumpError:
        _discard(f, tmp)
        raise
    except BaseException as exc:
        _discard(f, tmp)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        raise DumpError("%s: dump failed: %s: %s" % (path, type(exc).__name__, exc)) from exc
    finally:
        sys.setswitchinterval(switch_interval)
        if tmp is not None:
            _IN_FLIGHT.discard(tmp)
        _restore_garbage(ctx, gc_debug)
        if gc_was_enabled:
            gc.enable()


def _create_tmp(path):
    """A new file next to `path` for the dump: (file object, its name).

    A snapshot holds the process's secrets, and the directory may be shared: the name is
    random (never a predictable `.<name>.<pid>.tmp` another user could plant a symlink at),
    O_EXCL|O_NOFOLLOW refuse anything already there, and the mode is 0600.
    """
    directory = os.path.dirname(os.path.abspath(path))
    flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
    for attempt in range(8):
        tmp = os.path.join(directory, ".%s.%d.%s.tmp" % (os.path.basename(path), os.getpid(),
                                                          os.urandom(6).hex()))
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:
            if attempt == 7:
                raise
            continue
        _IN_FLIGHT.add(tmp)
        try:
            return open(fd, "wb", buffering=1 << 20), tmp
        except BaseException:
            os.close(fd)
            _discard(None, tmp)
            raise
    raise AssertionError("unreachable")


def _discard(f, tmp):
    try:
        if f is not None:
            f.close()
    except OSError:
        pass
    try:
        if tmp is not None:
            os.unlink(tmp)
    except OSError:
        pass


def collect_garbage():
    """Full collections until one finds nothing, at most _COLLECT_PASSES."""
    for _ in range(_COLLECT_PASSES):
        if not gc.collect():
            break


def _save_garbage(ctx, gc_debug):
    """collect=False: let the GC find cyclic garbage but park it in gc.garbage, unfreed."""
    ctx.garbage_list_len = len(gc.garbage)
    gc.set_debug(gc_debug | gc.DEBUG_SAVEALL)
    try:
        gc.collect()
    finally:
        gc.set_debug(gc_debug)
    for obj in gc.garbage[ctx.garbage_list_len:]:
        ctx.garbage.add(id(obj))
        ctx.held[id(obj)] = ctx.held.get(id(obj), 0) + 1  # the gc.garbage slot is ours
    if ctx.garbage:
        ctx.garbage_list_owner.add(id(gc.garbage))


def _restore_garbage(ctx, gc_debug):
    if ctx.garbage:
        del gc.garbage[ctx.garbage_list_len:]  # the next collection frees them, as it would have
    gc.set_debug(gc_debug)


def _own_frames():
    """ids of this thread's frames that belong to the dumper (innermost run of heapscope files)."""
    ids = set()
    frame = sys._getframe()
    mine = _is_own_thread(threading.get_ident())
    while frame is not None:
        if not mine and not (_names.exact_str(frame.f_code.co_filename) or "").startswith(_PKG_DIR):
            break
        ids.add(id(frame))
        frame = frame.f_back
    return ids


def _is_own_thread(ident):
    """A heapscope helper thread (signal, periodic dumps). Not threading.current_thread(): it
    would create a _DummyThread for a thread threading does not know, and `.name` is a
    property a Thread subclass may override."""
    if ident in OWN_THREADS:
        return True
    t = dict.get(threading._active, ident)
    return t is not None and (_names.exact_str(_names.plain_attr(t, "_name")) or "").startswith(
        "heapscope-")


def _capture_threads(ctx, own_frames):
    # Keyed by threading's own dict keys: Thread.ident is a property a subclass may override.
    names = {ident: _names.exact_str(_names.plain_attr(t, "_name"))
             for ident, t in list(dict.items(threading._active))}
    current = threading.get_ident()
    for ident, frame in sys._current_frames().items():
        tname = names.get(ident) or "?"
        if ident == current:
            # Our own innermost frames (this one included) are not the process's.
            own_frames.update(_own_frames())
        elif ident in OWN_THREADS or tname.startswith("heapscope-"):
            # Our helper threads (signal, periodic dumps) are not the process's either.
            f = frame
            while f is not None:
                own_frames.add(id(f))
                f = f.f_back
        while frame is not None:
            if id(frame) not in own_frames:
                label = "Thread %s (ident %d) · %s at %s:%s" % (
                    tname, ident, frame.f_code.co_name, frame.f_code.co_filename, frame.f_lineno)
                ctx.thread_roots.append((id(frame), label))
                ctx.live_frames.add(id(frame))
                ctx.frame_objs.append(frame)
                ctx.held[id(frame)] = ctx.held.get(id(frame), 0) + 1
                if _V < (3, 13):
                    _touch_locals(frame)
            frame = frame.f_back


def _touch_locals(frame):
    try:
        frame.f_locals
    except Exception:
        pass


def _prepass(ctx, frozen):
    """Name closure cells and materialize frame locals before the real object list is taken."""
    touched = 0
    objs = gc.get_objects()
    try:
        for obj in itertools.chain(objs, frozen):
            tp = type(obj)
            if tp is types.FunctionType:
                closure = obj.__closure__
                if closure:
                    names = tuple(_copy_str(n) for n in obj.__code__.co_freevars)
                    ctx.closure_names[id(closure)] = names
                    for cell, name in zip(closure, names):
                        ctx.cell_names[id(cell)] = name
            elif id(tp) in _GEN_FRAME and touched < _MAX_FRAMES_TOUCHED:
                frame = getattr(obj, _GEN_FRAME[id(tp)])  # creates the frame object on 3.11+
                if frame is not None and _V < (3, 13):
                    _touch_locals(frame)
                touched += 1
            elif (tp is types.FrameType and _V < (3, 13) and touched < _MAX_FRAMES_TOUCHED
                  and id(obj) not in ctx.foreign):
                _touch_locals(obj)
                touched += 1
        return len(objs)
    finally:
        obj = frame = closure = None
        objs = None


def _other_threads():
    """Python threads that may run during the walk (not ours)."""
    current = threading.get_ident()
    return sum(1 for ident in sys._current_frames() if ident != current and
               not _is_own_thread(ident))


def _hold_gil(old):
    """Keep other threads off the GIL for the walk; returns the seconds the hold lasts, or None.

    A thread that asks for the GIL waits the switch interval, then asks the holder to drop it.
    Raised above the walk's expected length, a thread that wakes (I/O done, a lock or timer)
    during the walk waits for the walk to end: one state of the heap, nearly.

    Not against a thread that is already waiting, on the old interval, when it is raised: its
    request still comes, it takes the GIL, and the walk then waits the whole raised interval
    for it back (a CPU-bound thread never drops the GIL on its own). Releasing and retaking the
    GIL to requeue such waiters loses the race to them often (measured: most tries with one
    busy thread), each loss costing that interval. So the caller holds only when a short probe
    (_busy_thread_seen) sees no thread keeping the GIL for a switch interval; with one, the
    walk shares the GIL (INFO.gilHeld false, INFO.busyThreadSeen true). A thread that starts
    waiting in the instant between probe and raise is the residue: the hold is bounded
    (_HOLD_MAX), and the dump says it was shared.
    """
    expected = sys.getallocatedblocks() * _HOLD_PER_BLOCK  # cheap, unlike counting objects
    new = max(old, min(max(_HOLD_MIN, expected), _HOLD_MAX))
    sys.setswitchinterval(new)
    return new


def _busy_thread_seen(interval):
    """True when another thread of this process computed for about a switch interval.

    Runs bytecode for some intervals (so drop requests are honoured) and watches the clock: a
    thread that only wakes, does a little and blocks again leaves gaps far below the interval;
    a thread that computes keeps the GIL until asked, one interval at least. A gap can also be
    the OS running another process (a loaded machine): then this process's CPU time stood
    still too, so a gap counts only when other threads of the process used most of it. Long
    enough (10 intervals, 50-100 ms) that a busy thread the OS is slow to schedule still shows.
    """
    clock, process_cpu, thread_cpu = time.perf_counter, time.process_time, _thread_time
    window = min(max(10 * interval, _PROBE_MIN), _PROBE_MAX)
    threshold = 0.9 * interval  # a computing thread keeps the GIL until asked: a whole interval
    now, cpu, own = clock(), process_cpu(), thread_cpu()
    end = now + window
    while now < end:
        last, last_cpu, last_own = now, cpu, own
        now = clock()
        if now - last > threshold:
            cpu, own = process_cpu(), thread_cpu()
            if (cpu - last_cpu) - (own - last_own) > 0.5 * (now - last):
                return True
    return False


def _thread_time():
    return 0.0  # no per-thread clock: every gap where the process computed counts


_thread_time = getattr(time, "thread_time", _thread_time)


class _ForkCapture:
    """Other threads' stacks, read in the parent: in the child those frames must not be touched."""

    __slots__ = ("thread_roots", "live", "frame_objs", "foreign", "keep")  # no __dict__ (see _Context)

    def __init__(self):
        self.thread_roots = []
        self.live = set()
        self.frame_objs = []
        self.foreign = {}   # id(frame) -> [(target id, kind, name, label)]
        self.keep = []      # keeps the targets alive (and at their addresses) until the child reads them

    def install(self, ctx):
        ctx.thread_roots = self.thread_roots
        ctx.live_frames = self.live
        ctx.frame_objs = self.frame_objs
        for frame in self.frame_objs:
            ctx.held[id(frame)] = ctx.held.get(id(frame), 0) + 1
        ctx.foreign = self.foreign
        for obj in self.keep:
            ctx.held[id(obj)] = ctx.held.get(id(obj), 0) + 1
        ctx.exclude.update((id(self), id(self.keep), id(self.frame_objs)))


def capture_for_fork():
    cap = _ForkCapture()
    own = _own_frames()
    current = threading.get_ident()
    ctx = _Context()
    _capture_threads(ctx, own)
    cap.thread_roots, cap.live, cap.frame_objs = ctx.thread_roots, ctx.live_frames, ctx.frame_objs
    for ident, frame in sys._current_frames().items():
        if ident == current:
            continue
        while frame is not None:
            edges = []
            for name in ("f_back", "f_code", "f_globals", "f_builtins"):
                value = getattr(frame, name, None)
                if value is not None:
                    edges.append((id(value), INTERNAL, name))
                    cap.keep.append(value)
            loc, loc_dict = _edges.frame_locals(frame)
            if loc is not None:
                for name, value in list(loc.items()):
                    if type(name) is str:
                        edges.append((id(value), LOCAL, _copy_str(name)))
                    cap.keep.append(value)
            cap.foreign[id(frame)] = (edges, _names.frame_label(frame))
            frame = frame.f_back
    # Skipped last, the current thread leaves `frame` bound to this very frame: a cycle (frame ->
    # its locals -> frame) holding `ctx`, which the child, its gc off, would dump as garbage.
    frame = None
    return cap


_SUBCLASSES = type.__dict__["__subclasses__"]  # the C method: a metaclass cannot override it
STATIC_TYPES_LABEL = "interpreter: static types"


def _static_types(ctx):
    """Every static (not heap-allocated) type reachable through `__subclasses__` from object.

    The interpreter (or a C extension's static storage) owns these; on 3.12+ they are immortal,
    so no refcount makes them held-from-C roots, and many are referenced by no Python object at
    all: without a root, they and their dicts and descriptors would read as cyclic garbage.
    """
    found, seen, stack = [], set(), [object]
    while stack:  # explicit stack: no recursion over the class hierarchy
        tp = stack.pop()
        if id(tp) in seen:
            continue
        seen.add(id(tp))
        if not _names.is_heap_type(tp):
            found.append(tp)
            ctx.held[id(tp)] = ctx.held.get(id(tp), 0) + 1  # the reference in `found`
        try:
            stack.extend(_SUBCLASSES(tp))
        except Exception:
            pass
    return found


def _write_roots(writer, ctx):
    modules = sys.modules
    for name, mod in list(dict.items(modules)) if issubclass(type(modules), dict) else ():
        if mod is not None:
            writer.root(id(mod), _names.exact_str(name) or "?", ROOT_MODULE)
    for frame_id, label in ctx.thread_roots:
        writer.root(frame_id, label, ROOT_THREAD_FRAME)
    sys_roots = [("sys.modules", sys.modules), ("builtins", sys.modules.get("builtins")),
                 ("gc.garbage", gc.garbage), ("sys.path_importer_cache", sys.path_importer_cache),
                 ("sys.meta_path", sys.meta_path), ("sys.path_hooks", sys.path_hooks),
                 ("sys.path", sys.path), ("sys.argv", sys.argv)]
    for name in ("last_exc", "last_value", "last_traceback", "last_type", "stdout", "stderr",
                 "stdin", "displayhook", "excepthook"):
        value = sys.__dict__.get(name)
        if value is not None:
            sys_roots.append(("sys." + name, value))
    for name, value in sys_roots:
        if value is not None:
            writer.root(id(value), name, ROOT_SYS)
    for tp in ctx.static_types:
        writer.root(id(tp), STATIC_TYPES_LABEL, ROOT_SYS)
    writer.flush_roots()


def _write_tracebacks(writer, walker):
    """TBAK (each distinct traceback once), then ALOC: object address -> traceback id."""
    raw = sorted(walker.tb_ids.items(), key=lambda item: item[1])
    if not raw:
        return
    tracebacks, remap = {}, []
    for frames, _ in raw:
        frames = _drop_own_outer_frames(frames)[::-1]  # oldest first
        remap.append(tracebacks.setdefault(frames, len(tracebacks)))
    first = writer.tracebacks(list(tracebacks))
    walker.aloc_tb = type(walker.aloc_tb)("I", (remap[t] + first for t in walker.aloc_tb))
    writer.allocations(walker.aloc_addr, walker.aloc_tb)


def _drop_own_outer_frames(frames):
    """Frames (most recent first) without the run of heapscope's (and runpy's) at the outer end.

    Under `python -m heapscope run`, a script's allocations are made beneath runpy and our CLI;
    those frames say nothing about the program. Kept if nothing else would remain.
    """
    i = len(frames)
    ours = False
    while i > 0:
        filename = frames[i - 1][0]
        if filename.startswith(_PKG_DIR):
            ours = True
        elif not (filename == "<frozen runpy>" or filename.endswith("runpy.py")):
            break
        i -= 1
    return frames[:i] if ours and i > 0 else frames
