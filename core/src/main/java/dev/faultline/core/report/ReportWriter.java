package dev.faultline.core.report;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.RunListener;
import dev.faultline.core.logs.LogCapture;
import dev.faultline.core.redact.Redactor;
import dev.faultline.core.target.Targets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's hook that writes each run's folder under a root (default {@link Reports#DEFAULT_ROOT})
 * when the run ends, with the stack's logs for the window, then sends the notifications. Whatever
 * fails here is logged as a warning: a report never changes a run's outcome.
 *
 * <pre>{@code
 * ReportWriter reports = ReportWriter.to(engine, targets, Path.of("reports/results"));
 * ExperimentResult r = new ExperimentRunner(engine, targets).withListener(reports).run(experiment);
 * Path folder = reports.folders().get(0);
 * }</pre>
 */
public final class ReportWriter implements RunListener {

    private static final Logger log = LoggerFactory.getLogger(ReportWriter.class);
    /** Logs from a little before the run, so the lines that explain its first failures are there. */
    private static final Duration LOG_MARGIN = Duration.ofSeconds(2);
    /** Whether a run of this JVM has started preparing the reports ({@link #phaseStarted}). */
    private static final AtomicBoolean PREPARED = new AtomicBoolean();

    private final Engine engine;
    private final Targets targets;
    private final Path root;
    private final RunNotifier notifier;
    private final Redactor redactor;
    private final List<Path> folders = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private ReportWriter(Engine engine, Targets targets, Path root, RunNotifier notifier, Redactor redactor) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.root = Objects.requireNonNull(root, "root");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    /**
     * Writes under {@code root}; notifies nobody until {@link #withNotifier}; redacts the
     * environment's secret values too.
     */
    public static ReportWriter to(Engine engine, Targets targets, Path root) {
        return new ReportWriter(engine, targets, root, RunNotifier.none(), Redactor.standard().withSecretsFrom(System.getenv()));
    }

    public ReportWriter withNotifier(RunNotifier n) {
        return new ReportWriter(engine, targets, root, n, redactor.withSecrets(n.secrets()));
    }

    public ReportWriter withRedactor(Redactor r) {
        return new ReportWriter(engine, targets, root, notifier, r);
    }

    /** The folders written so far, in run order. */
    public List<Path> folders() {
        return List.copyOf(folders);
    }

    /** Warnings from writing or notifying (never thrown). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /**
     * While the first run of this JVM waits through its baseline, prepares what its report will need
     * ({@link Reports#prepare}) on a daemon thread, so that the report follows the run sooner.
     */
    @Override
    public void phaseStarted(Experiment experiment, String runId, String phase) {
        if ("baseline".equals(phase) && PREPARED.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                try {
                    Reports.prepare();
                } catch (RuntimeException e) {
                    log.debug("reports not prepared ahead: {}", e.toString());
                }
            }, "faultline-report-prepare");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void finished(Experiment experiment, ExperimentResult result) {
        try {
            List<ContainerInfo> containers = new ArrayList<>();
            try {
                for (String service : targets.services()) {
                    containers.addAll(targets.containers(service));
                }
            } catch (RuntimeException e) {
                warn("containers could not be listed for the report: " + redactor.describe(e));
            }
            Optional<EngineInfo> info = Optional.empty();
            try {
                info = Optional.of(engine.info());
            } catch (RuntimeException e) {
                warn("engine version unavailable for the report: " + redactor.describe(e));
            }
            Map<String, List<LogLine>> logs = Map.of();
            try {
                logs = LogCapture.capture(engine, targets, result.startedAt().minus(LOG_MARGIN),
                        result.endedAt().plusSeconds(1));
            } catch (RuntimeException e) {
                warn("logs could not be captured for the report: " + redactor.describe(e));
            }
            ReportContext context = new ReportContext(Optional.of(experiment), targets.project(), containers, info,
                    logs, redactor);
            Path folder = Reports.write(result, context, Reports.defaultFolder(root, result));
            folders.add(folder);
            log.info("run {}: report written to {}", result.runId(), folder.resolve("report.md"));
            if (notifier.enabled()) {
                Journal journal = Reports.read(folder.resolve("journal.json"));
                notifier.notifyRun(journal, folder.resolve("report.html").toString()).forEach(this::warn);
            }
        } catch (RuntimeException e) {
            warn("report of run " + result.runId() + " could not be written: " + redactor.describe(e));
        }
    }

    private void warn(String w) {
        warnings.add(w);
        log.warn("{}", w);
    }

    @Override
    public String toString() {
        return "ReportWriter[" + root + ", " + notifier + "]";
    }
}
