package dev.sluice.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.json.Json;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Target URLs with placeholders filled from the mapped record. */
class UrlTemplateTest {

  private static final String MEMBERS =
      "https://us21.api.mailchimp.com/3.0/lists/a36b032126/members/{subscriber_hash}";

  @Test
  void expand_fillsThePlaceholderAndLeavesTheFieldOutOfTheBody() throws Exception {
    JsonNode record =
        Json.mapper()
            .readTree(
                "{\"subscriber_hash\": \"672b3db472a6bbdd1fb4b2c8be536568\","
                    + " \"email_address\": \"test.person+sync@example.com\"}");
    UrlTemplate template = UrlTemplate.of(MEMBERS);

    assertThat(template.expand(record))
        .isEqualTo(
            URI.create(
                "https://us21.api.mailchimp.com/3.0/lists/a36b032126/members/"
                    + "672b3db472a6bbdd1fb4b2c8be536568"));
    assertThat(template.body(record).has("subscriber_hash")).isFalse();
    assertThat(template.body(record).get("email_address").asText())
        .isEqualTo("test.person+sync@example.com");
  }

  @Test
  void expand_encodesTheValueAsOnePathSegment() throws Exception {
    JsonNode record = Json.mapper().readTree("{\"id\": \"a b/c?d\"}");

    URI url = UrlTemplate.of("https://api.example.com/items/{id}").expand(record);

    assertThat(url.getRawPath()).isEqualTo("/items/a%20b%2Fc%3Fd");
  }

  @Test
  void expand_withoutTheField_namesThePlaceholderNotTheRecord() throws Exception {
    JsonNode record = Json.mapper().readTree("{\"email_address\": \"secret@example.com\"}");

    assertThatThrownBy(() -> UrlTemplate.of(MEMBERS).expand(record))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{subscriber_hash}")
        .hasMessageNotContaining("secret@example.com");
  }

  @Test
  void urlWithoutPlaceholders_isUsedAsItIs() throws Exception {
    JsonNode record = Json.mapper().readTree("{\"a\": 1}");
    UrlTemplate template = UrlTemplate.of("https://api.xero.com/api.xro/2.0/Invoices");

    assertThat(template.expand(record)).hasToString("https://api.xero.com/api.xro/2.0/Invoices");
    assertThat(template.body(record)).isSameAs(record);
  }
}
