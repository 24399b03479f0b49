package dev.sluice.auth.secrets;

/**
 * A secret store that can also write a new version of a secret: what the one writer of a rotating
 * credential (the token keeper) uses. Everything else only reads.
 */
public interface WritableSecretStore extends SecretStore {

  /**
   * Stores {@code value} as the secret's new current version, at most once per version token, and
   * drops the cached value so the next read sees it.
   *
   * <p>The token makes a write conditional: two writers that started from the same version use the
   * same token, so only the first one's value is stored. In Secrets Manager it is the {@code
   * ClientRequestToken} of {@code PutSecretValue}, whose version id it becomes.
   *
   * @param versionToken 32 to 64 characters, derived from the version the writer started from
   * @return true when the value was stored; false when a different value was already stored under
   *     this token (another writer came first), in which case nothing changed
   */
  boolean putVersion(String secretId, String versionToken, String value);
}
