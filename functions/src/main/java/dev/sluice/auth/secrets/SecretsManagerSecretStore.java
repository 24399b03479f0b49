package dev.sluice.auth.secrets;

import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads secrets from AWS Secrets Manager by name or ARN, keeping each value for the configured time
 * to live. Only {@code SecretString} secrets are supported: Sluice stores keys and JSON documents.
 */
public final class SecretsManagerSecretStore implements WritableSecretStore {

  private static final String AWSCURRENT = "AWSCURRENT";

  private final SecretsManagerClient client;
  private final String integration;
  private final CachingSecretStore cache;

  /**
   * @param client a Secrets Manager client (see {@code AwsClients.secretsManager})
   * @param integration the integration whose secrets these are, named in errors
   * @param ttl how long a value is reused before it is read again
   * @param clock the clock the cache is aged against
   */
  public SecretsManagerSecretStore(
      SecretsManagerClient client, String integration, Duration ttl, Clock clock) {
    this.client = client;
    this.integration = integration;
    this.cache = new CachingSecretStore(this::read, ttl, clock);
  }

  @Override
  public String secretString(String secretId) {
    return cache.secretString(secretId);
  }

  @Override
  public void invalidate(String secretId) {
    cache.invalidate(secretId);
  }

  @Override
  public boolean putVersion(String secretId, String versionToken, String value) {
    // PutSecretValue moves AWSCURRENT to the new version. Repeating a token with the same value is
    // a no-op; with another value it fails, which is what makes the write conditional:
    // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html
    try {
      client.putSecretValue(
          r -> r.secretId(secretId).clientRequestToken(versionToken).secretString(value));
      return true;
    } catch (ResourceExistsException e) {
      return false;
    } finally {
      cache.invalidate(secretId);
    }
  }

  private String read(String secretId) {
    GetSecretValueResponse response;
    try {
      // AWSCURRENT only, so a value staged as AWSPENDING is never used before rotation finishes.
      // It is the API's default, asked for explicitly because moto 5 answers a request without a
      // stage with the version last put, even after UpdateSecretVersionStage moved AWSCURRENT.
      // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
      response = client.getSecretValue(r -> r.secretId(secretId).versionStage(AWSCURRENT));
    } catch (ResourceNotFoundException e) {
      throw new SecretNotFoundException(
          "secret '"
              + secretId
              + "' of integration '"
              + integration
              + "' not found in Secrets Manager: create it with"
              + " aws secretsmanager create-secret --name '"
              + secretId
              + "' --secret-string file://secret.json (or correct the name in integration.yaml)",
          e);
    }

    if (response.secretString() == null) {
      throw new SecretNotFoundException(
          "secret '"
              + secretId
              + "' of integration '"
              + integration
              + "' holds no SecretString: store the value as text with aws secretsmanager"
              + " put-secret-value --secret-id '"
              + secretId
              + "' --secret-string file://secret.json");
    }
    return response.secretString();
  }
}
