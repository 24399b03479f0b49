package dev.sluice.auth.secrets;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.json.Json;
import dev.sluice.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
 */
public final class FileSecretStore implements SecretStore {

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
