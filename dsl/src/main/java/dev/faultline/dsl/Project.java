package dev.faultline.dsl;

import dev.faultline.core.cli.Settings.Reports;
import dev.faultline.core.engine.Engine;
import dev.faultline.core.engine.docker.Engines;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.ExperimentRunner;
import dev.faultline.core.experiment.Experiment;
import dev.faultline.core.report.ProgressLine;
import dev.faultline.core.report.ReportWriter;
import dev.faultline.core.restore.StackRestore;
import dev.faultline.core.safety.SafetyPolicy;
import dev.faultline.core.status.StackStatus;
import dev.faultline.core.status.StatusCheck;
import dev.faultline.core.swarm.SwarmEngine;
import dev.faultline.core.swarm.SwarmStack;
import dev.faultline.core.target.ComposeStack;
import dev.faultline.core.target.TargetNotFoundException;
import dev.faultline.core.target.Targets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stack experiments run against: a Compose project (named, or found as Compose finds it),
 * its health URL and the engine. Immutable; nothing is looked up until an experiment runs.
 */
public final class Project {

    /** The demo stack's health URL, the default when FAULTLINE_URL is not set. */
    public static final String DEMO_HEALTH_URL = "http://localhost:8081/health/";

    /** Where runs write their folders when FAULTLINE_REPORTS is not set. */
    private static final Path DEFAULT_REPORTS = dev.faultline.core.report.Reports.DEFAULT_ROOT;

    /**
     * @param reports  the root under which each run writes its folder; empty: no report
     * @param progress a live progress line on standard output while a run goes
     * @param environment the FAULTLINE_* settings the project was made with: notifications, terminal
     */
    private record Settings(Optional<String> name, String healthUrl, Supplier<Engine> engine,
            Optional<Function<Engine, Targets>> targets, Optional<Path> reports, boolean progress, SafetyPolicy safety,
            dev.faultline.core.cli.Settings environment) {}

    /** FAULTLINE_REPORTS: a folder, or "off"; unset: reports/results under the working folder. */
    private static Optional<Path> reportsFrom(dev.faultline.core.cli.Settings env) {
        return env.reports().map(Reports::folder).orElse(Optional.of(DEFAULT_REPORTS));
    }

    private final Settings settings;

    private Project(Settings settings) {
        this.settings = settings;
    }

    /** FAULTLINE_PROJECT and FAULTLINE_URL when set; otherwise found as Compose would, with the demo's health URL. */
    static Project from(dev.faultline.core.cli.Settings env) {
        return new Project(new Settings(env.project(), env.url().orElse(DEMO_HEALTH_URL), Engines::docker, Optional.empty(),
                reportsFrom(env), env.progress(), SafetyPolicy.defaults(), env));
    }

    static Project named(String name, dev.faultline.core.cli.Settings env) {
        Args.project(name);
        // The name given in code wins over FAULTLINE_PROJECT; FAULTLINE_URL still applies.
        return new Project(new Settings(Optional.of(name), env.url().orElse(DEMO_HEALTH_URL), Engines::docker, Optional.empty(),
                reportsFrom(env), env.progress(), SafetyPolicy.defaults(), env));
    }

    /** A stack on a swarm reached as {@link Chaos#stack(String)} says, from the environment. */
    static Project swarmFrom(String stack, dev.faultline.core.cli.Settings env) {
        Args.stack(stack);
        String manager = env.swarm().orElseThrow(() -> new IllegalArgumentException(dev.faultline.core.cli.Settings.SWARM
                + " must name the swarm manager's engine, e.g. tcp://10.0.0.5:2375, got nothing (tools/swarm/up.sh prints it)"));
        int port = env.swarmNodePort();
        Map<String, String> machines = env.swarmMachines();
        Supplier<Engine> engine = ServicePortProbe.memoize(() -> {
            SwarmEngine swarm = SwarmEngine.of(Engines.connect(manager),
                    node -> Engines.connect("tcp://" + node.address() + ":" + port));
            return machines.isEmpty() ? swarm : swarm.withMachines(Engines.docker(), machines);
        });
        return swarm(stack, engine, env);
    }

    /** A stack on the swarm that {@code swarm} reaches. */
    static Project swarm(String stack, SwarmEngine swarm, dev.faultline.core.cli.Settings env) {
        Args.stack(stack);
        Args.notNull("swarm", swarm);
        return swarm(stack, () -> swarm, env);
    }

    private static Project swarm(String stack, Supplier<Engine> engine, dev.faultline.core.cli.Settings env) {
        return new Project(new Settings(Optional.of(stack), env.url().orElse(DEMO_HEALTH_URL), engine,
                Optional.of(e -> SwarmStack.named((SwarmEngine) e, stack)), reportsFrom(env), env.progress(),
                SafetyPolicy.defaults(), env));
    }

    private Project with(Settings s) {
        return new Project(s);
    }

    /** Each run writes its folder (journal, reports, logs) under {@code root} instead of reports/results. */
    public Project reportTo(Path root) {
        Args.notNull("root", root);
        return with(new Settings(settings.name(), settings.healthUrl(), settings.engine(), settings.targets(),
                Optional.of(root), settings.progress(), settings.safety(), settings.environment()));
    }

    /** Runs write no report folder. */
    public Project noReports() {
        return with(new Settings(settings.name(), settings.healthUrl(), settings.engine(), settings.targets(),
                Optional.empty(), settings.progress(), settings.safety(), settings.environment()));
    }

    /** A live progress line (phase, rate, errors) on standard output while a run goes. */
    public Project showProgress() {
        return with(new Settings(settings.name(), settings.healthUrl(), settings.engine(), settings.targets(),
                settings.reports(), true, settings.safety(), settings.environment()));
    }

    /** Where runs write their folders; empty when reports are off. */
    public Optional<Path> reports() {
        return settings.reports();
    }

    /** The project's own health URL, used by {@code health()} checks that name none. */
    public Project healthUrl(String url) {
        return with(new Settings(settings.name(), Args.httpUrl("url", url), settings.engine(), settings.targets(),
                settings.reports(), settings.progress(), settings.safety(), settings.environment()));
    }

    /** Runs against this engine instead of the local Docker engine. */
    public Project using(Engine engine) {
        Args.notNull("engine", engine);
        return with(new Settings(settings.name(), settings.healthUrl(), () -> engine, settings.targets(),
                settings.reports(), settings.progress(), settings.safety(), settings.environment()));
    }

    /** Finds services through {@code targets} instead of Compose's labels (another orchestrator, or a test). */
    public Project targets(Targets targets) {
        Args.notNull("targets", targets);
        return with(new Settings(settings.name(), settings.healthUrl(), settings.engine(), Optional.of(e -> targets),
                settings.reports(), settings.progress(), settings.safety(), settings.environment()));
    }

    /**
     * Lets this project's experiments run against a Docker engine that is not on this machine, which
     * faultline refuses by default (it may be production).
     */
    public Project allowRemoteEngine() {
        return with(new Settings(settings.name(), settings.healthUrl(), settings.engine(), settings.targets(),
                settings.reports(), settings.progress(), settings.safety().allowRemoteEngine(), settings.environment()));
    }

    /** Lets this project's experiments touch containers labelled {@code faultline.protect=true}, refused by default. */
    public Project allowProtected() {
        return with(new Settings(settings.name(), settings.healthUrl(), settings.engine(), settings.targets(),
                settings.reports(), settings.progress(), settings.safety().allowProtected(), settings.environment()));
    }

    /** What the production guard allows beyond its defaults. */
    public SafetyPolicy safety() {
        return settings.safety();
    }

    public Optional<String> name() {
        return settings.name();
    }

    public String healthUrl() {
        return settings.healthUrl();
    }

    /** The project's address for load: its health URL's scheme, host and port ("http://localhost:8081"). */
    public String baseUrl() {
        java.net.URI uri = java.net.URI.create(settings.healthUrl());
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** A service of this project, to put a fault on. */
    public ServiceStage on(String service) {
        return new ServiceStep(this, Args.service("service", service));
    }

    /** A full experiment against this project. */
    public ExperimentStage experiment(String name) {
        return ExperimentPlan.named(this, name);
    }

    /** Every service's containers, state, health and restart policy, with the warnings to hear first. */
    public StackStatus status() {
        Engine engine = settings.engine().get();
        Targets targets = targets(engine);
        String source = targets instanceof ComposeStack compose ? compose.source() : "given in code";
        return StatusCheck.of(engine, targets, source);
    }

    /**
     * The stack as it is now, to bring back later between experiments: {@code restore()} undoes faults left
     * behind (named), starts what stayed exited, restarts what is unhealthy, and waits until every container
     * runs and this project's health URL answers 200.
     */
    public StackRestore captureState() {
        Engine engine = settings.engine().get();
        return StackRestore.capture(engine, targets(engine).project()).healthUrl(settings.healthUrl());
    }

    private Targets targets(Engine engine) {
        if (settings.targets().isPresent()) {
            return settings.targets().get().apply(engine);
        }
        return settings.name().map(n -> (Targets) ComposeStack.named(engine, n))
                .orElseGet(() -> ComposeStack.find(engine));
    }

    /** The stack, for probes that look up a service's containers while the experiment runs. */
    Targets targetsForProbes() {
        return targets(settings.engine().get());
    }

    /** Checks every service the faults need exists, then runs. */
    ExperimentResult run(Experiment experiment, Set<String> services) {
        Engine engine = settings.engine().get();
        Targets targets = targets(engine);
        List<String> existing = targets.services();
        for (String service : services) {
            if (!existing.contains(service)) {
                throw new TargetNotFoundException("experiment '" + experiment.name() + "' needs service '" + service
                        + "', but project '" + targets.project() + "' has " + (existing.isEmpty() ? "no services"
                        : "only " + String.join(", ", existing)) + "; nothing was touched");
            }
        }
        ExperimentRunner runner = new ExperimentRunner(engine, targets);
        if (settings.reports().isPresent()) {
            runner = runner.withListener(ReportWriter.to(engine, targets, settings.reports().get())
                    .withNotifier(settings.environment().notifier()));
        }
        if (settings.progress()) {
            runner = runner.withListener(ProgressLine.toStdout(settings.environment().terminal()));
        }
        return runner.run(experiment);
    }

    @Override
    public String toString() {
        return "Project[" + settings.name().orElse("(found as Compose does)") + ", health " + settings.healthUrl() + "]";
    }
}
