package dev.sluice.events;

import java.util.Map;

/**
 * An HTTP request as API Gateway HTTP APIs (payload format 2.0) and Lambda Function URLs deliver
 * it; both use this shape. Header names arrive lower-cased; a binary or form body arrives
 * base64-encoded with {@code isBase64Encoded} set.
 */
public record HttpRequestEvent(
    String version,
    String routeKey,
    String rawPath,
    String rawQueryString,
    Map<String, String> headers,
    Map<String, String> pathParameters,
    RequestContext requestContext,
    String body,
    boolean isBase64Encoded) {

  public HttpRequestEvent {
    headers = headers == null ? Map.of() : headers;
    pathParameters = pathParameters == null ? Map.of() : pathParameters;
  }

  /** The part of the request context Sluice uses. */
  public record RequestContext(String requestId, Http http, Long timeEpoch) {}

  /** Method and source of the request. */
  public record Http(String method, String path, String sourceIp) {}
}
