"""What a process of the endpoint may do: no network, bounded memory.

Oxigraph evaluates ``SERVICE`` and ``LOAD`` with its own HTTP client, and pyoxigraph has no
switch to turn that off. So the processes that run untrusted SPARQL are made unable to open
a network socket at all: a seccomp filter (libseccomp, through ``pyseccomp``) answers
``socket()`` for any family but Unix-domain sockets with EACCES, and forbids io_uring, which
could open sockets around that filter. Unix-domain sockets stay, for the pipes between the
server and its workers. The query workers get the filter when they start; ``maalgraph serve``
over the embedded store puts it on the server process too, once its listening socket is
bound (an update runs in the server process).

Memory is capped per worker with ``RLIMIT_AS`` (address space): what the worker holds once it
has loaded its data, plus what one query may take. A query past it makes the engine's
allocation fail; the worker dies, the server answers 503 and starts a new one.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import resource
import socket
import sys

log = logging.getLogger("maalgraph.server")

# the main thread's stack in a worker: what Oxigraph's recursive parser may use there
WORKER_STACK_BYTES = 8 * 1024 * 1024


def deny_network(*, all_threads: bool = False) -> bool:
    """Forbid this process (every thread, with ``all_threads``) to open a socket that could
    reach another host. True if it is in force; False where seccomp is not available (not
    Linux, no libseccomp), which is logged."""
    if not sys.platform.startswith("linux"):
        log.warning("no network sandbox on %s: SERVICE and LOAD are refused by parsing only",
                    sys.platform)  # fmt: skip
        return False
    try:
        import pyseccomp as seccomp  # type: ignore[import-untyped]
    except (ImportError, RuntimeError) as exc:  # RuntimeError: libseccomp.so.2 not found
        log.warning("no network sandbox (%s): SERVICE and LOAD are refused by parsing only", exc)
        return False
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    if all_threads:
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)
    rules.add_rule(
        seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX)
    )
    for call in ("io_uring_setup", "io_uring_enter", "io_uring_register"):
        # a libseccomp too old to know the call: nor does the kernel
        with contextlib.suppress(ValueError, OSError):
            rules.add_rule(seccomp.ERRNO(errno.ENOSYS), call)
    try:
        rules.load()
    except OSError as exc:  # a container that forbids seccomp itself
        log.warning("no network sandbox (%s): SERVICE and LOAD are refused by parsing only", exc)
        return False
    return True


def network_denied() -> bool:
    """Whether this process can open no Internet socket (what the filter promises)."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False


def address_space() -> int:
    """The bytes of address space this process has mapped now (Linux: /proc/self/statm)."""
    import os

    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def cap_memory(extra_bytes: int) -> int | None:
    """Let this process grow by at most ``extra_bytes`` of address space from now on (and
    its main thread's stack to at most WORKER_STACK_BYTES); returns the cap, None if there
    is none (``extra_bytes`` 0, or not Linux). Only the soft limit is set, so that the
    worker can lift it to load a new snapshot of the data."""
    if extra_bytes <= 0 or not sys.platform.startswith("linux"):
        return None
    cap = address_space() + extra_bytes
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(
        resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard)
    )
    stack_hard = resource.getrlimit(resource.RLIMIT_STACK)[1]
    if stack_hard == resource.RLIM_INFINITY or stack_hard >= WORKER_STACK_BYTES:
        resource.setrlimit(resource.RLIMIT_STACK, (WORKER_STACK_BYTES, stack_hard))
    return cap


def lift_memory_cap() -> None:
    """Back to the hard limit (before loading new data; capped again after)."""
    if sys.platform.startswith("linux"):
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
