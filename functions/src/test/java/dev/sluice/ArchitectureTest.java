package dev.sluice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.sluice.settings.Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The architecture of {@code functions/} as rules that fail the build when broken. */
class ArchitectureTest {

  private static final String[] STEPS = {
    "dev.sluice.ingress..", "dev.sluice.poll..", "dev.sluice.transform..", "dev.sluice.deliver.."
  };

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // test-support is on the test classpath as main code, but it is test tooling: it
            // starts processes and reads its own variables, and never ships in the Lambda jar.
            .withImportOption(location -> !location.contains("/dev/sluice/testsupport/"))
            .importPackages("dev.sluice");
  }

  @Test
  void steps_doNotReachIntoEachOther() {
    for (String step : STEPS) {
      for (String other : STEPS) {
        if (!step.equals(other)) {
          noClasses()
              .that()
              .resideInAPackage(step)
              .should()
              .dependOnClassesThat()
              .resideInAPackage(other)
              .because("a queue is always between two steps")
              .allowEmptyShould(true)
              .check(classes);
        }
      }
    }
  }

  @Test
  void sharedServices_doNotDependOnSteps() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.sluice.auth..",
            "dev.sluice.checks..",
            "dev.sluice.envelope..",
            "dev.sluice.settings..",
            "dev.sluice.queue..",
            "dev.sluice.definition..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(STEPS)
        .because("steps use the shared services, never the other way round")
        .check(classes);
  }

  @Test
  void libraryCode_neverPrintsToTheConsole() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .because("logs are structured JSON through SLF4J")
        .check(classes);
  }

  @Test
  void environment_isReadOnlyBySettings() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Settings.class.getName())
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .because("every variable is read and checked in one typed settings class")
        .check(classes);
  }

  @Test
  void functions_doNotKnowTheLocalRunner() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.sluice.local..")
        .because("the deployable jar must not carry the local runner")
        .check(classes);
  }

  @Test
  void noDumpingGroundPackages() {
    noClasses()
        .should()
        .resideInAnyPackage("..util..", "..utils..", "..misc..", "..common..", "..helpers..")
        .because("packages are named after what they do")
        .check(classes);
  }
}
