package dev.sluice.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.sluice.json.Json;

/** Reads and writes {@link Envelope}s as the JSON bodies of queue messages. */
public final class EnvelopeCodec {

  private EnvelopeCodec() {}

  private static String fieldPath(JsonMappingException e) {
    if (e.getCause() instanceof NullPointerException missing && missing.getMessage() != null) {
      // The record's constructor names the required field that was absent.
      return missing.getMessage();
    }
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .reduce((a, b) -> a + "." + b)
        .orElse("(root)");
  }

  private static String position(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

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
    } catch (JsonMappingException e) {
      // Jackson's own message can quote the body; the field path and position cannot.
      throw new MalformedEnvelopeException(
          "message body is not a Sluice envelope: bad or missing field '"
              + fieldPath(e)
              + "'"
              + position(e));
    } catch (JsonProcessingException e) {
      throw new MalformedEnvelopeException(
          "message body is not a Sluice envelope: not JSON" + position(e));
    }
  }
}
