package dev.faultline.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.faultline.core.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture of core as rules over its compiled classes (docs/architecture.md draws it):
 * packages without cycles, docker-java only in the engine adapter, the edge package ({@code cli})
 * used by nothing in core, and no constant of the demo stack in core.
 */
class ArchitectureTest {

    /** Imported once from core's own class folder (not by scanning the class path), dropped after the class. */
    static JavaClasses CORE;

    @BeforeAll
    static void importCore() {
        CORE = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importUrl(Engine.class.getProtectionDomain().getCodeSource().getLocation());
    }

    @AfterAll
    static void release() {
        CORE = null;
    }

    /** Every package is a slice; a cycle between any two (through any number of others) is a violation. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    static final ArchRule DOCKER_JAVA_ONLY_IN_THE_ADAPTER = noClasses()
            .that().resideOutsideOfPackage("dev.faultline.core.engine.docker..")
            .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
            .because("one package talks to Docker; everything else sees dev.faultline.core.engine");

    static final ArchRule THE_EDGE_IS_USED_BY_NOTHING_IN_CORE = noClasses()
            .that().resideOutsideOfPackage("dev.faultline.core.cli..")
            .should().dependOnClassesThat().resideInAPackage("dev.faultline.core.cli..")
            .because("script entry points and environment parsing sit at the edge; domain classes take typed values");

    @Test
    void corePackagesHaveNoCycles() {
        noPackageCycles("dev.faultline.core").check(CORE);
    }

    @Test
    void theCycleRuleReportsADeliberateCycle() {
        JavaClasses fixture = new ClassFileImporter().importPackagesOf(dev.faultline.archfixture.cycle.a.Alpha.class,
                dev.faultline.archfixture.cycle.b.Beta.class);
        EvaluationResult result = noPackageCycles("dev.faultline.archfixture.cycle").evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails()))
                .contains("Cycle detected: Slice a -> ", "Slice b -> ", "Slice a");
    }

    @Test
    void dockerJavaOnlyInTheEngineAdapter() {
        DOCKER_JAVA_ONLY_IN_THE_ADAPTER.check(CORE);
    }

    @Test
    void nothingInCoreDependsOnTheScriptsEdge() {
        THE_EDGE_IS_USED_BY_NOTHING_IN_CORE.check(CORE);
    }

    /**
     * The demo stack (demo/) is one user of faultline, not a default: its address and its order
     * payload belong to the scripts and examples that target it. Checked in the class files'
     * constant pools, where every string literal and constant ends up.
     */
    @Test
    void noConstantOfTheDemoStackInCore() throws IOException {
        List<String> found = new ArrayList<>();
        for (JavaClass c : CORE) {
            String resource = "/" + c.getName().replace('.', '/') + ".class";
            try (InputStream in = ArchitectureTest.class.getResourceAsStream(resource)) {
                if (in == null) continue;
                String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                for (String demo : List.of("localhost:8081", "\"quantity\"", "/api/orders")) {
                    if (constants.contains(demo)) found.add(c.getName() + " holds " + demo);
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
