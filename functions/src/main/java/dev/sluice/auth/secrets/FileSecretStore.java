package dev.sluice.auth.secrets;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.json.Json;
import dev.sluice.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Secrets from a local JSON file, for the embedded demo and local runs. The file maps secret ids to
 * values:
 *
 * <pre>{@code
 * {
 *   "sluice/demo/api-key": "key-123",
 *   "sluice/demo/oauth": {"client_id": "demo", "client_secret": "s3cret"}
 * }
 * }</pre>
 *
 * <p>A string is returned as is; any other value (an object, say) is returned as its JSON text, as
 * Secrets Manager returns a {@code SecretString}. The file is read once and again after {@link
 * #invalidate}, so a rotated value is picked up after the target rejects the old one.
 *
 * <p>{@link #putVersion} rewrites the file in one atomic move. The version tokens it has seen are
 * remembered per file for the life of the process (the local runner is one process), so stores on
 * the same file in one process share the conditional-write rule of Secrets Manager.
 */
public final class FileSecretStore implements WritableSecretStore {

  /** Version tokens written per file, and the token's value, shared by stores on one file. */
  private static final ConcurrentMap<Path, Map<String, String>> VERSIONS =
      new ConcurrentHashMap<>();

  private final Path file;
  private JsonNode secrets;

  /** A store over the given file; the file is read on first use. */
  public FileSecretStore(Path file) {
    this.file = file;
  }

  @Override
  public synchronized String secretString(String secretId) {
    if (secrets == null) {
      secrets = read();
    }

    JsonNode value = secrets.get(secretId);
    if (value == null || value.isNull()) {
      throw new SecretNotFoundException(
          "secret '" + secretId + "' not found in " + file + ": add \"" + secretId + "\" to it");
    }
    return value.isTextual() ? value.textValue() : value.toString();
  }

  @Override
  public synchronized void invalidate(String secretId) {
    // The whole file is one snapshot; reading it again keeps its entries consistent.
    secrets = null;
  }

  @Override
  public boolean putVersion(String secretId, String versionToken, String value) {
    Map<String, String> versions =
        VERSIONS.computeIfAbsent(file.toAbsolutePath().normalize(), path -> new HashMap<>());

    // One lock per file across the stores of this process: read, change and move as one step.
    synchronized (versions) {
      String written = versions.get(secretId + "\n" + versionToken);
      if (written != null) {
        invalidate(secretId);
        return written.equals(value);
      }

      ObjectNode root = (ObjectNode) read();
      root.set(secretId, asStored(value));
      write(root);
      versions.put(secretId + "\n" + versionToken, value);
      invalidate(secretId);
      return true;
    }
  }

  /** A JSON object value is kept as an object, so the file stays readable; else as text. */
  private static JsonNode asStored(String value) {
    try {
      JsonNode parsed = Json.mapper().readTree(value);
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
    } catch (JsonProcessingException e) {
      // Plain text.
    }
    return TextNode.valueOf(value);
  }

  private void write(JsonNode root) {
    try {
      Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".secrets", ".tmp");
      Files.writeString(
          temporary, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("secrets file " + file + " could not be written", e);
    }
  }

  private JsonNode read() {
    if (!Files.isRegularFile(file)) {
      throw new SecretNotFoundException(
          "secrets file "
              + file
              + " does not exist: create it as {\"<secret id>\": \"<value>\"} or unset "
              + Settings.SECRETS_FILE
              + " to read Secrets Manager");
    }

    try {
      JsonNode root = Json.mapper().readTree(file.toFile());
      if (root == null || !root.isObject()) {
        throw new SecretNotFoundException(
            "secrets file " + file + " must hold one JSON object of secret ids to values");
      }
      return root;
    } catch (JsonProcessingException e) {
      // Only the position: the parser's own message may quote the file's text, that is a secret.
      JsonLocation at = e.getLocation();
      throw new SecretNotFoundException(
          "secrets file "
              + file
              + " is not valid JSON (line "
              + (at == null ? "?" : at.getLineNr())
              + ", column "
              + (at == null ? "?" : at.getColumnNr())
              + ")");
    } catch (IOException e) {
      throw new SecretNotFoundException("secrets file " + file + " cannot be read", e);
    }
  }
}
