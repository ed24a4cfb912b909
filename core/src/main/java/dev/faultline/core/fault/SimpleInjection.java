package dev.faultline.core.fault;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An {@link Injection} made of a description and a revert action that runs at most once, however
 * often and from however many threads {@link #close()} is called.
 */
public final class SimpleInjection implements Injection {

    private final String mechanism;
    private final List<String> targets;
    private final Instant injectedAt;
    private final Runnable revert;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SimpleInjection(String mechanism, List<String> targets, Instant injectedAt, Runnable revert) {
        this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
        this.targets = List.copyOf(targets);
        this.injectedAt = Objects.requireNonNull(injectedAt, "injectedAt");
        this.revert = Objects.requireNonNull(revert, "revert");
    }

    /** A fault with nothing to undo (a crash, a restart). */
    public static SimpleInjection oneShot(String mechanism, List<String> targets, Instant injectedAt) {
        return new SimpleInjection(mechanism, targets, injectedAt, () -> {});
    }

    public static SimpleInjection reverting(String mechanism, List<String> targets, Instant injectedAt, Runnable revert) {
        return new SimpleInjection(mechanism, targets, injectedAt, revert);
    }

    /** One injection for several: closes each (all of them, even when one fails) and reports every failure. */
    public static Injection all(List<? extends Injection> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<Injection> copy = List.copyOf(parts);
        String mechanism = String.join("; ", copy.stream().map(Injection::mechanism).toList());
        List<String> targets = copy.stream().flatMap(i -> i.targets().stream()).toList();
        Instant at = copy.stream().map(Injection::injectedAt).min(Instant::compareTo).orElse(Instant.now());
        return new SimpleInjection(mechanism, targets, at, () -> closeAll(copy));
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
    public void close() {
        if (closed.compareAndSet(false, true)) {
            revert.run();
        }
    }

    @Override
    public String toString() {
        return mechanism;
    }
}
