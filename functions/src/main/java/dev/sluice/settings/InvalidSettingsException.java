package dev.sluice.settings;

/** A function's environment is missing a variable or holds a malformed one. */
public class InvalidSettingsException extends RuntimeException {

  public InvalidSettingsException(String message) {
    super(message);
  }
}
