package dev.faultline.dsl;

import java.util.Optional;

/** Steady-state probes: {@code health(200)}, {@code health("http://localhost:9000/ping").status(204)}. */
public final class Probes {

    private Probes() {}

    /** GET the project's health URL, healthy on 200. */
    public static HealthCheck health() {
        return new HealthCheck(Optional.empty(), 200, Optional.empty(), HealthCheck.DEFAULT_TIMEOUT);
    }

    /** GET the project's health URL, healthy on {@code status}. */
    public static HealthCheck health(int status) {
        return health().status(status);
    }

    /** GET {@code url}, healthy on 200. */
    public static HealthCheck health(String url) {
        return new HealthCheck(Optional.of(Args.httpUrl("url", url)), 200, Optional.empty(), HealthCheck.DEFAULT_TIMEOUT);
    }
}
