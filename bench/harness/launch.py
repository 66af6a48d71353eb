"""The lean launcher: spawn one command, wait for it, print what the kernel accounted to it.

    python -I -S launch.py STDOUT STDERR -- COMMAND [ARG...]

Prints one line: `exit_code user_s sys_s peak_kb wall_s launcher_peak_kb`. The command's stdin is
/dev/null; its stdout and stderr go to the two files.

Why a launcher: Linux carries a process's peak RSS over fork + exec (`exec_mmap` records the old
address space's high-water mark into the new process), so a child forked from a big benchmark
runner reports the runner's peak as its own `ru_maxrss`. This script imports only modules built
into the interpreter, so the floor it passes on is its own few megabytes (`launcher_peak_kb`, read
from /proc before spawning), below any Python program's start-up. `os.wait4` gives the child's own
accounting: user and system CPU of the child and the children it waited for (Graphviz `dot`,
pytm's process), and the largest peak RSS among them.
"""

import os
import sys
import time


def own_peak_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    stdout, stderr, separator, *command = argv[1:]
    if separator != "--" or not command:
        print("usage: launch.py STDOUT STDERR -- COMMAND [ARG...]", file=sys.stderr)
        return 2
    write = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout, write, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, stderr, write, 0o644),
    ]
    floor = own_peak_kb()
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    print(code, usage.ru_utime, usage.ru_stime, usage.ru_maxrss, wall, floor, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
