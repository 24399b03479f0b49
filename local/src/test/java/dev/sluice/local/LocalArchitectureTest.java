package dev.sluice.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local runner's rules: only the command layer talks to the terminal or the environment. */
class LocalArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.sluice.local");
  }

  @Test
  void onlyTheCommandLayer_exitsTheProcess() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.sluice.local.cli..")
        .should()
        .callMethod(System.class, "exit", int.class)
        .because("the runner is also driven from tests")
        .check(classes);
  }

  @Test
  void runnerAndDemo_neverPrintToTheConsoleDirectly() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.sluice.local.cli..")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .because("output goes to the writer the command gives, logs to the log file")
        .check(classes);
  }

  @Test
  void environment_isReadOnlyThroughSettings() {
    noClasses()
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .because("handlers get their variables from Settings, as in Lambda")
        .check(classes);
  }

  @Test
  void handlers_areDrivenOnlyThroughTheRunner() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.sluice.local.demo..", "dev.sluice.local.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.sluice.transform..", "dev.sluice.deliver..")
        .because("the runner wires steps with queues between them, as in AWS")
        .check(classes);
  }
}
