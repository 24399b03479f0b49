package dev.sluice.auth.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.sluice.testing.AuthorizationServer;
import dev.sluice.testing.MovableClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key-based flows: {@code private_key_jwt} client authentication against Spring Authorization
 * Server, which verifies the assertion with the client's registered public key, and the RFC 7523
 * JWT bearer grant against mock-oauth2-server, whose recorded assertion is verified here (that
 * server does not check signatures).
 */
class KeyBasedGrantsTest {

  private static final String SECRET_ID = "sluice/demo/signed";

  private static AuthorizationServer server;

  private final MovableClock clock = new MovableClock(Instant.now());
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startServer() throws Exception {
    server = AuthorizationServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void clientCredentials_withPrivateKeyJwt_getsATokenFromAServerThatChecksTheSignature() {
    MapSecretStore secrets = new MapSecretStore().put(SECRET_ID, keySecret(server.clientKeyPem()));

    String authorization = clientCredentials(secrets).headers().get("Authorization");

    assertThat(authorization).startsWith("Bearer ").hasSizeGreaterThan(20);
  }

  @Test
  void clientCredentials_withAKeyTheServerDoesNotKnow_isRefused() throws Exception {
    MapSecretStore secrets =
        new MapSecretStore().put(SECRET_ID, keySecret(AuthorizationServer.unregisteredKeyPem()));

    assertThatThrownBy(() -> clientCredentials(secrets).headers())
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("401")
        .hasMessageContaining("invalid_client")
        .hasMessageNotContaining("PRIVATE KEY")
        .matches(e -> ((CredentialsException) e).rejected());
  }

  @Test
  void jwtBearer_sendsAnAssertionSignedWithTheSecretsKey() throws Exception {
    MockOAuth2Server oauth = new MockOAuth2Server();
    oauth.start(InetAddress.getByName("127.0.0.1"), 0);
    try {
      URI tokenUrl = URI.create(oauth.tokenEndpointUrl("sluice").toString());
      String secret =
          "{\"issuer\": \"svc@example.com\", \"subject\": \"owner@example.com\","
              + " \"key_id\": \"k1\","
              + " \"private_key\": \""
              + server.clientKeyPem().replace("\n", "\\n")
              + "\"}";
      OAuthJwtBearerCredentials credentials =
          new OAuthJwtBearerCredentials(
              "demo",
              tokenUrl,
              "audience.write",
              SECRET_ID,
              new MapSecretStore().put(SECRET_ID, secret),
              http,
              clock);

      String authorization = credentials.headers().get("Authorization");

      RecordedRequest request = oauth.takeRequest(5, TimeUnit.SECONDS);
      Map<String, String> form = form(request.getBody().readUtf8());
      assertThat(authorization).startsWith("Bearer ");
      assertThat(form)
          .containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
          .containsEntry("scope", "audience.write");
      SignedJWT assertion = SignedJWT.parse(form.get("assertion"));
      assertThat(assertion.verify(new RSASSAVerifier(publicKeyOf(server.clientKeyPem())))).isTrue();
      assertThat(assertion.getHeader().getKeyID()).isEqualTo("k1");
      assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo("svc@example.com");
      assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo("owner@example.com");
      assertThat(assertion.getJWTClaimsSet().getAudience()).containsExactly(tokenUrl.toString());
      assertThat(assertion.getJWTClaimsSet().getExpirationTime().toInstant())
          .isAfter(clock.instant())
          .isBefore(clock.instant().plusSeconds(301));
    } finally {
      oauth.shutdown();
    }
  }

  private OAuthClientCredentials clientCredentials(MapSecretStore secrets) {
    return new OAuthClientCredentials(
        "demo", server.tokenUrl(), "audience.write", SECRET_ID, secrets, http, clock);
  }

  private static String keySecret(String pem) {
    return "{\"client_id\": \""
        + AuthorizationServer.KEY_CLIENT
        + "\", \"private_key\": \""
        + pem.replace("\n", "\\n")
        + "\"}";
  }

  private static Map<String, String> form(String body) {
    return Arrays.stream(body.split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(
            Collectors.toMap(
                pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
  }

  private static RSAPublicKey publicKeyOf(String pem) throws Exception {
    byte[] der =
        Base64.getMimeDecoder()
            .decode(
                pem.replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", ""));
    KeyFactory rsa = KeyFactory.getInstance("RSA");
    RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
    return (RSAPublicKey)
        rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
  }
}
