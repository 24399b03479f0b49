package dev.sluice.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.envelope.Envelope;
import dev.sluice.envelope.MessageAttributes;
import dev.sluice.json.Json;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueSenderSizeTest {

  @Test
  void sizeInBytes_countsUtf8BytesNotCharacters() {
    String emoji = "\uD83D\uDE80".repeat(1000);

    int size = QueueSender.sizeInBytes(emoji, Map.of());

    assertThat(emoji.length()).isEqualTo(2000);
    assertThat(size).isEqualTo(4000);
  }

  @Test
  void sizeInBytes_includesAttributeNamesTypesAndValues() {
    Envelope envelope =
        new Envelope(
            Envelope.SCHEMA_VERSION,
            "integration",
            "message",
            "correlation",
            null,
            null,
            1,
            Instant.EPOCH,
            Json.mapper().createObjectNode());
    var attributes = QueueSender.attributes(envelope, Map.of(MessageAttributes.REASON, "é"));

    int size = QueueSender.sizeInBytes("", attributes);

    int expected = 0;
    for (var entry : attributes.entrySet()) {
      expected += entry.getKey().length() + "String".length();
      expected +=
          entry.getValue().stringValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
    assertThat(attributes).doesNotContainKeys(MessageAttributes.SOURCE_EVENT_ID);
    assertThat(size).isEqualTo(expected);
  }
}
