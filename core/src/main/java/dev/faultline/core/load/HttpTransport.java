package dev.faultline.core.load;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.faultline.core.probe.ErrorClass;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;

/**
 * HTTP/1.1 for the load generator, non-blocking: a few event-loop threads carry every connection, so the
 * cost of a request does not grow with the number of connections open (OkHttp's pool, scanned on every
 * acquisition, did: 30 % of the CPU at 10k req/s). One request at a time per connection, no pipelining;
 * an idle connection is reused (most recently used first), and a new one is opened when none is idle,
 * so concurrency follows the load as an open model needs (the generator's in-flight cap bounds it).
 *
 * <p>No retries except one case, as before: a GET, HEAD, PUT or DELETE that failed on a reused connection
 * before any byte of an answer arrived is sent again on a new connection (the server had closed the idle
 * connection under us); a silent retry of anything else would hide the resets a chaos run looks for.
 *
 * <p>Over 400 lines on purpose: the pool (idle connections, waiting exchanges, dials), an exchange
 * through its tries and the handler reading its answer are one state machine on the event loop,
 * sharing the pool's state (idle, waiting, closing); split into classes they would have to expose it
 * to each other. About 60 of the lines are Netty imports.
 */
final class HttpTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);

    /** Methods a client may resend when the first try never reached the application (RFC 9110 idempotent methods). */
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE");
    /** Tries of one request when reused connections turn out stale: the first, and two on fresh connections. */
    private static final int MAX_TRIES = 3;
    /** Connections being opened at once, at most: enough to grow by thousands a second on a LAN. */
    private static final int MAX_DIALS = 8;
    /** What a request still running when the transport closes fails with; classified as "other", as OkHttp's was. */
    static final String CANCELED = "Canceled";

    /** The outcome of one request, called exactly once, on an event-loop thread. */
    interface Callback {
        /**
         * @param body         the response body when asked for, else null; error null when an answer came
         * @param queuedNanos  how long the request waited for its event loop to take it up: the loop behind on
         *                     its own work, a delay of the generator's (0 when cancelled before it was taken up)
         */
        void done(int status, byte[] body, IOException error, long queuedNanos);
    }

    /** A request resolved once: method, target and headers ready to copy per send. */
    record Template(HttpMethod method, String target, HttpHeaders headers, byte[] body) {}

    private final String host;
    private final int port;
    private final long callTimeoutNanos;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Deque<Channel> idle = new ConcurrentLinkedDeque<>();
    private final Queue<Exchange> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waitingCount = new AtomicInteger();
    private final AtomicInteger dialing = new AtomicInteger();
    private final int maxConnections;
    private final Set<Exchange> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    /** The latest request's {@link Callback#done queuedNanos}: how far behind the event loops are now. */
    private volatile long recentQueueNanos;
    private volatile boolean closing;

    HttpTransport(URI base, Duration connectTimeout, Duration callTimeout, int maxConnections, int ioThreads) {
        this.maxConnections = maxConnections;
        boolean tls = "https".equals(base.getScheme());
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : tls ? 443 : 80;
        this.callTimeoutNanos = callTimeout.toNanos();
        SslContext ssl = tls ? clientTls() : null;
        this.group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("faultline-load-io", true));
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            SslHandler handler = ssl.newHandler(ch.alloc(), host, port);
                            SSLEngine engine = handler.engine();
                            SSLParameters params = engine.getSSLParameters();
                            params.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(params);
                            ch.pipeline().addLast(handler);
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new ExchangeHandler());
                    }
                });
        prime();
    }

    /**
     * Loads and initialises the classes of a request's path (codec, buffers, event loop) before the
     * schedule starts, so the first requests do not pay for it: hundreds of milliseconds on a busy machine,
     * enough to make every send of a cold run's first second late. No traffic: the codec runs in memory.
     */
    private void prime() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpClientCodec());
        ch.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", StandardCharsets.US_ASCII));
        ch.finishAndReleaseAll();
        for (EventExecutor loop : group) loop.submit(() -> { }).syncUninterruptibly();
    }

    private static SslContext clientTls() {
        try {
            return SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the load generator: " + e.getMessage(), e);
        }
    }

    /** The Host header of requests to {@code base}: host, and the port unless it is the scheme's default. */
    private static String hostHeader(URI base) {
        String host = base.getHost();
        return (host.contains(":") ? "[" + host + "]" : host) + (base.getPort() > 0 ? ":" + base.getPort() : "");
    }

    /**
     * A request to {@code url} on a transport to {@code base}, its headers complete (Host included) and
     * never changed afterwards, so that every send shares them instead of copying and validating them again.
     */
    static Template template(URI base, URI url, String method, java.util.Map<String, String> headers, String body, String contentType) {
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        HttpHeaders h = new DefaultHttpHeaders();
        h.set(HttpHeaderNames.USER_AGENT, "faultline");
        h.set(HttpHeaderNames.ACCEPT, "*/*");
        headers.forEach(h::set);
        byte[] bytes = null;
        if (body != null) {
            bytes = body.getBytes(StandardCharsets.UTF_8);
            if (!h.contains(HttpHeaderNames.CONTENT_TYPE)) h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
            h.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        }
        h.set(HttpHeaderNames.HOST, hostHeader(base));
        return new Template(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), target, h, bytes);
    }

    /**
     * How long the latest request waited for an event loop to take it up: how far behind the loops are on
     * their own work (reading answers, writing requests) as of that request.
     */
    long recentQueueNanos() {
        return recentQueueNanos;
    }

    /** Connections open now (busy and idle). */
    int openConnections() {
        return open.get();
    }

    /** Sends in the background; the callback gets the outcome. Never throws for a network failure. */
    void send(Template request, boolean wantBody, Callback callback) {
        Exchange exchange = new Exchange(request, wantBody, callback);
        if (closing) {
            exchange.fail(new IOException(CANCELED));
            return;
        }
        running.add(exchange);
        long sent = System.nanoTime();
        // one hand-off to the event loop per request: the timeout is scheduled there (counting from the
        // send), and an idle connection found there is written to without a second hand-off
        EventLoop loop = group.next();
        loop.execute(() -> {
            long queued = System.nanoTime() - sent;
            exchange.queuedNanos = queued;
            recentQueueNanos = queued;
            if (exchange.isDone()) return; // cancelled by close() meanwhile
            exchange.timeout = loop.schedule(exchange::timedOut, callTimeoutNanos - (System.nanoTime() - sent), TimeUnit.NANOSECONDS);
            dispatch(exchange, false);
        });
    }

    /**
     * Gives the exchange a connection: an idle one at once; else it waits for the first connection to come
     * free or to be opened. Connections are opened a few at a time ({@link #MAX_DIALS}) and only while
     * requests wait, so a generator that falls behind (a cold JVM, a starved CPU) catches up on the
     * connections it has instead of opening one per late request, each making it later still.
     */
    private void dispatch(Exchange exchange, boolean fresh) {
        if (fresh) {
            dial(exchange);
            return;
        }
        Channel ch = pollIdle();
        if (ch != null) {
            exchange.reused = true;
            write(ch, exchange);
            return;
        }
        waiting.add(exchange);
        waitingCount.incrementAndGet();
        maybeDial();
        drain(); // a connection may have come free between the poll and the add
    }

    private Channel pollIdle() {
        for (Channel ch = idle.pollFirst(); ch != null; ch = idle.pollFirst()) {
            if (ch.isActive()) return ch;
        }
        return null;
    }

    private Exchange pollWaiting() {
        for (Exchange e = waiting.poll(); e != null; e = waiting.poll()) {
            waitingCount.decrementAndGet();
            if (!e.isDone()) return e;
        }
        return null;
    }

    /** Pairs waiting exchanges with idle connections while there are both. */
    private void drain() {
        while (waitingCount.get() > 0) {
            Channel ch = pollIdle();
            if (ch == null) return;
            Exchange e = pollWaiting();
            if (e == null) {
                idle.offerFirst(ch);
                return;
            }
            e.reused = true;
            write(ch, e);
        }
    }

    private void maybeDial() {
        while (true) {
            int d = dialing.get();
            if (d >= MAX_DIALS || d >= waitingCount.get() || open.get() + d >= maxConnections) return;
            if (dialing.compareAndSet(d, d + 1)) dial(null);
        }
    }

    /** Opens a connection for this exchange (a retry on a fresh connection), or for whoever waits first (null). */
    private void dial(Exchange forThis) {
        if (forThis != null) { // dials for waiting exchanges were counted in maybeDial
            dialing.incrementAndGet();
            forThis.reused = false;
        }
        bootstrap.connect(host, port).addListener(f -> {
            dialing.decrementAndGet();
            if (f.isSuccess()) {
                Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                open.incrementAndGet();
                ch.closeFuture().addListener(c -> {
                    open.decrementAndGet();
                    idle.remove(ch);
                    if (waitingCount.get() > 0) maybeDial();
                });
                Exchange e = forThis != null ? forThis : pollWaiting();
                if (e != null) {
                    e.reused = false;
                    write(ch, e);
                } else {
                    release(ch, true);
                }
            } else {
                // the failure belongs to a request: this one, or the one that waited longest
                IOException error = asIOException(f.cause());
                Exchange e = forThis != null ? forThis : pollWaiting();
                if (e != null) e.fail(error);
                if (waitingCount.get() > 0) maybeDial();
            }
        });
    }

    private void write(Channel ch, Exchange exchange) {
        if (ch.eventLoop().inEventLoop()) {
            writeNow(ch, exchange);
        } else {
            ch.eventLoop().execute(() -> writeNow(ch, exchange));
        }
    }

    /** On the connection's event loop. */
    private void writeNow(Channel ch, Exchange exchange) {
        if (exchange.isDone()) { // timed out while waiting for a connection
            release(ch, true);
            return;
        }
        ExchangeHandler handler = ch.pipeline().get(ExchangeHandler.class);
        exchange.channel = ch;
        handler.current = exchange;
        Template t = exchange.request;
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, t.method(), t.target(),
                t.body() == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(t.body()), t.headers(), EmptyHttpHeaders.INSTANCE);
        ch.writeAndFlush(request).addListener(w -> {
            if (!w.isSuccess()) handler.failed(ch, asIOException(w.cause()));
        });
    }

    /** A connection whose exchange ended: to the next waiting exchange, to the idle set, or closed. */
    private void release(Channel ch, boolean reusable) {
        if (!reusable || closing || !ch.isActive()) {
            ch.close();
            return;
        }
        Exchange next = pollWaiting();
        if (next != null) {
            next.reused = true;
            write(ch, next);
            return;
        }
        idle.offerFirst(ch);
        if (closing) ch.close(); // raced with close(): it may have swept already
        drain(); // an exchange may have started waiting between the poll and the offer
    }

    /** Stops: requests still running fail as cancelled, connections close, threads end. */
    @Override
    public void close() {
        closing = true;
        for (Exchange e : running) e.fail(new IOException(CANCELED));
        for (Channel ch = idle.pollFirst(); ch != null; ch = idle.pollFirst()) ch.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static IOException asIOException(Throwable t) {
        if (t instanceof IOException io) return io;
        if (t instanceof io.netty.channel.ConnectTimeoutException c) return new SocketTimeoutException(c.getMessage());
        return new IOException(t == null ? "unknown failure" : t.toString(), t);
    }

    /** One request through its tries. */
    private final class Exchange {
        final Template request;
        final boolean wantBody;
        final Callback callback;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;
        volatile Channel channel;
        volatile boolean reused;
        volatile long queuedNanos;
        int tries = 1;
        // event-loop thread of the current channel only
        int status;
        boolean keepAlive;
        boolean answered;
        ByteArrayOutputStream body;

        Exchange(Template request, boolean wantBody, Callback callback) {
            this.request = request;
            this.wantBody = wantBody;
            this.callback = callback;
        }

        boolean isDone() {
            return done.get();
        }

        void succeed() {
            if (!done.compareAndSet(false, true)) return;
            finish();
            callback.done(status, body == null ? null : body.toByteArray(), null, queuedNanos);
        }

        void fail(IOException error) {
            if (!done.compareAndSet(false, true)) return;
            finish();
            callback.done(0, null, error, queuedNanos);
        }

        private void finish() {
            ScheduledFuture<?> t = timeout;
            if (t != null) t.cancel(false);
            running.remove(this);
        }

        void timedOut() {
            if (isDone()) return;
            Channel ch = channel;
            fail(new SocketTimeoutException("call timed out after " + Duration.ofNanos(callTimeoutNanos)));
            // the answer may still come: the connection cannot carry another request
            if (ch != null) ch.close();
        }

        /** A failure of this try; sends again when the connection was a stale reused one. */
        void failedTry(IOException error) {
            if (isDone()) return;
            boolean stale = reused && !answered && IDEMPOTENT.contains(request.method().name())
                    && ErrorClass.ofException(error) == ErrorClass.RESET;
            if (stale && tries < MAX_TRIES && !closing) {
                log.debug("{} {}: reused connection was stale ({}), sending on a new one", request.method(), request.target(), error.toString());
                tries++;
                status = 0;
                body = null;
                channel = null;
                // when one idle connection was closed under us, the others likely were too
                for (Channel ch = idle.pollFirst(); ch != null; ch = idle.pollFirst()) ch.close();
                dispatch(this, true);
            } else {
                fail(error);
            }
        }
    }

    /** Reads the answer of the exchange the connection carries now. */
    private final class ExchangeHandler extends ChannelInboundHandlerAdapter {
        Exchange current; // event-loop thread only

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                Exchange e = current;
                if (e == null) return; // nothing asked: a late answer to a timed-out request is dropped with the connection
                if (msg instanceof HttpResponse response) {
                    if (response.status().code() / 100 == 1 && response.status().code() != 101) return; // interim answer
                    e.answered = true;
                    e.status = response.status().code();
                    e.keepAlive = HttpUtil.isKeepAlive(response);
                    if (e.wantBody) e.body = new ByteArrayOutputStream();
                }
                if (msg instanceof HttpContent content) {
                    if (e.body != null) {
                        ByteBuf buf = content.content();
                        buf.readBytes(e.body, buf.readableBytes());
                    }
                    if (msg instanceof LastHttpContent) {
                        current = null;
                        boolean reusable = e.keepAlive && !e.isDone();
                        e.succeed();
                        release(ctx.channel(), reusable);
                    }
                }
            } catch (IOException ex) {
                failed(ctx.channel(), ex);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Exchange e = current;
            if (e != null) {
                current = null;
                e.failedTry(closing ? new IOException(CANCELED)
                        : new EOFException("connection closed before the response was complete"));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failed(ctx.channel(), asIOException(cause));
        }

        void failed(Channel ch, IOException error) {
            Exchange e = current;
            current = null;
            ch.close();
            if (e != null) e.failedTry(error);
        }
    }
}
