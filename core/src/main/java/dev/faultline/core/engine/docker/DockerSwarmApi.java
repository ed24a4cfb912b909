package dev.faultline.core.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.faultline.core.engine.EngineException;
import dev.faultline.core.engine.NodeAvailability;
import dev.faultline.core.engine.PublishedPort;
import dev.faultline.core.engine.SwarmNode;
import dev.faultline.core.engine.SwarmService;
import dev.faultline.core.engine.SwarmTask;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The swarm half of the Engine API (nodes, services, tasks), spoken as JSON over docker-java's transport.
 *
 * <p>Raw JSON rather than docker-java's swarm model, on purpose: an update must send back the spec it read
 * with one field changed, and docker-java's {@code ServiceSpec} does not model every field an engine returns
 * (a round trip through it would silently drop them, changing the user's service). Jackson keeps the spec as
 * the engine wrote it.
 */
final class DockerSwarmApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final DockerHttpClient http;
    private final String prefix;
    private final String endpoint;

    DockerSwarmApi(URI uri, String apiVersion, String endpoint) {
        this.http = new ZerodepDockerHttpClient.Builder().dockerHost(uri).maxConnections(8)
                .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(TIMEOUT).build();
        this.prefix = apiVersion == null || apiVersion.isBlank() ? "" : "/v" + apiVersion;
        this.endpoint = endpoint;
    }

    List<SwarmNode> nodes() {
        List<SwarmNode> nodes = new ArrayList<>();
        for (JsonNode n : get("/nodes", "list swarm nodes")) {
            JsonNode spec = n.path("Spec");
            nodes.add(new SwarmNode(n.path("ID").asText(), n.path("Description").path("Hostname").asText(),
                    spec.path("Role").asText(), NodeAvailability.ofKey(spec.path("Availability").asText("active")),
                    n.path("Status").path("State").asText(), n.path("Status").path("Addr").asText(), strings(spec.path("Labels"))));
        }
        nodes.sort(Comparator.comparing(SwarmNode::hostname));
        return List.copyOf(nodes);
    }

    List<SwarmService> services(Map<String, String> labels) {
        List<String> filter = new ArrayList<>();
        labels.forEach((k, v) -> filter.add(v == null ? k : k + "=" + v));
        String query = filter.isEmpty() ? "" : "?filters=" + encode(json(Map.of("label", filter)));
        List<SwarmService> services = new ArrayList<>();
        for (JsonNode s : get("/services" + query, "list swarm services with labels " + labels)) {
            services.add(toService(s));
        }
        services.sort(Comparator.comparing(SwarmService::name));
        return List.copyOf(services);
    }

    List<SwarmTask> tasks(String service) {
        String query = "?filters=" + encode(json(Map.of("service", List.of(service))));
        List<SwarmTask> tasks = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode t : get("/tasks" + query, "list the tasks of swarm service " + service)) {
            String serviceId = t.path("ServiceID").asText();
            String name = names.computeIfAbsent(serviceId, id -> t.path("Spec").path("ContainerSpec").path("Labels")
                    .path("com.docker.swarm.service.name").asText(service));
            JsonNode status = t.path("Status");
            tasks.add(new SwarmTask(t.path("ID").asText(), serviceId, name, t.path("Slot").asInt(0), t.path("NodeID").asText(),
                    t.path("DesiredState").asText(), status.path("State").asText(),
                    status.path("ContainerStatus").path("ContainerID").asText(""), status.path("Err").asText(""),
                    instant(status.path("Timestamp").asText(""))));
        }
        tasks.sort(Comparator.comparing(SwarmTask::since).thenComparing(SwarmTask::id));
        return List.copyOf(tasks);
    }

    void updateNodeAvailability(String nodeId, NodeAvailability availability) {
        String what = "set swarm node " + nodeId + " to " + availability.key();
        JsonNode node = getOne("/nodes/" + encode(nodeId), what);
        ObjectNode spec = (ObjectNode) node.path("Spec");
        spec.put("Availability", availability.key());
        post("/nodes/" + encode(nodeId) + "/update?version=" + node.path("Version").path("Index").asLong(), spec, what);
    }

    void scaleService(String serviceId, int replicas) {
        String what = "scale swarm service " + serviceId + " to " + replicas;
        JsonNode service = getOne("/services/" + encode(serviceId), what);
        JsonNode replicated = service.path("Spec").path("Mode").path("Replicated");
        if (!replicated.isObject()) {
            throw new EngineException(what + ": it is not a replicated service (mode " + service.path("Spec").path("Mode") + ")");
        }
        ((ObjectNode) replicated).put("Replicas", replicas);
        post("/services/" + encode(serviceId) + "/update?version=" + service.path("Version").path("Index").asLong(),
                service.path("Spec"), what);
    }

    private static SwarmService toService(JsonNode s) {
        JsonNode spec = s.path("Spec");
        JsonNode task = spec.path("TaskTemplate");
        JsonNode mode = spec.path("Mode");
        int replicas = mode.has("Global") ? -1 : mode.path("Replicated").path("Replicas").asInt(1);
        JsonNode health = task.path("ContainerSpec").path("Healthcheck").path("Test");
        boolean healthcheck = health.isArray() && health.size() > 0 && !"NONE".equals(health.get(0).asText());
        List<String> constraints = new ArrayList<>();
        task.path("Placement").path("Constraints").forEach(c -> constraints.add(c.asText()));
        List<PublishedPort> ports = new ArrayList<>();
        for (JsonNode p : spec.path("EndpointSpec").path("Ports")) {
            ports.add(new PublishedPort(p.path("TargetPort").asInt(), p.path("Protocol").asText("tcp"),
                    p.path("PublishMode").asText("ingress"), p.path("PublishedPort").asInt(0)));
        }
        Map<String, String> labels = strings(spec.path("Labels"));
        return new SwarmService(s.path("ID").asText(), spec.path("Name").asText(),
                labels.getOrDefault("com.docker.stack.namespace", ""), replicas, healthcheck,
                spec.path("UpdateConfig").isObject(), spec.path("RollbackConfig").isObject(), constraints,
                task.path("Placement").path("MaxReplicas").asInt(0), spec.path("EndpointSpec").path("Mode").asText("vip"),
                ports, labels, s.path("Version").path("Index").asLong());
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static Instant instant(String s) {
        try {
            return s.isEmpty() ? Instant.EPOCH : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private JsonNode get(String path, String what) {
        JsonNode node = send("GET", path, null, what);
        if (!node.isArray()) {
            throw new EngineException(what + ": the engine at " + endpoint + " answered " + node);
        }
        return node;
    }

    private JsonNode getOne(String path, String what) {
        return send("GET", path, null, what);
    }

    private void post(String path, JsonNode body, String what) {
        send("POST", path, body, what);
    }

    private JsonNode send(String method, String path, JsonNode body, String what) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.valueOf(method)).path(prefix + path);
        if (body != null) {
            request.putHeader("Content-Type", "application/json").bodyBytes(json(body).getBytes(StandardCharsets.UTF_8));
        }
        try (DockerHttpClient.Response response = http.execute(request.build()); InputStream in = response.getBody()) {
            byte[] bytes = in == null ? new byte[0] : in.readAllBytes();
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            if (response.getStatusCode() >= 300) {
                throw new EngineException(what + " failed: the engine at " + endpoint + " answered " + response.getStatusCode()
                        + (text.isEmpty() ? "" : ": " + text));
            }
            return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException | RuntimeException e) {
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException(what + ": the engine at " + endpoint + " did not answer (" + e + ")", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
