"""Runs inside gdb (`gdb -nx -batch -p PID -x _gdbscript.py`), never in the target or the package.

Job: get the target to run the bootstrap (`HEAPSCOPE_BOOTSTRAP`) once, on a thread that holds the
GIL at a point where running Python code is allowed, then detach. Arguments come from the
environment (JSON in HEAPSCOPE_GDB_ARGS), never from text pasted into gdb commands.

Why the bootstrap is not simply called on whatever thread gdb stopped (the usual gdb recipe):
that thread may be inside malloc (gdb's own string allocation would deadlock), in the middle of a
bytecode with the GIL held (Python code would run mid-instruction), or waiting for a GIL that a C
call holds for minutes (PyGILState_Ensure blocks inside gdb's call, which cannot be cancelled
without corrupting the thread). Instead we only ever run code at *safe points*, function entries
where CPython's own API contract says the thread holds the GIL in a consistent state:

- `PyEval_SaveThread`: about to release the GIL for blocking work (other threads may run now);
- `PyErr_CheckSignals`: signal handlers (Python code) may run here;
- `_PyEval_EvalFrameDefault`: a Python frame is about to start.

and check PyGILState_Check() and PyErr_Occurred() there before running anything. Waiting for a
safe point is only a breakpoint and `continue`, so the timeout is clean: delete the breakpoints,
detach, and the target never ran any of our code. Two nudges make idle and busy targets reach a
safe point quickly:

- the main thread blocked in a sleep/select/poll/read/lock wait is made to return EINTR, exactly
  what a Python signal handler would cause (PEP 475: CPython retries after PyErr_CheckSignals);
- `Py_AddPendingCall(PyErr_CheckSignals)` makes a main thread busy in bytecode call
  PyErr_CheckSignals at its next eval-breaker check. If we time out, that call still runs once,
  later, and does what it always does (check for signals).

Output: lines `HEAPSCOPE {json}` on stdout, read by _capture.py.
"""

import json
import os
import signal
import threading
import time

import gdb  # noqa: F401  (only importable inside gdb)

ARGS = json.loads(os.environ["HEAPSCOPE_GDB_ARGS"])
SAFE_POINTS = ("PyEval_SaveThread", "PyErr_CheckSignals", "_PyEval_EvalFrameDefault")
# x86-64 syscalls after which CPython retries on EINTR (PEP 475) or glibc treats EINTR as a
# spurious wake-up (futex): sleeps, select/poll/epoll, reads, accept, wait, locks.
EINTR_SYSCALLS = {0, 7, 23, 35, 43, 45, 47, 61, 202, 230, 232, 247, 270, 271, 281, 288, 441}
RESTART_CODES = {-512, -514, -516}  # ERESTARTSYS, ERESTARTNOHAND, ERESTART_RESTARTBLOCK
NUDGE_AFTER = 0.05


def emit(event, **fields):
    fields["event"] = event
    gdb.write("HEAPSCOPE %s\n" % json.dumps(fields))
    gdb.flush()


def ev(expr):
    return gdb.parse_and_eval(expr)


def call_int(expr):
    return int(ev(expr))


def has_symbol(name):
    try:
        ev("(long)&%s" % name)
        return True
    except gdb.error:
        return False


CANCEL = threading.Event()
# Our own wake-up signal. `interrupt` (SIGINT) raced with breakpoint stops: a SIGINT sent just as the
# target stopped stayed pending and aborted our next inferior call, and a SIGINT meant for the target
# could not be told from ours. SIGRTMAX is stopped on only while we `continue`, never passed to the
# target, and ignored (swallowed) during our calls.
WAKE = "SIG%d" % signal.SIGRTMAX


def watch_stdin(timer):
    """EOF or any line on stdin cancels the wait: the capturer closed it (cancel, or it died).

    This is the only way in: a signal to gdb would reach the target as SIGINT, and killing gdb
    while breakpoints are inserted would leave int3 instructions in the target.
    """
    try:
        os.read(0, 4096)  # blocks until a line (cancel) or EOF (the capturer is gone)
    except OSError:
        pass
    CANCEL.set()
    timer.fire_now()


class Interrupter:
    """Stops a running `continue` at a deadline by sending WAKE to the target (thread-safe)."""

    def __init__(self, pid):
        self.pid = pid
        self.fired = False
        self.armed = False
        self.generation = 0
        self.lock = threading.Lock()

    def arm(self, seconds):
        with self.lock:
            self.armed = True
            self.fired = False
            self.generation += 1
            gen = self.generation
        threading.Thread(target=self._later, args=(seconds, gen), daemon=True).start()

    def disarm(self):
        with self.lock:
            self.armed = False
            self.generation += 1

    def _later(self, seconds, gen):
        time.sleep(max(0.0, seconds))
        self._fire(gen)

    def fire_now(self):
        self._fire(self.generation)

    def _fire(self, gen):
        with self.lock:
            if gen != self.generation or not self.armed:
                return
            self.fired = True
        try:
            os.kill(self.pid, signal.SIGRTMAX)
        except OSError:
            pass


def setup():
    for cmd in ("set pagination off", "set confirm off", "set width 0",
                "set unwindonsignal on", "set print thread-events off",
                "set print inferior-events off", "set detach-on-fork on",
                "set follow-fork-mode parent",
                "handle all nostop noprint pass", "handle SIGINT nostop noprint pass",
                "handle %s nostop noprint nopass" % WAKE):
        gdb.execute(cmd, to_string=True)


def preflight():
    needed = ("Py_IsInitialized", "PyGILState_Ensure", "PyGILState_Release", "PyGILState_Check",
              "PyRun_SimpleString", "PyMem_RawMalloc", "PyMem_RawFree", "PyErr_Occurred",
              "Py_AddPendingCall", "PyErr_CheckSignals")
    missing = [name for name in needed if not has_symbol(name)]
    if missing:
        return "the target does not export %s: not a CPython 3.8+ process" % ", ".join(missing)
    if call_int("((int (*)(void))Py_IsInitialized)()") == 0:
        return "the target's interpreter is not initialized (starting up or already finalized)"
    for name in ("Py_IsFinalizing", "_Py_IsFinalizing"):
        if has_symbol(name) and call_int("((int (*)(void))%s)()" % name):
            return "the target's interpreter is shutting down"
    return None


def main_thread():
    inferior = gdb.selected_inferior()
    for thread in inferior.threads():
        if thread.ptid[1] == inferior.pid:
            return thread
    return None


def nudge():
    """Main thread: queue a PyErr_CheckSignals call and interrupt its blocking syscall (EINTR)."""
    thread = main_thread()
    if thread is None:
        return
    thread.switch()
    nudged = False
    try:
        rax, orig = call_int("(long)$rax"), call_int("(long)$orig_rax")
        if rax in RESTART_CODES and orig in EINTR_SYSCALLS:
            gdb.execute("set var $orig_rax = -1", to_string=True)  # do not restart it
            gdb.execute("set var $rax = -4", to_string=True)       # -EINTR
            nudged = True
    except gdb.error:
        pass  # not x86-64: the pending call alone will do once the thread runs bytecode
    call_int("((int (*)(void *, void *))Py_AddPendingCall)((void *)&PyErr_CheckSignals, 0)")
    emit("nudged", eintr=nudged)


def at_safe_point():
    """True when the stopped thread holds the GIL and has no exception set."""
    try:
        frame = gdb.selected_frame()
        name = frame.name() or ""
    except gdb.error:
        return False
    if name not in SAFE_POINTS:
        return False
    if call_int("((int (*)(void))PyGILState_Check)()") != 1:
        return False
    return call_int("(long)((void *(*)(void))PyErr_Occurred)()") == 0


def run_bootstrap():
    code = os.environ["HEAPSCOPE_BOOTSTRAP"].encode("utf-8") + b"\0"
    t0 = time.monotonic()
    state = call_int("((int (*)(void))PyGILState_Ensure)()")
    buf = call_int("(long)((void *(*)(unsigned long))PyMem_RawMalloc)(%d)" % len(code))
    if buf == 0:
        gdb.execute("call ((void (*)(int))PyGILState_Release)(%d)" % state, to_string=True)
        return "the target is out of memory (PyMem_RawMalloc failed)"
    gdb.selected_inferior().write_memory(buf, code)
    rc = call_int("((int (*)(const char *))PyRun_SimpleString)((const char *)%d)" % buf)
    gdb.execute("call ((void (*)(void *))PyMem_RawFree)((void *)%d)" % buf, to_string=True)
    gdb.execute("call ((void (*)(int))PyGILState_Release)(%d)" % state, to_string=True)
    emit("ran", seconds=time.monotonic() - t0, rc=rc)
    return None


def wait_for_safe_point(deadline, timer):
    breakpoints = [gdb.Breakpoint(name, internal=True) for name in SAFE_POINTS if has_symbol(name)]
    nudged = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or CANCEL.is_set():
                return False
            timer.arm(left if nudged else min(left, NUDGE_AFTER))
            if STOPPED_AT[0] is not None:  # how long attaching and setting up kept it stopped
                emit("resumed", stoppedSeconds=time.monotonic() - STOPPED_AT[0])
                STOPPED_AT[0] = None
            resume_target("continue")
            timer.disarm()
            if timer.fired:
                if not nudged:
                    nudge()
                    nudged = True
            elif at_safe_point():
                return True
    finally:
        timer.disarm()
        for bp in breakpoints:
            if bp.is_valid():
                bp.delete()


def resume_target(command):
    # "stop print": gdb's `noprint` would imply `nostop` and let the signal through silently.
    gdb.execute("handle %s stop print nopass" % WAKE, to_string=True)
    try:
        gdb.execute(command, to_string=True)
    except gdb.error as exc:
        if not gdb.selected_inferior().pid:
            raise TargetExited() from exc
        raise
    if not gdb.selected_inferior().pid:
        raise TargetExited()
    gdb.execute("handle %s nostop noprint nopass" % WAKE, to_string=True)


class TargetExited(Exception):
    pass


STOPPED_AT = [None]


def main():
    setup()
    STOPPED_AT[0] = time.monotonic()
    try:
        gdb.execute("attach %d" % int(ARGS["pid"]), to_string=True)
    except gdb.error as exc:
        emit("error", code="attach", message=str(exc).splitlines()[0])
        return
    emit("attached")
    try:
        problem = preflight()
        if problem:
            emit("error", code="unsupported", message=problem)
            return
        emit("waiting", timeout=ARGS["timeout"])
        timer = Interrupter(int(ARGS["pid"]))
        threading.Thread(target=watch_stdin, args=(timer,), daemon=True).start()
        if not wait_for_safe_point(time.monotonic() + float(ARGS["timeout"]), timer):
            if CANCEL.is_set():
                emit("error", code="cancelled", message="cancelled")
            else:
                emit("error", code="timeout", message="no thread reached a safe point")
            return
        emit("injecting", thread=gdb.selected_thread().ptid[1])
        problem = run_bootstrap()
        if problem:
            emit("error", code="inject", message=problem)
    except TargetExited:
        emit("error", code="exited", message="the target exited")
        return
    finally:
        if gdb.selected_inferior().pid:
            gdb.execute("detach", to_string=True)
            emit("detached")


main()
