package dev.sluice.auth.webhook;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The webhook signature schemes Sluice checks, by the name used in integration definitions and on
 * the {@code verify} command line.
 */
public enum SignatureScheme {
  STRIPE("stripe", new StripeVerifier(), null),
  GITHUB("github", new GitHubVerifier(), "X-GitHub-Delivery"),
  SHOPIFY("shopify", new ShopifyVerifier(), "X-Shopify-Webhook-Id"),
  SLACK("slack", new SlackVerifier(), null),
  STANDARD_WEBHOOKS("standard-webhooks", new StandardWebhooksVerifier(), "webhook-id");

  private final String wireName;
  private final WebhookVerifier verifier;
  private final String deliveryIdHeader;

  SignatureScheme(String wireName, WebhookVerifier verifier, String deliveryIdHeader) {
    this.wireName = wireName;
    this.verifier = verifier;
    this.deliveryIdHeader = deliveryIdHeader;
  }

  /** The scheme's name as written in definitions and options, such as {@code standard-webhooks}. */
  public String wireName() {
    return wireName;
  }

  /** The verifier for this scheme; verifiers hold no state, so one instance is shared. */
  public WebhookVerifier verifier() {
    return verifier;
  }

  /**
   * The header carrying the source's id for this delivery, to de-duplicate on; empty when the
   * source sends none (Stripe and Slack, whose ids are inside the body).
   */
  public Optional<String> deliveryIdHeader() {
    return Optional.ofNullable(deliveryIdHeader);
  }

  /**
   * The scheme with this wire name, in any letter case.
   *
   * @throws IllegalArgumentException naming the valid names when there is no such scheme
   */
  public static SignatureScheme fromName(String name) {
    for (SignatureScheme scheme : values()) {
      if (scheme.wireName.equalsIgnoreCase(name)) {
        return scheme;
      }
    }
    throw new IllegalArgumentException(
        "unknown signature scheme '" + name + "'; valid schemes: " + validNames());
  }

  /** The valid wire names, comma-separated, for help texts and error messages. */
  public static String validNames() {
    return Arrays.stream(values()).map(s -> s.wireName).collect(Collectors.joining(", "));
  }
}
