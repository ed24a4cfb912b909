package dev.faultline.core.fault;

import dev.faultline.core.engine.ContainerInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Starves a container of CPU by lowering its CFS quota through the API (like
 * {@code docker update --cpus}); revert restores the quota and period it had before.
 *
 * @param cpus the CPUs the container may use while the fault lasts, 0.01-64 (0.5 = half a core)
 */
public record CpuQuotaFault(Targeting targeting, double cpus) implements PerContainerFaultSupport {

    public static final double MIN_CPUS = 0.01;
    public static final double MAX_CPUS = 64;
    /** The kernel's default CFS period, used when the container had none set. */
    static final long DEFAULT_PERIOD = 100_000;

    public CpuQuotaFault {
        Objects.requireNonNull(targeting, "targeting");
        if (!(cpus >= MIN_CPUS && cpus <= MAX_CPUS)) {
            throw new IllegalArgumentException("cpus must be in [" + MIN_CPUS + ", " + MAX_CPUS + "], got " + cpus);
        }
    }

    public static CpuQuotaFault of(String service, double cpus) {
        return new CpuQuotaFault(Targeting.all(service), cpus);
    }

    public CpuQuotaFault index(int index) {
        return new CpuQuotaFault(targeting.index(index), cpus);
    }

    public CpuQuotaFault limit(int max) {
        return new CpuQuotaFault(targeting.limit(max), cpus);
    }

    @Override
    public String kind() {
        return "cpu-quota";
    }

    @Override
    public String describe() {
        return "limit " + targeting + " to " + cpus + " CPU (CFS quota through the API; restored on revert)";
    }

    @Override
    public Injection injectOne(FaultContext context, ContainerInfo listed) {
        ContainerInfo c = context.engine().inspect(listed.id());
        long originalQuota = c.cpuQuota();
        long originalPeriod = c.cpuPeriod();
        long period = originalPeriod > 0 ? originalPeriod : DEFAULT_PERIOD;
        long quota = Math.max(1000, Math.round(cpus * period)); // the kernel refuses quotas under 1 ms
        long[] throttledBefore = Cgroups.throttled(context.engine(), c.id());
        Instant at = Instant.now();
        context.engine().updateCpuQuota(c.id(), quota, period);
        String before = originalQuota > 0 ? "quota " + originalQuota + " us per " + period + " us" : "no CPU limit";
        String mechanism = "CFS quota of " + c.name() + " set to " + quota + " us per " + period + " us (" + cpus
                + " CPU) through the API; revert restores " + before;
        return SimpleInjection.reverting(mechanism, List.of(c.name()), at,
                () -> context.engine().updateCpuQuota(c.id(), originalQuota > 0 ? originalQuota : -1,
                        originalPeriod > 0 ? originalPeriod : DEFAULT_PERIOD))
                .measuredBy(() -> {
                    long[] now = Cgroups.throttled(context.engine(), c.id());
                    if (now[0] < 0 || throttledBefore[0] < 0) {
                        return Effect.notMeasured("could not read " + c.name() + "'s cpu.stat from inside it");
                    }
                    long periods = now[0] - throttledBefore[0];
                    long millis = (now[1] - throttledBefore[1]) / 1_000_000;
                    return Effect.of(periods > 0, "cpu-quota " + c.name() + ": throttled in " + periods + " CFS period(s), "
                                    + millis + " ms held back in all",
                            c.name() + " never wanted more than " + cpus + " CPU within a period during the fault: the quota never bit",
                            List.of(Effect.count("throttled periods", periods, ""), Effect.count("throttled time", millis, "ms")));
                });
    }
}
