#!/usr/bin/env python3
"""Keeps the terminal of `make lab` readable: copies JupyterLab's log (its
stderr, which the GoNB kernels share) from stdin to stdout, without GoNB's
noise.

GoNB v0.11.5 prints three self-test lines whenever a kernel starts or
restarts ("Info message", "Warning message", "Error message", main.go
lines 189–191: its -extra_log check fires on a nil file), warns "gopls
failed with: signal: killed" when it stops its own gopls, and logs at
INFO level, without a -v switch, every program it runs and a goroutine
dump each time it stops gopls ("killing gopls:"). The kernelspec sends
GoNB's INFO lines to /dev/null (docker/setup.sh); this filter drops the
self-test lines and that warning, and any INFO line with the stack trace
after it should a kernel set up otherwise log to stderr. Every other
line, GoNB's real warnings and errors and all of Jupyter's own, passes
unchanged.

    jupyter lab ... 2> >(python3 docker/lab_log_filter.py >&2)
"""

import re
import signal
import sys

# A klog line: severity, date, time, thread, file:line] message.
KLOG = re.compile(rb"^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ (\S+):(\d+)\] ")
# GoNB's lines that report nothing wrong, by source file, whatever prefix
# (its coloured kernel id) they carry: the self-test, and the warning that
# gopls ended when GoNB itself killed it (every restart and shutdown).
HARMLESS = {
    b"main.go": re.compile(rb"(Logging to extra logger configured|Info message|Warning message|Error message)\s*$"),
    b"exec.go": re.compile(rb"gopls failed with: signal: killed\s*$"),
}


def keep(line, dropping):
    """Reports whether line is shown, and whether the lines after it (a
    stack trace, until the next log line) are dropped; dropping is that
    answer for the line before."""
    m = KLOG.match(line)
    if m is None:
        # Jupyter's own lines start with "[", a stack trace's do not.
        if dropping and not line.startswith(b"["):
            return False, True
        return True, False
    severity, source = m.group(1), m.group(2)
    if severity == b"I":
        return False, True
    harmless = HARMLESS.get(source)
    if harmless is not None and harmless.search(line):
        return False, False
    return True, False


def main():
    # Ctrl+C in the terminal reaches the whole process group: JupyterLab
    # asks whether to stop, and its answer must still get through.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout.buffer
    dropping = False
    for line in sys.stdin.buffer:
        shown, dropping = keep(line, dropping)
        if shown:
            out.write(line)
            out.flush()


if __name__ == "__main__":
    main()
