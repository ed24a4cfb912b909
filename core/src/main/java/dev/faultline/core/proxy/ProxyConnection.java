package dev.faultline.core.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One client connection and its upstream twin, with a pump each way. */
final class ProxyConnection {

    private static final Logger log = LoggerFactory.getLogger(ProxyConnection.class);

    final long id;
    final long acceptedNanos = System.nanoTime();
    private final ToxicProxy proxy;
    private final SocketChannel client;
    private volatile SocketChannel upstream;
    private volatile Pump up;
    private volatile Pump down;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger halfClosed = new AtomicInteger();
    private final List<Future<?>> timers = new ArrayList<>();
    /**
     * Counts the two pump readers out, or the ones that will never start. A socket closed while a reader
     * is blocked in it is only marked closed by the JDK; the kernel closes it (and sends the RST) when that
     * reader returns, so "reset" is complete only once this reaches zero.
     */
    private final CountDownLatch readers = new CountDownLatch(2);

    ProxyConnection(ToxicProxy proxy, long id, SocketChannel client) {
        this.proxy = proxy;
        this.id = id;
        this.client = client;
    }

    boolean isOpen() {
        return !closed.get();
    }

    /** Connects upstream and starts the pumps; runs on a worker thread because the connect may take long. */
    void open() {
        ProxyConfig config = proxy.config();
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(config.upstreamHost(), config.upstreamPort()),
                    (int) config.connectTimeout().toMillis());
        } catch (IOException | RuntimeException e) {
            log.debug("proxy {}: connection {} upstream connect failed: {}", config.name(), id, e.toString());
            closeQuietly(channel, false);
            // the client was accepted already; a reset is the closest to the refusal it would have seen
            reset(true, false);
            neverOpened();
            return;
        }
        upstream = channel;
        up = new Pump(proxy, this, Direction.UPSTREAM, client, channel, proxy.bytesUpstream,
                config.bufferSize(), config.buffersPerDirection());
        down = new Pump(proxy, this, Direction.DOWNSTREAM, channel, client, proxy.bytesDownstream,
                config.bufferSize(), config.buffersPerDirection());
        // shut() reads upstream and the pumps after setting closed: checking after setting them means
        // one of the two sides always sees the other
        if (closed.get()) { // stopped or reset while connecting
            closeQuietly(channel, false);
            neverOpened();
            return;
        }
        String prefix = "faultline-proxy-" + config.name() + "-" + id;
        proxy.run(prefix + "-up-write", up::write);
        proxy.run(prefix + "-down-write", down::write);
        if (!proxy.run(prefix + "-down-read", () -> readUntilEnd(down))) readers.countDown();
        Thread.currentThread().setName(prefix + "-up-read");
        readUntilEnd(up);
    }

    private void readUntilEnd(Pump pump) {
        try {
            pump.read();
        } finally {
            readers.countDown();
        }
    }

    /** No pump will ever read: the upstream connect failed, the connection closed first, or the proxy is closing. */
    void neverOpened() {
        readers.countDown();
        readers.countDown();
    }

    /**
     * After {@link #reset} or {@link #close}: waits until no reader is blocked in a socket any more, so the
     * kernel has really closed both sockets and sent what the close promised.
     */
    void awaitSocketsReleased() {
        boolean interrupted = false;
        while (true) {
            try {
                readers.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish the promise first; the caller sees the flag
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    void wake() {
        Pump u = up, d = down;
        if (u != null) u.wake();
        if (d != null) d.wake();
    }

    synchronized void addTimer(Future<?> timer) {
        if (closed.get()) {
            timer.cancel(false);
        } else {
            timers.add(timer);
        }
    }

    /** A direction's end of stream was passed on; once both were, the connection is done. */
    void halfClose(Direction way, SocketChannel sink) throws IOException {
        sink.shutdownOutput();
        if (halfClosed.incrementAndGet() == 2) close();
    }

    /** A socket error on one side: pass it on as a reset, as a router between the two would. */
    void failed(Direction way, IOException e) {
        if (closed.get()) return;
        log.debug("proxy {}: connection {} {} failed: {}", proxy.config().name(), id, way, e.toString());
        reset(true, true);
    }

    void close() {
        shut(false, false);
    }

    /** Closes the chosen sides with RST (SO_LINGER 0), the others normally. */
    void reset(boolean client, boolean upstream) {
        shut(client, upstream);
    }

    private void shut(boolean resetClient, boolean resetUpstream) {
        if (!closed.compareAndSet(false, true)) return;
        synchronized (this) {
            timers.forEach(t -> t.cancel(false));
            timers.clear();
        }
        closeQuietly(client, resetClient);
        closeQuietly(upstream, resetUpstream);
        Pump u = up, d = down;
        if (u != null) u.stop();
        if (d != null) d.stop();
        proxy.closed(this);
    }

    private static void closeQuietly(SocketChannel channel, boolean reset) {
        if (channel == null) return;
        try {
            if (reset && channel.isOpen()) channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException ignored) {
            // the socket may be gone already; close it anyway
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }
}
