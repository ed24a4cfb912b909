package dev.faultline.core.steadystate;

import dev.faultline.core.probe.ErrorClass;
import dev.faultline.core.probe.ProbeResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One check of every probe of a {@link SteadyState}. */
public record SteadyStateCheck(List<ProbeResult> results) {

    public SteadyStateCheck {
        results = List.copyOf(results);
    }

    public boolean holds() {
        return results.stream().allMatch(ProbeResult::ok);
    }

    public Optional<ProbeResult> firstFailure() {
        return results.stream().filter(r -> !r.ok()).findFirst();
    }

    /** The slowest probe's latency: the time the check as a whole took to answer. */
    public Duration latency() {
        return results.stream().map(ProbeResult::latency).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    public ErrorClass errorClass() {
        return firstFailure().map(ProbeResult::errorClass).orElse(ErrorClass.NONE);
    }

    /** "GET http://localhost:8081/health/ -> 200: status 502 in 3 ms", or "all probes passed". */
    public String describeFailure() {
        return firstFailure().map(r -> r.probe() + ": " + r.detail()).orElse("all probes passed");
    }
}
