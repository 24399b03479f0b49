package dev.sluice.queue;

/** SQS did not accept a message; the caller must not treat it as sent. */
public class QueueWriteException extends RuntimeException {

  public QueueWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
