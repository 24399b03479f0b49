package dev.sluice.queue;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A WireMock stand-in for SQS answering {@code SendMessageBatch} with HTTP 200 and one entry under
 * {@code Failed}, in the documented JSON protocol shape. The client it gives has MD5 checks off,
 * since the stand-in does not compute digests of what it did not store.
 *
 * @see <a
 *     href="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html">
 *     SendMessageBatch</a>
 */
final class SqsStandIn implements AutoCloseable {

  private final WireMockServer server;
  private final SqsClient client;

  private SqsStandIn(WireMockServer server) {
    this.server = server;
    this.client =
        SqsClient.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + server.port()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .checksumValidationEnabled(false)
            .build();
  }

  /** A stand-in that fails the entry {@code failedId} with {@code code} and accepts e0..e9. */
  static SqsStandIn answeringBatchWith(String failedId, String code) {
    WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    server.start();

    StringBuilder successful = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      String id = "e" + i;
      if (!id.equals(failedId)) {
        successful.append(successful.isEmpty() ? "" : ",");
        successful.append("{\"Id\":\"").append(id).append("\",\"MessageId\":\"m-").append(id);
        successful.append("\",\"MD5OfMessageBody\":\"00000000000000000000000000000000\"}");
      }
    }
    String body =
        "{\"Successful\":["
            + successful
            + "],\"Failed\":[{\"Id\":\""
            + failedId
            + "\",\"SenderFault\":false,\"Code\":\""
            + code
            + "\",\"Message\":\"We encountered an internal error. Please try again.\"}]}";
    server.stubFor(
        post(urlPathEqualTo("/"))
            .withHeader("X-Amz-Target", equalTo("AmazonSQS.SendMessageBatch"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/x-amz-json-1.0")
                    .withBody(body)));
    return new SqsStandIn(server);
  }

  SqsClient client() {
    return client;
  }

  String queueUrl() {
    return "http://127.0.0.1:" + server.port() + "/000000000000/stand-in";
  }

  @Override
  public void close() {
    client.close();
    server.stop();
  }
}
