package dev.faultline.core.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import dev.faultline.core.engine.EngineEvent;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An events subscription that reconnects from the last event it saw when the engine ends the
 * stream or it fails, and renews itself every {@code renewal} because event streams are known to
 * go quiet without ending (docker-java #1369). Events replayed by a reconnect are dropped by
 * their nanosecond time.
 */
final class DockerEventStream implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(DockerEventStream.class);

    /** Event streams are renewed this often, in case one went silent without ending. */
    static final Duration EVENT_RENEWAL = Duration.ofMinutes(5);

    private final DockerClient streaming;
    private final List<String> filters = new ArrayList<>();
    private final Consumer<EngineEvent> listener;
    private final Object lock = new Object();
    private Closeable current;
    private int generation;
    private volatile boolean closed;
    private long lastEventSeconds = Instant.now().getEpochSecond();
    private long lastEventNanos;
    private Thread renewer;

    private final Duration renewal;

    DockerEventStream(DockerClient streaming, Map<String, String> labels, Consumer<EngineEvent> listener, Duration renewal) {
        this.streaming = streaming;
        this.renewal = renewal;
        // A key without a value filters on "label present".
        labels.forEach((k, v) -> filters.add(v == null ? k : k + "=" + v));
        this.listener = listener;
    }

    DockerEventStream start() {
        synchronized (lock) {
            subscribe(null);
            renewer = new Thread(this::renewPeriodically, "faultline-docker-events-renewal");
            renewer.setDaemon(true);
            renewer.start();
        }
        return this;
    }

    private void renewPeriodically() {
        while (!closed) {
            try {
                Thread.sleep(renewal.toMillis());
            } catch (InterruptedException e) {
                return; // closed
            }
            resubscribe("renewal");
        }
    }

    /** Must hold {@link #lock}. */
    private void subscribe(String since) {
        if (closed) return;
        int mine = ++generation;
        var cmd = streaming.eventsCmd().withEventTypeFilter(EventType.CONTAINER);
        if (!filters.isEmpty()) cmd = cmd.withLabelFilter(filters.toArray(String[]::new));
        if (since != null) cmd = cmd.withSince(since);
        ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                deliver(event);
            }

            @Override
            public void onError(Throwable throwable) {
                if (!closed && isCurrent(mine)) {
                    log.debug("event stream failed ({}); reconnecting", throwable.toString());
                    pauseBeforeReconnect();
                    resubscribe("error");
                }
            }

            @Override
            public void onComplete() {
                super.onComplete();
                if (!closed && isCurrent(mine)) {
                    pauseBeforeReconnect();
                    resubscribe("end of stream");
                }
            }
        };
        Closeable previous = current;
        current = cmd.exec(callback);
        // Close the old stream only after the new one is open, so nothing falls in between.
        DockerCalls.closeQuietly(previous);
    }

    private boolean isCurrent(int gen) {
        synchronized (lock) {
            return gen == generation;
        }
    }

    private void resubscribe(String why) {
        synchronized (lock) {
            if (closed) return;
            try {
                subscribe(Long.toString(lastEventSeconds));
            } catch (RuntimeException e) {
                log.warn("event stream could not reconnect after {}: {}", why, e.toString());
            }
        }
    }

    private void pauseBeforeReconnect() {
        try {
            Thread.sleep(200); // do not spin against an engine that is going away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(Event event) {
        EngineEvent mapped;
        synchronized (lock) {
            if (closed) return;
            long nanos = event.getTimeNano() == null ? 0 : event.getTimeNano();
            if (nanos != 0 && nanos <= lastEventNanos) return; // replayed after a reconnect
            if (nanos != 0) lastEventNanos = nanos;
            if (event.getTime() != null) lastEventSeconds = event.getTime();
            Instant time = nanos != 0
                    ? Instant.ofEpochSecond(0, nanos)
                    : Instant.ofEpochSecond(event.getTime() == null ? 0 : event.getTime());
            Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                    ? Map.of() : Map.copyOf(event.getActor().getAttributes());
            String action = event.getAction() == null ? String.valueOf(event.getStatus()) : event.getAction();
            mapped = new EngineEvent(time, event.getId(), attributes.getOrDefault("com.docker.compose.service", ""),
                    action, attributes);
        }
        try {
            listener.accept(mapped);
        } catch (RuntimeException e) {
            log.warn("event listener threw on {}: {}", mapped.action(), e.toString());
        }
    }

    @Override
    public void close() {
        Closeable last;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            last = current;
            if (renewer != null) renewer.interrupt();
        }
        DockerCalls.closeQuietly(last);
    }
}
