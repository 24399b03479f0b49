package dev.sluice.local.sqs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * An in-process SQS (ElasticMQ) on a free loopback port, for the local runner and tests.
 *
 * <p>ElasticMQ writes its configured node address into queue URLs, so the port is chosen first and
 * given as both the bind port and the address; otherwise URLs would point at a wrong port.
 */
public final class EmbeddedSqs implements AutoCloseable {

  private static final String HOST = "127.0.0.1";

  private final SQSRestServer server;
  private final URI endpoint;

  private EmbeddedSqs(SQSRestServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  /** Starts ElasticMQ and returns once it accepts requests. */
  public static EmbeddedSqs start() {
    int port = freePort();
    SQSRestServer server =
        SQSRestServerBuilder.withInterface(HOST)
            .withPort(port)
            .withServerAddress(new NodeAddress("http", HOST, port, ""))
            .start();
    server.waitUntilStarted();
    return new EmbeddedSqs(server, URI.create("http://" + HOST + ":" + port));
  }

  /** The endpoint to give SQS clients ({@code AWS_ENDPOINT_URL}). */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    server.stopAndWait();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the embedded SQS", e);
    }
  }
}
