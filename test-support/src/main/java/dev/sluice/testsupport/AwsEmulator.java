package dev.sluice.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An AWS-compatible endpoint a test talks to: the moto server {@link AwsEmulatorExtension} started,
 * or the endpoint named by {@code AWS_ENDPOINT_URL}. Hands out SDK clients configured for it.
 */
public final class AwsEmulator {

  /** The variable that names an endpoint to use instead of starting moto. */
  public static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL";

  /** The region every client is built for. */
  public static final Region REGION = Region.US_EAST_1;

  /** How long a connection attempt may take before the endpoint counts as unreachable. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** Above SQS's longest receive wait (20 s), so a long poll is never cut off by the socket. */
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(25);

  // Emulators accept any signature; real keys are never needed, nor wanted, in these tests.
  private static final AwsCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

  private final URI endpoint;
  private final Optional<MotoServer> moto;

  private AwsEmulator(URI endpoint, Optional<MotoServer> moto) {
    this.endpoint = endpoint;
    this.moto = moto;
  }

  /** An endpoint someone else runs (an emulator elsewhere, or AWS); it is never reset. */
  public static AwsEmulator at(URI endpoint) {
    return new AwsEmulator(endpoint, Optional.empty());
  }

  static AwsEmulator of(MotoServer moto) {
    return new AwsEmulator(moto.endpoint(), Optional.of(moto));
  }

  /** The endpoint to give clients and handlers ({@code AWS_ENDPOINT_URL}). */
  public URI endpoint() {
    return endpoint;
  }

  /** The server's log file when the extension started it. */
  public Optional<Path> logFile() {
    return moto.map(MotoServer::log);
  }

  /** How long the started server took to answer; empty for an external endpoint. */
  public Optional<Duration> startup() {
    return moto.map(MotoServer::startup);
  }

  /** A new SQS client for the endpoint; the caller closes it. */
  public SqsClient sqs() {
    return SqsClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClient(httpClient())
        .build();
  }

  /** A new Secrets Manager client for the endpoint; the caller closes it. */
  public SecretsManagerClient secretsManager() {
    return SecretsManagerClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(CREDENTIALS)
        .httpClient(httpClient())
        .build();
  }

  /**
   * Fails fast, within {@link #CONNECT_TIMEOUT}, when nothing accepts connections at the endpoint,
   * so a test pointed at a dead endpoint says so instead of hanging.
   *
   * @throws IllegalStateException saying the endpoint is unreachable and where to look
   */
  public void requireReachable() {
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : defaultPort(endpoint.getScheme());
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(endpoint.getHost(), port), (int) CONNECT_TIMEOUT.toMillis());
    } catch (IOException e) {
      throw new IllegalStateException(
          "AWS endpoint "
              + endpoint
              + " is unreachable ("
              + e.getMessage()
              + " within "
              + CONNECT_TIMEOUT.toSeconds()
              + " s); "
              + logFile()
                  .map(log -> "see " + log)
                  .orElse("check " + ENDPOINT_VARIABLE + " or unset it to start moto"),
          e);
    }
  }

  /** Gives the next test class a clean state: moto forgets everything; others are left alone. */
  void reset() {
    moto.ifPresent(MotoServer::reset);
  }

  /** Stops the server this emulator started, if any. */
  void stop() {
    moto.ifPresent(MotoServer::close);
  }

  private static SdkHttpClient httpClient() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(CONNECT_TIMEOUT)
        .socketTimeout(SOCKET_TIMEOUT)
        .build();
  }

  private static int defaultPort(String scheme) {
    return "https".equalsIgnoreCase(scheme) ? 443 : 80;
  }
}
