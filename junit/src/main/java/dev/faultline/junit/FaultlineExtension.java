package dev.faultline.junit;

import dev.faultline.core.restore.Restoration;
import dev.faultline.dsl.Project;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What {@link FaultlineTest} does; see there. Registered by the annotation; not meant to be registered
 * by hand.
 */
public final class FaultlineExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback,
        ParameterResolver {

    /** Where per-test report folders go: {@code <this>/<class>/<test>/}. */
    public static final String REPORTS_PROPERTY = "faultline.junit.reports";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FaultlineExtension.class);
    private static final String STACK = "stack";

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        ClassStack outer = context.getStore(NS).get(STACK, ClassStack.class);
        if (outer != null) {
            // a @Nested class: the enclosing class's stack serves it (and only the enclosing class takes it down)
            inject(testClass, null, outer.projectFor(classFolder(testClass)), true);
            return;
        }
        FaultlineTest cfg = config(testClass);
        ClassStack stack = ClassStack.prepare(testClass, cfg);
        // stored before it starts: afterAll takes down whatever a half-way start left
        context.getStore(NS).put(STACK, stack);
        stack.start(cfg);
        inject(testClass, null, stack.projectFor(classFolder(testClass)), true);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ClassStack stack = stack(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            inject(instance.getClass(), instance, stack.projectFor(testFolder(context)), false);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ClassStack stack = stack(context);
        Path folder = testFolder(context);
        if (Files.isDirectory(folder)) {
            System.out.println("faultline: " + testName(context) + ": reports in " + folder.toUri());
            context.publishReportEntry("faultline.reports", folder.toUri().toString());
        }
        if (!config(context.getRequiredTestClass()).restore()) {
            return;
        }
        Restoration r = stack.restore();
        if (r.untouched()) {
            return;
        }
        r.lines().forEach(l -> System.out.println("faultline: after " + testName(context) + ": " + l));
        context.publishReportEntry("faultline.restore", String.join("\n", r.lines()));
        if (!r.faultsLeftBehind().isEmpty()) {
            throw new AssertionError(testName(context) + " left " + (r.faultsLeftBehind().size() == 1 ? "a fault" : "faults")
                    + " behind in project " + stack.project() + " (undone now, so the next test starts clean): "
                    + String.join("; ", r.faultsLeftBehind()));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // remove() looks at this class's own store only: a @Nested class leaves its enclosing class's stack alone
        ClassStack stack = context.getStore(NS).remove(STACK, ClassStack.class);
        if (stack != null) {
            stack.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Project.class;
    }

    @Override
    public Project resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Path folder = context.getTestMethod().isPresent() ? testFolder(context) : classFolder(context.getRequiredTestClass());
        return stack(context).projectFor(folder);
    }

    private static ClassStack stack(ExtensionContext context) {
        ClassStack stack = context.getStore(NS).get(STACK, ClassStack.class);
        if (stack == null) {
            throw new ExtensionConfigurationException("no faultline stack for " + context.getDisplayName()
                    + ": @FaultlineTest goes on the test class");
        }
        return stack;
    }

    private static FaultlineTest config(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            FaultlineTest cfg = c.getAnnotation(FaultlineTest.class);
            if (cfg != null) {
                return cfg;
            }
        }
        throw new ExtensionConfigurationException(testClass.getName() + " is not annotated with @FaultlineTest");
    }

    /** Static fields once per class, instance fields before each test; only fields of type Project. */
    private static void inject(Class<?> type, Object instance, Project project, boolean statics) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() != Project.class || Modifier.isStatic(f.getModifiers()) != statics) {
                    continue;
                }
                if (Modifier.isFinal(f.getModifiers())) {
                    throw new ExtensionConfigurationException("@FaultlineTest cannot inject the final field " + c.getName()
                            + "." + f.getName() + "; make it non-final");
                }
                try {
                    f.setAccessible(true);
                    f.set(instance, project);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new ExtensionConfigurationException("@FaultlineTest could not inject " + c.getName() + "." + f.getName()
                            + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private static Path root() {
        return Path.of(Optional.ofNullable(System.getProperty(REPORTS_PROPERTY)).orElse("target/faultline-reports"))
                .toAbsolutePath().normalize();
    }

    private static Path classFolder(Class<?> testClass) {
        return root().resolve(safe(testClass.getSimpleName()));
    }

    /** Named after the test: the method, plus the invocation number for a parameterized or repeated one. */
    static Path testFolder(ExtensionContext context) {
        Method m = context.getRequiredTestMethod();
        String name = m.getName();
        java.util.regex.Matcher invocation = INVOCATION.matcher(context.getUniqueId());
        if (invocation.find()) {
            name = name + "-" + invocation.group(1);
        }
        return classFolder(context.getRequiredTestClass()).resolve(safe(name));
    }

    private static final java.util.regex.Pattern INVOCATION = java.util.regex.Pattern.compile("invocation:#(\\d+)\\]$");

    private static String testName(ExtensionContext context) {
        return context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
    }

    private static String safe(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return s.length() > 100 ? s.substring(0, 100) : s.isEmpty() ? "test" : s;
    }
}
