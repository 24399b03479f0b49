package dev.sluice.auth.credentials;

import dev.sluice.auth.secrets.SecretStore;
import java.util.Map;

/**
 * A static API key. The secret holds the key itself, or a JSON object {@code {"api_key": "..."}}.
 *
 * <p>Without {@code target.auth.header} the key is sent as {@code Authorization: Bearer <key>}, the
 * scheme most SaaS APIs with keys use (Stripe, HubSpot private apps, Slack). With a header name
 * ({@code X-API-Key}, say) the key is sent as that header's whole value, unchanged; a target that
 * wants another scheme in {@code Authorization} names that header and stores the full value ({@code
 * Token abc}) as the key.
 */
public final class ApiKeyCredentials implements TargetCredentials {

  static final String DEFAULT_HEADER = "Authorization";
  private static final String FIELDS = "\"api_key\"";

  private final String secretId;
  private final String header;
  private final SecretStore secrets;

  /**
   * @param secretId the secret holding the key
   * @param header the header to send the key in, or null for {@code Authorization: Bearer}
   */
  public ApiKeyCredentials(String secretId, String header, SecretStore secrets) {
    this.secretId = secretId;
    this.header = header == null || header.isBlank() ? null : header;
    this.secrets = secrets;
  }

  @Override
  public Map<String, String> headers() {
    String key = key(secrets.secretString(secretId));

    return header == null ? Map.of(DEFAULT_HEADER, "Bearer " + key) : Map.of(header, key);
  }

  @Override
  public void invalidate() {
    secrets.invalidate(secretId);
  }

  private String key(String value) {
    String trimmed = value.strip();
    if (trimmed.startsWith("{")) {
      return SecretJson.text(
          secretId, SecretJson.object(secretId, trimmed, FIELDS), "api_key", FIELDS);
    }
    if (trimmed.isEmpty()) {
      throw new CredentialsException("secret '" + secretId + "' is empty: store the API key", true);
    }
    return trimmed;
  }
}
