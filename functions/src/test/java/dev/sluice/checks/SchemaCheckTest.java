package dev.sluice.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaCheckTest {

  private static final Path INTEGRATION =
      Path.of("..", "integrations", "stripe-invoice-to-accounting");

  /** A value no schema or message would contain by chance. */
  private static final String SECRET = "leak-canary-5d81c2";

  private final SchemaCheck invoiceSchema =
      SchemaCheck.compile("invoice.schema.json", read("invoice.schema.json"));

  @Test
  void check_whenInvoiceIsComplete_findsNothing() {
    assertThat(invoiceSchema.check(validInvoice())).isEmpty();
  }

  @Test
  void check_whenDateIsNotADate_reportsPathAndFormatWithoutValue() {
    ObjectNode record = validInvoice();
    invoice(record).put("Date", SECRET);

    List<Violation> violations = invoiceSchema.check(record);

    assertThat(violations).containsExactly(new Violation("/Invoices/0/Date", "format date"));
    assertThat(SchemaCheck.reason(violations))
        .isEqualTo("schema violation: /Invoices/0/Date: format date")
        .doesNotContain(SECRET);
  }

  @Test
  void check_whenEmailIsMalformed_assertsTheFormat() {
    ObjectNode record = validInvoice();
    ((ObjectNode) invoice(record).path("Contact")).put("EmailAddress", SECRET);

    List<Violation> violations = invoiceSchema.check(record);

    assertThat(violations)
        .containsExactly(new Violation("/Invoices/0/Contact/EmailAddress", "format email"));
    assertThat(SchemaCheck.reason(violations)).doesNotContain(SECRET);
  }

  @Test
  void check_whenCurrencyIsLowerCase_reportsThePattern() {
    ObjectNode record = validInvoice();
    invoice(record).put("CurrencyCode", "usd");

    List<Violation> violations = invoiceSchema.check(record);

    assertThat(violations)
        .containsExactly(new Violation("/Invoices/0/CurrencyCode", "pattern ^[A-Z]{3}$"));
    assertThat(SchemaCheck.reason(violations)).doesNotContain("usd");
  }

  @Test
  void check_whenFieldIsMissing_pointsAtTheMissingField() {
    ObjectNode record = validInvoice();
    invoice(record).remove("DueDate");

    assertThat(invoiceSchema.check(record))
        .containsExactly(new Violation("/Invoices/0/DueDate", "required"));
  }

  @Test
  void check_whenSeveralRulesBreak_reportsEachWithoutValues() {
    ObjectNode record = validInvoice();
    ObjectNode line = (ObjectNode) invoice(record).path("LineItems").path(0);
    line.put("UnitAmount", SECRET);
    line.put("LineAmount", -12345.67);
    invoice(record).put("Status", SECRET);

    List<Violation> violations = invoiceSchema.check(record);
    String reason = SchemaCheck.reason(violations);

    assertThat(violations)
        .extracting(Violation::path)
        .containsExactly(
            "/Invoices/0/LineItems/0/LineAmount",
            "/Invoices/0/LineItems/0/UnitAmount",
            "/Invoices/0/Status");
    assertThat(violations).extracting(Violation::rule).contains("minimum 0", "type number", "enum");
    assertThat(reason).doesNotContain(SECRET).doesNotContain("12345");
  }

  @Test
  void compile_whenSchemaIsNotJson_throwsInvalidDefinition() {
    assertThatThrownBy(() -> SchemaCheck.compile("broken.schema.json", "{ not json"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("broken.schema.json");
  }

  private static ObjectNode invoice(ObjectNode record) {
    return (ObjectNode) record.path("Invoices").path(0);
  }

  private static ObjectNode validInvoice() {
    String json =
        """
        {"Invoices": [{
          "Type": "ACCREC",
          "Contact": {"Name": "Example Ltd", "EmailAddress": "billing@example.com",
                      "ContactNumber": "cus_123"},
          "Date": "2024-09-24", "DueDate": "2024-09-24",
          "InvoiceNumber": "54B03F60-0003", "Reference": "in_123",
          "CurrencyCode": "USD", "Status": "AUTHORISED", "LineAmountTypes": "NoTax",
          "LineItems": [{"Description": "Service", "Quantity": 1, "UnitAmount": 108.00,
                         "LineAmount": 108.00, "AccountCode": "200"}]
        }]}
        """;
    try {
      return (ObjectNode) Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(String fileName) {
    try {
      return Files.readString(INTEGRATION.resolve(fileName), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
