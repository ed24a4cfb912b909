package dev.faultline.core.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import dev.faultline.core.time.Waits;

/**
 * Moves one direction of a connection. A reader stamps each chunk with the time it may leave
 * (read time + latency) and a writer sends it then, so latency delays data without limiting
 * throughput (chunks are in flight together, as on a long link). Buffers are direct and recycled:
 * no per-byte work and no garbage on the bulk path.
 */
final class Pump {

    /** Bandwidth pacing writes slices worth this long, so a limit is smooth rather than bursty. */
    private static final long SLICE_NANOS = 10_000_000;
    /** While held by a timeout toxic, re-check this often (an unpark on toxic change cuts it short). */
    private static final long HOLD_POLL_NANOS = 10_000_000;

    private static final class Chunk {
        final ByteBuffer buffer; // null: end of stream
        final long due;

        Chunk(ByteBuffer buffer, long due) {
            this.buffer = buffer;
            this.due = due;
        }
    }

    /** Handed to a writer waiting for data when the connection closes. */
    private static final Chunk STOP = new Chunk(null, 0);
    /** Handed to a reader waiting for a free buffer when the connection closes. */
    private static final ByteBuffer CLOSED = ByteBuffer.allocate(0);

    private final ProxyConnection connection;
    private final Direction way;
    private final SocketChannel source;
    private final SocketChannel sink;
    private final LongAdder bytes;
    private final ToxicProxy proxy;
    private final int bufferSize;
    private final int maxBuffers;
    private final BlockingQueue<Chunk> inFlight;
    private final BlockingQueue<ByteBuffer> free;
    private int allocated; // reader thread only
    private long lastDue; // reader thread only
    private long nextSliceAt; // writer thread only
    private volatile Thread writerThread;

    Pump(ToxicProxy proxy, ProxyConnection connection, Direction way, SocketChannel source, SocketChannel sink,
         LongAdder bytes, int bufferSize, int maxBuffers) {
        this.proxy = proxy;
        this.connection = connection;
        this.way = way;
        this.source = source;
        this.sink = sink;
        this.bytes = bytes;
        this.bufferSize = bufferSize;
        this.maxBuffers = maxBuffers;
        // room for every buffer, the end of stream and STOP; for every buffer and CLOSED: offers never fail
        this.inFlight = new ArrayBlockingQueue<>(maxBuffers + 2);
        this.free = new ArrayBlockingQueue<>(maxBuffers + 1);
        this.lastDue = System.nanoTime();
        this.nextSliceAt = lastDue;
    }

    void wake() {
        Thread t = writerThread;
        if (t != null) LockSupport.unpark(t);
    }

    /** The connection closed: threads blocked on the queues (not on the sockets) must end too. */
    void stop() {
        inFlight.offer(STOP);
        free.offer(CLOSED);
        wake();
    }

    void read() {
        try {
            while (true) {
                ByteBuffer buffer = acquire();
                if (buffer == CLOSED) return;
                int n = source.read(buffer);
                long now = System.nanoTime();
                if (n < 0) {
                    inFlight.put(new Chunk(null, due(now)));
                    return;
                }
                buffer.flip();
                inFlight.put(new Chunk(buffer, due(now)));
            }
        } catch (ClosedChannelException | InterruptedException e) {
            // closed by us (stop, reset, timeout): nothing to report
        } catch (IOException e) {
            connection.failed(way, e);
        }
    }

    void write() {
        writerThread = Thread.currentThread();
        try {
            while (true) {
                Chunk chunk = inFlight.take();
                if (chunk == STOP) return;
                waitUntil(chunk.due);
                DirectionState state = holdWhileTimedOut();
                if (chunk.buffer == null) {
                    if (state.slowCloseNanos() > 0) waitUntil(System.nanoTime() + state.slowCloseNanos());
                    connection.halfClose(way, sink);
                    return;
                }
                send(chunk.buffer, state);
                chunk.buffer.clear();
                free.offer(chunk.buffer);
            }
        } catch (ClosedChannelException | InterruptedException e) {
            // closed by us
        } catch (IOException e) {
            connection.failed(way, e);
        } finally {
            writerThread = null;
        }
    }

    private ByteBuffer acquire() throws InterruptedException {
        ByteBuffer buffer = free.poll();
        if (buffer != null) return buffer;
        if (allocated < maxBuffers) {
            allocated++;
            return ByteBuffer.allocateDirect(bufferSize);
        }
        return free.take();
    }

    private long due(long readAt) {
        DirectionState state = proxy.state(way);
        long delay = state.latencyNanos();
        if (state.jitterNanos() > 0) {
            delay += ThreadLocalRandom.current().nextLong(-state.jitterNanos(), state.jitterNanos() + 1);
        }
        // jitter must not reorder the stream: a chunk never leaves before the one read before it
        long due = readAt + delay;
        if (due - lastDue < 0) due = lastDue;
        lastDue = due;
        return due;
    }

    /** Waits for {@code deadline}; a closed connection ends the wait as an interrupt does, so no thread waits out a long delay. */
    private void waitUntil(long deadline) throws InterruptedException {
        if (!Waits.until(deadline, () -> !connection.isOpen())) {
            throw new InterruptedException("wait abandoned: the connection closed");
        }
    }

    private DirectionState holdWhileTimedOut() throws InterruptedException {
        DirectionState state = proxy.state(way);
        while (state.hold()) {
            LockSupport.parkNanos(HOLD_POLL_NANOS);
            if (Thread.interrupted() || !connection.isOpen()) throw new InterruptedException("connection closed while held");
            state = proxy.state(way);
        }
        return state;
    }

    private void send(ByteBuffer buffer, DirectionState state) throws IOException, InterruptedException {
        long rate = state.bytesPerSecond();
        if (rate == 0) {
            int n = buffer.remaining();
            while (buffer.hasRemaining()) sink.write(buffer);
            bytes.add(n);
            return;
        }
        int slice = (int) Math.max(1, Math.min(buffer.capacity(), rate * SLICE_NANOS / TimeUnit.SECONDS.toNanos(1)));
        int end = buffer.limit();
        while (buffer.position() < end) {
            long now = System.nanoTime();
            // an idle link does not save up credit for a later burst
            if (nextSliceAt - now < 0) nextSliceAt = now;
            waitUntil(nextSliceAt);
            int n = Math.min(slice, end - buffer.position());
            buffer.limit(buffer.position() + n);
            while (buffer.hasRemaining()) sink.write(buffer);
            buffer.limit(end);
            bytes.add(n);
            nextSliceAt += n * TimeUnit.SECONDS.toNanos(1) / rate;
        }
    }
}
