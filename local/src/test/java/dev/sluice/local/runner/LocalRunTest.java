package dev.sluice.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sluice.testsupport.PythonTools;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** A local run pointed at an endpoint the user named with {@code --endpoint}. */
class LocalRunTest {

  @Test
  void start_whenEndpointIsDead_failsFastNamingTheEndpoint() throws Exception {
    URI dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      dead = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    URI endpoint = dead;

    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(
                    () ->
                        LocalRun.start(
                            PythonTools.repositoryRoot(),
                            "stripe-invoice-to-accounting",
                            Optional.of(endpoint),
                            Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("could not create the queues at " + endpoint)
                .hasMessageContaining("is the endpoint running and reachable?"));
  }

  @Test
  void externalCredentials_whenEndpointIsLoopback_resolveWithoutAnyLookupFailing() {
    AwsCredentials credentials =
        LocalRun.externalCredentials(URI.create("http://127.0.0.1:5000")).resolveCredentials();

    assertThat(credentials.accessKeyId()).isNotBlank();
  }
}
