package dev.sluice.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.json.Json;

/** Reads and writes {@link Envelope}s as the JSON bodies of queue messages. */
public final class EnvelopeCodec {

  private EnvelopeCodec() {}

  /** Serialises an envelope to the JSON text sent as an SQS message body. */
  public static String write(Envelope envelope) {
    try {
      return Json.mapper().writeValueAsString(envelope);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("envelope could not be serialised", e);
    }
  }

  /**
   * Parses a message body into an envelope.
   *
   * @throws MalformedEnvelopeException when the body is not a Sluice envelope; the message names
   *     the missing or broken field, never its value
   */
  public static Envelope read(String body) {
    try {
      Envelope envelope = Json.mapper().readValue(body, Envelope.class);
      if (envelope.schemaVersion() != null
          && !Envelope.SCHEMA_VERSION.equals(envelope.schemaVersion())) {
        throw new MalformedEnvelopeException(
            "unsupported envelope schemaVersion " + envelope.schemaVersion());
      }
      return envelope;
    } catch (JsonProcessingException e) {
      throw new MalformedEnvelopeException(
          "message body is not a Sluice envelope: " + e.getOriginalMessage());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedEnvelopeException("message body is not a Sluice envelope: " + e);
    }
  }
}
