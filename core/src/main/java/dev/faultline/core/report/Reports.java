package dev.faultline.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.faultline.core.engine.LogLine;
import dev.faultline.core.experiment.ExperimentResult;
import dev.faultline.core.experiment.Observation;
import dev.faultline.core.logs.DockerLogFiles;
import dev.faultline.core.redact.Redactor;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes and re-renders run folders and suite indexes.
 *
 * <pre>{@code
 * Path folder = Reports.write(result, context, Reports.defaultFolder(Path.of("reports/results"), result));
 * Reports.rerender(folder.resolve("journal.json"));   // after changing a template, or on another machine
 * }</pre>
 */
public final class Reports {

    public static final Path DEFAULT_ROOT = Path.of("reports", "results");
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSONL = new ObjectMapper();

    private Reports() {}

    /**
     * Builds Jackson's serializer and deserializer for {@link Journal} now rather than in the first report of
     * this JVM, which redacts the journal through a JSON tree and back: resolving the journal's record types
     * costs that report tens of milliseconds, after the run has ended. Safe to call from any thread, any
     * number of times (the mapper caches what it builds); a failure only means the report builds them.
     */
    public static void prepare() {
        JSON.writerFor(Journal.class);
        JSON.readerFor(Journal.class);
    }

    /**
     * {@code <root>/<yyyyMMdd-HHmmss>-<run id>/} in UTC, from the run's start; the run id (the experiment's
     * name and a random suffix) keeps two runs of one experiment started in the same second (parallel
     * test classes, two CI jobs on one machine) from writing into one folder.
     */
    public static Path defaultFolder(Path root, ExperimentResult result) {
        Objects.requireNonNull(root, "root");
        return root.resolve(FOLDER_TIME.format(result.startedAt()) + "-" + result.runId());
    }

    public static Journal journal(ExperimentResult result, ReportContext context) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(context, "context");
        return redact(JournalBuilder.build(result, context), context.redactor());
    }

    /**
     * Writes the whole folder: journal.json, results.jsonl, report.md, report.html, junit.xml and
     * logs/&lt;service&gt;.log. Returns {@code folder}.
     */
    public static Path write(ExperimentResult result, ReportContext context, Path folder) {
        Objects.requireNonNull(folder, "folder");
        Journal journal = journal(result, context);
        try {
            Files.createDirectories(folder);
            JSON.writeValue(folder.resolve("journal.json").toFile(), journal);
            writeResults(result, context.redactor(), folder.resolve("results.jsonl"));
            if (!context.logs().isEmpty()) {
                Path logs = Files.createDirectories(folder.resolve("logs"));
                for (Map.Entry<String, List<LogLine>> e : context.logs().entrySet()) {
                    Files.writeString(logs.resolve(safe(e.getKey()) + ".log"),
                            context.redactor().redact(DockerLogFiles.format(e.getValue())), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report folder " + folder + ": " + e.getMessage(), e);
        }
        render(journal, folder);
        return folder;
    }

    /** Renders report.md, report.html and junit.xml next to {@code journal.json} from it alone. */
    public static Journal rerender(Path journalJson) {
        Journal j = read(journalJson);
        render(j, journalJson.toAbsolutePath().getParent());
        return j;
    }

    public static Journal read(Path journalJson) {
        try {
            JsonNode tree = JSON.readTree(journalJson.toFile());
            int version = tree.path("schemaVersion").asInt(-1);
            // version 1 computed recovery by other definitions: its figures would be misread, not re-rendered
            if (version < Journal.SCHEMA_VERSION || version > Journal.SCHEMA_VERSION) {
                throw new IllegalArgumentException("journal " + journalJson + " has schemaVersion " + version
                        + "; this faultline reads " + Journal.SCHEMA_VERSION + " to " + Journal.SCHEMA_VERSION);
            }
            return JSON.treeToValue(tree, Journal.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal " + journalJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes index.md and index.html into {@code folder}, linking each run folder (relative links) with
     * its outcome, plus a junit.xml holding every run. Returns the journals in the given order.
     */
    public static List<Journal> writeIndex(Path folder, List<Path> runFolders) {
        Objects.requireNonNull(folder, "folder");
        List<Journal> journals = new ArrayList<>();
        List<String> links = new ArrayList<>();
        for (Path run : runFolders) {
            journals.add(read(run.resolve("journal.json")));
            links.add(folder.toAbsolutePath().relativize(run.toAbsolutePath()).toString().replace('\\', '/'));
        }
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("index.md"), Index.markdown(journals, links), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("index.html"), Index.html(journals, links), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("junit.xml"), JunitXml.render(journals), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the index in " + folder + ": " + e.getMessage(), e);
        }
        return journals;
    }

    private static void render(Journal j, Path folder) {
        try {
            Files.writeString(folder.resolve("report.md"), Markdown.render(j), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("report.html"), Html.render(j), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("junit.xml"), JunitXml.render(j), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write reports into " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void writeResults(ExperimentResult r, Redactor redactor, Path file) throws IOException {
        Instant start = r.startedAt();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Observation o : r.observations()) {
                ObjectNode n = JSONL.createObjectNode();
                n.put("time", o.time().toString());
                n.put("offsetMs", Duration.between(start, o.time()).toMillis());
                n.put("source", o.source().name().toLowerCase(java.util.Locale.ROOT));
                n.put("ok", o.ok());
                n.put("latencyMs", o.latency().toNanos() / 1e6);
                n.put("error", o.errorClass().label());
                n.put("detail", redactor.redact(o.detail()));
                w.write(JSONL.writeValueAsString(n));
                w.newLine();
            }
        }
    }

    /** Every string of the journal through the redactor, whichever field it is in. */
    static Journal redact(Journal j, Redactor redactor) {
        JsonNode tree = JSON.valueToTree(j);
        redactNode(tree, redactor);
        try {
            return JSON.treeToValue(tree, Journal.class);
        } catch (IOException e) {
            throw new IllegalStateException("journal did not survive redaction: " + e.getMessage(), e);
        }
    }

    private static void redactNode(JsonNode node, Redactor redactor) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
            List<Map.Entry<String, JsonNode>> all = new ArrayList<>();
            fields.forEachRemaining(all::add);
            for (Map.Entry<String, JsonNode> e : all) {
                if (e.getValue().isTextual()) {
                    o.set(e.getKey(), TextNode.valueOf(redactor.redact(e.getValue().asText())));
                } else {
                    redactNode(e.getValue(), redactor);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(redactor.redact(a.get(i).asText())));
                } else {
                    redactNode(a.get(i), redactor);
                }
            }
        }
    }

    private static String safe(String service) {
        return service.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
