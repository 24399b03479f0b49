package dev.sluice.auth.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.secrets.SecretStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * HTTP Basic authentication (RFC 7617) from a secret {@code {"username": "...", "password":
 * "..."}}, encoded as UTF-8.
 */
public final class BasicCredentials implements TargetCredentials {

  private static final String FIELDS = "\"username\" and \"password\"";

  private final String secretId;
  private final SecretStore secrets;

  public BasicCredentials(String secretId, SecretStore secrets) {
    this.secretId = secretId;
    this.secrets = secrets;
  }

  @Override
  public Map<String, String> headers() {
    JsonNode secret = SecretJson.object(secretId, secrets.secretString(secretId), FIELDS);
    String username = SecretJson.text(secretId, secret, "username", FIELDS);
    String password = SecretJson.text(secretId, secret, "password", FIELDS);

    return Map.of("Authorization", basic(username, password));
  }

  @Override
  public void invalidate() {
    secrets.invalidate(secretId);
  }

  static String basic(String user, String password) {
    byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }
}
