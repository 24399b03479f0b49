package dev.sluice.local.cli;

import dev.sluice.auth.webhook.SignatureScheme;
import dev.sluice.auth.webhook.Verdict;
import dev.sluice.auth.webhook.WebhookRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice verify}: checks a captured webhook's signature with the same verifier the ingress
 * function uses, to tell a wrong secret from a stale capture or a body changed on the way.
 *
 * <p>Prints {@code valid} or {@code invalid: <reason>} and exits 0 when valid, 1 when invalid and 2
 * on a usage error. Neither the secret nor the expected signature is ever printed.
 */
@Command(
    name = "verify",
    description = {
      "Checks a captured webhook's signature, as the ingress function would.",
      "Exit status: 0 valid, 1 invalid (the reason is printed), 2 usage error."
    })
public final class VerifyCommand implements Callable<Integer> {

  private static final int VALID = 0;
  private static final int INVALID = 1;

  @Spec private CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  private boolean help;

  @Option(
      names = "--scheme",
      required = true,
      paramLabel = "S",
      description = "Signature scheme: stripe, github, shopify, slack or standard-webhooks.")
  private String scheme;

  @Option(
      names = "--secret-file",
      required = true,
      paramLabel = "F",
      description = "File holding the signing secret; a trailing newline is ignored.")
  private Path secretFile;

  @Option(
      names = "--header",
      paramLabel = "NAME=VALUE",
      description = "A request header as received; repeat for each header.")
  private List<String> headers = new ArrayList<>();

  @Option(
      names = "--body",
      required = true,
      paramLabel = "FILE",
      description = "File holding the raw request body, byte for byte.")
  private Path body;

  @Option(
      names = "--at",
      paramLabel = "T",
      description = "Check timestamps as of this time, in epoch seconds (default: now).")
  private Long at;

  @Option(
      names = "--tolerance",
      paramLabel = "SECONDS",
      defaultValue = "300",
      description = "How far a signed timestamp may be from the check time (default: 300).")
  private long tolerance;

  /** Epoch seconds beyond the year 5000 are almost surely milliseconds. */
  private static final long MILLISECONDS_THRESHOLD = 100_000_000_000L;

  @Override
  public Integer call() {
    SignatureScheme signatureScheme = signatureScheme();
    Map<String, String> headerMap = headerMap();
    if (tolerance < 0) {
      throw usageError("--tolerance must not be negative, got " + tolerance);
    }

    if (at != null && at < 0) {
      throw usageError("--at must be epoch seconds >= 0, got " + at);
    }
    if (at != null && at > MILLISECONDS_THRESHOLD) {
      throw usageError("--at " + at + " looks like milliseconds; give epoch seconds");
    }

    String secret = secret();
    if (secret.isEmpty()) {
      throw usageError("--secret-file " + secretFile + " is empty");
    }
    byte[] bodyBytes = read(body, "--body");
    Instant now = at == null ? Instant.now() : Instant.ofEpochSecond(at);

    Verdict verdict =
        signatureScheme
            .verifier()
            .verify(new WebhookRequest(headerMap, bodyBytes), secret, now, tolerance);

    PrintWriter out = spec.commandLine().getOut();
    out.println(verdict.valid() ? "valid" : "invalid: " + verdict.reason());
    out.flush();
    return verdict.valid() ? VALID : INVALID;
  }

  private SignatureScheme signatureScheme() {
    try {
      return SignatureScheme.fromName(scheme);
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
  }

  private Map<String, String> headerMap() {
    // Caseless like WebhookRequest, so that the same header given twice is caught whatever its
    // case.
    Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String header : headers) {
      int equals = header.indexOf('=');
      if (equals <= 0) {
        throw usageError("--header must be NAME=VALUE, got '" + header + "'");
      }

      String name = header.substring(0, equals).strip();
      if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
        throw usageError("--header name must not be empty or contain spaces, got '" + name + "'");
      }
      if (map.containsKey(name)) {
        throw usageError("--header " + name + " given more than once");
      }
      map.put(name, header.substring(equals + 1));
    }
    return map;
  }

  /** The secret as stored, without the newline an editor or {@code echo} adds at the end. */
  private String secret() {
    String text = new String(read(secretFile, "--secret-file"), StandardCharsets.UTF_8);

    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }

  private byte[] read(Path file, String option) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw usageError(option + " file " + file + " does not exist");
    } catch (IOException e) {
      // Only the file name and the kind of failure: nothing read from the file reaches a message.
      throw usageError(
          "cannot read " + option + " file " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
