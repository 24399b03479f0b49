package dev.sluice.auth.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.settings.Settings;
import dev.sluice.testing.MovableClock;
import dev.sluice.testsupport.AwsEmulator;
import dev.sluice.testsupport.AwsEmulatorExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Secrets Manager store against a running emulator: names and ARNs, version stages, the cache's
 * refresh interval after a rotation, and errors that name the secret but never a value.
 */
@ExtendWith(AwsEmulatorExtension.class)
class SecretsManagerSecretStoreEmulatorTest {

  private static final String INTEGRATION = "stripe-invoice-to-accounting";
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final String CANARY = "canary-value-5f1d";

  private static SecretsManagerClient client;

  private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private String name;
  private String arn;
  private SecretsManagerSecretStore store;

  @BeforeAll
  static void connect(AwsEmulator aws) {
    client = aws.secretsManager();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  @BeforeEach
  void createSecret() {
    // Unique names: an external endpoint (AWS_ENDPOINT_URL) is not reset between classes.
    name = "sluice/" + INTEGRATION + "/xero-" + UUID.randomUUID();
    arn = client.createSecret(r -> r.name(name).secretString(json("v1"))).arn();
    store = new SecretsManagerSecretStore(client, INTEGRATION, TTL, clock);
  }

  @Test
  void secretString_whenReadByNameOrByArn_returnsTheCurrentValue() {
    assertThat(store.secretString(name)).isEqualTo(json("v1"));
    assertThat(store.secretString(arn)).isEqualTo(json("v1"));
  }

  @Test
  void secretString_whenNewVersionIsOnlyStagedAsPending_keepsReturningAwsCurrent() {
    client.putSecretValue(
        r -> r.secretId(name).secretString(json("v2")).versionStages("AWSPENDING"));
    clock.advance(TTL);

    assertThat(store.secretString(name)).isEqualTo(json("v1"));
    // The emulator did stage it: asked for AWSPENDING explicitly, it returns the new value.
    assertThat(client.getSecretValue(r -> r.secretId(name).versionStage("AWSPENDING")))
        .extracting(response -> response.secretString())
        .isEqualTo(json("v2"));
  }

  @Test
  void secretString_whenRotationFinishes_returnsNewValueOnlyAfterTheRefreshInterval() {
    assertThat(store.secretString(name)).isEqualTo(json("v1"));
    String pending =
        client
            .putSecretValue(
                r -> r.secretId(name).secretString(json("v2")).versionStages("AWSPENDING"))
            .versionId();
    String current =
        client.describeSecret(r -> r.secretId(name)).versionIdsToStages().entrySet().stream()
            .filter(entry -> entry.getValue().contains("AWSCURRENT"))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();

    // The last step of a rotation: AWSCURRENT moves to the pending version.
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html
    client.updateSecretVersionStage(
        r ->
            r.secretId(name)
                .versionStage("AWSCURRENT")
                .moveToVersionId(pending)
                .removeFromVersionId(current));

    clock.advance(TTL.minusSeconds(1));
    assertThat(store.secretString(name)).isEqualTo(json("v1"));
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.secretString(name)).isEqualTo(json("v2"));
  }

  @Test
  void secretString_whenValuePutAndInvalidated_readsTheNewValueAtOnce() {
    assertThat(store.secretString(name)).isEqualTo(json("v1"));
    client.putSecretValue(r -> r.secretId(name).secretString(json("v2")));

    store.invalidate(name);

    assertThat(store.secretString(name)).isEqualTo(json("v2"));
  }

  @Test
  void secretString_whenSecretMissing_namesSecretAndIntegrationButNoValue() {
    String missing = "sluice/" + INTEGRATION + "/missing-" + UUID.randomUUID();
    client.putSecretValue(r -> r.secretId(name).secretString(CANARY));

    assertThatThrownBy(() -> store.secretString(missing))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("secret '" + missing + "'")
        .hasMessageContaining("integration '" + INTEGRATION + "'")
        .hasMessageContaining("create-secret")
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void forSettings_whenEndpointIsSet_readsSecretsManagerThere(AwsEmulator aws) {
    // The production path: AwsClients with the endpoint override and the default credentials
    // chain, which reads these system properties before the environment.
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
    try {
      SecretStore fromSettings =
          SecretStores.forSettings(
              Settings.from(
                  Map.of(
                      Settings.INTEGRATION,
                      INTEGRATION,
                      Settings.AWS_ENDPOINT_URL,
                      aws.endpoint().toString())));

      assertThat(fromSettings.secretString(name)).isEqualTo(json("v1"));
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    }
  }

  private static String json(String version) {
    return "{\"client_id\":\"sluice\",\"client_secret\":\"" + version + "\"}";
  }
}
