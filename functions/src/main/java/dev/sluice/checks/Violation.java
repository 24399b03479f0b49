package dev.sluice.checks;

/**
 * One way a record breaks its schema, described without the record's values.
 *
 * @param path JSON Pointer to the offending field in the record ({@code ""} for the root); for a
 *     missing field, the pointer where it should be
 * @param rule the schema keyword and its constraint, such as {@code format date} or {@code
 *     required}
 */
public record Violation(String path, String rule) {

  /** {@code path: rule}, with the root shown as {@code /}. */
  @Override
  public String toString() {
    return (path.isEmpty() ? "/" : path) + ": " + rule;
  }
}
