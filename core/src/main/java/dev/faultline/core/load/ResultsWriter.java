package dev.faultline.core.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.faultline.core.probe.ErrorClass;

/**
 * Streams request records to a JSON Lines file ({@code results.jsonl}), one object per line, as they
 * complete; {@link #read(Path)} reads them back so a run can be re-reported later. Thread-safe.
 *
 * <p>{@link #onRequest} only queues the record: a thread of the writer's own turns records into JSON and
 * writes them. The listener runs on the generator's I/O thread, and a file write there delays every
 * response waiting behind it, so the file would change the latencies it records: written there, a cold
 * 10k req/s run's p95 was 43-104 ms with the file against 0.2-1.5 ms without (BENCHMARKS.md section 5b).
 * Queuing does not wake the writer either: it looks for work every 10 ms (a blocking queue woke it for each
 * record, a system call on the I/O thread per response).
 * The queue is unbounded, so that a slow disk never slows the load: a queued record takes about 100 bytes,
 * so a disk that took nothing for a whole minute at 10k req/s would hold about 60 MB here. What is written
 * reaches the file within 0.2 s, so a run killed without closing anything (Ctrl-C in jshell) keeps
 * its records up to then; {@link #read} leaves out a last line that such a kill cut short.
 */
public final class ResultsWriter implements RequestListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultsWriter.class);
    // newer files may carry more fields; an older reader should still read what it knows
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** One record into the generator's buffer; the writer thread flushes on its own schedule. */
    private static final ObjectWriter RECORD = JSON.writerFor(RequestRecord.class).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    /** Ends the writer thread once everything queued before it is written. */
    private static final Object END = new Object();
    /** How often what was written goes from the buffer to the file; a record waits at most this plus {@link #IDLE_NANOS}. */
    private static final long FLUSH_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long the writer sleeps when nothing is queued; only {@link #flush()} and {@link #close()} wake it sooner. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** Records {@link #prime()} serializes; enough for the JIT to compile the path (C2 from about 15 000 calls). */
    static final int PRIMING_RECORDS = 20_000;
    private static final AtomicBoolean PRIMED = new AtomicBoolean();

    private final Path file;
    private final Writer out;
    /** Streams JSON into {@link #out} without a String per record; used by the writer thread only. */
    private final JsonGenerator json;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile IOException failure; // the first write error; later records are not written

    ResultsWriter(Path file, Writer out) {
        this.file = file;
        this.out = out;
        try {
            this.json = generator(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + file + ": " + e.getMessage(), e);
        }
        this.thread = new Thread(this::writeQueued, "faultline-results-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Creates (or truncates) the file, making parent folders as needed. The first call in a JVM also runs
     * the JSON path {@link #PRIMING_RECORDS} times into nothing (about 50 ms), see {@link #prime()}.
     */
    public static ResultsWriter open(Path file) {
        Objects.requireNonNull(file, "file");
        prime();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return new ResultsWriter(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    /**
     * Queues one line and returns without touching the file. A write error is logged once and later records
     * are skipped: load must not stop for it. Records arriving after {@link #close()} are ignored.
     */
    @Override
    public void onRequest(RequestRecord record) {
        if (!closed && failure == null) queue.add(Objects.requireNonNull(record, "record"));
    }

    /** Writes everything queued so far to the file before returning. */
    public void flush() {
        CompletableFuture<Void> written = new CompletableFuture<>();
        synchronized (queue) { // so that no marker is queued behind END, where nobody would complete it
            if (closed) return;
            queue.add(written);
        }
        LockSupport.unpark(thread);
        try {
            written.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while flushing results to " + file, e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("cannot flush results to " + file, (IOException) e.getCause());
        }
    }

    /** Writes everything queued, then closes the file; the records of requests still running are not waited for. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) return;
            closed = true;
            queue.add(END);
        }
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while closing results file " + file, e);
        }
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close results file " + file, e);
        }
    }

    private void writeQueued() {
        long flushedAt = System.nanoTime();
        boolean unflushed = false;
        while (true) {
            Object item = queue.poll();
            if (item == null) {
                LockSupport.parkNanos(this, IDLE_NANOS);
            } else if (item == END) {
                flushQuietly();
                return;
            } else if (item instanceof CompletableFuture<?> flushed) {
                try {
                    json.flush();
                    flushed.complete(null);
                } catch (IOException e) {
                    flushed.completeExceptionally(e);
                }
            } else if (failure == null) {
                write((RequestRecord) item);
                unflushed = true;
            }
            // a run killed now (Ctrl-C in jshell ends its JVM without closing anything) keeps what was flushed;
            // a flush per record instead would be a system call per record at high rates
            if (unflushed && System.nanoTime() - flushedAt >= FLUSH_EVERY_NANOS) {
                flushQuietly();
                flushedAt = System.nanoTime();
                unflushed = false;
            }
        }
    }

    /**
     * Serializes sample records into nothing, once per JVM, before the first file is opened. Otherwise the
     * first records of a load pay for Jackson building its serializer and for running it interpreted, on a
     * thread that takes CPU from the generator's: at 20 000 req/s against nginx from a cold JVM, the p99 was
     * 14-50 ms with a results file against 3-4 ms without, all of it in the first half second; primed,
     * 5-6 ms (BENCHMARKS.md section 5b).
     */
    private static void prime() {
        if (!PRIMED.compareAndSet(false, true)) return;
        RequestRecord[] samples = {
                new RequestRecord(1_000_000, 1_020_000, 350_000, 200, ErrorClass.NONE, "GET /", null, null, 0),
                new RequestRecord(2_000_000, 2_010_000, 5_000_000, 201, ErrorClass.NONE, "POST /items/", 42L, WriteOutcome.OK, 0),
                new RequestRecord(3_000_000, RequestRecord.NOT_SENT, RequestRecord.NOT_SENT, 0, ErrorClass.OTHER, "GET /", null, null, 0)};
        try (JsonGenerator discard = generator(Writer.nullWriter())) {
            for (int i = 0; i < PRIMING_RECORDS; i++) writeLine(discard, samples[i % samples.length]);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a null writer does not fail
        }
    }

    private static JsonGenerator generator(Writer out) throws IOException {
        JsonGenerator json = JSON.getFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        json.setRootValueSeparator(null); // each record ends its own line
        return json;
    }

    private static void writeLine(JsonGenerator json, RequestRecord record) throws IOException {
        RECORD.writeValue(json, record);
        json.writeRaw('\n');
    }

    private void write(RequestRecord record) {
        try {
            writeLine(json, record);
        } catch (IOException e) {
            failed(e);
        }
    }

    private void flushQuietly() {
        if (failure != null) return;
        try {
            json.flush();
        } catch (IOException e) {
            failed(e);
        }
    }

    private void failed(IOException e) {
        failure = e;
        log.warn("writing results to {} failed; later records are not written: {}", file, e.toString());
    }

    /**
     * Reads every record of a results file, in file order. A last line cut short, as a run killed while writing
     * leaves it (no newline at its end, not a whole record), is left out with a warning; any other line that is
     * not a record is an error that names it.
     */
    public static List<RequestRecord> read(Path file) {
        List<RequestRecord> records = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            boolean endsWithNewline = endsWithNewline(file);
            int number = 0;
            for (String line = in.readLine(), next; line != null; line = next) {
                number++;
                next = in.readLine();
                if (line.isBlank()) continue;
                try {
                    records.add(JSON.readValue(line, RequestRecord.class));
                } catch (IOException e) {
                    if (next == null && !endsWithNewline) {
                        log.warn("{}: its last line is cut short (the run was stopped while writing it); read the {} records before it",
                                file, records.size());
                        break;
                    }
                    throw new IllegalArgumentException(file + " line " + number + " is not a request record: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results from " + file + ": " + e.getMessage(), e);
        }
        return records;
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            if (channel.size() == 0) return true;
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.position(channel.size() - 1).read(last);
            return last.get(0) == '\n';
        }
    }
}
