package dev.sluice.auth.secrets;

/**
 * Where handlers read secret values: Secrets Manager in AWS, a local file in the embedded demo.
 * Implementations cache values; callers never log what they get.
 */
public interface SecretStore {

  /**
   * The current value of a secret.
   *
   * @param secretId name or ARN of the secret
   * @throws SecretNotFoundException naming the secret (never a value) when it does not exist
   */
  String secretString(String secretId);

  /** Drops any cached value of a secret, so the next read fetches it again (after a 401, say). */
  void invalidate(String secretId);
}
