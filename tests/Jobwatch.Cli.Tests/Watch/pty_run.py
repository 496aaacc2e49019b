"""Runs a command in a new pseudo-terminal of a given size, as a terminal emulator would.

Usage: python3 pty_run.py ROWS COLS -- COMMAND [ARGS...]

The command gets the pty as its controlling terminal (so Ctrl-C typed into it, byte 0x03, becomes SIGINT for it).
Bytes on our stdin are typed into the terminal; everything the command writes to the terminal is copied to our
stdout unchanged (escape sequences included), for the test to replay on a virtual screen. Exits with the
command's exit status (128 + signal if it was killed by one).
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios


def main():
    rows, cols = int(sys.argv[1]), int(sys.argv[2])
    command = sys.argv[sys.argv.index("--") + 1:]
    pid, master = pty.fork()
    if pid == 0:
        # Sized before the command starts, so its first look at the terminal sees the right size.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        # A shell gives its foreground command the default signal actions. Without this, a test run started as a
        # background job (CI runners, `cmd &`, nohup) passes on SIGINT ignored, and Ctrl-C would never reach it.
        for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        os.execvp(command[0], command)
    stdin_open = True
    while True:
        readers = [master] + ([0] if stdin_open else [])
        ready, _, _ = select.select(readers, [], [], 0.1)
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the command closed the terminal
                data = b""
            if not data:
                break
            os.write(1, data)
        if stdin_open and 0 in ready:
            data = os.read(0, 1024)
            if data:
                os.write(master, data)
            else:
                stdin_open = False
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
