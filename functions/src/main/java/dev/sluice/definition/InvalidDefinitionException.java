package dev.sluice.definition;

/** An integration definition, or a file it names, is missing or cannot be read. */
public class InvalidDefinitionException extends RuntimeException {

  public InvalidDefinitionException(String message) {
    super(message);
  }
}
