package faultline.peers;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * Open model, one GET per virtual user, at a constant arrival rate: the same workload as the faultline load
 * generator's constant profile. Connections are shared, as the generator pools them, instead of Gatling's
 * browser-like default of new connections per user.
 */
public class ConstantRate extends Simulation {

    private final String url = System.getProperty("url", "http://127.0.0.1:18080/");
    private final double rate = Double.parseDouble(System.getProperty("rate", "1000"));
    private final int seconds = Integer.parseInt(System.getProperty("seconds", "10"));

    private final HttpProtocolBuilder protocol = http.baseUrl(url).shareConnections()
            .disableCaching().disableWarmUp();

    private final ScenarioBuilder get = scenario("get").exec(http("get").get("/"));

    {
        setUp(get.injectOpen(constantUsersPerSec(rate).during(seconds))).protocols(protocol);
    }
}
