package dev.sluice.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The extension's endpoint: it answers, it is reset, and a dead one fails fast and says so. */
@ExtendWith(AwsEmulatorExtension.class)
class AwsEmulatorExtensionTest {

  private static final Duration FAST = Duration.ofSeconds(5);

  private static SqsClient sqs;
  private static SecretsManagerClient secrets;

  @BeforeAll
  static void clients(AwsEmulator aws) {
    sqs = aws.sqs();
    secrets = aws.secretsManager();
  }

  @AfterAll
  static void close() {
    sqs.close();
    secrets.close();
  }

  @Test
  void emulator_whenGivenToATest_answersSqsAndSecretsManager(AwsEmulator aws) {
    String queueUrl = sqs.createQueue(r -> r.queueName("answers-" + System.nanoTime())).queueUrl();
    secrets.createSecret(r -> r.name("sluice/answers/" + System.nanoTime()).secretString("v"));

    assertThat(queueUrl).startsWith(aws.endpoint().toString());
    assertThat(sqs.listQueues().queueUrls()).contains(queueUrl);
    assertThat(secrets.listSecrets().secretList()).isNotEmpty();
  }

  @Test
  void reset_whenMotoWasStartedHere_forgetsEveryResource(AwsEmulator aws) {
    // Only a server the extension started is reset; an external endpoint keeps its state.
    assumeTrue(aws.logFile().isPresent(), "external endpoint");
    sqs.createQueue(r -> r.queueName("forgotten"));

    aws.reset();

    assertThat(sqs.listQueues().queueUrls()).isEmpty();
  }

  @Test
  void requireReachable_whenEndpointIsAClosedPort_failsFastSayingUnreachable() throws IOException {
    URI dead = URI.create("http://127.0.0.1:" + closedPort());
    AwsEmulator emulator =
        AwsEmulatorExtension.choose(
            Map.of(AwsEmulator.ENDPOINT_VARIABLE, dead.toString()),
            () -> {
              throw new AssertionError("must not start moto when AWS_ENDPOINT_URL is set");
            });

    assertTimeoutPreemptively(
        FAST,
        () ->
            assertThatThrownBy(emulator::requireReachable)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS endpoint " + dead + " is unreachable")
                .hasMessageContaining(AwsEmulator.ENDPOINT_VARIABLE));
  }

  @Test
  void requireReachable_whenEndpointDoesNotAnswerConnects_givesUpAfterTheConnectTimeout() {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never routed, so a connect can only time out or fail.
    AwsEmulator emulator = AwsEmulator.at(URI.create("http://192.0.2.1:4566"));

    assertTimeoutPreemptively(
        FAST,
        () ->
            assertThatThrownBy(emulator::requireReachable)
                .hasMessageContaining("AWS endpoint http://192.0.2.1:4566 is unreachable"));
  }

  @Test
  void sqsClient_whenEndpointIsDead_failsFastInsteadOfHanging() throws IOException {
    AwsEmulator dead = AwsEmulator.at(URI.create("http://127.0.0.1:" + closedPort()));

    try (SqsClient client = dead.sqs()) {
      assertTimeoutPreemptively(
          FAST,
          () ->
              assertThatThrownBy(client::listQueues)
                  .isInstanceOf(SdkClientException.class)
                  .hasMessageContaining("Unable to execute HTTP request"));
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
