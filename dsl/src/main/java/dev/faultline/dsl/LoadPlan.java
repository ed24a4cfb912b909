package dev.faultline.dsl;

import dev.faultline.core.experiment.Workload;
import java.time.Duration;

/**
 * Load described fluently: {@code constantRate(50).perSecond().get("/").post("/api/orders/", "{\"item\": \"x\"}").trackWrites()}.
 * Without {@link #baseUrl}, requests go to the project's address (its health URL's scheme, host
 * and port). The load runs until the experiment ends (at most {@link #lasting}).
 */
public sealed interface LoadPlan permits LoadStep {

    /** A GET of {@code path} in the mix. */
    LoadPlan get(String path);

    /** A POST of {@code json} to {@code path}. */
    LoadPlan post(String path, String json);

    /** POSTs are tracked writes, read back after recovery at their path plus {@code {id}/} (REST style). */
    LoadPlan trackWrites();

    /** POSTs are tracked writes, read back at {@code readBackPath} with {@code {id}} replaced. */
    LoadPlan trackWrites(String readBackPath);

    LoadPlan baseUrl(String baseUrl);

    /** The longest the load runs (default 10 min); the experiment stops it when it ends. */
    LoadPlan lasting(Duration duration);

    /**
     * The longest a request may take, from its send to the end of its response (default 10 s);
     * a slower one counts as a timeout, as it would for a user who gives up.
     */
    LoadPlan timeout(Duration timeout);

    /** The workload, sending to {@code defaultBaseUrl} unless a base URL was given. */
    Workload toWorkload(String defaultBaseUrl);

    /** The rate stage: {@code constantRate(50).perSecond()}. */
    sealed interface Rate permits LoadStep.RateStep {
        LoadPlan perSecond();

        LoadPlan perMinute();
    }
}
