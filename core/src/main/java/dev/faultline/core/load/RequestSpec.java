package dev.faultline.core.load;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One kind of request in a load mix. Immutable; each {@code with...} returns a copy.
 *
 * @param name        for reports; defaults to "METHOD path"
 * @param method      GET, POST, PUT, PATCH, DELETE, HEAD
 * @param path        a path resolved against the load's base URL, or an absolute http(s) URL
 * @param headers     extra request headers
 * @param body        request body, or null for none
 * @param contentType of the body
 * @param weight      relative share of the mix (> 0)
 * @param trackWrites whether responses carry the id of a write ({@code {"id": N}}), for the write-loss check
 */
public record RequestSpec(String name, String method, String path, Map<String, String> headers, String body,
                          String contentType, double weight, boolean trackWrites) {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private static final Set<String> BODY_REQUIRED = Set.of("POST", "PUT", "PATCH");

    public RequestSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(contentType, "contentType");
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method must be one of " + METHODS + ", was '" + method + "'");
        }
        checkPath(path);
        if (name == null || name.isBlank()) name = method + " " + path;
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        if ((method.equals("GET") || method.equals("HEAD")) && body != null) {
            throw new IllegalArgumentException(method + " " + path + " cannot have a body");
        }
        if (BODY_REQUIRED.contains(method) && body == null) body = "";
        if (!(weight > 0 && weight < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("weight must be > 0, was " + weight);
        }
    }

    public static RequestSpec get(String path) {
        return new RequestSpec(null, "GET", path, Map.of(), null, "application/json", 1, false);
    }

    /** A POST of a JSON body. */
    public static RequestSpec post(String path, String jsonBody) {
        return new RequestSpec(null, "POST", path, Map.of(), Objects.requireNonNull(jsonBody, "jsonBody"),
                "application/json", 1, false);
    }

    public static RequestSpec of(String method, String path, String body) {
        return new RequestSpec(null, method, path, Map.of(), body, "application/json", 1, false);
    }

    public RequestSpec withName(String name) {
        return new RequestSpec(name, method, path, headers, body, contentType, weight, trackWrites);
    }

    public RequestSpec withHeader(String header, String value) {
        if (header == null || header.isBlank()) throw new IllegalArgumentException("header name must not be blank, was '" + header + "'");
        Objects.requireNonNull(value, "value");
        Map<String, String> next = new LinkedHashMap<>(headers);
        next.put(header, value);
        return new RequestSpec(name, method, path, next, body, contentType, weight, trackWrites);
    }

    public RequestSpec withContentType(String contentType) {
        return new RequestSpec(name, method, path, headers, body, contentType, weight, trackWrites);
    }

    public RequestSpec withWeight(double weight) {
        return new RequestSpec(name, method, path, headers, body, contentType, weight, trackWrites);
    }

    /** Marks the request as a write whose acknowledged ids are recorded, see {@link WriteOutcome}. */
    public RequestSpec trackingWrites() {
        return new RequestSpec(name, method, path, headers, body, contentType, weight, true);
    }

    private static void checkPath(String path) {
        try {
            URI uri = new URI(path);
            if (uri.isAbsolute() && !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("path must be relative or an http(s) URL, was '" + path + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("path is not a valid URI: '" + path + "' (" + e.getReason() + ")", e);
        }
    }
}
