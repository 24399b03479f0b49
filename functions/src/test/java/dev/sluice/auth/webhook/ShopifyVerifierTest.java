package dev.sluice.auth.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShopifyVerifierTest {

  private static final SignatureFixture VECTOR =
      SignatureFixture.load("shopify-x-shopify-hmac-sha256.json");
  private static final String HEADER = "X-Shopify-Hmac-Sha256";

  private final ShopifyVerifier verifier = new ShopifyVerifier();

  private Verdict verify(WebhookRequest request) {
    // Shopify signs no timestamp: any clock and tolerance give the same verdict.
    return verifier.verify(request, VECTOR.secret(), Instant.now(), 0);
  }

  @Test
  void verify_withPublishedVector_accepts() {
    assertThat(verify(VECTOR.request())).isEqualTo(Verdict.ok());
  }

  @Test
  void verify_whenBodyTampered_rejects() {
    Verdict verdict = verify(VECTOR.withBody(VECTOR.bodyPlus(" ")));

    assertThat(verdict).isEqualTo(Verdict.rejected("signature does not match"));
  }

  @Test
  void verify_withWrongSecret_rejects() {
    Verdict verdict = verifier.verify(VECTOR.request(), "other_secret_key", Instant.now(), 0);

    assertThat(verdict.valid()).isFalse();
  }

  @Test
  void verify_whenHeaderMissing_rejects() {
    Verdict verdict = verify(VECTOR.withHeader(HEADER, null));

    assertThat(verdict).isEqualTo(Verdict.rejected("missing header X-Shopify-Hmac-Sha256"));
  }

  @Test
  void verify_withLowerCaseHeaderNames_accepts() {
    assertThat(verify(VECTOR.withLowerCaseHeaderNames()).valid()).isTrue();
  }

  @Test
  void verify_whenHeaderIsNotBase64_rejects() {
    // shopify-api-js's "fake" HMAC case.
    Verdict verdict = verify(VECTOR.withHeader(HEADER, "fake"));

    assertThat(verdict).isEqualTo(Verdict.rejected("signature does not match"));
  }

  @Test
  void verify_whenHeaderIsHexInsteadOfBase64_rejects() {
    String hex = "076ded5cdebcd60674a8858d46b82dcc113d5d20e8e72694bbac1f9a1bb76bb8";

    assertThat(verify(VECTOR.withHeader(HEADER, hex)).valid()).isFalse();
  }

  @Test
  void verify_whenHeaderEndsWithNewline_accepts() {
    // Ruby's Base64.encode64 ends its output with a newline.
    String withNewline = VECTOR.headers().get(HEADER) + "\n";

    assertThat(verify(VECTOR.withHeader(HEADER, withNewline)).valid()).isTrue();
  }
}
