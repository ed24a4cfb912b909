package dev.faultline.dsl;

import dev.faultline.core.swarm.DrainFault;
import dev.faultline.core.swarm.NodeLossFault;
import dev.faultline.core.swarm.NodeTarget;
import dev.faultline.core.swarm.ScaleFault;

import dev.faultline.core.fault.BandwidthFault;
import dev.faultline.core.fault.BlackholeFault;
import dev.faultline.core.fault.CpuQuotaFault;
import dev.faultline.core.fault.CpuStressFault;
import dev.faultline.core.fault.CrashFault;
import dev.faultline.core.fault.DatabaseLogin;
import dev.faultline.core.fault.DiskFillFault;
import dev.faultline.core.fault.DnsFailureFault;
import dev.faultline.core.fault.KillFault;
import dev.faultline.core.fault.MemoryStressFault;
import dev.faultline.core.fault.PacketLossFault;
import dev.faultline.core.fault.PartitionFault;
import dev.faultline.core.fault.PauseFault;
import dev.faultline.core.fault.PostgresConnectionsFault;
import dev.faultline.core.fault.RestartFault;
import dev.faultline.core.fault.Signal;
import dev.faultline.core.fault.SignalFault;
import dev.faultline.core.fault.StopFault;
import dev.faultline.core.fault.ToxicFault;
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
    public FaultStage killOne() {
        return PlannedFault.oneShot(project, service, "kill-one", Set.of(service), CrashFault.of(service).index(0));
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
    public FaultStage killWithApi(Signal signal) {
        return PlannedFault.oneShot(project, service, "api-kill", Set.of(service), KillFault.of(service, signal));
    }

    @Override
    public FaultStage signal(Signal signal, String processPattern) {
        Args.text("processPattern", processPattern, MAX_PATTERN);
        return PlannedFault.oneShot(project, service, "signal", Set.of(service),
                SignalFault.of(service, signal, processPattern));
    }

    @Override
    public FaultStage signalAll(Signal signal, String processPattern) {
        Args.text("processPattern", processPattern, MAX_PATTERN);
        return PlannedFault.oneShot(project, service, "signal", Set.of(service),
                SignalFault.of(service, signal, processPattern).all());
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

    // Faults held by a helper get a deadline a little past the planned revert (as the latency does), so
    // the runner's revert is what normally ends them and a dead JVM cannot leave them behind for long.
    private static final Duration DEADLINE_MARGIN = Duration.ofSeconds(10);

    @Override
    public FaultStage dropPackets(double probability) {
        PacketLossFault base = PacketLossFault.of(service, probability);
        return PlannedFault.lasting(project, service, "drop-packets", Set.of(service), d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage dropPackets(double probability, String destination, int port) {
        Args.service("destination", destination);
        Args.between("port", port, 1, 65535);
        PacketLossFault base = PacketLossFault.of(service, probability).to(destination, port);
        return PlannedFault.lasting(project, service, "drop-packets", Set.of(service, destination),
                d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage partitionFrom(String other) {
        Args.service("other", other);
        PartitionFault base = PartitionFault.between(service, other);
        return PlannedFault.lasting(project, service, "partition", Set.of(service, other), d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage blackhole(String destination, int port) {
        Args.service("destination", destination);
        Args.between("port", port, 1, 65535);
        BlackholeFault base = BlackholeFault.of(service, destination, port);
        return PlannedFault.lasting(project, service, "blackhole", Set.of(service, destination),
                d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage limitBandwidth(long bitsPerSecond) {
        BandwidthFault base = BandwidthFault.of(service, bitsPerSecond);
        return PlannedFault.lasting(project, service, "bandwidth", Set.of(service), d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage breakDns() {
        DnsFailureFault base = DnsFailureFault.of(service);
        return PlannedFault.lasting(project, service, "dns", Set.of(service), d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage resetConnections(String destination, int port) {
        Args.service("destination", destination);
        ToxicFault base = ToxicFault.connectionReset(service, destination, port, Duration.ZERO);
        return PlannedFault.lasting(project, service, "reset", Set.of(service, destination), d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage hangConnections(String destination, int port) {
        Args.service("destination", destination);
        ToxicFault base = ToxicFault.timeout(service, destination, port, Duration.ZERO);
        return PlannedFault.lasting(project, service, "timeout", Set.of(service, destination), d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage exhaustConnections(DatabaseLogin login) {
        PostgresConnectionsFault base = PostgresConnectionsFault.of(service, login);
        return PlannedFault.lasting(project, service, "exhaust-connections", Set.of(service),
                d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage stressMemory(long bytes) {
        return PlannedFault.lasting(project, service, "memory-stress", Set.of(service),
                d -> MemoryStressFault.of(service, bytes, d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage oomKill() {
        MemoryStressFault base = MemoryStressFault.oom(service);
        return PlannedFault.lasting(project, service, "oom", Set.of(service), d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage fillDisk(String path, int percent) {
        Args.text("path", path, 4096); // PATH_MAX
        DiskFillFault base = DiskFillFault.toPercent(service, path, percent);
        return PlannedFault.lasting(project, service, "disk-fill", Set.of(service), d -> base.lasting(d.plus(DEADLINE_MARGIN)));
    }

    @Override
    public FaultStage killWorker() {
        return PlannedFault.oneShot(project, service, "kill-worker", Set.of(service), SignalFault.gunicornWorker(service));
    }

    @Override
    public FaultStage killWorkers() {
        return PlannedFault.oneShot(project, service, "kill-workers", Set.of(service), SignalFault.gunicornWorker(service).all());
    }

    @Override
    public FaultStage scaleTo(int replicas) {
        Args.between("replicas", replicas, 0, ScaleFault.MAX_REPLICAS);
        ScaleFault fault = new ScaleFault(service, replicas);
        return PlannedFault.lasting(project, service, "scale", Set.of(service), d -> fault);
    }

    @Override
    public FaultStage drainItsNode() {
        DrainFault fault = new DrainFault(NodeTarget.running(service));
        return PlannedFault.lasting(project, service, "drain-node", Set.of(service), d -> fault);
    }

    @Override
    public FaultStage pauseItsNode() {
        NodeLossFault fault = new NodeLossFault(NodeTarget.running(service), NodeLossFault.Mode.PAUSE);
        return PlannedFault.lasting(project, service, "pause-node", Set.of(service), d -> fault);
    }

    @Override
    public FaultStage stopItsNode() {
        NodeLossFault fault = new NodeLossFault(NodeTarget.running(service), NodeLossFault.Mode.STOP);
        return PlannedFault.lasting(project, service, "stop-node", Set.of(service), d -> fault);
    }
}
