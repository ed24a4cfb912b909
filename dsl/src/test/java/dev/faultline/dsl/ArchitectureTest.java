package dev.faultline.dsl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.faultline.core.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DSL over core: core never depends on the DSL, the DSL never on docker-java, and no package
 * cycle across the two modules (core's own rules are core's ArchitectureTest).
 */
class ArchitectureTest {

    /** core's and the DSL's main classes, imported from where they were loaded (not by scanning the class path). */
    static JavaClasses FAULTLINE;

    @BeforeAll
    static void importCoreAndDsl() {
        FAULTLINE = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importUrls(List.of(Engine.class.getProtectionDomain().getCodeSource().getLocation(),
                        Chaos.class.getProtectionDomain().getCodeSource().getLocation()));
    }

    @AfterAll
    static void release() {
        FAULTLINE = null;
    }

    @Test
    void coreNeverDependsOnTheDsl() {
        noClasses().that().resideInAPackage("dev.faultline.core..")
                .should().dependOnClassesThat().resideInAPackage("dev.faultline.dsl..")
                .because("the DSL is a layer over core; core is usable without it")
                .check(FAULTLINE);
    }

    @Test
    void theDslNeverTalksToDockerDirectly() {
        noClasses().that().resideInAPackage("dev.faultline.dsl..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .check(FAULTLINE);
    }

    @Test
    void noPackageCyclesAcrossCoreAndDsl() {
        slices().matching("dev.faultline.(**)").should().beFreeOfCycles().check(FAULTLINE);
    }
}
