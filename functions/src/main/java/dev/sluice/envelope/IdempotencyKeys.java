package dev.sluice.envelope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Derives the idempotency key sent to targets: the same integration and source event always give
 * the same key, so a redelivered webhook or a retried call is recognised by the target.
 */
public final class IdempotencyKeys {

  private IdempotencyKeys() {}

  /** The key for one source event of one integration: hex SHA-256, 64 characters. */
  public static String of(String integration, String sourceEventId) {
    return sha256Hex((integration + "\n" + sourceEventId).getBytes(StandardCharsets.UTF_8));
  }

  /** Hex SHA-256 of some bytes. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
