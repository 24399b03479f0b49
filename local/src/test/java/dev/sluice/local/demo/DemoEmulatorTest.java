package dev.sluice.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testsupport.AwsEmulator;
import dev.sluice.testsupport.AwsEmulatorExtension;
import dev.sluice.testsupport.PythonTools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code sluice demo --endpoint URL} against a running emulator instead of embedded ElasticMQ. */
@ExtendWith(AwsEmulatorExtension.class)
class DemoEmulatorTest {

  @Test
  void demo_whenRunAgainstAnExternalEndpoint_everyInputEndsWhereTheScenarioSays(AwsEmulator aws)
      throws Exception {
    Path root = PythonTools.repositoryRoot();
    Path scenario = root.resolve("events").resolve("demo.yaml");
    StringWriter text = new StringWriter();

    List<Outcome> outcomes =
        new Demo(root, new PrintWriter(text, true))
            .run(
                DemoScenario.read(scenario),
                scenario.getParent(),
                Optional.of(aws.endpoint()),
                Duration.ofSeconds(2),
                Duration.ofSeconds(120));

    assertThat(text.toString()).contains("SQS: " + aws.endpoint());
    assertThat(outcomes)
        .isNotEmpty()
        .allSatisfy(
            outcome ->
                assertThat(outcome.asExpected())
                    .as("%s ended %s (%s)", outcome.input(), outcome.place(), outcome.detail())
                    .isTrue());
    assertThat(outcomes).extracting(Outcome::place).contains(Outcome.Place.DEAD_LETTERED);
    try (SqsClient sqs = aws.sqs()) {
      // The run's own queues are gone: a shared endpoint is left as it was found.
      assertThat(sqs.listQueues().queueUrls()).noneMatch(url -> url.contains("-local-"));
    }
  }
}
