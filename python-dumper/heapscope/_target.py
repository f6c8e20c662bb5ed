"""What `heapscope capture` knows about a process before touching it: read from /proc only.

Every check returns nothing or raises CaptureError with one line a user can act on; none of
them attaches, signals or writes anything.
"""

import os
import re
import stat
import time

SUPPORTED_GDB = ((3, 8), (3, 13))   # tested here with gdb; 3.14+ goes through sys.remote_exec
_LIBPYTHON = re.compile(r"/libpython(\d)\.(\d+)([a-z]*)\.so")
_EXE = re.compile(r"^python(\d)\.(\d+)([a-z]*)$")
YAMA = "/proc/sys/kernel/yama/ptrace_scope"


class CaptureError(Exception):
    """A capture failed or cannot start; `code` is stable (for the app), the text one line."""

    def __init__(self, code, message):
        Exception.__init__(self, message)
        self.code = code


class Target:
    """Plain facts about one process (all from /proc/PID)."""

    def __init__(self, pid):
        self.pid = pid
        self.version = None     # (major, minor) or None
        self.abiflags = ""      # "d" debug, "t" free-threaded
        self.exe = None
        self.uid = None
        self.gids = set()
        self.cmdline = []
        self.rss = None
        self.start_time = None


def read_target(pid):
    """Target for `pid`, or CaptureError (no such process / not Python)."""
    proc = "/proc/%d" % pid
    if not os.path.exists(proc):
        raise CaptureError("no-such-process", "no process with PID %d" % pid)
    if not is_alive(pid):  # a zombie: gdb would say "already terminated"
        raise CaptureError("no-such-process", "PID %d has exited (a zombie its parent has not "
                           "reaped)" % pid)
    t = Target(pid)
    _read_status(t, proc)
    try:
        with open(proc + "/cmdline", "rb") as f:
            t.cmdline = [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
    except OSError:
        pass
    try:
        t.exe = os.readlink(proc + "/exe")
    except OSError:
        t.exe = None
    t.start_time = _start_time(proc)
    _python_version(t, proc)
    return t


def _read_status(t, proc):
    try:
        with open(proc + "/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields = value.split()
                if key == "Uid":
                    t.uid = int(fields[1])  # effective uid: what file permissions use
                elif key == "Gid":
                    t.gids.add(int(fields[1]))
                elif key == "Groups":
                    t.gids.update(int(g) for g in fields)
                elif key == "VmRSS":
                    t.rss = int(fields[0]) * 1024
    except (OSError, ValueError, IndexError):
        raise CaptureError("no-such-process", "no process with PID %d (it exited)" % t.pid)


def _start_time(proc):
    try:
        with open(proc + "/stat", "rb") as f:
            ticks = int(f.read().rsplit(b")", 1)[1].split()[19])
        with open("/proc/stat", "rb") as f:
            for line in f:
                if line.startswith(b"btime"):
                    return int(line.split()[1]) + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None
    return None


def _python_version(t, proc):
    """From the libpython the process mapped, else from its executable's name."""
    try:
        with open(proc + "/maps") as f:
            for line in f:
                m = _LIBPYTHON.search(line)
                if m:
                    t.version, t.abiflags = (int(m.group(1)), int(m.group(2))), m.group(3)
                    return
    except OSError:
        pass  # another user's process: the exe name may still say
    m = _EXE.match(os.path.basename(t.exe or ""))
    if m:
        t.version, t.abiflags = (int(m.group(1)), int(m.group(2))), m.group(3)


def require_python(t):
    if t.version is None:
        raise CaptureError("not-python", "PID %d (%s) is not a Python process (no libpython, "
                           "executable is not pythonX.Y)" % (t.pid, t.exe or "executable unknown"))
    if t.version < SUPPORTED_GDB[0]:
        raise CaptureError("unsupported", "PID %d runs Python %d.%d; capture needs 3.8 or newer"
                           % ((t.pid,) + t.version))
    if "t" in t.abiflags:
        raise CaptureError("unsupported", "PID %d runs a free-threaded Python (%d.%dt); capture "
                           "does not support it yet: call heapscope.dump() from the program, or "
                           "install heapscope.install_signal_handler()" % ((t.pid,) + t.version))


def ptrace_scope():
    try:
        with open(YAMA) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None  # no Yama: only the usual uid / CAP_SYS_PTRACE rules apply


def require_ptrace(t):
    """The checks the kernel will make when gdb attaches, said before it does."""
    scope = ptrace_scope()
    allow = "sudo sysctl -w kernel.yama.ptrace_scope=0 (or run the capture with sudo)"
    if scope == 3:
        raise CaptureError("ptrace", "ptrace is disabled (kernel.yama.ptrace_scope=3, cannot be "
                           "lowered until reboot); install heapscope.install_signal_handler() in "
                           "the program and use `heapscope capture --signal`")
    if os.geteuid() == 0:
        return
    if t.uid is not None and t.uid != os.geteuid():
        raise CaptureError("ptrace", "PID %d runs as uid %d, you are uid %d: capture as that user "
                           "or with sudo" % (t.pid, t.uid, os.geteuid()))
    if scope == 2:
        raise CaptureError("ptrace", "kernel.yama.ptrace_scope=2 lets only root attach: run the "
                           "capture with sudo")
    if scope == 1 and not _is_ancestor_of(t.pid):
        raise CaptureError("ptrace", "kernel.yama.ptrace_scope=1 lets a process attach only to "
                           "its own descendants: " + allow)


def _is_ancestor_of(pid):
    me = os.getpid()
    while pid > 1:
        try:
            with open("/proc/%d/stat" % pid, "rb") as f:
                pid = int(f.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            return False
        if pid == me:
            return True
    return False


def require_visible(t, path, what):
    """`path` must be the same file inside the target's mount namespace (containers)."""
    try:
        same_ns = os.readlink("/proc/self/ns/mnt") == os.readlink("/proc/%d/ns/mnt" % t.pid)
    except OSError:
        same_ns = True  # cannot tell (not permitted): the capture itself will say
    if same_ns:
        return
    inside = "/proc/%d/root%s" % (t.pid, path)
    try:
        a, b = os.stat(path), os.stat(inside)
        if (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino):
            return
    except OSError:
        pass
    raise CaptureError("namespace", "PID %d runs in another mount namespace (a container?) where "
                       "%s %s is not visible at the same path; copy it into the container (or "
                       "mount it there) and pass %s" % (t.pid, what, path,
                                                        "--dumper-dir" if what == "the dumper"
                                                        else "-o PATH on a shared directory"))


def require_writable(t, directory):
    """The target's user must be able to create files in `directory` (it writes the dump)."""
    try:
        st = os.stat(directory)
    except OSError as exc:
        raise CaptureError("output", "%s: %s" % (directory, exc.strerror))
    if not stat.S_ISDIR(st.st_mode):
        raise CaptureError("output", "%s is not a directory" % directory)
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            raise CaptureError("output", "%s is on a read-only file system" % directory)
    except OSError:
        pass
    if t.uid == 0:
        return
    if t.uid == st.st_uid:
        bits = stat.S_IWUSR | stat.S_IXUSR
    elif st.st_gid in t.gids:
        bits = stat.S_IWGRP | stat.S_IXGRP
    else:
        bits = stat.S_IWOTH | stat.S_IXOTH
    if st.st_mode & bits != bits:
        raise CaptureError("output", "the target runs as uid %d, which cannot write to %s: choose "
                           "a directory it can write (-o /tmp/x.pyheap) or chmod it"
                           % (t.uid, directory))


def is_alive(pid):
    """True while `pid` exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


def default_output(pid):
    return os.path.abspath("heapscope-%d-%s.pyheap" % (pid, time.strftime("%Y%m%d-%H%M%S")))


def list_python_processes():
    """Python processes this user could capture: [Target], oldest first."""
    out = []
    me = os.getpid()
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == me:
            continue
        try:
            t = read_target(int(name))
            require_python(t)
            require_ptrace(t)
        except CaptureError:
            continue
        out.append(t)
    out.sort(key=lambda t: (t.start_time or 0, t.pid))
    return out
