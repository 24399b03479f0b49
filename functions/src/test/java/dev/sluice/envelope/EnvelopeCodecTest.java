package dev.sluice.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

  @Test
  void roundTrip_keepsBigIntegersAndDecimalsExact() throws Exception {
    JsonNode payload =
        Json.mapper()
            .readTree(
                "{\"id\":820982911946154508,\"big\":12345678901234567890123,"
                    + "\"amount\":0.1000000000000000055511151231257827}");
    Envelope envelope =
        new Envelope(Envelope.SCHEMA_VERSION, "i", "m", "c", "evt", "k", 1, Instant.EPOCH, payload);

    Envelope read = EnvelopeCodec.read(EnvelopeCodec.write(envelope));

    assertThat(read.payload().get("id").bigIntegerValue().toString())
        .isEqualTo("820982911946154508");
    assertThat(read.payload().get("big").bigIntegerValue().toString())
        .isEqualTo("12345678901234567890123");
    assertThat(read.payload().get("amount").decimalValue().toPlainString())
        .isEqualTo("0.1000000000000000055511151231257827");
    assertThat(read).isEqualTo(envelope);
  }

  @Test
  void read_whenNotAnEnvelope_failsWithoutEchoingTheBody() {
    assertThatThrownBy(() -> EnvelopeCodec.read("{\"card\":\"4242424242424242\"}"))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageNotContaining("4242424242424242");
  }

  @Test
  void read_whenRequiredFieldMissing_namesIt() {
    assertThatThrownBy(() -> EnvelopeCodec.read("{\"integration\":\"i\",\"payload\":{}}"))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("messageId");
  }

  @Test
  void read_whenBodyIsText_doesNotQuoteIt() {
    assertThatThrownBy(() -> EnvelopeCodec.read("secret-looking-text"))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("not JSON")
        .hasMessageNotContaining("secret-looking-text");
  }

  @Test
  void write_putsTriggerTimeAsIsoText() {
    Envelope envelope =
        new Envelope(
            Envelope.SCHEMA_VERSION,
            "i",
            "m",
            "c",
            null,
            null,
            1,
            Instant.parse("2026-12-03T10:00:00Z"),
            Json.mapper().createObjectNode());

    assertThat(EnvelopeCodec.write(envelope)).contains("\"triggerTime\":\"2026-12-03T10:00:00Z\"");
  }

  @Test
  void read_whenUnknownSchemaVersion_refuses() {
    String body =
        "{\"schemaVersion\":\"99\",\"integration\":\"i\",\"messageId\":\"m\","
            + "\"correlationId\":\"c\",\"payload\":{}}";

    assertThatThrownBy(() -> EnvelopeCodec.read(body))
        .isInstanceOf(MalformedEnvelopeException.class)
        .hasMessageContaining("schemaVersion 99");
  }

  @Test
  void idempotencyKey_isStablePerIntegrationAndEvent() {
    assertThat(IdempotencyKeys.of("a", "evt_1")).isEqualTo(IdempotencyKeys.of("a", "evt_1"));
    assertThat(IdempotencyKeys.of("a", "evt_1")).isNotEqualTo(IdempotencyKeys.of("b", "evt_1"));
    assertThat(IdempotencyKeys.of("a", "evt_1")).hasSize(64);
  }
}
