package dev.faultline.examples.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A small client of the demo shop, as a Java team would write one: each call goes through a resilience4j
 * {@link Retry} (one retry after 100 ms) around a {@link CircuitBreaker} (opens when half of the last
 * {@code window} calls failed, stays open for {@code openFor}, then lets 3 trial calls through). It records
 * every attempt and every state change of the breaker, so a test can say when the breaker opened and how
 * many failures it took.
 */
public final class ShopClient {

    /** One attempt that reached the breaker's protected call: it failed unless the shop answered 2xx. */
    public record Attempt(Instant time, boolean ok, String detail) {}

    /** A state change of the breaker ("CLOSED" to "OPEN"...). */
    public record Transition(Instant time, String from, String to) {}

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final List<Transition> transitions = new CopyOnWriteArrayList<>();

    /**
     * @param window  the breaker's count-based sliding window: it opens when at least half of the last
     *                {@code window} calls failed (and no earlier than after {@code window} calls)
     * @param openFor how long it stays open before letting trial calls through
     */
    public ShopClient(String baseUrl, int window, Duration openFor) {
        this.baseUrl = baseUrl;
        this.breaker = CircuitBreaker.of("shop", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(window)
                .minimumNumberOfCalls(window)
                .failureRateThreshold(50)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(3)
                .build());
        this.retry = Retry.of("shop", RetryConfig.custom()
                .maxAttempts(2)
                .waitDuration(Duration.ofMillis(100))
                // an open breaker is an answer, not a failure to retry
                .retryOnException(e -> !(e instanceof CallNotPermittedException))
                .build());
        breaker.getEventPublisher().onStateTransition(e -> transitions.add(new Transition(Instant.now(),
                e.getStateTransition().getFromState().name(), e.getStateTransition().getToState().name())));
    }

    /**
     * GETs {@code path}; true when the shop answered 2xx (possibly on the retry), false when it did not or the
     * breaker refused the call without trying.
     */
    public boolean get(String path) {
        Supplier<Integer> call = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, () -> attempt(path)));
        try {
            call.get();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The breaker's state now: CLOSED, OPEN, HALF_OPEN. */
    public String state() {
        return breaker.getState().name();
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public List<Transition> transitions() {
        return List.copyOf(transitions);
    }

    private int attempt(String path) {
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            boolean ok = status >= 200 && status < 300;
            attempts.add(new Attempt(Instant.now(), ok, "HTTP " + status));
            if (!ok) {
                throw new IllegalStateException("GET " + path + " answered " + status);
            }
            return status;
        } catch (IOException e) {
            attempts.add(new Attempt(Instant.now(), false, e.getClass().getSimpleName()));
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
