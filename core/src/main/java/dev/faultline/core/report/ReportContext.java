package dev.faultline.core.report;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.redact.Redactor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a report needs beyond the {@link dev.faultline.core.experiment.ExperimentResult}: the
 * experiment's definition, the containers it resolved, the engine, the stack's logs for the window,
 * and the redactor every string passes through.
 */
public record ReportContext(Optional<Experiment> experiment, String project, List<ContainerInfo> containers,
                            Optional<EngineInfo> engine, Map<String, List<LogLine>> logs, Redactor redactor) {

    public ReportContext {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(project, "project");
        containers = List.copyOf(containers);
        Objects.requireNonNull(engine, "engine");
        logs = Map.copyOf(logs);
        Objects.requireNonNull(redactor, "redactor");
    }

    /** No definition, no containers, no logs: a report from the result alone. */
    public static ReportContext minimal() {
        return new ReportContext(Optional.empty(), "", List.of(), Optional.empty(), Map.of(), Redactor.standard());
    }

    public ReportContext withExperiment(Experiment e) {
        return new ReportContext(Optional.of(e), project, containers, engine, logs, redactor);
    }

    public ReportContext withLogs(Map<String, List<LogLine>> l) {
        return new ReportContext(experiment, project, containers, engine, l, redactor);
    }

    public ReportContext withRedactor(Redactor r) {
        return new ReportContext(experiment, project, containers, engine, logs, r);
    }

    /** Counts only: log lines can carry secrets, and a context is the kind of thing that ends up in a log. */
    @Override
    public String toString() {
        return "ReportContext[experiment=" + experiment.map(Experiment::name).orElse("-") + ", project=" + project
                + ", containers=" + containers.size() + ", logs=" + logs.values().stream().mapToInt(List::size).sum()
                + " lines of " + logs.size() + " services]";
    }
}
