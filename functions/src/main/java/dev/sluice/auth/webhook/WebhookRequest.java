package dev.sluice.auth.webhook;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A webhook exactly as received: header names looked up without regard to case, and the body as the
 * raw bytes that were signed (never re-serialised or re-encoded).
 */
public final class WebhookRequest {

  private final Map<String, String> headers;
  private final byte[] body;

  public WebhookRequest(Map<String, String> headers, byte[] body) {
    TreeMap<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    caseless.putAll(headers);
    this.headers = caseless;
    this.body = body.clone();
  }

  /** A header's value, whatever the case of its name on the wire. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /** The raw body bytes. */
  public byte[] body() {
    return body.clone();
  }

  /** The number of body bytes. */
  public int bodyLength() {
    return body.length;
  }
}
