package dev.faultline.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Chaos tests against a Compose stack. On a test class:
 * <pre>{@code
 * @FaultlineTest(compose = "src/test/resources/docker-compose.yml", health = "nginx:80/health/", portVariable = "SHOP_PORT")
 * class ShopResilienceTest {
 *     Project shop;                       // injected, ready: the stack is up and steady
 *
 *     @Test
 *     void apiComesBackAfterACrash() {
 *         assertThat(shop.on("api").kill().expect(health(200)).within(ofSeconds(30))).held();
 *     }
 * }
 * }</pre>
 * <ul>
 * <li>Before the class: with {@link #compose()}, the stack comes up under a project name of its own
 *   ({@link #project()} or the class name, plus a random suffix) with Compose v1 ({@code docker-compose}) or
 *   v2 ({@code docker compose}), whichever is installed; images that are missing are built from the file's
 *   {@code build:} sections, nothing is pulled that could be built. Without {@code compose}, the running
 *   project {@link #project()} is used as it is.</li>
 * <li>It makes sure faultline's helper image exists ({@link dev.faultline.dsl.Chaos#prepare()}), so that no
 *   test's timing pays for building it.</li>
 * <li>It waits for the steady state: every container running and healthy (or without a health check), and
 *   the {@link #health()} URL answering 200.</li>
 * <li>Fields and parameters of type {@link dev.faultline.dsl.Project} get the stack, with runs reporting to
 *   a folder named after the test: {@code target/faultline-reports/<class>/<test>/}.</li>
 * <li>After each test the stack is restored (see {@link dev.faultline.core.restore.StackRestore}): what the
 *   test left exited or unhealthy is started again and said so; a fault the test left behind (a pause, a CPU
 *   quota, a helper, a netfilter rule) is undone and <b>fails that test</b>, naming it.</li>
 * <li>After the class: a stack it started is taken down with its volumes and network ({@code down -v}); a
 *   project it did not start is left running.</li>
 * </ul>
 * Test classes running in parallel each get their own project name; give them their own ports with
 * {@link #portVariable()} (a fixed published port makes the second class refuse, saying so). Two classes
 * that name the same running project cannot share it: the second is refused while the first runs.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(FaultlineExtension.class)
public @interface FaultlineTest {

    /**
     * Compose files, relative to the working folder (a Maven module's folder under Surefire) or absolute;
     * several are merged as {@code -f a -f b} does. Empty: use the running project {@link #project()}.
     */
    String[] compose() default {};

    /**
     * With {@link #compose()}: the prefix of the project name (lower-case letters, digits, '-', '_'; default:
     * the class name), to which a random suffix is added. Without: the running project to use.
     */
    String project() default "";

    /**
     * The steady state's URL: {@code "service:port/path"} (the host port Compose published for that
     * container port is looked up, e.g. {@code "nginx:80/health/"}), or a full URL in which {@code ${NAME}}
     * is replaced by {@link #env()} and {@link #portVariable()} values. Empty: only container states and
     * health checks make the steady state (and the injected Project keeps the default health URL).
     */
    String health() default "";

    /**
     * An environment variable the compose file publishes its port with (e.g. {@code DEMO_PORT} for
     * {@code "${DEMO_PORT:-8081}:80"}): it is set to a free port, so parallel classes do not collide.
     */
    String portVariable() default "";

    /** More environment for Compose, as {@code NAME=value}. */
    String[] env() default {};

    /** How long bringing the stack up (building missing images included) and each restore may take. */
    int timeoutSeconds() default 300;

    /** Restore the stack after each test (default). Off: tests see what earlier tests left. */
    boolean restore() default true;
}
