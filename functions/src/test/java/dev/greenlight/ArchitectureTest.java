package dev.greenlight;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    // The app's own compiled classes only: scanning the whole classpath costs seconds.
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target/classes"));

    @Test
    void sees_the_app_classes() {
        org.assertj.core.api.Assertions.assertThat(classes.contain("dev.greenlight.serving.ModelCache")).isTrue();
    }

    @Test
    void only_the_function_adapters_know_azure_functions() {
        noClasses().that().resideOutsideOfPackage("dev.greenlight.functions..")
                .should().dependOnClassesThat().resideInAPackage("com.microsoft.azure.functions..")
                .check(classes);
    }

    @Test
    void the_gate_is_pure_and_knows_nothing_of_promotion_stores_or_registries() {
        noClasses().that().resideInAPackage("dev.greenlight.gate..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.greenlight.promotion..",
                        "dev.greenlight.store..", "dev.greenlight.registry..", "dev.greenlight.fanout..",
                        "com.azure..")
                .check(classes);
    }

    @Test
    void events_parse_and_do_not_decide() {
        noClasses().that().resideInAPackage("dev.greenlight.events..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.greenlight.promotion..",
                        "dev.greenlight.store..", "dev.greenlight.serving..")
                .check(classes);
    }

    @Test
    void domain_packages_do_not_depend_on_the_function_adapters_or_the_composition_root() {
        noClasses().that().resideInAnyPackage("dev.greenlight.serving..", "dev.greenlight.store..",
                        "dev.greenlight.registry..", "dev.greenlight.config..", "dev.greenlight.errors..",
                        "dev.greenlight.promotion..", "dev.greenlight.gate..", "dev.greenlight.fanout..",
                        "dev.greenlight.events..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.greenlight.functions..", "dev.greenlight.app..")
                .check(classes);
    }
}
