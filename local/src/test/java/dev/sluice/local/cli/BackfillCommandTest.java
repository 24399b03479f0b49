package dev.sluice.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.envelope.EnvelopeCodec;
import dev.sluice.local.sqs.EmbeddedSqs;
import dev.sluice.testsupport.QueueMessages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** {@code sluice backfill} enqueues the page tasks of an old window. */
class BackfillCommandTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String INTEGRATION = "hubspot-contacts-to-mailchimp";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void pointAtRepository() {
    System.setProperty(SluiceCommand.HOME_PROPERTY, ROOT.toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty(SluiceCommand.HOME_PROPERTY);
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("aws.region");
  }

  @Test
  void backfill_withQueueUrl_queuesOneFirstPageTaskPerWindow() {
    try (EmbeddedSqs embedded = EmbeddedSqs.start();
        SqsClient sqs = client(embedded)) {
      String queue = sqs.createQueue(r -> r.queueName(INTEGRATION + "-poll")).queueUrl();
      System.setProperty("aws.accessKeyId", "test");
      System.setProperty("aws.secretAccessKey", "test");
      System.setProperty("aws.region", "us-east-1");

      int exit =
          run(
              "backfill",
              INTEGRATION,
              "--from",
              "2026-11-30T00:00:00Z",
              "--to",
              "2026-11-30T01:00:00Z",
              "--queue-url",
              queue,
              "--endpoint",
              embedded.endpoint().toString());

      assertThat(exit).as(err.toString()).isZero();
      assertThat(out.toString()).contains("Queued 4 page task(s)");
      List<String> windows = new ArrayList<>();
      for (Message message : QueueMessages.drain(sqs, queue)) {
        var task = EnvelopeCodec.read(message.body()).payload();
        assertThat(task.has("after")).isFalse();
        windows.add(task.get("from").asText() + "/" + task.get("to").asText());
      }
      // The schedule's 15-minute window keeps each search as small as a scheduled one.
      assertThat(windows)
          .containsExactlyInAnyOrder(
              "2026-11-30T00:00:00Z/2026-11-30T00:15:00Z",
              "2026-11-30T00:15:00Z/2026-11-30T00:30:00Z",
              "2026-11-30T00:30:00Z/2026-11-30T00:45:00Z",
              "2026-11-30T00:45:00Z/2026-11-30T01:00:00Z");
    }
  }

  @Test
  void backfill_locally_walksTheWindowsPagesOnTheStandIns() {
    int exit =
        run(
            "backfill",
            INTEGRATION,
            "--from",
            "2026-12-03T09:40:00Z",
            "--to",
            "2026-12-03T10:00:00Z",
            "--chunk-minutes",
            "20");

    assertThat(exit).as(out + "\n" + err).isZero();
    // The stand-in's window 09:40-10:00 has three pages with five contacts.
    assertThat(out.toString()).contains("3 page(s) fetched, 5 record(s) written to the target");
  }

  @Test
  void backfill_locally_ofAWindowWithoutChangesWritesNothingAndSucceeds() {
    int exit =
        run(
            "backfill",
            INTEGRATION,
            "--from",
            "2026-11-01T00:00:00Z",
            "--to",
            "2026-11-01T01:00:00Z");

    assertThat(exit).as(out + "\n" + err).isZero();
    assertThat(out.toString())
        .contains("page(s) fetched, 0 record(s) written to the target, 0 parked")
        .doesNotContain("parked:");
  }

  @Test
  void backfill_withFromAfterTo_isAUsageError() {
    int exit =
        run(
            "backfill",
            INTEGRATION,
            "--from",
            "2026-11-30T01:00:00Z",
            "--to",
            "2026-11-30T00:00:00Z");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--from must be before --to");
  }

  @Test
  void backfill_ofAWebhookIntegration_isAUsageError() {
    int exit =
        run(
            "backfill",
            "stripe-invoice-to-accounting",
            "--from",
            "2026-11-30T00:00:00Z",
            "--to",
            "2026-11-30T01:00:00Z");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("not a scheduled integration");
  }

  private int run(String... args) {
    CommandLine command = SluiceCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  private static SqsClient client(EmbeddedSqs embedded) {
    return SqsClient.builder()
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .endpointOverride(embedded.endpoint())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
