package dev.sluice.auth.credentials;

/**
 * Target credentials could not be obtained: the secret is malformed, or the token endpoint refused
 * or could not be reached. Messages name the integration, the secret id or token URL and the OAuth
 * error code, never a secret value or token.
 */
public class CredentialsException extends RuntimeException {

  private final boolean rejected;

  /**
   * @param rejected true when a server or the stored secret says the credentials are wrong (an
   *     operator must act), false when the token endpoint was only unreachable
   */
  public CredentialsException(String message, boolean rejected) {
    super(message);
    this.rejected = rejected;
  }

  public CredentialsException(String message, boolean rejected, Throwable cause) {
    super(message, cause);
    this.rejected = rejected;
  }

  /** Whether the credentials themselves were refused or unusable, rather than unreachable. */
  public boolean rejected() {
    return rejected;
  }
}
