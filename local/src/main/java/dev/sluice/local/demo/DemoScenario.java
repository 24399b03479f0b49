package dev.sluice.local.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The inputs the demo sends and where each must end, read from {@code events/demo.yaml}.
 *
 * @param integration the integration the inputs are sent to
 * @param inputs the webhooks, good and deliberately bad
 * @param schedule for a scheduled integration: the times the schedule fires, in order
 * @param contacts for a scheduled integration: the source records and where each must end
 */
public record DemoScenario(
    String integration, List<Input> inputs, List<String> schedule, List<Contact> contacts) {

  public DemoScenario {
    inputs = inputs == null ? List.of() : inputs;
    schedule = schedule == null ? List.of() : schedule;
    contacts = contacts == null ? List.of() : contacts;
  }

  /** A scenario of webhook inputs. */
  public DemoScenario(String integration, List<Input> inputs) {
    this(integration, inputs, null, null);
  }

  /** Whether the scenario fires a schedule rather than sending webhooks. */
  public boolean isScheduled() {
    return !schedule.isEmpty();
  }

  /**
   * One record of the source's stand-in that a scheduled run pulls.
   *
   * @param name what the record shows, for the table
   * @param id the source's id of the record (HubSpot's contact id)
   * @param email the address its target member is keyed by; absent when it has none
   * @param expect where it must end
   */
  public record Contact(String name, String id, String email, Expectation expect) {

    public Outcome.Place expectedPlace() {
      return expect == null ? null : expect.place();
    }

    /** How many writes of its one target member must be seen: 1 unless said otherwise. */
    public int expectedWrites() {
      return expect == null || expect.writes() == null ? 1 : expect.writes();
    }
  }

  /** Reads a scenario file; input files are resolved against the scenario's folder. */
  public static DemoScenario read(Path file) {
    try {
      return new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), DemoScenario.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read demo scenario " + file, e);
    }
  }

  /**
   * One webhook to send.
   *
   * @param name what the input shows, for the table
   * @param file the body, relative to the scenario's folder; absent for a generated body
   * @param oversizeBytes when set, the body is padded to this many bytes
   * @param signature how it is signed: valid, wrong-secret, stale, future or none
   * @param path the integration to post to, when not the scenario's (an unknown one, say)
   * @param contentType the request's content type, application/json by default
   * @param headers extra request headers (a captured signature, say)
   * @param expect where the input must end; absent when only reporting (sluice invoke)
   */
  public record Input(
      String name,
      String file,
      Integer oversizeBytes,
      String signature,
      String path,
      String contentType,
      Map<String, String> headers,
      Expectation expect) {

    public Map<String, String> headersOrEmpty() {
      return headers == null ? Map.of() : headers;
    }

    /** Where the input must end, or null when the run only reports. */
    public Outcome.Place expectedPlace() {
      return expect == null ? null : expect.place();
    }

    public Signing signing() {
      return signature == null ? Signing.VALID : Signing.fromName(signature);
    }

    public String contentTypeOrDefault() {
      return contentType == null ? "application/json" : contentType;
    }

    /** The body bytes to send, exactly as stored in the file. */
    public byte[] body(Path scenarioFolder) {
      try {
        byte[] bytes =
            file == null ? new byte[0] : Files.readAllBytes(scenarioFolder.resolve(file));
        if (oversizeBytes == null) {
          return bytes;
        }
        return Oversize.pad(bytes, oversizeBytes);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read demo input " + file, e);
      }
    }
  }

  /**
   * Where an input must end.
   *
   * @param outcome delivered, rejected, quarantined or dead-lettered
   * @param status for rejected inputs, the HTTP status ingress must answer
   * @param writes for scheduled contacts, how many upserts of the one target member are expected
   */
  public record Expectation(String outcome, Integer status, Integer writes) {

    public Outcome.Place place() {
      return Outcome.Place.fromName(outcome);
    }
  }

  /** How the demo signs an input. */
  public enum Signing {
    VALID,
    WRONG_SECRET,
    STALE,
    FUTURE,
    NONE;

    static Signing fromName(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
  }

  /** Pads a JSON object body with a filler field to reach a size over the limit. */
  static final class Oversize {

    private Oversize() {}

    static byte[] pad(byte[] json, int size) {
      String text = new String(json, java.nio.charset.StandardCharsets.UTF_8).trim();
      String filler = "x".repeat(Math.max(0, size - text.length()));
      String padded = "{\"filler\":\"" + filler + "\"," + text.substring(1);
      return padded.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
