package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testsupport.PythonTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** cfn-lint (pinned in test-support/python-requirements.txt) finds nothing in any template. */
class CfnLintTest {

  private static final SynthesizedApp APP = SynthesizedApp.get();

  @Test
  void everySynthesizedTemplate_isCleanForCfnLint() throws Exception {
    List<Path> templates = APP.templateFiles();
    assertThat(templates).hasSize(APP.allStacks().size());

    List<String> command = new ArrayList<>();
    command.add(PythonTools.executable("cfn-lint").toString());
    command.add("--format=parseable");
    // W3005 (DependsOn already implied by a GetAtt): aws-cdk-lib declares every function's
    // DependsOn on its execution role as well as reading the role's ARN; redundant, not wrong.
    command.add("--ignore-checks=W3005");
    command.add("--");
    templates.forEach(template -> command.add(template.toString()));

    Path report = PythonTools.logFolder().resolve("cfn-lint-infra.txt");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(report.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }

    assertThat(finished).as("cfn-lint finished").isTrue();
    assertThat(Files.readString(report)).isEmpty();
    assertThat(process.exitValue()).isZero();
  }
}
