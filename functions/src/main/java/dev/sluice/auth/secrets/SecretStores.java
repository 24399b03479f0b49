package dev.sluice.auth.secrets;

import dev.sluice.aws.AwsClients;
import dev.sluice.settings.Settings;
import java.time.Clock;

/** Chooses where a function reads its secrets from, given its settings. */
public final class SecretStores {

  private SecretStores() {}

  /**
   * The local secrets file when the settings name one (local runs), otherwise Secrets Manager in
   * the settings' region and endpoint, cached for {@link Settings#secretCacheTtl()}.
   */
  public static WritableSecretStore forSettings(Settings settings) {
    if (settings.secretsFile().isPresent()) {
      return new FileSecretStore(settings.secretsFile().get());
    }
    return new SecretsManagerSecretStore(
        AwsClients.secretsManager(settings),
        settings.integration(),
        settings.secretCacheTtl(),
        Clock.systemUTC());
  }
}
