package dev.sluice.auth.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitHubVerifierTest {

  private static final SignatureFixture VECTOR =
      SignatureFixture.load("github-x-hub-signature-256.json");
  private static final String HEADER = "X-Hub-Signature-256";

  private final GitHubVerifier verifier = new GitHubVerifier();

  private Verdict verify(WebhookRequest request) {
    // GitHub signs no timestamp: any clock and tolerance give the same verdict.
    return verifier.verify(request, VECTOR.secret(), Instant.now(), 0);
  }

  @Test
  void verify_withPublishedVector_accepts() {
    assertThat(verify(VECTOR.request())).isEqualTo(Verdict.ok());
  }

  @Test
  void verify_whenBodyHasTrailingNewline_rejects() {
    Verdict verdict = verify(VECTOR.withBody(VECTOR.bodyPlus("\n")));

    assertThat(verdict).isEqualTo(Verdict.rejected("signature does not match"));
  }

  @Test
  void verify_withWrongSecret_rejects() {
    Verdict verdict =
        verifier.verify(VECTOR.request(), "It's a secret to everybody", Instant.now(), 0);

    assertThat(verdict.valid()).isFalse();
  }

  @Test
  void verify_whenHeaderMissing_rejects() {
    Verdict verdict = verify(VECTOR.withHeader(HEADER, null));

    assertThat(verdict).isEqualTo(Verdict.rejected("missing header X-Hub-Signature-256"));
  }

  @Test
  void verify_whenOnlyLegacySha1HeaderPresent_rejects() {
    WebhookRequest request =
        new WebhookRequest(Map.of("X-Hub-Signature", "sha1=" + "0".repeat(40)), VECTOR.body());

    Verdict verdict = verify(request);

    assertThat(verdict).isEqualTo(Verdict.rejected("missing header X-Hub-Signature-256"));
  }

  @Test
  void verify_withLowerCaseHeaderNames_accepts() {
    assertThat(verify(VECTOR.withLowerCaseHeaderNames()).valid()).isTrue();
  }

  @Test
  void verify_withUpperCaseHex_rejects() {
    // GitHub sends lowercase hex; the value is compared as sent, not normalised.
    String upper = "sha256=" + VECTOR.headers().get(HEADER).substring(7).toUpperCase(Locale.ROOT);

    assertThat(verify(VECTOR.withHeader(HEADER, upper)).valid()).isFalse();
  }

  @Test
  void verify_withoutSha256Prefix_rejects() {
    String bare = VECTOR.headers().get(HEADER).substring("sha256=".length());

    Verdict verdict = verify(VECTOR.withHeader(HEADER, bare));

    assertThat(verdict.reason()).startsWith("malformed header X-Hub-Signature-256");
  }

  @Test
  void verify_withEmptySecret_rejects() {
    Verdict verdict = verifier.verify(VECTOR.request(), "", Instant.now(), 0);

    assertThat(verdict).isEqualTo(Verdict.rejected("no signing secret configured"));
  }
}
