package dev.sluice.auth.webhook;

import java.time.Instant;

/** Checks one SaaS's webhook signature scheme over the raw request. */
public interface WebhookVerifier {

  /**
   * Checks the request's signature.
   *
   * @param request headers and raw body as received
   * @param secret the signing secret exactly as stored (each scheme decodes it as it specifies)
   * @param now the time to check timestamps against (the receive time of a captured request)
   * @param toleranceSeconds how far a signed timestamp may be from {@code now}, either way
   */
  Verdict verify(WebhookRequest request, String secret, Instant now, long toleranceSeconds);
}
