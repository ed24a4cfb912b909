package dev.faultline.core.target;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.Engine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A Docker Compose project on an engine, found the way Compose finds it, its containers looked
 * up by Compose's labels with filters the engine applies (never by name prefixes, which break
 * with custom {@code container_name}s and with v1/v2 naming differences).
 */
public final class ComposeStack implements Targets {

    static final String PROJECT = "com.docker.compose.project";
    static final String SERVICE = "com.docker.compose.service";
    static final String ONEOFF = "com.docker.compose.oneoff";

    private final Engine engine;
    private final String project;
    private final String source;

    private ComposeStack(Engine engine, String project, String source) {
        this.engine = engine;
        this.project = project;
        this.source = source;
    }

    /** The project of the current folder, with this process's environment. */
    public static ComposeStack find(Engine engine) {
        return find(engine, Path.of("").toAbsolutePath(), System.getenv());
    }

    /**
     * The project Compose would use in {@code folder} with {@code environment} (passed in so that
     * callers and tests can set COMPOSE_PROJECT_NAME, which Java cannot set for itself).
     *
     * @throws TargetNotFoundException naming every project tried, where each name came from, and
     *                                 the projects that do exist on the engine
     */
    public static ComposeStack find(Engine engine, Path folder, Map<String, String> environment) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(environment, "environment");
        List<ProjectNames.Candidate> candidates = ProjectNames.candidates(folder, environment);
        for (ProjectNames.Candidate candidate : candidates) {
            if (!projectContainers(engine, candidate.name()).isEmpty()) {
                return new ComposeStack(engine, candidate.name(), candidate.source());
            }
        }
        throw notFound(engine, candidates);
    }

    /** A project given by name; it must have containers (running or not). */
    public static ComposeStack named(Engine engine, String project) {
        return named(engine, project, "given in code");
    }

    /**
     * A project given by name, saying where the name came from (for messages and reports), e.g.
     * "FAULTLINE_PROJECT in the environment".
     */
    public static ComposeStack named(Engine engine, String project, String source) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(source, "source");
        if (project == null || project.isBlank()) {
            throw new IllegalArgumentException("project must be a non-empty Compose project name, got '" + project + "'");
        }
        if (projectContainers(engine, project).isEmpty()) {
            throw notFound(engine, List.of(new ProjectNames.Candidate(project, source)));
        }
        return new ComposeStack(engine, project, source);
    }

    /** Compose projects that have containers on this engine, sorted. */
    public static List<String> existingProjects(Engine engine) {
        Map<String, String> anyProject = new HashMap<>();
        anyProject.put(PROJECT, null);
        return engine.containers(anyProject, true).stream()
                .map(ContainerInfo::project)
                .filter(p -> !p.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new))
                .stream().toList();
    }

    private static List<ContainerInfo> projectContainers(Engine engine, String project) {
        return engine.containers(Map.of(PROJECT, project), true).stream().filter(c -> !oneOff(c)).toList();
    }

    /** `docker-compose run` containers carry the service label too, but are not the service. */
    private static boolean oneOff(ContainerInfo c) {
        return "True".equalsIgnoreCase(c.labels().getOrDefault(ONEOFF, "False"));
    }

    private static TargetNotFoundException notFound(Engine engine, List<ProjectNames.Candidate> tried) {
        List<String> existing = existingProjects(engine);
        String triedText = tried.isEmpty() ? "no usable name (the folder name has no letters or digits)"
                : tried.stream().map(ProjectNames.Candidate::toString).collect(Collectors.joining(", "));
        return new TargetNotFoundException("No Compose project found: tried " + triedText + ". "
                + (existing.isEmpty() ? "This engine has no Compose projects at all. "
                        : "Projects on this engine: " + String.join(", ", existing) + ". ")
                + "Run docker-compose up in that folder, or pass the project name: Chaos.project(\"demo\")..."
                + " (or set COMPOSE_PROJECT_NAME).");
    }

    @Override
    public String project() {
        return project;
    }

    /** Where the project name came from, e.g. "COMPOSE_PROJECT_NAME in the environment". */
    public String source() {
        return source;
    }

    public Engine engine() {
        return engine;
    }

    @Override
    public List<String> services() {
        return projectContainers(engine, project).stream().map(ContainerInfo::service)
                .filter(s -> !s.isEmpty()).distinct().sorted().toList();
    }

    /** Every container of the project (running or not), by service and number. */
    public List<ContainerInfo> containers() {
        return projectContainers(engine, project);
    }

    @Override
    public List<ContainerInfo> containers(String service) {
        Objects.requireNonNull(service, "service");
        List<ContainerInfo> found = engine.containers(Map.of(PROJECT, project, SERVICE, service), true).stream()
                .filter(c -> !oneOff(c)).toList();
        if (found.isEmpty()) {
            List<String> services = services();
            throw new TargetNotFoundException("No service '" + service + "' in Compose project '" + project + "'; "
                    + (services.isEmpty() ? "the project has no containers any more (was it taken down?)."
                            : "its services are: " + String.join(", ", services) + "."));
        }
        return found;
    }

    @Override
    public String toString() {
        return "ComposeStack[" + project + " (" + source + ")]";
    }
}
