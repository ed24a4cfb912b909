package dev.faultline.core.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
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
            return;
        }
        String prefix = "faultline-proxy-" + config.name() + "-" + id;
        proxy.run(prefix + "-up-write", up::write);
        proxy.run(prefix + "-down-write", down::write);
        proxy.run(prefix + "-down-read", down::read);
        Thread.currentThread().setName(prefix + "-up-read");
        up.read();
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
