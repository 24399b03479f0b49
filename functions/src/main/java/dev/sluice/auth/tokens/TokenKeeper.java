package dev.sluice.auth.tokens;

import static dev.sluice.auth.credentials.OAuthRefreshTokenCredentials.ACCESS_TOKEN;
import static dev.sluice.auth.credentials.OAuthRefreshTokenCredentials.EXPIRES_AT;
import static dev.sluice.auth.credentials.OAuthRefreshTokenCredentials.RECEIVED_AT;
import static dev.sluice.auth.credentials.OAuthRefreshTokenCredentials.REFRESH_FAILED;
import static dev.sluice.auth.credentials.OAuthRefreshTokenCredentials.REFRESH_TOKEN;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.auth.credentials.ClientAuthentication;
import dev.sluice.auth.credentials.CredentialsException;
import dev.sluice.auth.credentials.TokenEndpoint;
import dev.sluice.auth.secrets.WritableSecretStore;
import dev.sluice.envelope.IdempotencyKeys;
import dev.sluice.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of a refresh-token credential: refreshes the access token well before it
 * expires and writes access token, rotated refresh token and times to the secret as a new version.
 * Workers only read it ({@code OAuthRefreshTokenCredentials}).
 *
 * <p>A token is due for refresh once half of its lifetime has passed, counted from when the token
 * response was received, so a keeper scheduled every few minutes and workers caching the secret for
 * minutes still always hold a valid token. A token without a known lifetime is refreshed on every
 * run.
 *
 * <p>Two keepers never both win: calls on one keeper are serialised, and the new version is written
 * under a version token derived from the secret value the refresh started from, so a second writer
 * that started from the same value cannot overwrite the first (see {@link
 * WritableSecretStore#putVersion}). When the server refuses a refresh token, the keeper reads the
 * secret again: if another writer already rotated it, that is no failure. Otherwise the refusal is
 * recorded in the secret ({@value
 * dev.sluice.auth.credentials.OAuthRefreshTokenCredentials#REFRESH_FAILED}), and later runs report
 * it without calling the server again until someone stores a newly authorized refresh token.
 */
public final class TokenKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(TokenKeeper.class);
  private static final String FIELDS = "\"client_id\" and \"refresh_token\"";

  private final TokenEndpoint endpoint;
  private final String scope;
  private final String secretId;
  private final WritableSecretStore secrets;
  private final Clock clock;

  /**
   * @param endpoint the provider's token endpoint
   * @param scope scopes to ask for at refresh, or null to keep those granted
   * @param secretId the secret the credential lives in
   * @param secrets the store to read and write it, without a cache in front of writes
   */
  public TokenKeeper(
      TokenEndpoint endpoint,
      String scope,
      String secretId,
      WritableSecretStore secrets,
      Clock clock) {
    this.endpoint = endpoint;
    this.scope = scope == null || scope.isBlank() ? null : scope;
    this.secretId = secretId;
    this.secrets = secrets;
    this.clock = clock;
  }

  /** What one run did. */
  public enum Result {
    /** The access token still had more than half of its lifetime: nothing to do. */
    FRESH,
    /** New tokens were written to the secret. */
    REFRESHED,
    /** Another writer changed the secret meanwhile; its tokens stand. */
    SUPERSEDED,
    /** The server refused the refresh token or the client: an operator must act. */
    REFUSED
  }

  /**
   * Refreshes the access token when it is due.
   *
   * @throws CredentialsException (not a rejection) when the token endpoint could not be reached or
   *     answered 5xx: the next run tries again, well before the token expires
   */
  public synchronized Result refreshIfDue() {
    // Always the current version: a cached value could hold a refresh token rotated away.
    secrets.invalidate(secretId);
    String current = secrets.secretString(secretId);
    ObjectNode secret = parse(current);

    if (secret.hasNonNull(REFRESH_FAILED)) {
      LOG.error(
          "secret '{}': the refresh token was refused earlier ({}); authorize the app again and"
              + " store the new refresh_token in the secret",
          secretId,
          secret.get(REFRESH_FAILED).asText());
      return Result.REFUSED;
    }
    Optional<Instant> dueAt = dueAt(secret);
    if (dueAt.isPresent() && clock.instant().isBefore(dueAt.get())) {
      return Result.FRESH;
    }

    return refresh(current, secret);
  }

  private Result refresh(String current, ObjectNode secret) {
    String refreshToken = text(secret, REFRESH_TOKEN);
    ClientAuthentication client = ClientAuthentication.fromSecret(secretId, secret);
    Map<String, String> grant = new LinkedHashMap<>();
    grant.put("grant_type", "refresh_token");
    grant.put("refresh_token", refreshToken);
    if (scope != null) {
      grant.put("scope", scope);
    }
    String versionToken = versionToken(current);

    TokenEndpoint.Answer answer = endpoint.post(grant, client);

    if (answer.ok()) {
      return store(secret, answer, versionToken);
    }
    if (answer.status() >= 500 || answer.status() == 429) {
      throw new CredentialsException(
          endpoint.where() + " answered " + answer.status() + "; the next run tries again", false);
    }
    return refused(current, answer, versionToken);
  }

  private Result store(ObjectNode secret, TokenEndpoint.Answer answer, String versionToken) {
    String accessToken =
        answer
            .text(ACCESS_TOKEN)
            .orElseThrow(
                () ->
                    new CredentialsException(
                        endpoint.where() + " answered without an access_token", true));

    ObjectNode next = secret.deepCopy();
    next.put(ACCESS_TOKEN, accessToken);
    // RFC 6749 section 6: a new refresh token replaces the old one; without one, the old stays.
    answer.text(REFRESH_TOKEN).ifPresent(rotated -> next.put(REFRESH_TOKEN, rotated));
    next.put(RECEIVED_AT, answer.receivedAt().toString());
    next.remove(EXPIRES_AT);
    answer
        .expiresIn()
        .ifPresent(lifetime -> next.put(EXPIRES_AT, answer.receivedAt().plus(lifetime).toString()));

    if (!secrets.putVersion(secretId, versionToken, write(next))) {
      if (!markedRefusedMeanwhile(secret)) {
        LOG.info("secret '{}' was rotated by another writer first; its tokens stand", secretId);
        return Result.SUPERSEDED;
      }
      // A second keeper got invalid_grant for the token this one just rotated, and marked it
      // refused first. These tokens are the live ones: write them over the mark.
      String marked = secrets.secretString(secretId);
      if (!secrets.putVersion(secretId, versionToken(marked), write(next))) {
        return Result.SUPERSEDED;
      }
      LOG.info("secret '{}': replaced a refusal recorded by a concurrent run", secretId);
    }
    LOG.info(
        "refreshed the access token in secret '{}'{}",
        secretId,
        answer.text(REFRESH_TOKEN).isPresent() ? " and stored the rotated refresh token" : "");
    return Result.REFRESHED;
  }

  private Result refused(String started, TokenEndpoint.Answer answer, String versionToken) {
    // A rotated-away token is refused too: if another writer rotated it, its tokens are good.
    secrets.invalidate(secretId);
    String now = secrets.secretString(secretId);
    if (!now.equals(started)) {
      LOG.info("secret '{}' changed while refreshing; the new version stands", secretId);
      return Result.SUPERSEDED;
    }

    String code = answer.error().orElse("HTTP " + answer.status());
    ObjectNode marked = parse(started);
    marked.put(REFRESH_FAILED, code);
    if (!secrets.putVersion(secretId, versionToken, write(marked))) {
      return Result.SUPERSEDED;
    }
    LOG.error(
        "{} answered {}{}: the refresh token in secret '{}' is revoked or expired, or the client"
            + " was refused; authorize the app again and store the new refresh_token",
        endpoint.where(),
        answer.status(),
        answer.describeError(),
        secretId);
    return Result.REFUSED;
  }

  /** Whether the current version is the one this refresh started from, marked as refused. */
  private boolean markedRefusedMeanwhile(ObjectNode startedFrom) {
    secrets.invalidate(secretId);
    ObjectNode current = parse(secrets.secretString(secretId));
    ObjectNode unmarked = current.deepCopy();
    unmarked.remove(REFRESH_FAILED);
    return current.hasNonNull(REFRESH_FAILED) && unmarked.equals(startedFrom);
  }

  /** When the token is due: half its lifetime after receipt; empty when it is due now. */
  private Optional<Instant> dueAt(JsonNode secret) {
    if (!secret.hasNonNull(ACCESS_TOKEN)) {
      return Optional.empty();
    }
    try {
      Instant received = Instant.parse(secret.path(RECEIVED_AT).asText());
      Instant expires = Instant.parse(secret.path(EXPIRES_AT).asText());
      return Optional.of(received.plus(Duration.between(received, expires).dividedBy(2)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private ObjectNode parse(String value) {
    try {
      JsonNode node = Json.mapper().readTree(value);
      if (node != null && node.isObject() && node.hasNonNull(REFRESH_TOKEN)) {
        return (ObjectNode) node;
      }
    } catch (JsonProcessingException e) {
      // Falls through: the parser's message may quote the secret.
    }
    throw new CredentialsException(
        "secret '" + secretId + "' must be a JSON object with " + FIELDS, true);
  }

  private String text(JsonNode secret, String field) {
    JsonNode value = secret.get(field);
    if (value == null || !value.isTextual() || value.textValue().isBlank()) {
      throw new CredentialsException(
          "secret '" + secretId + "' must be a JSON object with " + FIELDS, true);
    }
    return value.textValue();
  }

  private static String write(JsonNode secret) {
    try {
      return Json.mapper().writeValueAsString(secret);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("secret could not be serialised", e);
    }
  }

  /** 64 hex characters naming the version a refresh started from (not the token itself). */
  static String versionToken(String startedFrom) {
    return IdempotencyKeys.sha256Hex(
        ("sluice-token-keeper\n" + startedFrom).getBytes(StandardCharsets.UTF_8));
  }
}
