package dev.sluice.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.json.Json;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JsonataMappingTest {

  private static final JsonNode STRIPE_EVENT =
      Fixtures.json("stripe-invoice-paid-api-2020-03-02.json");

  private final JsonataMapping stripeMapping =
      JsonataMapping.compile(
          Fixtures.STRIPE_INTEGRATION, Fixtures.integrationFile("mapping.jsonata"));

  @Test
  void mapping_whenStripeInvoicePaid_givesXeroSalesInvoice() {
    JsonNode invoice = stripeMapping.apply(STRIPE_EVENT).path("Invoices").path(0);

    assertThat(invoice.path("Type").asText()).isEqualTo("ACCREC");
    assertThat(invoice.path("Status").asText()).isEqualTo("AUTHORISED");
    assertThat(invoice.path("CurrencyCode").asText()).isEqualTo("USD");
    assertThat(invoice.path("InvoiceNumber").asText()).isEqualTo("54B03F60-0003");
    assertThat(invoice.path("Reference").asText()).isEqualTo("in_1Q2fh8BrSjgsps2DUqQsGLDj");
    assertThat(invoice.path("LineAmountTypes").asText()).isEqualTo("NoTax");
    // effective_at 1727211052 and due_date 1727215199 are both 2024-09-24 in UTC.
    assertThat(invoice.path("Date").asText()).isEqualTo("2024-09-24");
    assertThat(invoice.path("DueDate").asText()).isEqualTo("2024-09-24");
  }

  @Test
  void mapping_whenStripeInvoicePaid_mapsContactFromCustomer() {
    JsonNode contact = stripeMapping.apply(STRIPE_EVENT).at("/Invoices/0/Contact");

    // customer_name is null in the fixture, so the e-mail address names the contact.
    assertThat(contact.path("Name").asText()).isEqualTo("customer.fake@example.com");
    assertThat(contact.path("EmailAddress").asText()).isEqualTo("customer.fake@example.com");
    assertThat(contact.path("ContactNumber").asText()).isEqualTo("cus_QsYn1aSStYv4tf");
  }

  @Test
  void mapping_whenStripeInvoicePaid_convertsCentsToDecimalAmounts() {
    JsonNode lines = stripeMapping.apply(STRIPE_EVENT).at("/Invoices/0/LineItems");

    assertThat(lines).hasSize(1);
    JsonNode line = lines.path(0);
    assertThat(line.path("Description").asText()).startsWith("Development service for solving");
    assertThat(line.path("Quantity").decimalValue()).isEqualByComparingTo("1");
    assertThat(line.path("UnitAmount").decimalValue())
        .isEqualByComparingTo(new BigDecimal("108.00"));
    assertThat(line.path("LineAmount").decimalValue())
        .isEqualByComparingTo(new BigDecimal("108.00"));
    assertThat(line.path("AccountCode").asText()).isEqualTo("200");
    assertThat(line.has("DiscountAmount")).isFalse();
  }

  @Test
  void mapping_whenCurrencyHasNoMinorUnit_keepsAmountAsIs() {
    ObjectNode event = STRIPE_EVENT.deepCopy();
    ObjectNode invoice = (ObjectNode) event.path("data").path("object");
    invoice.put("currency", "jpy");

    JsonNode line = stripeMapping.apply(event).at("/Invoices/0/LineItems/0");

    assertThat(line.path("LineAmount").decimalValue()).isEqualByComparingTo("10800");
  }

  @Test
  void mapping_whenLineIsDiscounted_givesDiscountAndNetLineAmount() {
    ObjectNode event = STRIPE_EVENT.deepCopy();
    ObjectNode line = (ObjectNode) event.at("/data/object/lines/data/0");
    line.putArray("discount_amounts").addObject().put("amount", 800).put("discount", "di_1");

    JsonNode mapped = stripeMapping.apply(event).at("/Invoices/0/LineItems/0");

    assertThat(mapped.path("DiscountAmount").decimalValue()).isEqualByComparingTo("8.00");
    assertThat(mapped.path("LineAmount").decimalValue()).isEqualByComparingTo("100.00");
  }

  @Test
  void mapping_whenEvaluatedTwice_givesTheSameResult() {
    JsonNode first = stripeMapping.apply(STRIPE_EVENT);

    JsonNode second = stripeMapping.apply(STRIPE_EVENT);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void mapping_whenRecursionNeverEnds_isStoppedWithMappingException() {
    JsonataMapping runaway =
        JsonataMapping.compile("runaway", "($f := function($x) { $f($x) + 1 }; $f(1))");

    assertThatThrownBy(() -> runaway.apply(Json.mapper().createObjectNode()))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("runaway");
  }

  @Test
  void mapping_whenLoopRunsTooLong_isStoppedByTheTimeLimit() {
    JsonataMapping slow =
        JsonataMapping.compile("slow", "$count([1..5000000].($ * 2))", Duration.ofMillis(50), 1000);

    assertThatThrownBy(() -> slow.apply(Json.mapper().createObjectNode()))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("timeout");
  }

  @Test
  void mapping_whenEvaluationFails_namesIntegrationAndErrorButNoValue() {
    JsonataMapping strict = JsonataMapping.compile("strict", "secret + 1");
    ObjectNode source = Json.mapper().createObjectNode().put("secret", "not-a-number-7f3a91");

    assertThatThrownBy(() -> strict.apply(source))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("strict")
        .hasMessageContaining("T2001")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("7f3a91"));
  }

  @Test
  void mapping_whenLibraryFailsUnexpectedly_reportsOnlyTheErrorType() {
    JsonataMapping strict = JsonataMapping.compile("strict", "$number(secret)");
    ObjectNode source = Json.mapper().createObjectNode().put("secret", "not-a-number-7f3a91");

    assertThatThrownBy(() -> strict.apply(source))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("strict")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("7f3a91"));
  }

  @Test
  void mapping_whenExpressionGivesNothing_throwsMappingException() {
    JsonataMapping empty = JsonataMapping.compile("empty", "missing.field");

    assertThatThrownBy(() -> empty.apply(Json.mapper().createObjectNode()))
        .isInstanceOf(MappingException.class)
        .hasMessageContaining("no result");
  }

  @Test
  void compile_whenExpressionDoesNotParse_throwsInvalidDefinition() {
    assertThatThrownBy(() -> JsonataMapping.compile("broken", "{ \"a\": "))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("broken");
  }
}
