package dev.faultline.core.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy whose behaviour can be spoiled while traffic flows: each accepted connection is forwarded
 * to the upstream, through the {@link Toxic}s installed at that moment. Toxics are added and removed at
 * any time, from any thread; connections already open feel the change on their next chunk.
 *
 * <pre>{@code
 * try (ToxicProxy proxy = ToxicProxy.start(ProxyConfig.custom().upstream("10.0.0.5", 5432).build())) {
 *     proxy.addToxic("slow-db", Direction.DOWNSTREAM, Toxic.latency(Duration.ofMillis(50)));
 *     ... // clients connect to proxy.address()
 *     proxy.removeToxic("slow-db");
 * }
 * }</pre>
 *
 * Each connection uses four threads (a reader and a writer per direction) from a shared cached pool,
 * so hundreds of connections are fine; {@link #close()} closes every connection.
 */
public final class ToxicProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ToxicProxy.class);

    private final ProxyConfig config;
    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timers;
    private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<String, ActiveToxic> toxics = new LinkedHashMap<>(); // guarded by this
    private final AtomicLong connectionIds = new AtomicLong();
    private final LongAdder accepted = new LongAdder();
    final LongAdder bytesUpstream = new LongAdder();
    final LongAdder bytesDownstream = new LongAdder();
    private volatile DirectionState upstreamState = DirectionState.CLEAN;
    private volatile DirectionState downstreamState = DirectionState.CLEAN;
    private volatile InetSocketAddress boundAddress;
    private volatile ServerSocketChannel listener; // null while down
    private volatile Thread acceptor; // null while down
    private volatile boolean closed;

    private ToxicProxy(ProxyConfig config) {
        this.config = config;
        String prefix = "faultline-proxy-" + config.name();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, prefix + "-worker");
            t.setDaemon(true);
            return t;
        });
        this.timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, prefix + "-timer");
            t.setDaemon(true);
            return t;
        });
        this.timers.setRemoveOnCancelPolicy(true);
    }

    /** Binds the listening socket and starts accepting. Fails at once if the address cannot be bound. */
    public static ToxicProxy start(ProxyConfig config) {
        Objects.requireNonNull(config, "config");
        ToxicProxy proxy = new ToxicProxy(config);
        try {
            proxy.listen(new InetSocketAddress(config.listenAddress(), config.listenPort()));
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
        log.info("proxy {} listening on {}", config, proxy.boundAddress);
        return proxy;
    }

    public ProxyConfig config() {
        return config;
    }

    /** The port actually bound: the configured one, or the one picked when it was 0. */
    public int port() {
        return boundAddress.getPort();
    }

    /** Where clients (or a DNAT rule) should connect. */
    public InetSocketAddress address() {
        return boundAddress;
    }

    /**
     * Installs a toxic under a name unique on this proxy. Timed toxics (reset, timeout) count their
     * delay for open connections from now, for later ones from their accept.
     *
     * @throws IllegalArgumentException if the name is blank or already used
     */
    public void addToxic(String name, Direction direction, Toxic toxic) {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(toxic, "toxic");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("toxic name must not be blank, was '" + name + "'");
        ActiveToxic active = new ActiveToxic(name, direction, toxic);
        synchronized (this) {
            checkOpen();
            if (toxics.containsKey(name)) {
                throw new IllegalArgumentException("toxic name '" + name + "' is already used on proxy " + config.name()
                        + " by " + toxics.get(name) + "; remove it first");
            }
            toxics.put(name, active);
            recompute();
        }
        for (ProxyConnection c : connections) schedule(c, active);
        log.info("proxy {}: added toxic {} {} {}", config.name(), name, direction, toxic);
    }

    /** Removes a toxic; returns whether it was there. Data already delayed keeps its delay. */
    public boolean removeToxic(String name) {
        ActiveToxic removed;
        synchronized (this) {
            removed = toxics.remove(name);
            if (removed != null) recompute();
        }
        if (removed != null) log.info("proxy {}: removed toxic {}", config.name(), name);
        return removed != null;
    }

    public void removeAllToxics() {
        synchronized (this) {
            toxics.clear();
            recompute();
        }
    }

    public synchronized List<ActiveToxic> toxics() {
        return List.copyOf(toxics.values());
    }

    /**
     * Takes the service "down". When this returns, the port refuses new connections (the listening socket
     * is closed, not only marked closed) and every connection that was open has been reset: an RST, never
     * a FIN, went to its client and to the upstream, so a client sees "connection reset" on its next read
     * or write, never a clean end of stream. {@link #up()} listens again on the same port.
     */
    public void down() {
        ServerSocketChannel l;
        Thread a;
        synchronized (this) {
            checkOpen();
            l = listener;
            a = acceptor;
            listener = null;
            acceptor = null;
        }
        if (l != null) {
            stopListening(l, a);
            log.info("proxy {}: down", config.name());
        }
        List<ProxyConnection> open = new ArrayList<>(connections);
        for (ProxyConnection c : open) c.reset(true, true);
        for (ProxyConnection c : open) c.awaitSocketsReleased();
    }

    /** Listens again after {@link #down()}, on the same address and port. */
    public void up() {
        synchronized (this) {
            checkOpen();
            if (listener != null) return;
            listen(boundAddress);
        }
        log.info("proxy {}: up", config.name());
    }

    public boolean isDown() {
        return listener == null;
    }

    public ProxyStats stats() {
        return new ProxyStats(accepted.sum(), connections.size(), bytesUpstream.sum(), bytesDownstream.sum());
    }

    /** Stops accepting and closes every connection. Idempotent. */
    @Override
    public void close() {
        ServerSocketChannel l;
        Thread a;
        synchronized (this) {
            if (closed) return;
            closed = true;
            l = listener;
            a = acceptor;
            listener = null;
            acceptor = null;
        }
        if (l != null) stopListening(l, a);
        for (ProxyConnection c : new ArrayList<>(connections)) c.close();
        timers.shutdownNow();
        workers.shutdownNow();
        if (boundAddress != null) log.info("proxy {} stopped", config.name());
    }

    @Override
    public String toString() {
        return "ToxicProxy[" + config + (boundAddress == null ? "" : ", bound " + boundAddress) + ", toxics " + toxics() + "]";
    }

    // --- for the connections

    DirectionState state(Direction way) {
        return way == Direction.UPSTREAM ? upstreamState : downstreamState;
    }

    /** Runs a connection's task on a worker; false if the proxy is closing and the task will never run. */
    boolean run(String threadName, Runnable task) {
        try {
            workers.execute(() -> {
                Thread.currentThread().setName(threadName);
                try {
                    task.run();
                } finally {
                    Thread.currentThread().setName("faultline-proxy-" + config.name() + "-idle");
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            // the proxy is closing; the connection is being closed with it
            return false;
        }
    }

    void closed(ProxyConnection connection) {
        connections.remove(connection);
    }

    // --- internals

    private void checkOpen() {
        if (closed) throw new IllegalStateException("proxy " + config.name() + " is closed");
    }

    private void listen(InetSocketAddress address) {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            // re-listening after down() must not trip over connections in TIME_WAIT
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, 1024);
            boundAddress = (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("proxy " + config.name() + " cannot listen on " + address.getAddress().getHostAddress()
                    + ":" + address.getPort() + ": " + e.getMessage(), e);
        }
        listener = channel;
        ServerSocketChannel accepting = channel;
        Thread t = new Thread(() -> accept(accepting), "faultline-proxy-" + config.name() + "-accept");
        t.setDaemon(true);
        acceptor = t;
        t.start();
    }

    /**
     * Closes the listening socket and waits for the acceptor to leave {@code accept()}: while a thread is
     * blocked in it, the JDK only marks the channel closed and the kernel socket lives on, completing
     * handshakes, until that thread returns.
     */
    private static void stopListening(ServerSocketChannel channel, Thread acceptingThread) {
        closeQuietly(channel);
        if (acceptingThread == null || acceptingThread == Thread.currentThread()) return;
        boolean interrupted = false;
        while (true) {
            try {
                acceptingThread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish the promise first; the caller sees the flag
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void accept(ServerSocketChannel channel) {
        while (true) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return; // down() or close()
            } catch (IOException e) {
                if (!channel.isOpen()) return;
                log.warn("proxy {}: accept failed: {}", config.name(), e.toString());
                continue;
            }
            accepted.increment();
            ProxyConnection connection = new ProxyConnection(this, connectionIds.incrementAndGet(), client);
            connections.add(connection);
            if (closed) {
                connection.close();
                return;
            }
            for (ActiveToxic t : toxics()) schedule(connection, t);
            if (!run("faultline-proxy-" + config.name() + "-" + connection.id + "-connect", connection::open)) {
                connection.neverOpened();
            }
        }
    }

    /** Arms a timed toxic for one connection; when it fires, it acts only if the toxic is still installed. */
    private void schedule(ProxyConnection connection, ActiveToxic active) {
        Duration after;
        Runnable action;
        if (active.toxic() instanceof Toxic.ResetPeer r) {
            after = r.after();
            boolean client = active.direction().covers(Direction.DOWNSTREAM);
            boolean server = active.direction().covers(Direction.UPSTREAM);
            action = () -> connection.reset(client, server);
        } else if (active.toxic() instanceof Toxic.Timeout t && t.closes()) {
            after = t.closeAfter();
            action = connection::close;
        } else {
            return;
        }
        if (after.isZero()) {
            // act before the connection opens: a timer thread could lose the race against a fast
            // upstream and let the first exchange through
            action.run();
            return;
        }
        try {
            connection.addTimer(timers.schedule(() -> {
                if (isInstalled(active)) action.run();
            }, after.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private synchronized boolean isInstalled(ActiveToxic active) {
        return toxics.get(active.name()) == active;
    }

    private void recompute() {
        upstreamState = DirectionState.of(toxics.values(), Direction.UPSTREAM);
        downstreamState = DirectionState.of(toxics.values(), Direction.DOWNSTREAM);
        // writers held by a timeout toxic re-check now instead of at their next poll
        for (ProxyConnection c : connections) c.wake();
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a listener cannot fail in a way we could act on
        }
    }
}
