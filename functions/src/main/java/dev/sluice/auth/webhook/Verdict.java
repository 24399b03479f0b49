package dev.sluice.auth.webhook;

/**
 * The result of checking a webhook signature. The reason is for logs and the {@code verify}
 * command; the HTTP response never tells the caller which part failed.
 *
 * @param valid whether the signature is valid at the time checked
 * @param reason why not (missing header, stale timestamp, no matching signature...), or "valid"
 */
public record Verdict(boolean valid, String reason) {

  public static Verdict ok() {
    return new Verdict(true, "valid");
  }

  public static Verdict rejected(String reason) {
    return new Verdict(false, reason);
  }
}
