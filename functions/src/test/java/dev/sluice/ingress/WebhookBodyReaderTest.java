package dev.sluice.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.events.HttpRequestEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookBodyReaderTest {

  private final WebhookBodyReader reader = new WebhookBodyReader();

  @Test
  void rawBody_whenBase64Encoded_givesTheExactSignedBytes() {
    byte[] signed = "payload=%7B%22a%22%3A%22%E2%80%A6%22%7D&x=1".getBytes(StandardCharsets.UTF_8);

    byte[] raw = reader.rawBody(event(Base64.getEncoder().encodeToString(signed), true)).get();

    assertThat(raw).isEqualTo(signed);
  }

  @Test
  void rawBody_whenPlainText_givesItsUtf8Bytes() {
    byte[] raw = reader.rawBody(event("{\"t\":\"Café ☕\"}", false)).get();

    assertThat(raw).isEqualTo("{\"t\":\"Café ☕\"}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void rawBody_whenBase64IsBroken_isEmpty() {
    assertThat(reader.rawBody(event("***", true))).isEmpty();
  }

  @Test
  void parse_whenFormBody_givesFieldsWithPayloadAsJson() {
    byte[] form = "payload=%7B%22type%22%3A%22block_actions%22%7D&token=abc".getBytes();

    JsonNode json =
        reader
            .parse(form, Map.of("Content-Type", "application/x-www-form-urlencoded"))
            .orElseThrow();

    assertThat(json.at("/payload/type").asText()).isEqualTo("block_actions");
    assertThat(json.get("token").asText()).isEqualTo("abc");
  }

  @Test
  void parse_whenFormPayloadIsNotJson_isEmpty() {
    byte[] form = "payload=%7Bbroken".getBytes();

    assertThat(reader.parse(form, Map.of("content-type", "application/x-www-form-urlencoded")))
        .isEmpty();
  }

  @Test
  void parse_whenJsonHasTrailingGarbage_isEmpty() {
    byte[] body = "{\"a\":1} trailing".getBytes();

    assertThat(reader.parse(body, Map.of())).isEmpty();
  }

  private static HttpRequestEvent event(String body, boolean base64) {
    return new HttpRequestEvent(
        "2.0", null, "/webhooks/x", "", Map.of(), Map.of(), null, body, base64);
  }
}
