package dev.faultline.core.fault;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket that says "the JVM and its proxy are alive" to a helper: the helper connects
 * every second and removes its DNAT rule when it cannot, so a rule never outlives the proxy it
 * points to (which would black-hole the traffic). Separate from the proxy so that the checks do not
 * open connections to the real destination (a database would log each one).
 */
final class Lifeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Lifeline.class);

    private final ServerSocket server;
    private final Thread thread;

    /** @param alive checked on each connection: once false, the lifeline closes itself */
    Lifeline(InetAddress address, BooleanSupplier alive) {
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            throw new FaultException("could not listen on " + address.getHostAddress() + " for the helper's lifeline: " + e.getMessage(), e);
        }
        thread = new Thread(() -> serve(alive), "faultline-lifeline-" + server.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve(BooleanSupplier alive) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                if (!alive.getAsBoolean()) {
                    LOG.warn("proxy behind lifeline {} is gone: closing it so the helper removes its rule", port());
                    close();
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.debug("lifeline {}: {}", port(), e.toString());
                }
            }
        }
    }

    /**
     * Stops listening; when this returns, connects are refused. Closing a socket another thread is blocked
     * in accept() on only marks it closed: the kernel socket keeps accepting until that thread returns, so
     * this waits for the serving thread.
     */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket does not fail in a way that matters here
        }
        if (Thread.currentThread() == thread) return; // closing itself: it returns from accept() next
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // keep the promise first; the caller sees the flag
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
