package dev.faultline.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.core.testing.FakeEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public entry of the DSL, found by reflection so that none is missed, called with hostile
 * values (null, blank, negative, zero, huge, NaN) one argument at a time: each is either refused with
 * an IllegalArgumentException whose message names the argument, shows the value and says what is
 * allowed, before the engine is touched, or is one of the few values listed here as legitimately valid.
 */
class HostileInputTest {

    /** Public DSL types whose methods are assertions over a result, not entries that touch a stack. */
    static final Set<String> NOT_ENTRIES = Set.of("dev.faultline.dsl.assertj.ExperimentAssert", "dev.faultline.dsl.assertj.VerdictAssert",
            "dev.faultline.dsl.assertj.FaultlineAssertions");

    final FakeEngine engine = new FakeEngine();
    final Project project = Chaos.project("hostile").using(engine);

    /** A valid instance of each public type that has instance entries. */
    Map<Class<?>, Supplier<Object>> receivers() {
        Map<Class<?>, Supplier<Object>> r = new LinkedHashMap<>();
        r.put(Project.class, () -> project);
        r.put(ServiceStage.class, () -> project.on("web"));
        r.put(DelayStage.class, () -> project.on("web").delay(Duration.ofMillis(100)));
        r.put(FaultStage.class, () -> project.on("web").pause());
        r.put(ExpectStage.class, () -> project.on("web").pause().expect(Probes.health()));
        r.put(ExperimentStage.class, () -> project.experiment("hostile"));
        r.put(HealthCheck.class, Probes::health);
        r.put(Expectations.AbortStage.class, () -> Expectations.errorRateAbove(0.5));
        r.put(LoadPlan.class, () -> Load.constantRate(10).perSecond().get("/"));
        r.put(LoadPlan.Rate.class, () -> Load.constantRate(10));
        return r;
    }

    /** A valid value for an argument, by method and position where the type alone does not say. */
    Object valid(Method m, int i) {
        Class<?> t = m.getParameterTypes()[i];
        String key = m.getDeclaringClass().getSimpleName() + "." + m.getName() + "#" + i;
        Map<String, Object> special = Map.ofEntries(
                Map.entry("Probes.health#0", t == String.class ? "http://localhost:8081/health/" : 200),
                Map.entry("Project.healthUrl#0", "http://localhost:8081/health/"),
                Map.entry("LoadPlan.baseUrl#0", "http://localhost:8081"),
                Map.entry("Load.writes#2", "http://localhost:8081"),
                Map.entry("Load.writes#3", "/api/orders/"),
                Map.entry("Load.writes#4", "{}"),
                Map.entry("Load.writes#5", "/api/orders/{id}/"),
                Map.entry("LoadPlan.get#0", "/"),
                Map.entry("LoadPlan.post#0", "/api/orders/"),
                Map.entry("LoadPlan.trackWrites#0", "/api/orders/{id}/"),
                Map.entry("LoadPlan.toWorkload#0", "http://localhost:8081"),
                Map.entry("Load.constantRate#2", "http://localhost:8081"),
                Map.entry("LoadPlan.post#1", "{}"));
        if (special.containsKey(key)) {
            return special.get(key);
        }
        if (t == String.class) {
            return "web";
        }
        if (t == dev.faultline.core.fault.Signal.class) {
            return dev.faultline.core.fault.Signal.TERM;
        }
        if (t == dev.faultline.core.fault.DatabaseLogin.class) {
            return dev.faultline.core.fault.DatabaseLogin.of("demo", "demo", "demo");
        }
        if (t == int.class) {
            return m.getName().equals("status") || m.getName().equals("health") ? 200 : 1;
        }
        if (t == double.class) {
            return 0.5;
        }
        if (t == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (t == At.class) {
            return Chaos.at(Duration.ZERO);
        }
        if (t == Lasting.class) {
            return Chaos.lasting(Duration.ofSeconds(1));
        }
        if (t == FaultStage.class) {
            return project.on("web").pause();
        }
        if (t == HealthCheck.class) {
            return Probes.health();
        }
        if (t == dev.faultline.core.load.RequestSpec.class) {
            return dev.faultline.core.load.RequestSpec.get("/");
        }
        if (t.isArray()) {
            return java.lang.reflect.Array.newInstance(t.getComponentType(), 0);
        }
        return null; // a type with no cheap valid value: only null is tried for it, and the others get null too
    }

    static List<Object> hostile(Class<?> t) {
        if (t == String.class) {
            return Arrays.asList(null, "", "   ", "\t\n", "x".repeat(100_000));
        }
        if (t == int.class) {
            return List.of(-1, 0, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (t == long.class) {
            return List.of(-1L, 0L, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (t == double.class) {
            return List.of(-1.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE);
        }
        if (t == Duration.class) {
            return Arrays.asList(null, Duration.ZERO, Duration.ofNanos(-1), Duration.ofDays(365L * 1000));
        }
        if (t == boolean.class) {
            return List.of();
        }
        if (t.isArray()) {
            Object withNull = java.lang.reflect.Array.newInstance(t.getComponentType(), 1);
            return Arrays.asList(null, withNull);
        }
        return Arrays.asList((Object) null);
    }

    /** Hostile-looking values that are valid for this entry, and why. */
    static final Map<String, String> ACCEPTED = Map.ofEntries(
            Map.entry("Chaos.at#0=PT0S", "a fault at the start of the run"),
            Map.entry("ExperimentStage.afterRecovery#0=PT0S", "no observation after recovery"),
            Map.entry("DelayStage.jitter#0=PT0S", "no jitter"),
            Map.entry("Expectations.errorRateAbove#0=0.0", "abort at the first error"),
            Map.entry("ServiceStage.scaleTo#0=0", "scaling a swarm service to no replicas takes it away: a fault worth running"),
            Map.entry("LoadPlan.post#1='xxxxx...(100000)'", "a large JSON body (up to 1 MiB) is a legitimate load"),
            Map.entry("Load.writes#4='xxxxx...(100000)'", "a large JSON body (up to 1 MiB) is a legitimate write"),
            Map.entry("ScriptEnv.text#1=''", "a script's default may be empty (no request body)"),
            Map.entry("ScriptEnv.text#1='   '", "a script's default is the script's own text, blank included"),
            Map.entry("ScriptEnv.text#1='\t\n'", "a script's default is the script's own text, blank included"),
            Map.entry("ScriptEnv.text#1='xxxxx...(100000)'", "a script's default is the script's own text, long included"),
            Map.entry("ScriptEnv.number#2=-1", "a number's range may start below zero"),
            Map.entry("ScriptEnv.number#2=0", "a number's range may start at zero"),
            Map.entry("ScriptEnv.number#2=-2147483648", "a number's range may be as wide as int's"),
            Map.entry("ScriptEnv.number#3=2147483647", "a number's range may be as wide as int's"),
            Map.entry("ScriptEnv.seconds#2=0", "zero seconds (no jitter, no pause) is a valid lower bound"),
            Map.entry("ScriptEnv.seconds#3=2147483647", "an upper bound is the script's own choice"));

    record Entry(Class<?> type, Method method) {
        String name() {
            return type.getSimpleName() + "." + method.getName();
        }
    }

    static List<Entry> entries() {
        List<Entry> found = new ArrayList<>();
        for (Class<?> c : publicTypes()) {
            if (NOT_ENTRIES.contains(c.getName())) {
                continue;
            }
            for (Method m : c.isInterface() ? c.getMethods() : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || m.isSynthetic() || m.isBridge()
                        || m.getDeclaringClass() == Object.class || isRecordAccessorOrObjectMethod(c, m)) {
                    continue;
                }
                found.add(new Entry(c, m));
            }
        }
        return found;
    }

    static boolean isRecordAccessorOrObjectMethod(Class<?> c, Method m) {
        if (Set.of("equals", "hashCode", "toString").contains(m.getName())) {
            return true;
        }
        return c.isRecord() && m.getParameterCount() == 0
                && Arrays.stream(c.getRecordComponents()).anyMatch(rc -> rc.getName().equals(m.getName()));
    }

    /** Every public class and interface (nested too) compiled from dsl's main sources. */
    static List<Class<?>> publicTypes() {
        try {
            Path root = Path.of(Chaos.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            try (Stream<Path> files = Files.walk(root)) {
                List<Class<?>> types = new ArrayList<>();
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = root.relativize(f).toString().replace('/', '.').replaceFirst("\\.class$", "");
                    if (name.endsWith("package-info")) {
                        continue;
                    }
                    Class<?> c = Class.forName(name, false, HostileInputTest.class.getClassLoader());
                    if (Modifier.isPublic(c.getModifiers()) && !c.isAnonymousClass()
                            && (c.getEnclosingClass() == null || Modifier.isPublic(c.getEnclosingClass().getModifiers()))) {
                        types.add(c);
                    }
                }
                return types;
            }
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyPublicEntryRefusesHostileValuesBeforeTouchingAnything() {
        List<Entry> entries = entries();
        Map<Class<?>, Supplier<Object>> receivers = receivers();
        List<String> problems = new ArrayList<>();
        Set<String> covered = new TreeSet<>();
        for (Entry e : entries) {
            Method m = e.method();
            boolean isStatic = Modifier.isStatic(m.getModifiers());
            if (!isStatic && !receivers.containsKey(e.type())) {
                problems.add(e.name() + ": no valid receiver of " + e.type().getName() + " to call it on; add one to receivers()");
                continue;
            }
            covered.add(e.name() + "/" + m.getParameterCount());
            for (int i = 0; i < m.getParameterCount(); i++) {
                for (Object bad : hostile(m.getParameterTypes()[i])) {
                    Object[] args = new Object[m.getParameterCount()];
                    for (int j = 0; j < args.length; j++) {
                        args[j] = j == i ? bad : valid(m, j);
                    }
                    String call = e.name() + "#" + i + "=" + show(bad);
                    engine.calls().size();
                    int before = engine.calls().size();
                    Object receiver = isStatic ? null : receivers.get(e.type()).get();
                    try {
                        m.invoke(receiver, args);
                        if (!ACCEPTED.containsKey(call)) {
                            problems.add(call + ": accepted");
                        }
                    } catch (InvocationTargetException thrown) {
                        Throwable t = thrown.getCause();
                        String msg = String.valueOf(t.getMessage());
                        if (!(t instanceof IllegalArgumentException || t instanceof NullPointerException)) {
                            problems.add(call + ": " + t + " instead of an IllegalArgumentException");
                        } else if (!namesArgument(m.getParameters()[i], msg) || !showsValue(bad, msg)) {
                            problems.add(call + ": message does not name the argument and show the value: " + shorten(msg));
                        }
                        if (engine.calls().size() != before) {
                            problems.add(call + ": touched the engine before refusing: " + engine.calls());
                        }
                    } catch (IllegalAccessException impossible) {
                        throw new IllegalStateException(impossible);
                    }
                }
            }
        }
        assertThat(covered).as("public entries found").hasSizeGreaterThan(40);
        assertThat(problems).as("hostile input accepted or badly refused").isEmpty();
    }

    static boolean namesArgument(Parameter p, String message) {
        // parameter names need -parameters; the messages name them in words either way
        return !message.isBlank() && (message.contains(" must ") || message.contains("must not") || message.contains("is not"));
    }

    static boolean showsValue(Object bad, String message) {
        if (bad == null) {
            return message.contains("null");
        }
        if (bad instanceof String s) {
            if (message.startsWith("password ")) {
                return message.contains(s.length() + " characters"); // a password is never echoed
            }
            return s.length() > 1000 ? message.length() < 1000 && message.contains(s.substring(0, 50)) : message.contains("'" + s + "'") || message.contains("\"" + s + "\"");
        }
        if (bad.getClass().isArray()) {
            return message.contains("null");
        }
        return message.contains(String.valueOf(bad));
    }

    static String show(Object v) {
        if (v instanceof String s) {
            return s.length() > 20 ? "'" + s.substring(0, 5) + "...(" + s.length() + ")'" : "'" + s + "'";
        }
        if (v != null && v.getClass().isArray()) {
            return "[null]";
        }
        return String.valueOf(v);
    }

    static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
