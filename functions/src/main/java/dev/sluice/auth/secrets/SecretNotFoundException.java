package dev.sluice.auth.secrets;

/** A secret an integration names does not exist or cannot be read. */
public class SecretNotFoundException extends RuntimeException {

  public SecretNotFoundException(String message) {
    super(message);
  }

  public SecretNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
