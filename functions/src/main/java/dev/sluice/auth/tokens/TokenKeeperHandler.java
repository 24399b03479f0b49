package dev.sluice.auth.tokens;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.sluice.auth.credentials.CredentialsException;
import dev.sluice.auth.credentials.TargetCredentials;
import dev.sluice.auth.credentials.TokenEndpoint;
import dev.sluice.auth.secrets.SecretStores;
import dev.sluice.auth.secrets.WritableSecretStore;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.IntegrationDefinition.TargetAuth;
import dev.sluice.json.Json;
import dev.sluice.logging.LogContext;
import dev.sluice.metrics.EmfMetrics;
import dev.sluice.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token keeper function: invoked on a schedule (every five minutes, say), it runs a {@link
 * TokenKeeper} for each auth block of the integration that uses refresh tokens.
 *
 * <p>Deploy it with a reserved concurrency of one, so that a second invocation waits rather than
 * runs beside the first. A refused refresh token is reported with the {@value #AUTH_FAILURES}
 * metric and an error log, and the invocation still succeeds: retrying cannot bring a revoked token
 * back, so the asynchronous invocation's retries are not spent on it. An unreachable token endpoint
 * fails the invocation, and the next run tries again long before the token expires.
 */
public final class TokenKeeperHandler implements RequestStreamHandler {

  static final String TOKENS_REFRESHED = "TokensRefreshed";
  static final String AUTH_FAILURES = "AuthFailures";

  private final String integration;
  private final Map<String, TokenKeeper> keepers;
  private final EmfMetrics metrics;

  /** The constructor Lambda calls: everything from the function's environment. */
  public TokenKeeperHandler() {
    this(Settings.fromEnvironment());
  }

  private TokenKeeperHandler(Settings settings) {
    this(
        settings,
        DefinitionCatalog.classpath(),
        SecretStores.forSettings(settings),
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build(),
        Clock.systemUTC());
  }

  /** A handler with its parts given, for the local runner and tests. */
  public TokenKeeperHandler(
      Settings settings,
      DefinitionCatalog catalog,
      WritableSecretStore secrets,
      HttpClient http,
      Clock clock) {
    IntegrationDefinition definition = catalog.load(settings.integration());
    this.integration = definition.name();
    this.metrics = new EmfMetrics(clock);
    this.keepers = new LinkedHashMap<>();

    refreshTokenBlocks(definition)
        .forEach(
            (where, auth) -> {
              URI tokenUrl = TargetCredentials.tokenUrl(integration, where, auth);
              TokenEndpoint endpoint = new TokenEndpoint(integration, tokenUrl, http, clock);
              keepers.put(
                  where, new TokenKeeper(endpoint, auth.scope(), auth.secret(), secrets, clock));
            });
  }

  /** The auth blocks of a definition that hold refresh tokens, by their path. */
  static Map<String, TargetAuth> refreshTokenBlocks(IntegrationDefinition definition) {
    Map<String, TargetAuth> blocks = new LinkedHashMap<>();
    if (definition.source() != null && isRefreshToken(definition.source().auth())) {
      blocks.put("source.auth", definition.source().auth());
    }
    if (definition.target() != null && isRefreshToken(definition.target().auth())) {
      blocks.put("target.auth", definition.target().auth());
    }
    return blocks;
  }

  private static boolean isRefreshToken(TargetAuth auth) {
    return auth != null && TargetCredentials.OAUTH2_REFRESH_TOKEN.equals(auth.type());
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    // The scheduled event says only that it is time; its content does not matter here.
    input.readAllBytes();

    Json.mapper().writeValue(output, run());
  }

  /**
   * Runs every keeper once and publishes the counts.
   *
   * @return each auth block's path and what its keeper did
   * @throws CredentialsException when a token endpoint could not be reached (retry later)
   */
  public Map<String, TokenKeeper.Result> run() {
    Map<String, TokenKeeper.Result> results = new LinkedHashMap<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put(TOKENS_REFRESHED, 0L);
    counts.put(AUTH_FAILURES, 0L);

    try (LogContext ignored = LogContext.open(integration, null, null)) {
      for (Map.Entry<String, TokenKeeper> keeper : keepers.entrySet()) {
        TokenKeeper.Result result = keeper.getValue().refreshIfDue();
        results.put(keeper.getKey(), result);
        if (result == TokenKeeper.Result.REFRESHED) {
          counts.merge(TOKENS_REFRESHED, 1L, Long::sum);
        }
        if (result == TokenKeeper.Result.REFUSED) {
          counts.merge(AUTH_FAILURES, 1L, Long::sum);
        }
      }
    } finally {
      metrics.publish(integration, counts);
    }
    return results;
  }
}
