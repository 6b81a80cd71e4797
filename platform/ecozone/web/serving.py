"""``ecozone serve``: uvicorn, stopping gracefully (issue 21).

On SIGTERM (or SIGINT) a worker stops accepting connections, lets the requests in flight finish
for up to ``ECOZONE_SHUTDOWN_TIMEOUT`` seconds (uvicorn's ``timeout_graceful_shutdown``; those
still running then are cancelled and their transactions rolled back), closes its WebSocket
subscriptions with 1001 *going away* (RFC 6455: the server is going down; uvicorn's own
choice is 1012 *service restart*), and exits. With ``--workers N`` the supervisor passes the
signal to every worker, waits for them and exits 0; a single worker exits 0 as well (uvicorn
would re-raise the signal after its graceful stop and die of it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys

import uvicorn
from uvicorn.protocols.websockets.auto import AutoWebSocketsProtocol
from uvicorn.supervisors import Multiprocess

GOING_AWAY = 1001
STARTUP_FAILURE = 3


def _going_away_protocol():
    """uvicorn's WebSocket protocol, closing open connections at shutdown with 1001."""
    base = AutoWebSocketsProtocol
    if base is None:
        return "auto"

    class GoingAwayWebSocketProtocol(base):  # type: ignore[misc, valid-type]
        def shutdown(self) -> None:
            conn = getattr(self, "conn", None)
            if (getattr(self, "handshake_complete", False) and not getattr(self, "close_sent", True)
                    and conn is not None and hasattr(conn, "send_close")):
                # websockets' sans-I/O connection (uvicorn's "auto" with websockets ≥ 14)
                self.stop_keepalive()
                self.queue.put_nowait({"type": "websocket.disconnect", "code": GOING_AWAY})
                conn.send_close(GOING_AWAY, "server shutting down / 服务器正在停止")
                self.transport.write(b"".join(conn.data_to_send()))
                self.close_sent = True
                self.transport.close()
                return
            super().shutdown()

    GoingAwayWebSocketProtocol.__qualname__ = GoingAwayWebSocketProtocol.__name__
    return GoingAwayWebSocketProtocol


# Module level, so that worker processes (spawned: the config is pickled) find it by name.
GoingAwayWebSocketProtocol = _going_away_protocol()


class ClosingMultiprocess(Multiprocess):
    """uvicorn's supervisor, which also closes its own copy of the listening socket when told
    to stop: otherwise the kernel would keep queueing new connections that no worker serves."""

    def handle_term(self) -> None:
        for sock in self.sockets:
            sock.close()
        super().handle_term()

    def handle_int(self) -> None:
        for sock in self.sockets:
            sock.close()
        super().handle_int()


class GracefulServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):
        with super().capture_signals():
            yield
            # The stop was asked for and done: exit 0 instead of re-raising the signal.
            self._captured_signals.clear()


def serve(host: str, port: int, workers: int, shutdown_timeout: int) -> int:
    config = uvicorn.Config(
        "ecozone.web.app:create_app", factory=True, host=host, port=port, workers=workers,
        log_level="info", proxy_headers=True, ws=GoingAwayWebSocketProtocol,
        timeout_graceful_shutdown=shutdown_timeout,
        # A worker answers the supervisor's ping only once it has imported the app (seconds on
        # a busy machine); after 5 s, the default, it is killed, again and again, and the server
        # never comes up.
        timeout_worker_healthcheck=60)
    if workers > 1:
        ClosingMultiprocess(config, sockets=[config.bind_socket()]).run()
        return 0
    config.load_app()
    server = GracefulServer(config=config)
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        logging.getLogger("uvicorn.error").error("the server did not start")
        return STARTUP_FAILURE
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(serve(os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "8000")), 1, 30))
