package dev.sluice.auth.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.definition.IntegrationDefinition.Target;
import dev.sluice.definition.IntegrationDefinition.TargetAuth;
import dev.sluice.definition.InvalidDefinitionException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API key and Basic credentials, and the factory that picks an implementation. */
class StaticCredentialsTest {

  private final MapSecretStore secrets = new MapSecretStore();

  @Test
  void apiKey_withoutHeaderName_sendsBearerAuthorization() {
    secrets.put("k", "key-123\n");

    Map<String, String> headers = new ApiKeyCredentials("k", null, secrets).headers();

    assertThat(headers).containsExactly(Map.entry("Authorization", "Bearer key-123"));
  }

  @Test
  void apiKey_withHeaderName_sendsTheKeyUnchanged() {
    secrets.put("k", "{\"api_key\": \"key-456\"}");

    Map<String, String> headers = new ApiKeyCredentials("k", "X-API-Key", secrets).headers();

    assertThat(headers).containsExactly(Map.entry("X-API-Key", "key-456"));
  }

  @Test
  void apiKey_whenJsonLacksApiKey_namesSecretButNotValue() {
    secrets.put("k", "{\"token\": \"do-not-print\"}");

    assertThatThrownBy(() -> new ApiKeyCredentials("k", null, secrets).headers())
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining("api_key")
        .hasMessageNotContaining("do-not-print");
  }

  @Test
  void basic_encodesUsernameAndPasswordAsUtf8() {
    secrets.put("b", "{\"username\": \"zoë\", \"password\": \"p:w\"}");

    String header = new BasicCredentials("b", secrets).headers().get("Authorization");

    String decoded = new String(Base64.getDecoder().decode(header.substring("Basic ".length())));
    assertThat(header).startsWith("Basic ");
    assertThat(decoded).isEqualTo("zoë:p:w");
  }

  @Test
  void basic_whenPasswordMissing_namesSecretButNotValue() {
    secrets.put("b", "{\"username\": \"visible-user-not-printed\"}");

    assertThatThrownBy(() -> new BasicCredentials("b", secrets).headers())
        .isInstanceOf(CredentialsException.class)
        .hasMessageContaining("password")
        .hasMessageNotContaining("visible-user-not-printed");
  }

  @Test
  void invalidate_dropsTheCachedSecret() {
    secrets.put("k", "key");
    ApiKeyCredentials credentials = new ApiKeyCredentials("k", null, secrets);

    credentials.invalidate();

    assertThat(secrets.invalidated).containsExactly("k");
  }

  @Test
  void from_picksTheImplementationForEachType() {
    assertThat(credentialsFor(new TargetAuth("api-key", "s", null, null, null)))
        .isInstanceOf(ApiKeyCredentials.class);
    assertThat(credentialsFor(new TargetAuth("basic", "s", null, null, null)))
        .isInstanceOf(BasicCredentials.class);
    assertThat(
            credentialsFor(
                new TargetAuth("oauth2-client-credentials", "s", null, "http://x/t", null)))
        .isInstanceOf(OAuthClientCredentials.class);
  }

  @Test
  void from_whenTypeUnknown_namesItAndTheSupportedTypes() {
    assertThatThrownBy(() -> credentialsFor(new TargetAuth("digest", "s", null, null, null)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("demo")
        .hasMessageContaining("'digest'")
        .hasMessageContaining("api-key, basic, oauth2-client-credentials");
  }

  @Test
  void from_whenOAuthHasNoTokenUrl_saysSo() {
    assertThatThrownBy(
            () ->
                credentialsFor(new TargetAuth("oauth2-client-credentials", "s", null, null, null)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("tokenUrl");
  }

  private TargetCredentials credentialsFor(TargetAuth auth) {
    IntegrationDefinition definition =
        new IntegrationDefinition(
            "demo",
            null,
            null,
            null,
            null,
            new Target("http://target/x", "POST", auth, null, null, null),
            null);
    return TargetCredentials.from(
        definition, secrets, HttpClient.newHttpClient(), Clock.systemUTC());
  }
}
