package dev.sluice.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.envelope.Envelope;
import dev.sluice.events.HttpResponseEvent;
import dev.sluice.json.Json;

/**
 * The few responses a webhook sender can get. Bodies are short and never say which check failed, so
 * a caller probing signatures learns nothing.
 */
public final class IngressResponses {

  private IngressResponses() {}

  static HttpResponseEvent accepted(Envelope envelope) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("status", "queued");
    body.put("messageId", envelope.messageId());
    body.put("correlationId", envelope.correlationId());
    body.put("sourceEventId", envelope.sourceEventId());
    return HttpResponseEvent.json(202, body.toString());
  }

  static HttpResponseEvent badRequest(String why) {
    return error(400, why);
  }

  static HttpResponseEvent unauthorized() {
    return error(401, "invalid signature");
  }

  /** The response for a path that names no integration served here. */
  public static HttpResponseEvent notFound() {
    return error(404, "unknown integration");
  }

  static HttpResponseEvent methodNotAllowed() {
    return error(405, "only POST is accepted");
  }

  static HttpResponseEvent tooLarge() {
    return error(413, "body too large");
  }

  static HttpResponseEvent unavailable() {
    return error(503, "not queued, retry later");
  }

  private static HttpResponseEvent error(int status, String message) {
    return HttpResponseEvent.json(
        status, Json.mapper().createObjectNode().put("error", message).toString());
  }
}
