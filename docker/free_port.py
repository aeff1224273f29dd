"""Prints the first free TCP port from FIRST on (at most 100 tried).

    python free_port.py HOST FIRST [TAKEN ...]

A port is free when it can be bound on HOST and on 127.0.0.1 and is not
among TAKEN (ports this run already chose for something else). Exits with
status 1, printing nothing, when none of the 100 is free. Used by lab.sh
and hub.sh, which say which port they chose.
"""
import socket
import sys


def free(host, port):
    for h in {host, "127.0.0.1"}:
        s = socket.socket(socket.AF_INET6 if ":" in h else socket.AF_INET)
        try:
            s.bind((h, port))
        except OSError:
            return False
        finally:
            s.close()
    return True


def main(host, first, *taken):
    first = int(first)
    for p in range(first, first + 100):
        if str(p) not in taken and free(host, p):
            print(p)
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
