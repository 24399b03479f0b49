package dev.sluice.aws;

import dev.sluice.settings.Settings;
import java.time.Duration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS clients the handlers use: the one HTTP client in the jar, set explicitly, and the
 * endpoint from {@code AWS_ENDPOINT_URL} when the settings name one (an emulator).
 */
public final class AwsClients {

  /** Above SQS's longest receive wait (20 s), so a long poll is never cut off by the socket. */
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(25);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  private AwsClients() {}

  /** An SQS client for the settings' region and endpoint. */
  public static SqsClient sqs(Settings settings) {
    var builder =
        SqsClient.builder().httpClient(httpClient()).region(Region.of(settings.awsRegion()));
    settings.awsEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** A Secrets Manager client for the settings' region and endpoint. */
  public static SecretsManagerClient secretsManager(Settings settings) {
    var builder =
        SecretsManagerClient.builder()
            .httpClient(httpClient())
            .region(Region.of(settings.awsRegion()));
    settings.awsEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static software.amazon.awssdk.http.SdkHttpClient httpClient() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(CONNECT_TIMEOUT)
        .socketTimeout(SOCKET_TIMEOUT)
        .build();
  }
}
