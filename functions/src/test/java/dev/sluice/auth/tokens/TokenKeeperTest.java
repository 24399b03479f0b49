package dev.sluice.auth.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.auth.credentials.CredentialsException;
import dev.sluice.auth.credentials.OAuthRefreshTokenCredentials;
import dev.sluice.auth.credentials.TokenEndpoint;
import dev.sluice.auth.secrets.FileSecretStore;
import dev.sluice.auth.secrets.WritableSecretStore;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.json.Json;
import dev.sluice.metrics.EmfMetrics;
import dev.sluice.settings.Settings;
import dev.sluice.testing.AuthorizationServer;
import dev.sluice.testing.MovableClock;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The token keeper against Spring Authorization Server, which rotates refresh tokens (an old one is
 * refused once used) and honours revocation, with the secret in a real {@link FileSecretStore}.
 */
class TokenKeeperTest {

  private static final String SECRET_ID = "sluice/hubspot-contacts-to-mailchimp/hubspot";
  private static final String REFRESH = "refresh_token";

  private static AuthorizationServer server;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path folder;
  private Path secretsFile;
  private FileSecretStore secrets;
  private TokenKeeper keeper;

  @BeforeAll
  static void startServer() throws Exception {
    server = AuthorizationServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void seedSecret() throws Exception {
    secretsFile = folder.resolve("secrets.json");
    writeSecret(secretJson(server.issueRefreshToken(), ""));
    secrets = new FileSecretStore(secretsFile);
    keeper = keeper(secrets);
  }

  @Test
  void refreshIfDue_withoutAccessToken_refreshesAndStoresTheRotatedRefreshToken() throws Exception {
    String original = secret().get(REFRESH).asText();

    TokenKeeper.Result result = keeper.refreshIfDue();

    JsonNode stored = secret();
    assertThat(result).isEqualTo(TokenKeeper.Result.REFRESHED);
    assertThat(stored.get(REFRESH).asText()).isNotBlank().isNotEqualTo(original);
    assertThat(stored.get("access_token").asText()).isNotBlank();
    assertThat(stored.get("client_secret").asText()).isEqualTo(AuthorizationServer.CLIENT_SECRET);
    // Expiry counts from when the answer was received, by the keeper's clock.
    assertThat(stored.get("received_at").asText()).isEqualTo(clock.instant().toString());
    // The server rounds expires_in down to whole seconds.
    assertThat(Instant.parse(stored.get("expires_at").asText()))
        .isBetween(
            clock.instant().plus(AuthorizationServer.ACCESS_TOKEN_LIFETIME).minusSeconds(2),
            clock.instant().plus(AuthorizationServer.ACCESS_TOKEN_LIFETIME));
    // The server rotated it: the old refresh token is now refused.
    assertThat(refreshDirectly(original)).isEqualTo(400);
  }

  @Test
  void refreshIfDue_beforeHalfTheLifetime_leavesTheTokenAlone() throws Exception {
    keeper.refreshIfDue();
    String first = secret().get("access_token").asText();
    int requests = server.tokenRequests(REFRESH);

    clock.advance(Duration.ofMinutes(14));
    TokenKeeper.Result early = keeper.refreshIfDue();
    clock.advance(Duration.ofMinutes(2));
    TokenKeeper.Result due = keeper.refreshIfDue();

    assertThat(early).isEqualTo(TokenKeeper.Result.FRESH);
    assertThat(due).isEqualTo(TokenKeeper.Result.REFRESHED);
    assertThat(server.tokenRequests(REFRESH)).isEqualTo(requests + 1);
    assertThat(secret().get("access_token").asText()).isNotEqualTo(first);
  }

  @Test
  void refreshIfDue_withClientSecretPost_refreshes() throws Exception {
    writeSecret(secretJson(server.issueRefreshToken(), "client_secret_post"));

    assertThat(keeper.refreshIfDue()).isEqualTo(TokenKeeper.Result.REFRESHED);
  }

  @Test
  void refreshIfDue_afterRevocation_marksTheSecretAndStopsCallingTheServer() throws Exception {
    revoke(secret().get(REFRESH).asText());

    TokenKeeper.Result first = keeper.refreshIfDue();
    int requests = server.tokenRequests(REFRESH);
    TokenKeeper.Result second = keeper.refreshIfDue();

    assertThat(first).isEqualTo(TokenKeeper.Result.REFUSED);
    assertThat(secret().get("refresh_failed").asText()).isEqualTo("invalid_grant");
    assertThat(second).isEqualTo(TokenKeeper.Result.REFUSED);
    assertThat(server.tokenRequests(REFRESH)).isEqualTo(requests);
    // Workers report it as a rejection, which deliver counts as an auth failure.
    assertThatThrownBy(() -> new OAuthRefreshTokenCredentials(SECRET_ID, secrets).headers())
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("authorize the app again")
        .matches(e -> ((CredentialsException) e).rejected());
  }

  @Test
  void twentyConcurrentWorkers_causeOneRefreshAndKeepTheRotatedToken() throws Exception {
    keeper.refreshIfDue();
    String before = secret().get("access_token").asText();
    clock.advance(Duration.ofMinutes(16));
    int requests = server.tokenRequests(REFRESH);

    // Twenty workers, each with its own cached store as in separate Lambda instances, read the
    // token and re-read it after a "401", while the keeper is invoked twenty times at once.
    int workers = 20;
    ExecutorService pool = Executors.newFixedThreadPool(workers * 2);
    CountDownLatch start = new CountDownLatch(1);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    List<Future<?>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < workers; i++) {
        OAuthRefreshTokenCredentials worker =
            new OAuthRefreshTokenCredentials(SECRET_ID, new FileSecretStore(secretsFile));
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int read = 0; read < 25; read++) {
                    seen.add(worker.headers().get("Authorization"));
                    worker.invalidate();
                  }
                  return null;
                }));
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  return keeper.refreshIfDue();
                }));
      }
      start.countDown();
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    String after = secret().get("access_token").asText();
    assertThat(server.tokenRequests(REFRESH)).isEqualTo(requests + 1);
    assertThat(after).isNotEqualTo(before);
    assertThat(seen).isSubsetOf(Set.of("Bearer " + before, "Bearer " + after));
    // The stored refresh token is the rotated one: the server still accepts it.
    clock.advance(Duration.ofMinutes(16));
    assertThat(keeper.refreshIfDue()).isEqualTo(TokenKeeper.Result.REFRESHED);
  }

  @Test
  void concurrentKeeperMarkingTheRotatedTokenRefused_isOverwrittenWithTheLiveTokens()
      throws Exception {
    String started = Files.readString(secretsFile);
    String startedSecret = Json.mapper().readTree(started).get(SECRET_ID).toString();
    // A second keeper in another instance refreshed with the same token, got invalid_grant and
    // recorded the refusal, under the same version token, just before this keeper's write.
    WritableSecretStore racing =
        new WritableSecretStore() {
          private boolean raced;

          @Override
          public String secretString(String secretId) {
            return secrets.secretString(secretId);
          }

          @Override
          public void invalidate(String secretId) {
            secrets.invalidate(secretId);
          }

          @Override
          public boolean putVersion(String secretId, String versionToken, String value) {
            if (!raced) {
              raced = true;
              String marked =
                  startedSecret.substring(0, startedSecret.length() - 1)
                      + ", \"refresh_failed\": \"invalid_grant\"}";
              secrets.putVersion(secretId, versionToken, marked);
            }
            return secrets.putVersion(secretId, versionToken, value);
          }
        };

    TokenKeeper.Result result = keeper(racing).refreshIfDue();

    JsonNode stored = secret();
    assertThat(result).isEqualTo(TokenKeeper.Result.REFRESHED);
    assertThat(stored.has("refresh_failed")).isFalse();
    assertThat(stored.get("access_token").asText()).isNotBlank();
    // The stored refresh token is the live one.
    clock.advance(Duration.ofMinutes(16));
    assertThat(keeper.refreshIfDue()).isEqualTo(TokenKeeper.Result.REFRESHED);
  }

  @Test
  void handler_whenTheRefreshTokenIsRevoked_publishesAnAuthFailureAndSucceeds() throws Exception {
    Path integrations = folder.resolve("integrations");
    Files.createDirectories(integrations.resolve("demo"));
    Files.writeString(
        integrations.resolve("demo/integration.yaml"),
        String.join(
            "\n",
            "name: demo",
            "target:",
            "  url: https://api.example.com/items",
            "  auth:",
            "    type: oauth2-refresh-token",
            "    secret: " + SECRET_ID,
            "    tokenUrl: " + server.tokenUrl()));
    TokenKeeperHandler handler =
        new TokenKeeperHandler(
            Settings.from(Map.of(Settings.INTEGRATION, "demo")),
            DefinitionCatalog.folder(integrations),
            secrets,
            http,
            clock);
    String refreshToken = secret().get(REFRESH).asText();
    revoke(refreshToken);
    ListAppender<ILoggingEvent> logs = capture();

    Map<String, TokenKeeper.Result> results = handler.run();

    assertThat(results).containsEntry("target.auth", TokenKeeper.Result.REFUSED);
    assertThat(logs.list)
        .anySatisfy(
            line -> {
              assertThat(line.getLoggerName()).isEqualTo(EmfMetrics.LOGGER);
              assertThat(line.getFormattedMessage())
                  .contains("\"AuthFailures\":1")
                  .contains("\"TokensRefreshed\":0");
            })
        .anySatisfy(
            line -> {
              assertThat(line.getLevel()).isEqualTo(Level.ERROR);
              assertThat(line.getFormattedMessage()).contains("authorize the app again");
            })
        .allSatisfy(
            line ->
                assertThat(line.getFormattedMessage())
                    .doesNotContain(refreshToken)
                    .doesNotContain(AuthorizationServer.CLIENT_SECRET));
  }

  private static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    for (String name : List.of(EmfMetrics.LOGGER, TokenKeeper.class.getName())) {
      ((Logger) LoggerFactory.getLogger(name)).addAppender(appender);
    }
    return appender;
  }

  private TokenKeeper keeper(WritableSecretStore store) {
    TokenEndpoint endpoint = new TokenEndpoint("demo", server.tokenUrl(), http, clock);
    return new TokenKeeper(endpoint, null, SECRET_ID, store, clock);
  }

  private static String secretJson(String refreshToken, String method) {
    return "{\"client_id\": \""
        + AuthorizationServer.SECRET_CLIENT
        + "\", \"client_secret\": \""
        + AuthorizationServer.CLIENT_SECRET
        + (method.isEmpty() ? "" : "\", \"token_endpoint_auth_method\": \"" + method)
        + "\", \"refresh_token\": \""
        + refreshToken
        + "\"}";
  }

  private void writeSecret(String value) throws Exception {
    Files.writeString(secretsFile, "{\"" + SECRET_ID + "\": " + value + "}");
    if (secrets != null) {
      secrets.invalidate(SECRET_ID);
    }
  }

  private JsonNode secret() throws Exception {
    return Json.mapper().readTree(secretsFile.toFile()).get(SECRET_ID);
  }

  private int refreshDirectly(String refreshToken) throws Exception {
    return postAsClient(
        server.tokenUrl().toString(),
        "grant_type=refresh_token&refresh_token=" + form(refreshToken));
  }

  private void revoke(String refreshToken) throws Exception {
    int status =
        postAsClient(
            server.revocationUrl().toString(),
            "token=" + form(refreshToken) + "&token_type_hint=refresh_token");
    assertThat(status).isEqualTo(200);
  }

  private int postAsClient(String url, String body) throws Exception {
    String basic =
        Base64.getEncoder()
            .encodeToString(
                (form(AuthorizationServer.SECRET_CLIENT)
                        + ":"
                        + form(AuthorizationServer.CLIENT_SECRET))
                    .getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(java.net.URI.create(url))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", "Basic " + basic)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String form(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
