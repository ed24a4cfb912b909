package dev.faultline.core.experiment;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineEvent;
import dev.faultline.core.observe.Mark;
import dev.faultline.core.observe.RunClock;
import dev.faultline.core.observe.Timeline;
import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.ProbeResult;
import dev.faultline.core.target.Targets;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one store of what a run observed: every check and request ({@link Observation}), the
 * containers' events, and the {@link Timeline} drawn from them. Error rates, p99, aborts and
 * recovery are all derived from its snapshots; each failure it records is also shown to the abort
 * rules. Thread-safe: samplers, the load and the event stream record from their own threads.
 */
final class RunRecord {

    private static final Logger log = LoggerFactory.getLogger(RunRecord.class);

    private final String runId;
    private final List<Observation> observations = Collections.synchronizedList(new ArrayList<>());
    private final List<EngineEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final RunClock runClock = RunClock.startingNow();
    private final Timeline timeline = Timeline.create(runClock);
    private final AbortMonitor abortMonitor;
    private final AbortSignal abort;
    private final Consumer<Observation> listener;
    /** Set before the load is stopped: a request failing without an answer after this was cut, not failed. */
    private volatile boolean loadClosing;

    RunRecord(String runId, List<AbortRule> abortRules, AbortSignal abort, Consumer<Observation> listener) {
        this.runId = runId;
        this.abortMonitor = new AbortMonitor(abortRules);
        this.abort = abort;
        this.listener = listener;
    }

    /** A check or request: kept, shown to the listener and, unless cut, counted by the timeline and the abort rules. */
    void record(Observation o) {
        observations.add(o);
        listener.accept(o);
        if (o.cut()) {
            return; // not a failure: neither the timeline's error counts nor the abort rules see it
        }
        timeline.recordRequest(Math.max(0, runNanos(o.time())), o.latency().toNanos(), o.errorClass());
        abortMonitor.record(o.time(), o.ok()).ifPresent(abort::abort);
    }

    /** A readiness sample: kept, but not traffic (never counted in error rates, never fed to abort rules). */
    void readiness(Observation o) {
        observations.add(o);
    }

    /** A request of the load. */
    void load(ProbeResult r) {
        if (loadClosing && !r.ok() && !r.errorClass().answered()) {
            // a request the end of the run cancelled: nobody knows how it would have ended
            record(new Observation(r.time(), Observation.Source.LOAD, false, r.latency(), ErrorClass.CUT,
                    "cut by the end of the run (" + r.detail() + ")", r.senderLag()));
            return;
        }
        record(new Observation(r.time(), Observation.Source.LOAD, r.ok(), r.latency(), r.errorClass(), r.detail(), r.senderLag()));
    }

    /** From now on a load request that ends without an answer was cut by the end of the run. */
    void loadClosing() {
        loadClosing = true;
    }

    /** Records the containers' events until closed; null (and a warning) when the engine cannot stream them. */
    Closeable subscribe(Engine engine, Targets targets) {
        try {
            return engine.events(targets.labels(), e -> {
                events.add(e);
                timeline.containerEvent(e.service(), e.action());
            });
        } catch (RuntimeException e) {
            log.warn("run {}: container events unavailable, continuing without them: {}", runId, e.toString());
            return null;
        }
    }

    void mark(Instant at, Mark.Kind kind, String what) {
        timeline.mark(Math.max(0, runNanos(at)), kind, what);
    }

    void note(String text) {
        timeline.note(text);
    }

    RunClock clock() {
        return runClock;
    }

    Timeline timeline() {
        return timeline;
    }

    List<Observation> observations() {
        synchronized (observations) {
            return List.copyOf(observations);
        }
    }

    List<EngineEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    private long runNanos(Instant t) {
        return Duration.between(runClock.originWall(), t).toNanos();
    }
}
