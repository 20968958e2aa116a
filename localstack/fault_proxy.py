#!/usr/bin/env python3
"""A TCP proxy on loopback that can cut or slow what it forwards, for the end-to-end fault tests:
the local stack reaches Postgres or SQS through it, and a test cuts or slows that path without
touching the server itself (which others may share).

Control over HTTP on --control-port:
  POST /cut        close every open connection and refuse new ones (accepted, then closed)
  POST /restore    forward again, without delay
  POST /delay?ms=N delay every chunk a client sends by N ms
  GET  /state      {"cut": bool, "delay_ms": N, "connections": N}

Usage: fault_proxy.py --listen-port P --target HOST:PORT --control-port C
"""
import argparse
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

state_lock = threading.Lock()
state = {"cut": False, "delay_ms": 0.0}
open_sockets = set()


def log(event, **fields):
    print(json.dumps({"component": "fault-proxy", "event": event, **fields}), flush=True)


def close_quietly(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def pump(source, sink, delayed):
    try:
        while True:
            chunk = source.recv(65536)
            if not chunk:
                break
            if delayed:
                with state_lock:
                    delay = state["delay_ms"] / 1000
                if delay > 0:
                    time.sleep(delay)
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        for sock in (source, sink):
            with state_lock:
                open_sockets.discard(sock)
            close_quietly(sock)


def serve(listen_port, target):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen_port))
    listener.listen(256)
    while True:
        client, _ = listener.accept()
        with state_lock:
            cut = state["cut"]
        if cut:
            close_quietly(client)
            continue
        try:
            server = socket.create_connection(target, timeout=5)
            server.settimeout(None)
        except OSError as error:
            log("connect-failed", error=str(error))
            close_quietly(client)
            continue
        with state_lock:
            open_sockets.update((client, server))
        threading.Thread(target=pump, args=(client, server, True), daemon=True).start()
        threading.Thread(target=pump, args=(server, client, False), daemon=True).start()


class Control(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self):
        with state_lock:
            body = json.dumps({**state, "connections": len(open_sockets) // 2}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer()

    def do_POST(self):
        url = urlparse(self.path)
        with state_lock:
            if url.path == "/cut":
                state["cut"] = True
                doomed = list(open_sockets)
                open_sockets.clear()
            elif url.path == "/restore":
                state.update(cut=False, delay_ms=0.0)
                doomed = []
            elif url.path == "/delay":
                state["delay_ms"] = float(parse_qs(url.query).get("ms", ["0"])[0])
                doomed = []
            else:
                self.send_response(404)
                self.end_headers()
                return
        for sock in doomed:
            close_quietly(sock)
        log(url.path.strip("/"), **state)
        self.answer()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listen-port", type=int, required=True)
    parser.add_argument("--target", required=True, help="HOST:PORT")
    parser.add_argument("--control-port", type=int, required=True)
    args = parser.parse_args()
    host, port = args.target.rsplit(":", 1)
    threading.Thread(target=serve, args=(args.listen_port, (host, int(port))), daemon=True).start()
    control = ThreadingHTTPServer(("127.0.0.1", args.control_port), Control)
    control.daemon_threads = True
    log("start", listen=args.listen_port, target=args.target, control=args.control_port)
    control.serve_forever()


if __name__ == "__main__":
    main()
