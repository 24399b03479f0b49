package dev.sluice.local.http;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.events.HttpRequestEvent;
import dev.sluice.events.HttpResponseEvent;
import dev.sluice.ingress.IngressResponses;
import dev.sluice.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * A local stand-in for API Gateway: listens on loopback at {@code /webhooks/{integration}}, turns
 * each request into the HTTP API payload 2.0 event (lower-cased header names, body base64-encoded
 * unless it is JSON or text, as API Gateway does) and hands it to the integration's ingress
 * handler.
 */
public final class WebhookEndpoint implements AutoCloseable {

  private static final String PREFIX = "/webhooks/";

  /** The response header carrying the request id, which is also the correlation id. */
  public static final String REQUEST_ID_HEADER = "apigw-requestid";

  private final HttpServer server;
  private final Map<String, RequestStreamHandler> ingressByIntegration;

  private WebhookEndpoint(HttpServer server, Map<String, RequestStreamHandler> ingress) {
    this.server = server;
    this.ingressByIntegration = Map.copyOf(ingress);
  }

  /** Starts the endpoint on a free loopback port. */
  public static WebhookEndpoint start(Map<String, RequestStreamHandler> ingressByIntegration) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      WebhookEndpoint endpoint = new WebhookEndpoint(server, ingressByIntegration);
      server.createContext("/", endpoint::handle);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return endpoint;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the local webhook endpoint", e);
    }
  }

  /** The URL a webhook for {@code integration} is posted to. */
  public URI url(String integration) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PREFIX + integration);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String integration = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
      RequestStreamHandler ingress = ingressByIntegration.get(integration);
      String requestId = UUID.randomUUID().toString();
      HttpResponseEvent response =
          ingress == null
              ? IngressResponses.notFound()
              : invoke(ingress, exchange, integration, requestId);
      // API Gateway names each request in this header; ingress uses the id as correlation id.
      exchange.getResponseHeaders().add(REQUEST_ID_HEADER, requestId);
      respond(exchange, response);
    }
  }

  private static HttpResponseEvent invoke(
      RequestStreamHandler ingress, HttpExchange exchange, String integration, String requestId)
      throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));

    boolean text = isText(headers.get("content-type"));
    HttpRequestEvent event =
        new HttpRequestEvent(
            "2.0",
            "POST /webhooks/{integration}",
            exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery() == null
                ? ""
                : exchange.getRequestURI().getRawQuery(),
            headers,
            Map.of("integration", integration),
            new HttpRequestEvent.RequestContext(
                requestId,
                new HttpRequestEvent.Http(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRemoteAddress().getAddress().getHostAddress()),
                System.currentTimeMillis()),
            text
                ? new String(body, StandardCharsets.UTF_8)
                : Base64.getEncoder().encodeToString(body),
            !text);

    ByteArrayOutputStream output = new ByteArrayOutputStream();
    ingress.handleRequest(
        new ByteArrayInputStream(Json.mapper().writeValueAsBytes(event)), output, null);
    return Json.mapper().readValue(output.toByteArray(), HttpResponseEvent.class);
  }

  private static boolean isText(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("application/json") || type.startsWith("text/");
  }

  private static void respond(HttpExchange exchange, HttpResponseEvent response)
      throws IOException {
    byte[] body =
        response.body() == null
            ? new byte[0]
            : response.isBase64Encoded()
                ? Base64.getDecoder().decode(response.body())
                : response.body().getBytes(StandardCharsets.UTF_8);
    if (response.headers() != null) {
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    }
    exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
