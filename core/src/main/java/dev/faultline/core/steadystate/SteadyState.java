package dev.faultline.core.steadystate;

import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.Probe;
import dev.faultline.core.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The steady state of a stack: every probe passes. Immutable; probes are checked in order and
 * all of them on every check, so that a report can say which one failed.
 */
public record SteadyState(List<Probe> probes) {

    public SteadyState {
        Objects.requireNonNull(probes, "probes");
        if (probes.isEmpty()) {
            throw new IllegalArgumentException("probes must name at least one probe, got none");
        }
        for (int i = 0; i < probes.size(); i++) {
            if (probes.get(i) == null) {
                throw new IllegalArgumentException("probes[" + i + "] must not be null");
            }
        }
        probes = List.copyOf(probes);
    }

    public static SteadyState of(Probe first, Probe... more) {
        List<Probe> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(more));
        return new SteadyState(all);
    }

    /** "GET http://localhost:8081/health/ -> 200" or the names joined with " and ". */
    public String describe() {
        return String.join(" and ", probes.stream().map(Probe::name).toList());
    }

    /** Runs every probe once. */
    public SteadyStateCheck check() {
        List<ProbeResult> results = new ArrayList<>(probes.size());
        for (Probe probe : probes) {
            results.add(safeCheck(probe));
        }
        return new SteadyStateCheck(results);
    }

    // A probe promises never to throw; one that does still must not stop the sampler.
    private static ProbeResult safeCheck(Probe probe) {
        try {
            ProbeResult result = probe.check();
            if (result == null) {
                return new ProbeResult(probe.name(), Instant.now(), false, Duration.ZERO, ErrorClass.OTHER,
                        "probe returned no result");
            }
            return result;
        } catch (RuntimeException e) {
            return new ProbeResult(probe.name(), Instant.now(), false, Duration.ZERO, ErrorClass.ofException(e),
                    "probe threw " + e);
        }
    }
}
