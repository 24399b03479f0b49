package dev.sluice.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.checks.SchemaCheck;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** hubspot-contacts-to-mailchimp: HubSpot search results become Mailchimp member upserts. */
class TransformHubSpotMailchimpMappingTest {

  private static final String INTEGRATION = "hubspot-contacts-to-mailchimp";

  private final JsonataMapping mapping =
      JsonataMapping.compile(INTEGRATION, file("mapping.jsonata"));
  private final SchemaCheck schema =
      SchemaCheck.compile("member.schema.json", file("member.schema.json"));

  @Test
  void transform_whenHubSpotGuideContacts_mapsToMembersTheSchemaAccepts() {
    JsonNode results =
        Fixtures.json("hubspot-crm-v3-contacts-search-guide-example.json").at("/response/results");

    for (JsonNode contact : results) {
      JsonNode member = mapping.apply(contact);

      assertThat(schema.check(member)).isEmpty();
      assertThat(member.get("email_address").asText())
          .isEqualTo(contact.at("/properties/email").asText());
      assertThat(member.at("/merge_fields/FNAME").asText())
          .isEqualTo(contact.at("/properties/firstname").asText());
      assertThat(member.get("status_if_new").asText()).isEqualTo("subscribed");
    }
  }

  @Test
  void subscriberHash_isTheMd5OfTheLowerCasedEmail_asInMailchimpsRecordedExchange() {
    // The recorded upsert addresses test.person+sync@example.com as 672b3db4...8536568.
    JsonNode contact =
        Json.mapper()
            .createObjectNode()
            .put("id", "1")
            .set(
                "properties",
                Json.mapper()
                    .createObjectNode()
                    .put("email", " Test.Person+Sync@Example.com ")
                    .put("firstname", "Test"));

    JsonNode member = mapping.apply(contact);

    assertThat(member.get("subscriber_hash").asText())
        .isEqualTo("672b3db472a6bbdd1fb4b2c8be536568");
    assertThat(member.get("email_address").asText()).isEqualTo("Test.Person+Sync@Example.com");
    assertThat(member.at("/merge_fields/LNAME").asText()).isEmpty();
  }

  @Test
  void contactWithNullEmail_failsTheTargetChecksNamingTheField() {
    JsonNode contact =
        Json.mapper()
            .createObjectNode()
            .put("id", "3")
            .set("properties", Json.mapper().createObjectNode().putNull("email"));

    JsonNode member = mapping.apply(contact);

    assertThat(schema.check(member).toString()).contains("email_address");
  }

  @Test
  void contactWithoutEmail_failsTheTargetChecks() {
    JsonNode contact =
        Json.mapper()
            .createObjectNode()
            .put("id", "2")
            .set("properties", Json.mapper().createObjectNode().put("firstname", "No"));

    JsonNode member = mapping.apply(contact);

    assertThat(schema.check(member)).isNotEmpty();
  }

  @Test
  void definition_loadsAsAScheduledIntegration() {
    IntegrationDefinition definition =
        DefinitionCatalog.folder(Fixtures.INTEGRATIONS).load(INTEGRATION);

    assertThat(definition.isScheduled()).isTrue();
    assertThat(definition.trigger().window(INTEGRATION)).isEqualTo(Duration.ofMinutes(15));
    assertThat(definition.trigger().overlapOrDefault()).isEqualTo(Duration.ofMinutes(5));
    assertThat(definition.source().type()).isEqualTo("hubspot-crm-search");
    assertThat(definition.source().auth().type()).isEqualTo("oauth2-refresh-token");
    assertThat(definition.target().methodOrDefault()).isEqualTo("PUT");
    assertThat(definition.target().url()).endsWith("/members/{subscriber_hash}");
  }

  private static String file(String name) {
    try {
      return Files.readString(
          Fixtures.INTEGRATIONS.resolve(INTEGRATION).resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
