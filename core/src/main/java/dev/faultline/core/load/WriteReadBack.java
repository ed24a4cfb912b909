package dev.faultline.core.load;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Reads acknowledged writes back after a run: a GET per id, on OkHttp as the probes (the load's Netty
 * client is for rate, not for this). A 404 is a lost write; any other failure means the check itself
 * failed, and says which id and where.
 */
public final class WriteReadBack {

    private WriteReadBack() {}

    /**
     * The ids among {@code ids} whose read-back at {@code baseUrl} + {@code pathTemplate} (with {@code {id}}
     * replaced) answered 404, in the order given.
     *
     * @throws IllegalStateException when a read-back failed otherwise (no answer, or a status other than 200 or 404)
     */
    public static List<Long> lost(String baseUrl, String pathTemplate, List<Long> ids) {
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS).callTimeout(10, TimeUnit.SECONDS)
                .followRedirects(false).build();
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        List<Long> lost = new ArrayList<>();
        try {
            for (Long id : ids) {
                URI uri = URI.create(base + pathTemplate.replace("{id}", String.valueOf(id)));
                int status;
                try (Response response = http.newCall(new Request.Builder().url(uri.toString()).get().build()).execute()) {
                    status = response.code();
                } catch (IOException e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IllegalStateException("interrupted while reading back write " + id, e);
                    }
                    throw new IllegalStateException("could not read back write " + id + " at " + uri + ": " + e, e);
                }
                if (status == 404) {
                    lost.add(id);
                } else if (status != 200) {
                    throw new IllegalStateException("could not read back write " + id + " at " + uri + ": status " + status);
                }
            }
        } finally {
            http.connectionPool().evictAll();
            http.dispatcher().executorService().shutdown();
        }
        return lost;
    }
}
