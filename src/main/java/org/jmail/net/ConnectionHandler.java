package org.jmail.net;

import java.net.Socket;

/**
 * Serves one accepted connection to its end, on the calling (pool) thread. The listener owns
 * accepting, connection limits and closing the socket afterwards; the handler owns the
 * protocol. A handler must never let an exception reach the peer as text; it logs instead.
 */
public interface ConnectionHandler {

    void handle(Socket socket) throws Exception;
}
