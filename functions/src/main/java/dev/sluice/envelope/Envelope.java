package dev.sluice.envelope;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The message that travels through every Sluice queue: routing and tracing fields around one
 * payload. Documented in {@code docs/envelope.md}; {@link #SCHEMA_VERSION} changes when a field's
 * meaning changes.
 *
 * @param schemaVersion envelope schema version, {@link #SCHEMA_VERSION} when written by Sluice
 * @param integration name of the integration definition this message belongs to
 * @param messageId unique id of this envelope, new for every step's output
 * @param correlationId id shared by everything caused by one trigger (webhook or poll)
 * @param sourceEventId the source system's own id for the event (Stripe {@code evt_...})
 * @param idempotencyKey deterministic key sent to the target so a redelivery is not a duplicate
 * @param attempt how many times a step has received this envelope (1 on first delivery)
 * @param triggerTime when the trigger fired (webhook received, schedule time)
 * @param payload the business data, passed through and never logged
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
    String schemaVersion,
    String integration,
    String messageId,
    String correlationId,
    String sourceEventId,
    String idempotencyKey,
    int attempt,
    Instant triggerTime,
    JsonNode payload) {

  /** The envelope schema version this code writes. */
  public static final String SCHEMA_VERSION = "1";

  public Envelope {
    Objects.requireNonNull(integration, "integration");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(correlationId, "correlationId");
    Objects.requireNonNull(payload, "payload");
  }

  /** The same envelope with a new message id and payload, for the next step's output. */
  public Envelope next(String newMessageId, JsonNode newPayload) {
    return new Envelope(
        schemaVersion,
        integration,
        newMessageId,
        correlationId,
        sourceEventId,
        idempotencyKey,
        attempt,
        triggerTime,
        newPayload);
  }
}
