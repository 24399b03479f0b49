package dev.sluice.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class VerifyCommandTest {

  private static String secret;
  private static byte[] body;
  private static String signatureHeader;
  private static long timestamp;

  @TempDir Path dir;

  private Path secretFile;
  private Path bodyFile;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void loadStripeVector() throws IOException {
    String resource = "/fixtures/signatures/stripe-signature-dotnet-fixture.json";
    try (InputStream in = VerifyCommandTest.class.getResourceAsStream(resource)) {
      JsonNode vector = new ObjectMapper().readTree(in);
      secret = vector.get("secret").asText();
      body = Base64.getDecoder().decode(vector.get("payload_base64").asText());
      signatureHeader = vector.get("headers").get("Stripe-Signature").asText();
      timestamp = vector.get("timestamp").asLong();
    }
  }

  @BeforeEach
  void writeFiles() throws IOException {
    // As `echo secret > file` would write it: with a trailing newline.
    secretFile = Files.writeString(dir.resolve("secret"), secret + "\n");
    bodyFile = Files.write(dir.resolve("body.json"), body);
  }

  private int run(String... args) {
    CommandLine commandLine = new CommandLine(new VerifyCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private String[] stripeArgs(String... extra) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--scheme",
            "stripe",
            "--secret-file",
            secretFile.toString(),
            "--header",
            "Stripe-Signature=" + signatureHeader,
            "--body",
            bodyFile.toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void execute_withPublishedStripeVector_printsValidAndExitsZero() {
    int exitCode = run(stripeArgs("--at", Long.toString(timestamp + 100)));

    assertThat(exitCode).isZero();
    assertThat(out.toString()).isEqualTo("valid" + System.lineSeparator());
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void execute_whenTimestampStale_printsReasonAndExitsOne() {
    int exitCode = run(stripeArgs("--at", Long.toString(timestamp + 41 * 86400)));

    assertThat(exitCode).isEqualTo(1);
    assertThat(out.toString().strip())
        .isEqualTo("invalid: timestamp 1533204620 is 41 days in the past, tolerance 300 s");
  }

  @Test
  void execute_withWiderTolerance_acceptsOlderCapture() {
    int exitCode = run(stripeArgs("--at", Long.toString(timestamp + 400), "--tolerance", "500"));

    assertThat(exitCode).isZero();
  }

  @Test
  void execute_withoutAt_checksAgainstNowAndFindsTheVectorStale() {
    int exitCode = run(stripeArgs());

    assertThat(exitCode).isEqualTo(1);
    assertThat(out.toString()).contains("in the past");
  }

  @Test
  void execute_whenBodyChanged_printsReasonWithoutSecretOrSignature() throws IOException {
    Files.write(bodyFile, "{}".getBytes(StandardCharsets.UTF_8));

    int exitCode = run(stripeArgs("--at", Long.toString(timestamp)));

    assertThat(exitCode).isEqualTo(1);
    assertThat(out.toString().strip()).isEqualTo("invalid: no v1 signature matches");
    assertThat(out.toString() + err).doesNotContain(secret);
  }

  @Test
  void execute_withLowerCaseHeaderName_isValid() {
    int exitCode =
        run(
            "--scheme", "stripe",
            "--secret-file", secretFile.toString(),
            "--header", "stripe-signature=" + signatureHeader,
            "--body", bodyFile.toString(),
            "--at", Long.toString(timestamp));

    assertThat(exitCode).isZero();
  }

  @Test
  void execute_whenHeaderMissing_printsWhichAndExitsOne() {
    int exitCode =
        run(
            "--scheme", "stripe",
            "--secret-file", secretFile.toString(),
            "--body", bodyFile.toString(),
            "--at", Long.toString(timestamp));

    assertThat(exitCode).isEqualTo(1);
    assertThat(out.toString().strip()).isEqualTo("invalid: missing header Stripe-Signature");
  }

  @Test
  void execute_withUnknownScheme_exitsTwoListingValidSchemes() {
    String[] args = stripeArgs();
    args[1] = "paypal";

    int exitCode = run(args);

    assertThat(exitCode).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .contains("unknown signature scheme 'paypal'")
        .contains("stripe, github, shopify, slack, standard-webhooks");
  }

  @Test
  void execute_whenBodyFileMissing_exitsTwo() {
    Path missing = dir.resolve("no-such-body.json");
    String[] args = stripeArgs();
    args[7] = missing.toString();

    int exitCode = run(args);

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("--body file " + missing + " does not exist");
  }

  @Test
  void execute_whenHeaderOptionHasNoEquals_exitsTwo() {
    String[] args = stripeArgs();
    args[5] = "Stripe-Signature";

    int exitCode = run(args);

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("--header must be NAME=VALUE, got 'Stripe-Signature'");
  }

  @Test
  void execute_whenHeaderGivenTwice_exitsTwo() {
    int exitCode = run(stripeArgs("--header", "stripe-signature=t=1,v1=00"));

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("given more than once");
  }

  @Test
  void execute_whenSchemeOptionMissing_exitsTwo() {
    int exitCode = run("--secret-file", secretFile.toString(), "--body", bodyFile.toString());

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("--scheme");
  }

  @Test
  void execute_withNegativeTolerance_exitsTwo() {
    int exitCode = run(stripeArgs("--tolerance", "-1"));

    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("--tolerance must not be negative");
  }
}
