package dev.faultline.core.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A container's log lines in a time window, each stamped with the engine's own timestamp. */
final class DockerLogs {

    private DockerLogs() {}

    static List<LogLine> read(DockerClient streaming, DockerCalls calls, String containerId, Instant since, Instant until) {
        String what = "logs of container " + containerId;
        List<LogLine> lines = new ArrayList<>();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                boolean stderr = frame.getStreamType() == StreamType.STDERR;
                String payload = new String(frame.getPayload(), StandardCharsets.UTF_8);
                for (String raw : payload.split("\n")) {
                    if (raw.isEmpty()) continue;
                    LogLine line = parseLogLine(containerId, stderr, raw);
                    if (!line.time().isBefore(since) && !line.time().isAfter(until)) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
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
            lines.sort(Comparator.comparing(LogLine::time));
            return List.copyOf(lines);
        }
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
