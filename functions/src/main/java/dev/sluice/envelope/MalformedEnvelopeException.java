package dev.sluice.envelope;

/** A queue message whose body is not a readable Sluice envelope; retrying cannot fix it. */
public class MalformedEnvelopeException extends RuntimeException {

  public MalformedEnvelopeException(String message) {
    super(message);
  }
}
