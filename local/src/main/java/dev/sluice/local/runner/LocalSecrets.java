package dev.sluice.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The local, git-ignored secrets file that stands in for Secrets Manager on a laptop. Entries an
 * integration needs and the file lacks are generated; entries already there (a real sandbox secret
 * someone put in) are kept.
 */
public final class LocalSecrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalSecrets() {}

  /**
   * Adds the secrets {@code definition} names to {@code file} when missing.
   *
   * @return the webhook signing secret now in the file
   */
  public static String ensure(Path file, IntegrationDefinition definition) {
    try {
      ObjectNode secrets =
          Files.isRegularFile(file)
              ? (ObjectNode) Json.mapper().readTree(file.toFile())
              : Json.mapper().createObjectNode();

      String webhookSecretId = definition.trigger().secret();
      if (webhookSecretId != null && !secrets.has(webhookSecretId)) {
        secrets.put(webhookSecretId, webhookSecret(definition.trigger().scheme()));
      }

      IntegrationDefinition.TargetAuth auth =
          definition.target() == null ? null : definition.target().auth();
      if (auth != null && auth.secret() != null && !secrets.has(auth.secret())) {
        secrets.set(auth.secret(), targetSecret(auth.type()));
      }
      IntegrationDefinition.TargetAuth sourceAuth =
          definition.source() == null ? null : definition.source().auth();
      if (sourceAuth != null && sourceAuth.secret() != null && !secrets.has(sourceAuth.secret())) {
        secrets.set(sourceAuth.secret(), targetSecret(sourceAuth.type()));
      }

      write(file, secrets);
      return secrets.path(webhookSecretId).asText();
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException(
          "local secrets file " + file + " is not a JSON object of secret id to value", e);
    }
  }

  private static String webhookSecret(String scheme) {
    byte[] key = new byte[24];
    RANDOM.nextBytes(key);
    String random = Base64.getEncoder().encodeToString(key);
    // Stripe and Standard Webhooks secrets carry a whsec_ prefix; the others are plain strings.
    return "stripe".equals(scheme) || "standard-webhooks".equals(scheme)
        ? "whsec_" + random
        : random;
  }

  private static ObjectNode targetSecret(String type) {
    ObjectNode value = Json.mapper().createObjectNode();
    switch (type == null ? "" : type.toLowerCase(Locale.ROOT)) {
      case "basic" -> value.put("username", "sluice-local").put("password", randomToken());
      case "api-key" -> value.put("api_key", randomToken());
      // What an operator stores after authorizing the app once; the token keeper adds the rest.
      case "oauth2-refresh-token" ->
          value
              .put("client_id", "sluice-local")
              .put("client_secret", randomToken())
              .put("token_endpoint_auth_method", "client_secret_post")
              .put("refresh_token", randomToken());
      default -> value.put("client_id", "sluice-local").put("client_secret", randomToken());
    }
    return value;
  }

  private static String randomToken() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void write(Path file, ObjectNode secrets) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(secrets));
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the file stays with the default permissions.
    }
  }
}
