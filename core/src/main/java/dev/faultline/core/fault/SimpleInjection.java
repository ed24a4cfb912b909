package dev.faultline.core.fault;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * An {@link Injection} made of a description, a revert action that runs at most once, however
 * often and from however many threads {@link #close()} is called, and a measurement of its
 * {@link Effect}: read live while the fault is on, and once more just before the revert, which is
 * then what {@link #effect()} keeps answering (the counters usually go with the fault).
 */
public final class SimpleInjection implements Injection {

    private final String mechanism;
    private final List<String> targets;
    private final Instant injectedAt;
    /** Undoes the fault; returns the effect it read on its way (a rule's counters) or null. */
    private final Supplier<Effect> revert;
    private final Supplier<Effect> measure;
    /** True when {@link #revert} measures itself, so no separate measurement runs before it. */
    private final boolean revertMeasures;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Effect atRevert;

    private SimpleInjection(String mechanism, List<String> targets, Instant injectedAt, Supplier<Effect> revert,
                            Supplier<Effect> measure, boolean revertMeasures) {
        this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
        this.targets = List.copyOf(targets);
        this.injectedAt = Objects.requireNonNull(injectedAt, "injectedAt");
        this.revert = Objects.requireNonNull(revert, "revert");
        this.measure = Objects.requireNonNull(measure, "measure");
        this.revertMeasures = revertMeasures;
    }

    /** A fault with nothing to undo (a crash, a restart). */
    public static SimpleInjection oneShot(String mechanism, List<String> targets, Instant injectedAt) {
        return reverting(mechanism, targets, injectedAt, () -> {});
    }

    public static SimpleInjection reverting(String mechanism, List<String> targets, Instant injectedAt, Runnable revert) {
        Objects.requireNonNull(revert, "revert");
        return new SimpleInjection(mechanism, targets, injectedAt, () -> {
            revert.run();
            return null;
        }, () -> Effect.notMeasured("this fault does not measure its effect"), false);
    }

    /**
     * A fault whose revert reads its counters on the way out (a netfilter rule's, in the same exec that
     * deletes it) and returns them; {@code live} measures while it is on.
     */
    static SimpleInjection revertingMeasured(String mechanism, List<String> targets, Instant injectedAt,
                                             Supplier<Effect> revertAndMeasure, Supplier<Effect> live) {
        return new SimpleInjection(mechanism, targets, injectedAt, revertAndMeasure, live, true);
    }

    /** The same injection, its effect read by {@code measure}: live, and once just before the revert. */
    public SimpleInjection measuredBy(Supplier<Effect> measure) {
        return new SimpleInjection(mechanism, targets, injectedAt, revert, measure, false);
    }

    /**
     * One injection for several: closes each (all of them, even when one fails) and reports every
     * failure; its effect combines theirs ({@link Effect#combine}).
     */
    public static Injection all(List<? extends Injection> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<Injection> copy = List.copyOf(parts);
        String mechanism = String.join("; ", copy.stream().map(Injection::mechanism).toList());
        List<String> targets = copy.stream().flatMap(i -> i.targets().stream()).toList();
        Instant at = copy.stream().map(Injection::injectedAt).min(Instant::compareTo).orElse(Instant.now());
        // each part keeps the effect it read at its own revert: asking them afterwards measures nothing twice
        Supplier<Effect> combined = () -> Effect.combine(copy.stream().map(Injection::effect).toList());
        return new SimpleInjection(mechanism, targets, at, () -> {
            closeAll(copy);
            return combined.get();
        }, combined, true);
    }

    /**
     * What a fault does when applying it failed half-way: runs {@code undo} and returns {@code failure}
     * to be thrown, with a failure of the undo attached to it (suppressed) rather than hiding it.
     */
    static <E extends RuntimeException> E undoing(E failure, Runnable undo) {
        try {
            undo.run();
        } catch (RuntimeException r) {
            failure.addSuppressed(r);
        }
        return failure;
    }

    static void closeAll(List<? extends Injection> parts) {
        FaultException failure = null;
        for (Injection part : parts) {
            try {
                part.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new FaultException("revert failed for " + part.targets() + ": " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String mechanism() {
        return mechanism;
    }

    @Override
    public List<String> targets() {
        return targets;
    }

    @Override
    public Instant injectedAt() {
        return injectedAt;
    }

    public boolean closed() {
        return closed.get();
    }

    @Override
    public Effect effect() {
        Effect kept = atRevert;
        return kept != null ? kept : safely(measure);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (!revertMeasures) {
                atRevert = safely(measure);
            }
            Effect read = revert.get();
            if (read != null) {
                atRevert = read;
            }
        }
    }

    /** A measurement never fails the fault: what went wrong becomes the reason it was not measured. */
    static Effect safely(Supplier<Effect> measure) {
        try {
            Effect e = measure.get();
            return e == null ? Effect.notMeasured("the measurement returned nothing") : e;
        } catch (RuntimeException e) {
            return Effect.notMeasured("the measurement failed: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return mechanism;
    }
}
