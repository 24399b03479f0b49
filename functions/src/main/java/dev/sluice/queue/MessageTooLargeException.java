package dev.sluice.queue;

/** A message would exceed SQS's size limit once its attributes are counted. */
public class MessageTooLargeException extends RuntimeException {

  public MessageTooLargeException(String message) {
    super(message);
  }
}
