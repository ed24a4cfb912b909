package dev.faultline.core.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.LogLine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A container's log lines in a time window, each stamped with the engine's own timestamp. */
final class DockerLogs {

    private DockerLogs() {}

    static List<LogLine> read(DockerClient streaming, DockerCalls calls, String containerId, Instant since, Instant until) {
        String what = "logs of container " + containerId;
        List<LogLine> lines = new ArrayList<>();
        // A frame is not a line: docker-java hands over a long stream in pieces that can end mid-line, and
        // the piece after has no timestamp. Bytes are kept per stream until their line is complete. (Each
        // piece used to be split on its own: of 6000 lines, ~700 came back cut in two and ~365 were stamped
        // with the time they were read, after the fault, which put start-up errors in a fault's window.)
        Map<Boolean, ByteArrayOutputStream> partial = new HashMap<>();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                boolean stderr = frame.getStreamType() == StreamType.STDERR;
                byte[] payload = frame.getPayload();
                synchronized (lines) {
                    ByteArrayOutputStream pending = partial.computeIfAbsent(stderr, s -> new ByteArrayOutputStream());
                    int from = 0;
                    for (int i = 0; i < payload.length; i++) {
                        if (payload[i] != '\n') continue; // '\n' is never part of a multi-byte UTF-8 character
                        pending.write(payload, from, i - from);
                        add(lines, containerId, stderr, pending.toString(StandardCharsets.UTF_8), since, until);
                        pending.reset();
                        from = i + 1;
                    }
                    pending.write(payload, from, payload.length - from);
                }
            }
        };
        calls.streamed(what, callback, () -> {
            // The API takes whole seconds: widen the window, then filter exactly on the line timestamps.
            streaming.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withTimestamps(true)
                    .withSince((int) since.getEpochSecond())
                    .withUntil((int) until.getEpochSecond() + 1)
                    .exec(callback);
            if (!callback.awaitCompletion(DockerConnection.RESPONSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new EngineException(what + " did not finish within " + DockerConnection.RESPONSE_TIMEOUT);
            }
            return null;
        });
        synchronized (lines) {
            // a last line without its newline (a container killed mid-write)
            partial.forEach((stderr, pending) -> add(lines, containerId, stderr, pending.toString(StandardCharsets.UTF_8), since, until));
            lines.sort(Comparator.comparing(LogLine::time));
            return List.copyOf(lines);
        }
    }

    private static void add(List<LogLine> lines, String containerId, boolean stderr, String raw, Instant since, Instant until) {
        if (raw.isEmpty()) return;
        LogLine line = parseLogLine(containerId, stderr, raw);
        if (!line.time().isBefore(since) && !line.time().isAfter(until)) lines.add(line);
    }

    /** A line as the engine sends it with timestamps: {@code 2026-11-27T05:53:55.123456789Z text}. */
    static LogLine parseLogLine(String containerId, boolean stderr, String raw) {
        int space = raw.indexOf(' ');
        if (space > 0) {
            try {
                return new LogLine(Instant.parse(raw.substring(0, space)), containerId, stderr, stripCr(raw.substring(space + 1)));
            } catch (DateTimeParseException notATimestamp) {
                // fall through: keep the line, stamped now
            }
        }
        return new LogLine(Instant.now(), containerId, stderr, stripCr(raw));
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
