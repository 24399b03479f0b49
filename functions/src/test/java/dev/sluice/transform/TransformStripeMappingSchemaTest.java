package dev.sluice.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.checks.SchemaCheck;
import org.junit.jupiter.api.Test;

/** The integration's mapping and schema agree on the real Stripe event. */
class TransformStripeMappingSchemaTest {

  @Test
  void transform_whenRealStripeEvent_mapsToARecordTheSchemaAccepts() {
    JsonataMapping mapping =
        JsonataMapping.compile(
            Fixtures.STRIPE_INTEGRATION, Fixtures.integrationFile("mapping.jsonata"));
    SchemaCheck schema =
        SchemaCheck.compile("invoice.schema.json", Fixtures.integrationFile("invoice.schema.json"));

    var mapped = mapping.apply(Fixtures.json("stripe-invoice-paid-api-2020-03-02.json"));

    assertThat(schema.check(mapped)).isEmpty();
  }
}
