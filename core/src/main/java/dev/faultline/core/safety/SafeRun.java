package dev.faultline.core.safety;

import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.fault.Effect;
import dev.faultline.core.fault.Fault;
import dev.faultline.core.fault.FaultContext;
import dev.faultline.core.fault.Injection;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety of one run, from its start to its normal end. {@link #start} refuses a remote engine
 * unless allowed, reconciles what dead runs left (with a warning), and opens the run's {@link Ledger};
 * {@link #guard(Fault)} wraps each fault so that every change it makes is guarded and recorded
 * (through a recording engine, one place for every fault class), the first guarded injection starts the
 * run's {@link Reaper}, and {@link #close()} stops the reaper and ends the ledger.
 *
 * <pre>{@code
 * try (SafeRun run = SafeRun.start(engine, runId, SafetyPolicy.defaults())) {
 *     Injection i = run.guard(PauseFault.of("web")).inject(new FaultContext(engine, targets, runId));
 *     ...
 *     i.close();
 * }
 * }</pre>
 */
public final class SafeRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SafeRun.class);

    private final Engine engine;
    private final String runId;
    private final SafetyPolicy policy;
    private final Ledger ledger;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Optional<Reaper> reaper;
    private final boolean wantReaper;

    private SafeRun(Engine engine, String runId, SafetyPolicy policy, Ledger ledger, boolean wantReaper) {
        this.engine = engine;
        this.runId = runId;
        this.policy = policy;
        this.ledger = ledger;
        this.wantReaper = wantReaper;
    }

    /**
     * @throws SafetyRefusedException when the engine is not on this machine and the policy does not allow it
     */
    public static SafeRun start(Engine engine, String runId, SafetyPolicy policy) {
        return start(engine, runId, policy, true);
    }

    /** {@code reaper false}: no reaper container (tests of the ledger alone). */
    public static SafeRun start(Engine engine, String runId, SafetyPolicy policy, boolean reaper) {
        return start(engine, runId, policy, Ledger.directory(), reaper);
    }

    /** With the ledgers in {@code ledgerDir} instead of {@link Ledger#directory()}. */
    public static SafeRun start(Engine engine, String runId, SafetyPolicy policy, java.nio.file.Path ledgerDir, boolean reaper) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(ledgerDir, "ledgerDir");
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("runId must be non-blank, got '" + runId + "'");
        }
        Objects.requireNonNull(policy, "policy");
        refuseRemote(engine.info(), policy);
        Recover.Report leftovers = Recover.deadRuns(engine, ledgerDir);
        for (String line : leftovers.done()) {
            LOG.warn("run {}: undid what a dead run left behind: {}", runId, line);
        }
        for (String line : leftovers.failed()) {
            LOG.warn("run {}: could not undo what a dead run left behind: {} (try `jshell scripts/recover.jsh`)", runId, line);
        }
        return new SafeRun(engine, runId, policy, Ledger.create(ledgerDir, runId), reaper);
    }

    static void refuseRemote(EngineInfo info, SafetyPolicy policy) {
        if (!info.local() && !policy.remoteEngineAllowed()) {
            throw new SafetyRefusedException("refused to run faults against the Docker engine at " + info.endpoint()
                    + ": it is not on this machine (it may be production); nothing was done. If the experiment really "
                    + "targets a remote engine, say so with allowRemoteEngine() (SafetyPolicy.defaults().allowRemoteEngine() in core)");
        }
    }

    public String runId() {
        return runId;
    }

    public Ledger ledger() {
        return ledger;
    }

    public SafetyPolicy policy() {
        return policy;
    }

    /** The run's reaper once the first guarded fault was injected (empty before, or where there can be none). */
    public synchronized Optional<Reaper> reaper() {
        return reaper == null ? Optional.empty() : reaper;
    }

    /** The fault, guarded by this run's policy and recorded in its ledger. */
    public Fault guard(Fault fault) {
        Objects.requireNonNull(fault, "fault");
        return fault instanceof Guarded g && g.run == this ? fault : new Guarded(fault, this);
    }

    /**
     * Starts the run's reaper now (idempotent) instead of at the first guarded injection, e.g. so that
     * its start does not delay a fault scheduled at a precise moment.
     */
    public void startReaper() {
        ensureReaper();
    }

    /**
     * Starts the run's reaper on a thread of its own, so that its container start (about a second) overlaps
     * the steady-state check and the baseline instead of adding to them; the first guarded injection waits
     * for it (it takes the same lock). A start that failed here is tried again, and reported, by that injection.
     */
    public void startReaperInBackground() {
        Thread starter = new Thread(() -> {
            try {
                ensureReaper();
            } catch (RuntimeException e) {
                LOG.warn("run {}: the reaper did not start ({}); the first fault will try again", runId, e.getMessage());
            }
        }, "faultline-reaper-start-" + runId);
        starter.setDaemon(true);
        starter.start();
    }

    /**
     * Waits for the reaper started by {@link #startReaperInBackground()} (or starts it now if that start
     * failed), so that the caller's next timed step, such as the first fault, does not wait for it.
     * Measured without this: an engine on which the reaper takes its full lease timeout made every
     * scheduled fault of the timer benchmark 17-20 s late.
     */
    public void awaitReaper() {
        ensureReaper();
    }

    private synchronized void ensureReaper() {
        // a run that ended before the background start got the lock needs no reaper (none would be stopped)
        if (reaper == null && !closed.get()) {
            reaper = wantReaper ? Reaper.start(engine, ledger) : Optional.empty();
        }
    }

    /** Normal end: stops the reaper (without it undoing anything) and writes the ledger's last line. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                if (reaper != null) {
                    reaper.ifPresent(Reaper::close);
                }
            }
            ledger.end();
        }
    }

    /** "PauseFault" → "pause", "CpuQuotaFault" → "cpu-quota": the fault's kind in the ledger. */
    static String kindOf(Fault fault) {
        String simple = fault.getClass().getSimpleName().replaceFirst("Fault$", "");
        return simple.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static final class Guarded implements Fault {
        private final Fault fault;
        private final SafeRun run;

        Guarded(Fault fault, SafeRun run) {
            this.fault = fault;
            this.run = run;
        }

        @Override
        public String describe() {
            return fault.describe();
        }

        @Override
        public Injection inject(FaultContext context) {
            if (!run.runId.equals(context.runId())) {
                throw new IllegalArgumentException("context.runId must be this run's id '" + run.runId + "', got '"
                        + context.runId() + "'");
            }
            if (run.closed.get()) {
                throw new IllegalStateException("run " + run.runId + " has ended; start a new SafeRun to inject '" + describe() + "'");
            }
            refuseRemote(context.engine().info(), run.policy);
            run.ensureReaper();
            LedgerEngine recording = new LedgerEngine(context.engine(), run.ledger, run.policy, kindOf(fault));
            Injection injection;
            try {
                injection = fault.inject(context.withEngine(recording));
            } catch (RuntimeException e) {
                try {
                    recording.settle().forEach(line -> LOG.info("run {}: after a failed injection: {}", run.runId, line));
                } catch (RuntimeException s) {
                    e.addSuppressed(s);
                }
                throw e;
            }
            return new GuardedInjection(injection, recording, run.runId);
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** Closes the fault's own injection, then undoes whatever that left open in the ledger. */
    private static final class GuardedInjection implements Injection {
        private final Injection injection;
        private final LedgerEngine recording;
        private final String runId;
        private final AtomicBoolean closed = new AtomicBoolean();

        GuardedInjection(Injection injection, LedgerEngine recording, String runId) {
            this.injection = injection;
            this.recording = recording;
            this.runId = runId;
        }

        @Override
        public String mechanism() {
            return injection.mechanism();
        }

        @Override
        public List<String> targets() {
            return injection.targets();
        }

        @Override
        public Instant injectedAt() {
            return injection.injectedAt();
        }

        @Override
        public Effect effect() {
            return injection.effect();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            RuntimeException failure = null;
            try {
                injection.close();
            } catch (RuntimeException e) {
                failure = e;
            }
            try {
                recording.settle().forEach(line -> LOG.warn("run {}: the revert left something; undone from the ledger: {}", runId, line));
            } catch (RuntimeException e) {
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                throw e;
            }
            if (failure != null) {
                // the ledger's undo (which looks first) may have settled what the revert could not, but
                // the revert may also have owned things no ledger line describes: the failure stands
                throw failure;
            }
        }

        @Override
        public String toString() {
            return injection.toString();
        }
    }
}
