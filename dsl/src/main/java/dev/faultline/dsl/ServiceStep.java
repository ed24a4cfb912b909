package dev.faultline.dsl;

import dev.faultline.core.fault.CpuQuotaFault;
import dev.faultline.core.fault.CpuStressFault;
import dev.faultline.core.fault.CrashFault;
import dev.faultline.core.fault.KillFault;
import dev.faultline.core.fault.PauseFault;
import dev.faultline.core.fault.RestartFault;
import dev.faultline.core.fault.SignalFault;
import dev.faultline.core.fault.StopFault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

record ServiceStep(Project project, String service) implements ServiceStage {

    /** A process pattern longer than this is a mistake (it travels as one argument to a helper). */
    static final int MAX_PATTERN = 1000;

    @Override
    public FaultStage kill() {
        return PlannedFault.oneShot(project, service, "kill", Set.of(service), CrashFault.of(service));
    }

    @Override
    public FaultStage restart() {
        return PlannedFault.oneShot(project, service, "restart", Set.of(service), RestartFault.of(service));
    }

    @Override
    public FaultStage stop() {
        StopFault fault = StopFault.of(service);
        return PlannedFault.lasting(project, service, "stop", Set.of(service), d -> fault);
    }

    @Override
    public FaultStage pause() {
        PauseFault fault = PauseFault.of(service);
        return PlannedFault.lasting(project, service, "pause", Set.of(service), d -> fault);
    }

    @Override
    public FaultStage killWithApi(String signal) {
        return PlannedFault.oneShot(project, service, "api-kill", Set.of(service), KillFault.of(service, signal));
    }

    @Override
    public FaultStage signal(String signal, String processPattern) {
        Args.text("processPattern", processPattern, MAX_PATTERN);
        return PlannedFault.oneShot(project, service, "signal", Set.of(service),
                SignalFault.of(service, processPattern, signal));
    }

    @Override
    public FaultStage signalAll(String signal, String processPattern) {
        Args.text("processPattern", processPattern, MAX_PATTERN);
        return PlannedFault.oneShot(project, service, "signal", Set.of(service),
                SignalFault.of(service, processPattern, signal).all());
    }

    @Override
    public FaultStage stressCpu(int burners) {
        Args.between("burners", burners, 1, CpuStressFault.MAX_BURNERS);
        // The burners stop by themselves after the fault's duration, even if this JVM dies.
        return PlannedFault.lasting(project, service, "cpu-stress", Set.of(service),
                d -> CpuStressFault.of(service, burners, d));
    }

    @Override
    public FaultStage cpuQuota(double cpus) {
        Args.between("cpus", cpus, CpuQuotaFault.MIN_CPUS, CpuQuotaFault.MAX_CPUS);
        CpuQuotaFault fault = CpuQuotaFault.of(service, cpus);
        return PlannedFault.lasting(project, service, "cpu-quota", Set.of(service), d -> fault);
    }

    @Override
    public DelayStage delay(Duration latency) {
        Args.positive("latency", latency, Duration.ofSeconds(60));
        return new DelayStep(project, service, latency, Optional.empty());
    }
}
