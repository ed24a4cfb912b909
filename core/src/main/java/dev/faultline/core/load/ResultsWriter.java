package dev.faultline.core.load;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams request records to a JSON Lines file ({@code results.jsonl}), one object per line, as they
 * complete; {@link #read(Path)} reads them back so a run can be re-reported later. Thread-safe.
 */
public final class ResultsWriter implements RequestListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultsWriter.class);
    // newer files may carry more fields; an older reader should still read what it knows
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final BufferedWriter out;
    private boolean failed; // guarded by this
    private boolean closed; // guarded by this

    private ResultsWriter(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Creates (or truncates) the file, making parent folders as needed. */
    public static ResultsWriter open(Path file) {
        Objects.requireNonNull(file, "file");
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

    /** Appends one line. A write error is logged once and later records are skipped: load must not stop for it. */
    @Override
    public synchronized void onRequest(RequestRecord record) {
        if (failed || closed) return;
        try {
            out.write(JSON.writeValueAsString(record));
            out.write('\n');
        } catch (IOException e) {
            failed = true;
            log.warn("writing results to {} failed; later records are not written: {}", file, e.toString());
        }
    }

    public synchronized void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush results to " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close results file " + file, e);
        }
    }

    /** Reads every record of a results file, in file order. */
    public static List<RequestRecord> read(Path file) {
        List<RequestRecord> records = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) continue;
                try {
                    records.add(JSON.readValue(line, RequestRecord.class));
                } catch (IOException e) {
                    throw new IllegalArgumentException(file + " line " + number + " is not a request record: " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results from " + file + ": " + e.getMessage(), e);
        }
        return records;
    }
}
