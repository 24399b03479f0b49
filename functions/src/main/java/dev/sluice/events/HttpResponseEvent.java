package dev.sluice.events;

import java.util.Map;

/** The response a function returns to API Gateway HTTP APIs or a Function URL. */
public record HttpResponseEvent(
    int statusCode, Map<String, String> headers, String body, boolean isBase64Encoded) {

  /** A JSON response with the given status and body. */
  public static HttpResponseEvent json(int statusCode, String body) {
    return new HttpResponseEvent(
        statusCode, Map.of("content-type", "application/json"), body, false);
  }
}
