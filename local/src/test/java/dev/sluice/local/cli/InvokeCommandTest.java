package dev.sluice.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sluice invoke} runs one webhook through the local chain and reports it as JSON. */
class InvokeCommandTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void pointAtRepository() {
    System.setProperty(SluiceCommand.HOME_PROPERTY, ROOT.toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty(SluiceCommand.HOME_PROPERTY);
  }

  @Test
  void invoke_whenEventIsSignedLocally_printsDeliveredAndExits0() throws Exception {
    int exit = run("invoke", "stripe-invoice-to-accounting", "--event", event("invoice-paid"));

    JsonNode result = Json.mapper().readTree(out.toString());
    assertThat(exit).as(err.toString()).isZero();
    assertThat(result.get("outcome").asText()).isEqualTo("delivered");
    assertThat(result.get("integration").asText()).isEqualTo("stripe-invoice-to-accounting");
  }

  @Test
  void invoke_whenCapturedSignatureIsWrong_printsRejected401AndExits1() throws Exception {
    int exit =
        run(
            "invoke",
            "stripe-invoice-to-accounting",
            "--event",
            event("invoice-paid"),
            "--header",
            "Stripe-Signature=t=1727211273,v1=00ff");

    JsonNode result = Json.mapper().readTree(out.toString());
    assertThat(exit).isEqualTo(1);
    assertThat(result.get("outcome").asText()).isEqualTo("rejected");
    assertThat(result.get("detail").asText()).isEqualTo("HTTP 401");
  }

  @Test
  void invoke_whenIntegrationUnknown_isAUsageErrorListingTheKnownOnes() {
    int exit = run("invoke", "no-such-integration", "--event", event("invoice-paid"));

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("no integration 'no-such-integration'")
        .contains("stripe-invoice-to-accounting")
        .doesNotContain("Exception");
  }

  @Test
  void invoke_whenEventHasNoIdField_stillFindsWhereItEnded() throws Exception {
    // Without a top-level id, ingress names the event by a hash of its body.
    Path event = Files.createTempFile("github-shaped", ".json");
    Files.writeString(event, "{\"action\":\"opened\",\"issue\":{\"number\":1}}");

    int exit = run("invoke", "stripe-invoice-to-accounting", "--event", event.toString());

    JsonNode result = Json.mapper().readTree(out.toString());
    assertThat(exit).isEqualTo(1);
    assertThat(result.get("outcome").asText()).isEqualTo("quarantined");
    assertThat(result.get("correlationId").asText()).isNotBlank();
  }

  @Test
  void invoke_ofAScheduledIntegration_isAUsageErrorPointingAtBackfill() {
    int exit = run("invoke", "hubspot-contacts-to-mailchimp", "--event", event("invoice-paid"));

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("scheduled integration").contains("backfill");
  }

  @Test
  void invoke_whenEndpointUnreachable_saysSoWithoutAStackTraceAndExits3() {
    int exit =
        run(
            "invoke",
            "stripe-invoice-to-accounting",
            "--event",
            event("invoice-paid"),
            "--endpoint",
            "http://127.0.0.1:1");

    assertThat(exit).isEqualTo(3);
    assertThat(err.toString()).contains("http://127.0.0.1:1").doesNotContain("\tat ");
  }

  @Test
  void invoke_whenEventFileMissing_isAUsageError() {
    int exit = run("invoke", "stripe-invoice-to-accounting", "--event", "no-such-file.json");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("event file not found");
  }

  @Test
  void invoke_whenHeaderHasNoEquals_isAUsageError() {
    int exit =
        run(
            "invoke",
            "stripe-invoice-to-accounting",
            "--event",
            event("invoice-paid"),
            "--header",
            "Stripe-Signature");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("NAME=VALUE");
  }

  private int run(String... args) {
    CommandLine command = SluiceCommand.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  private static String event(String name) {
    return ROOT.resolve("events/stripe/" + name + ".json").toString();
  }
}
