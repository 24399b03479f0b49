package dev.sluice.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.webhook.SignatureScheme;
import dev.sluice.auth.webhook.WebhookRequest;
import dev.sluice.envelope.IdempotencyKeys;

/**
 * Names a webhook by the sender's own id, so that a redelivered webhook gets the same idempotency
 * key and the target sees it once.
 */
final class SourceEventIds {

  private SourceEventIds() {}

  /**
   * The sender's id for the event: its delivery header where the scheme has one (GitHub, Shopify,
   * Standard Webhooks), else the body's {@code id} or {@code event_id} (Stripe, Slack), else a hash
   * of the body, which is the same for the same event.
   */
  static String of(SignatureScheme scheme, WebhookRequest request, JsonNode payload) {
    var fromHeader = scheme.deliveryIdHeader().flatMap(request::header);
    if (fromHeader.isPresent() && !fromHeader.get().isBlank()) {
      return fromHeader.get();
    }

    for (String field : new String[] {"id", "event_id"}) {
      JsonNode id = payload.get(field);
      if (id != null && id.isValueNode() && !id.asText().isBlank()) {
        return id.asText();
      }
    }
    return "sha256:" + IdempotencyKeys.sha256Hex(request.body());
  }
}
