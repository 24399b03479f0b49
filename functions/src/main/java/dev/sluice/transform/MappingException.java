package dev.sluice.transform;

/**
 * A mapping could not turn a source event into a target record. Retrying cannot fix it, so the
 * record is quarantined; the message names the integration and the JSONata error, never a value.
 */
public class MappingException extends RuntimeException {

  public MappingException(String message) {
    super(message);
  }
}
