package dev.faultline.dsl;

import dev.faultline.core.experiment.AbortRule;
import dev.faultline.core.experiment.Expectation;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.FaultStep;
import dev.faultline.core.experiment.Workload;
import dev.faultline.core.probe.Probe;
import dev.faultline.core.safety.SafetyPolicy;
import dev.faultline.core.steadystate.SteadyState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The one settings record the experiment stage copies through {@link #with}. */
record ExperimentPlan(
        Project project,
        String name,
        List<Function<Project, Probe>> probes,
        Optional<Function<Project, Workload>> load,
        List<Placed> faults,
        List<Expectation> expectations,
        List<AbortRule> abortRules,
        Optional<Duration> recoveryWindow,
        Optional<Duration> afterRecovery,
        Optional<Duration> sampleInterval,
        SafetyPolicy safety) implements ExperimentStage {

    record Placed(PlannedFault fault, At at, Optional<Lasting> lasting) {}

    ExperimentPlan {
        probes = List.copyOf(probes);
        faults = List.copyOf(faults);
        expectations = List.copyOf(expectations);
        abortRules = List.copyOf(abortRules);
    }

    static ExperimentPlan named(Project project, String name) {
        // Validate the name the way the core builder will, now rather than at run().
        Experiment.named(name);
        return new ExperimentPlan(project, name, List.of(), Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), project.safety());
    }

    private ExperimentPlan with(List<Function<Project, Probe>> probes, Optional<Function<Project, Workload>> load,
            List<Placed> faults,
            List<Expectation> expectations, List<AbortRule> abortRules, Optional<Duration> recoveryWindow,
            Optional<Duration> afterRecovery) {
        return new ExperimentPlan(project, name, probes, load, faults, expectations, abortRules, recoveryWindow,
                afterRecovery, sampleInterval, safety);
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    @Override
    public ExperimentStage steadyState(HealthCheck check) {
        Args.notNull("check", check);
        return with(plus(probes, p -> check.toProbe(p.healthUrl())), load, faults, expectations, abortRules,
                recoveryWindow, afterRecovery);
    }

    @Override
    public ExperimentStage steadyState(Probe probe) {
        Args.notNull("probe", probe);
        return with(plus(probes, p -> probe), load, faults, expectations, abortRules, recoveryWindow, afterRecovery);
    }

    @Override
    public ExperimentStage load(Workload load) {
        Args.notNull("load", load);
        return with(probes, Optional.of(p -> load), faults, expectations, abortRules, recoveryWindow, afterRecovery);
    }

    @Override
    public ExperimentStage load(LoadPlan load) {
        Args.notNull("load", load);
        return with(probes, Optional.of(p -> load.toWorkload(p.baseUrl())), faults, expectations, abortRules,
                recoveryWindow, afterRecovery);
    }

    @Override
    public ExperimentStage fault(FaultStage fault, At at) {
        return place(fault, at, Optional.empty());
    }

    @Override
    public ExperimentStage fault(FaultStage fault, At at, Lasting lasting) {
        return place(fault, at, Optional.of(Args.notNull("lasting", lasting)));
    }

    private ExperimentStage place(FaultStage fault, At at, Optional<Lasting> lasting) {
        Args.notNull("fault", fault);
        Args.notNull("at", at);
        PlannedFault planned = (PlannedFault) fault;
        Optional<String> theirs = planned.project().name();
        if (planned.project() != project && theirs.isPresent() && !theirs.equals(project.name())) {
            throw new IllegalArgumentException("fault '" + planned.describe() + "' was built on project '" + theirs.get()
                    + "', but experiment '" + name + "' runs on " + project.name().map(n -> "project '" + n + "'")
                    .orElse("the project found from the environment") + "; build the fault on the experiment's project "
                    + "(project.on(...)); nothing was run");
        }
        if (lasting.isPresent()) {
            planned.lasting(lasting.get().duration()); // rejects a duration on a one-shot fault, names why
        }
        return with(probes, load, plus(faults, new Placed(planned, at, lasting)), expectations, abortRules,
                recoveryWindow, afterRecovery);
    }

    @Override
    public ExperimentStage expect(Expectation first, Expectation... more) {
        List<Expectation> all = plus(expectations, Args.notNull("expectation", first));
        for (int i = 0; i < more.length; i++) {
            all.add(Args.notNull("expectations[" + (i + 1) + "]", more[i]));
        }
        return with(probes, load, faults, all, abortRules, recoveryWindow, afterRecovery);
    }

    @Override
    public ExperimentStage abortWhen(AbortRule rule) {
        return with(probes, load, faults, expectations, plus(abortRules, Args.notNull("rule", rule)), recoveryWindow,
                afterRecovery);
    }

    @Override
    public ExperimentStage recoveryWindow(Duration window) {
        return with(probes, load, faults, expectations, abortRules,
                Optional.of(Args.positive("window", window, Duration.ofHours(1))), afterRecovery);
    }

    @Override
    public ExperimentStage afterRecovery(Duration duration) {
        return with(probes, load, faults, expectations, abortRules, recoveryWindow,
                Optional.of(Args.notNegative("duration", duration, Duration.ofHours(1))));
    }

    @Override
    public ExperimentStage sampleEvery(Duration interval) {
        Args.notNull("interval", interval);
        if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("interval must be in [PT0.01S, PT10S], got " + interval);
        }
        return new ExperimentPlan(project, name, probes, load, faults, expectations, abortRules, recoveryWindow,
                afterRecovery, Optional.of(interval), safety);
    }

    @Override
    public ExperimentStage allowRemoteEngine() {
        return new ExperimentPlan(project, name, probes, load, faults, expectations, abortRules, recoveryWindow,
                afterRecovery, sampleInterval, safety.allowRemoteEngine());
    }

    @Override
    public ExperimentStage allowProtected() {
        return new ExperimentPlan(project, name, probes, load, faults, expectations, abortRules, recoveryWindow,
                afterRecovery, sampleInterval, safety.allowProtected());
    }

    @Override
    public Experiment build() {
        Experiment.Builder builder = Experiment.named(name);
        if (!probes.isEmpty()) {
            builder.steadyState(new SteadyState(probes.stream().map(f -> f.apply(project)).toList()));
        }
        load.ifPresent(f -> builder.load(f.apply(project)));
        for (Placed placed : faults) {
            Optional<Duration> lasting = placed.fault().lastingOr(placed.lasting().map(Lasting::duration));
            builder.fault(new FaultStep(placed.fault().faultLasting(lasting), placed.at().offset(), lasting));
        }
        for (Expectation e : expectations) {
            // A readiness probe made without a project finds its service in this experiment's.
            if (e instanceof Expectation.NoErrorsOnceReady ready && ready.readiness() instanceof ServicePortProbe probe
                    && !probe.bound()) {
                e = Expectation.noErrorsOnceReady(probe.bind(project), ready.what());
            }
            if (e instanceof Expectation.BackWithin back && back.readiness() instanceof ReplicasProbe probe && !probe.bound()) {
                e = Expectation.backWithin(probe.bind(project), back.what(), back.within());
            }
            builder.expect(e);
        }
        abortRules.forEach(builder::abortWhen);
        recoveryWindow.ifPresent(builder::recoveryWindow);
        afterRecovery.ifPresent(builder::afterRecovery);
        sampleInterval.ifPresent(builder::sampleInterval);
        builder.safety(safety);
        return builder.build();
    }

    @Override
    public ExperimentResult run() {
        Experiment experiment = build();
        Set<String> services = new TreeSet<>();
        faults.forEach(p -> services.addAll(p.fault().services()));
        return project.run(experiment, services);
    }
}
