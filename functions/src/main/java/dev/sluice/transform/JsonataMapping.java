package dev.sluice.transform;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.definition.InvalidDefinitionException;
import dev.sluice.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An integration's JSONata mapping, compiled once and evaluated per record against Jackson trees.
 *
 * <p>jsonata-java evaluates without limits unless told otherwise, and an evaluation frame carries
 * its bindings and its runaway clock, so every evaluation gets a fresh frame with time and depth
 * bounds (see <a href="https://github.com/dashjoin/jsonata-java">jsonata-java</a>, {@code
 * Frame.setRuntimeBounds}). Results are turned into JSON with Jackson rather than {@code $string},
 * which does not escape object keys.
 *
 * <p>Beyond JSONata's own functions, mappings have {@code $md5(text)}: the lower-case hex MD5 of
 * the text's UTF-8 bytes, which some APIs address records by (Mailchimp's subscriber hash is the
 * MD5 of the lower-cased email address, "Manage subscribers", Mailchimp Marketing API). It is not
 * used for anything that needs security.
 */
public final class JsonataMapping {

  /** Longest a single evaluation may run; a mapping of one event takes well under a millisecond. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);

  /** Deepest evaluation nesting; real mappings stay far below, runaway recursion goes past it. */
  public static final int DEFAULT_MAX_DEPTH = 200;

  /** JSONata's own error codes (T2001, D3030, ...); their documented texts may embed values. */
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Z]\\d{4}");

  private final String integration;
  private final Jsonata expression;
  private final long timeoutMillis;
  private final int maxDepth;

  private JsonataMapping(String integration, Jsonata expression, long timeoutMillis, int maxDepth) {
    this.integration = integration;
    this.expression = expression;
    this.timeoutMillis = timeoutMillis;
    this.maxDepth = maxDepth;
  }

  /**
   * Compiles a mapping with the default bounds.
   *
   * @throws InvalidDefinitionException when the expression does not parse
   */
  public static JsonataMapping compile(String integration, String expression) {
    return compile(integration, expression, DEFAULT_TIMEOUT, DEFAULT_MAX_DEPTH);
  }

  /**
   * Compiles a mapping with explicit evaluation bounds.
   *
   * @throws InvalidDefinitionException when the expression does not parse
   */
  public static JsonataMapping compile(
      String integration, String expression, Duration timeout, int maxDepth) {
    Objects.requireNonNull(integration, "integration");
    Objects.requireNonNull(expression, "expression");

    try {
      Jsonata compiled = Jsonata.jsonata(expression);
      compiled.registerFunction("md5", (String text) -> text == null ? null : md5(text));
      return new JsonataMapping(integration, compiled, timeout.toMillis(), maxDepth);
    } catch (JException e) {
      throw new InvalidDefinitionException(
          integration + ": the mapping does not compile: " + e.getMessage());
    }
  }

  /**
   * Maps one source event to a target record.
   *
   * @throws MappingException when evaluation fails, runs away or yields nothing
   */
  public JsonNode apply(JsonNode source) {
    Object input = Json.mapper().convertValue(source, Object.class);

    Object result;
    try {
      Jsonata.Frame frame = expression.createFrame();
      frame.setRuntimeBounds(timeoutMillis, maxDepth);
      result = expression.evaluate(input, frame);
    } catch (JException e) {
      throw new MappingException(failure(describe(e)));
    } catch (RuntimeException | StackOverflowError e) {
      // Library defects surface as plain runtime errors; their messages may quote data.
      throw new MappingException(failure(e.getClass().getSimpleName()));
    }

    if (result == null) {
      throw new MappingException(failure("the expression produced no result"));
    }
    try {
      return Json.mapper().valueToTree(result);
    } catch (IllegalArgumentException e) {
      throw new MappingException(failure("the result is not JSON (a function, say)"));
    }
  }

  private static String md5(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }

  /** The integration this mapping belongs to. */
  public String integration() {
    return integration;
  }

  private String failure(String detail) {
    return "mapping of integration " + integration + " failed: " + detail;
  }

  /**
   * The JSONata error without the values it may quote: a known code is reported with its position
   * (texts at https://docs.jsonata.org/errors), while the runaway guards' texts carry no data.
   */
  private static String describe(JException e) {
    String error = e.getError();
    if (error != null && ERROR_CODE.matcher(error).matches()) {
      String position = e.getLocation() >= 0 ? " at position " + e.getLocation() : "";
      return "JSONata error " + error + position;
    }
    return error == null ? "JSONata error" : error;
  }
}
