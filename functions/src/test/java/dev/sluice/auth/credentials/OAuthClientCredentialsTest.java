package dev.sluice.auth.credentials;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.sluice.testing.MovableClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client credentials against a real OAuth2 server (mock-oauth2-server) on loopback. */
class OAuthClientCredentialsTest {

  private static final String SECRET_ID = "sluice/demo/oauth";
  private static final String CLIENT_ID = "sluice-demo";
  private static final String CLIENT_SECRET = "s3cret/with+odd&chars";

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final MapSecretStore secrets =
      new MapSecretStore()
          .put(
              SECRET_ID,
              "{\"client_id\": \""
                  + CLIENT_ID
                  + "\", \"client_secret\": \""
                  + CLIENT_SECRET
                  + "\"}");
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private MockOAuth2Server oauth;
  private OAuthClientCredentials credentials;

  @BeforeEach
  void startServer() throws Exception {
    oauth = new MockOAuth2Server();
    oauth.start(InetAddress.getByName("127.0.0.1"), 0);
    credentials =
        new OAuthClientCredentials(
            "demo",
            URI.create(oauth.tokenEndpointUrl("sluice").toString()),
            "invoices",
            SECRET_ID,
            secrets,
            http,
            clock);
  }

  @AfterEach
  void stopServer() {
    oauth.shutdown();
  }

  @Test
  void headers_fetchesOneTokenAndReusesIt() {
    String first = credentials.headers().get("Authorization");
    String second = credentials.headers().get("Authorization");

    assertThat(first).startsWith("Bearer ").isEqualTo(second);
    assertThat(tokenRequests()).hasSize(1);
  }

  @Test
  void headers_sendsClientSecretBasicAndTheGrant() throws Exception {
    credentials.headers();

    // The server does not check client secrets, so the request itself is the evidence.
    RecordedRequest request = tokenRequests().get(0);
    String basic = request.getHeader("Authorization");
    assertThat(basic).startsWith("Basic ");
    String decoded =
        new String(
            Base64.getDecoder().decode(basic.substring("Basic ".length())), StandardCharsets.UTF_8);
    String[] pair = decoded.split(":", 2);
    assertThat(URLDecoder.decode(pair[0], StandardCharsets.UTF_8)).isEqualTo(CLIENT_ID);
    assertThat(URLDecoder.decode(pair[1], StandardCharsets.UTF_8)).isEqualTo(CLIENT_SECRET);
    assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    String form = request.getBody().readUtf8();
    assertThat(form).contains("grant_type=client_credentials").contains("scope=invoices");
    assertThat(form).doesNotContain("client_secret");
  }

  @Test
  void headers_beforeTheRefreshMargin_keepsTheToken() throws Exception {
    credentials.headers();

    // The server issues 3600 s tokens: refresh 60 s before, measured from receipt.
    clock.advance(Duration.ofSeconds(3500));
    credentials.headers();

    assertThat(tokenRequests()).hasSize(1);
  }

  @Test
  void headers_afterExpiry_fetchesANewToken() {
    String first = credentials.headers().get("Authorization");

    clock.advance(Duration.ofSeconds(3600));
    String second = credentials.headers().get("Authorization");

    assertThat(tokenRequests()).hasSize(2);
    assertThat(second).startsWith("Bearer ").isNotEqualTo(first);
  }

  @Test
  void invalidate_dropsTokenAndSecret() throws Exception {
    credentials.headers();

    credentials.invalidate();
    credentials.headers();

    assertThat(tokenRequests()).hasSize(2);
    assertThat(secrets.invalidated).containsExactly(SECRET_ID);
  }

  @Test
  void headers_fromConcurrentCallers_requestOneToken() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        calls.add(() -> credentials.headers().get("Authorization"));
      }

      List<String> tokens = new ArrayList<>();
      for (Future<String> result : pool.invokeAll(calls)) {
        tokens.add(result.get());
      }

      assertThat(tokens).hasSize(8).containsOnly(tokens.get(0));
      assertThat(tokenRequests()).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void headers_whenTokenEndpointRefuses_namesIntegrationUrlAndErrorCode() {
    WireMockServer endpoint = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    endpoint.start();
    try {
      // RFC 6749 section 5.2 error body.
      endpoint.stubFor(
          post(urlPathEqualTo("/connect/token"))
              .willReturn(
                  aResponse()
                      .withStatus(401)
                      .withHeader("Content-Type", "application/json")
                      .withBody("{\"error\": \"invalid_client\"}")));
      OAuthClientCredentials refused =
          new OAuthClientCredentials(
              "demo",
              URI.create(endpoint.baseUrl() + "/connect/token?tenant=abc"),
              null,
              SECRET_ID,
              secrets,
              http,
              clock);

      assertThatThrownBy(refused::headers)
          .isInstanceOf(CredentialsException.class)
          .hasMessageContaining("demo")
          .hasMessageContaining(endpoint.baseUrl() + "/connect/token")
          .hasMessageContaining("401")
          .hasMessageContaining("invalid_client")
          .hasMessageNotContaining(CLIENT_SECRET)
          .hasMessageNotContaining("tenant=abc")
          .matches(e -> ((CredentialsException) e).rejected());
    } finally {
      endpoint.stop();
    }
  }

  @Test
  void headers_whenTokenEndpointUnreachable_isNotARejection() throws Exception {
    oauth.shutdown();

    assertThatThrownBy(credentials::headers)
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("could not be reached")
        .matches(e -> !((CredentialsException) e).rejected());
  }

  /** Drains the server's request log; it throws, rather than answering null, once it is empty. */
  private List<RecordedRequest> tokenRequests() {
    List<RecordedRequest> requests = new ArrayList<>();
    while (true) {
      try {
        requests.add(oauth.takeRequest(200, TimeUnit.MILLISECONDS));
      } catch (RuntimeException drained) {
        return requests;
      }
    }
  }
}
