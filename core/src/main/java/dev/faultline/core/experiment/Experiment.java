package dev.faultline.core.experiment;

import dev.faultline.core.time.Durations;

import dev.faultline.core.safety.SafetyPolicy;
import dev.faultline.core.steadystate.SteadyState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A complete, validated experiment. Build one with {@link #named(String)}; every setter rejects a
 * bad value at once, naming the argument, the value and what is allowed, and {@link Builder#build()}
 * checks the rules between fields (for example that every expectation can be checked).
 *
 * @param recoveryWindow how long to wait, after the last fault ended, for the steady state to hold again
 * @param afterRecovery  how long to keep observing once recovered (errors then count against
 *                       {@link Expectation.NoErrorsAfterRecovery})
 * @param sampleInterval how often the steady state is checked during the run
 * @param healthyFor     how long the steady state must hold without a failure to count as recovered
 * @param revertTimeout  the bound on each revert
 * @param safety         what the run may touch beyond the safe defaults (a remote engine, protected containers)
 */
public record Experiment(
        String name,
        Optional<SteadyState> steadyState,
        Optional<Workload> load,
        List<FaultStep> faults,
        List<Expectation> expectations,
        List<AbortRule> abortRules,
        Duration recoveryWindow,
        Duration afterRecovery,
        Duration sampleInterval,
        Duration healthyFor,
        Duration revertTimeout,
        SafetyPolicy safety) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public Experiment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(steadyState, "steadyState");
        Objects.requireNonNull(load, "load");
        faults = List.copyOf(faults);
        expectations = List.copyOf(expectations);
        abortRules = List.copyOf(abortRules);
        Objects.requireNonNull(recoveryWindow, "recoveryWindow");
        Objects.requireNonNull(afterRecovery, "afterRecovery");
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        Objects.requireNonNull(healthyFor, "healthyFor");
        Objects.requireNonNull(revertTimeout, "revertTimeout");
        Objects.requireNonNull(safety, "safety");
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** A builder holding everything {@code base} has, to change a few things and build a new experiment. */
    public static Builder from(Experiment base) {
        Objects.requireNonNull(base, "base");
        Builder b = new Builder(base.name());
        base.steadyState().ifPresent(b::steadyState);
        base.load().ifPresent(b::load);
        base.faults().forEach(b::fault);
        base.expectations().forEach(b::expect);
        base.abortRules().forEach(b::abortWhen);
        b.recoveryWindow = base.recoveryWindow();
        b.afterRecovery = base.afterRecovery();
        b.sampleInterval = base.sampleInterval();
        b.healthyFor = base.healthyFor();
        b.revertTimeout = base.revertTimeout();
        b.safety = base.safety();
        return b;
    }

    /** The offset of the first fault: the baseline observed before anything is injected. */
    public Duration baseline() {
        return faults.stream().map(FaultStep::at).min(Comparator.naturalOrder()).orElse(Duration.ZERO);
    }

    /** A builder is mutable and single-use; the {@link Experiment} it builds is immutable. */
    public static final class Builder {
        private final String name;
        private SteadyState steadyState;
        private Workload load;
        private final List<FaultStep> faults = new ArrayList<>();
        private final List<Expectation> expectations = new ArrayList<>();
        private final List<AbortRule> abortRules = new ArrayList<>();
        // Unset: the longest recoveredWithin(..), else 30 s; a run need not wait longer than it can judge.
        private Duration recoveryWindow;
        private Duration afterRecovery = Duration.ofSeconds(3);
        private Duration sampleInterval = Duration.ofMillis(100);
        private Duration healthyFor = Duration.ofSeconds(1);
        private Duration revertTimeout = Duration.ofSeconds(30);
        private SafetyPolicy safety = SafetyPolicy.defaults();

        private Builder(String name) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name must be 1 to 63 letters, digits, '.', '_' or '-' "
                        + "starting with a letter or digit, got " + quoted(name));
            }
            this.name = name;
        }

        public Builder steadyState(SteadyState steadyState) {
            this.steadyState = Objects.requireNonNull(steadyState, "steadyState");
            return this;
        }

        public Builder load(Workload load) {
            this.load = Objects.requireNonNull(load, "load");
            return this;
        }

        public Builder fault(FaultStep step) {
            faults.add(Objects.requireNonNull(step, "step"));
            return this;
        }

        public Builder expect(Expectation first, Expectation... more) {
            expectations.add(Objects.requireNonNull(first, "expectation"));
            for (int i = 0; i < more.length; i++) {
                if (more[i] == null) {
                    throw new IllegalArgumentException("expectations[" + (i + 1) + "] must not be null");
                }
                expectations.add(more[i]);
            }
            return this;
        }

        public Builder abortWhen(AbortRule rule) {
            abortRules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        public Builder recoveryWindow(Duration window) {
            this.recoveryWindow = positive("recoveryWindow", window, Duration.ofHours(1));
            return this;
        }

        public Builder afterRecovery(Duration duration) {
            Objects.requireNonNull(duration, "afterRecovery");
            if (duration.isNegative() || duration.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("afterRecovery must be between 0 and 1 h, got " + duration);
            }
            this.afterRecovery = duration;
            return this;
        }

        public Builder sampleInterval(Duration interval) {
            Objects.requireNonNull(interval, "sampleInterval");
            if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("sampleInterval must be between 10 ms and 10 s, got " + interval);
            }
            this.sampleInterval = interval;
            return this;
        }

        public Builder healthyFor(Duration duration) {
            this.healthyFor = positive("healthyFor", duration, Duration.ofMinutes(10));
            return this;
        }

        public Builder revertTimeout(Duration timeout) {
            this.revertTimeout = positive("revertTimeout", timeout, Duration.ofMinutes(10));
            return this;
        }

        /**
         * Allows what the production guard refuses by default; see {@link SafetyPolicy}. E.g.
         * {@code safety(SafetyPolicy.defaults().allowProtected())}.
         */
        public Builder safety(SafetyPolicy policy) {
            this.safety = Objects.requireNonNull(policy, "safety");
            return this;
        }

        public Experiment build() {
            if (faults.isEmpty()) {
                throw new IllegalArgumentException("experiment '" + name + "' has no fault: add at least one with fault(...)");
            }
            boolean traffic = steadyState != null || load != null;
            Duration window = recoveryWindow != null ? recoveryWindow
                    : expectations.stream().anyMatch(e -> e instanceof Expectation.RecoveredWithin) ? Duration.ZERO
                    : Duration.ofSeconds(30);
            for (Expectation e : expectations) {
                // Java 17: no pattern switch, so an if-chain over the sealed types.
                if (e instanceof Expectation.RecoveredWithin r) {
                    if (steadyState == null) {
                        throw cannotCheck(e, "there is no steady state to recover to: add steadyState(...)");
                    }
                    if (r.within().compareTo(window) > 0) {
                        window = r.within();
                    }
                } else if (e instanceof Expectation.NoLostWrites) {
                    if (load == null || !load.tracksWrites()) {
                        throw cannotCheck(e, "no load tracks its writes: add a load that tracks writes");
                    }
                } else {
                    requireTraffic(e, traffic);
                }
            }
            if (!abortRules.isEmpty() && !traffic) {
                throw new IllegalArgumentException("experiment '" + name + "' has abort rules but nothing to measure "
                        + "an error rate on: add steadyState(...) or load(...)");
            }
            return new Experiment(name, Optional.ofNullable(steadyState), Optional.ofNullable(load), faults,
                    expectations, abortRules, window, afterRecovery, sampleInterval, healthyFor, revertTimeout, safety);
        }

        private void requireTraffic(Expectation e, boolean traffic) {
            if (!traffic) {
                throw cannotCheck(e, "there is no traffic to measure: add steadyState(...) or load(...)");
            }
        }

        private IllegalArgumentException cannotCheck(Expectation e, String why) {
            return new IllegalArgumentException("expectation '" + e.describe() + "' of experiment '" + name
                    + "' could never be checked: " + why);
        }

        private static Duration positive(String argument, Duration value, Duration max) {
            Objects.requireNonNull(value, argument);
            if (value.isZero() || value.isNegative() || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(argument + " must be positive and at most " + Durations.words(max)
                        + ", got " + value);
            }
            return value;
        }

        private static String quoted(String s) {
            if (s == null) {
                return "null";
            }
            // hostile input must not flood a log: a huge name is shown cut short
            return s.length() <= 100 ? "'" + s + "'" : "'" + s.substring(0, 60) + "...' (" + s.length() + " characters)";
        }
    }
}
