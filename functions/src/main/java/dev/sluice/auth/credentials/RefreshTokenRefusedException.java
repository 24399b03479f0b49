package dev.sluice.auth.credentials;

/**
 * The token server refused the stored refresh token (revoked, expired or rotated away) and the
 * token keeper recorded it in the secret. Retrying cannot help until someone authorizes the app
 * again, so callers report an auth failure and stop retrying.
 */
public class RefreshTokenRefusedException extends CredentialsException {

  public RefreshTokenRefusedException(String message) {
    super(message, true);
  }
}
