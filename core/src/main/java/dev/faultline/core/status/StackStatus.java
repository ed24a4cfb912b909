package dev.faultline.core.status;

import dev.faultline.core.engine.ContainerInfo;
import dev.faultline.core.engine.EngineInfo;
import dev.faultline.core.engine.Health;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The stack at one moment, ready to print. {@link #render(boolean)} gives a plain text table;
 * colour only when asked (callers pass {@code System.console() != null}).
 */
public record StackStatus(String project, String projectSource, EngineInfo engine, Instant time, List<ServiceStatus> services) {

    public StackStatus {
        services = List.copyOf(services);
    }

    public List<Warning> warnings() {
        return services.stream().flatMap(s -> s.warnings().stream()).toList();
    }

    private static final String RESET = "\u001b[0m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String BOLD = "\u001b[1m";

    public String render(boolean color) {
        StringBuilder out = new StringBuilder();
        out.append("Compose project '").append(project).append("' (").append(projectSource).append(")");
        if (engine != null) {
            out.append(" on Docker ").append(engine.version()).append(" (API ").append(engine.apiVersion()).append(") at ")
                    .append(engine.endpoint());
        }
        out.append('\n').append('\n');
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "CONTAINER", "STATE", "HEALTH", "RESTART", "RESTARTS", "WORKERS", "PORTS", "IMAGE"});
        for (ServiceStatus s : services) {
            for (ContainerInfo c : s.containers()) {
                String state = c.state().name().toLowerCase(java.util.Locale.ROOT)
                        + (c.running() ? "" : " (" + c.exitCode() + ")");
                Integer workers = s.gunicornWorkers().get(c.name());
                rows.add(new String[] {
                    s.service(), c.name(), state,
                    c.health() == Health.NONE ? "-" : c.health().name().toLowerCase(java.util.Locale.ROOT),
                    c.restartPolicy().toString(), Integer.toString(c.restartCount()),
                    workers == null ? "-" : workers.toString(),
                    c.ports().stream().filter(p -> p.hostPort() != 0).map(Object::toString).collect(Collectors.joining(","))
                            .transform(p -> p.isEmpty() ? "-" : p),
                    c.image()});
            }
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        }
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = i == row.length - 1 ? row[i] : pad(row[i], width[i] + 2);
                if (color && r == 0) cell = BOLD + cell + RESET;
                else if (color && i == 2) cell = (row[i].startsWith("running") ? GREEN : RED) + cell + RESET;
                else if (color && i == 3 && row[i].equals("unhealthy")) cell = RED + cell + RESET;
                line.append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        List<Warning> warnings = warnings();
        out.append('\n');
        if (warnings.isEmpty()) {
            out.append("No warnings.\n");
        } else {
            out.append(warnings.size()).append(warnings.size() == 1 ? " warning" : " warnings").append(":\n");
            for (Warning w : warnings) {
                out.append(color ? YELLOW + "  ! " + RESET : "  ! ").append(w).append('\n');
            }
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    @Override
    public String toString() {
        return render(false);
    }
}
