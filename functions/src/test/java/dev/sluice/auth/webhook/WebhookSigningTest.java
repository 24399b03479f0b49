package dev.sluice.auth.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebhookSigningTest {

  private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");
  private static final byte[] BODY =
      "{\"id\":\"evt_1\",\"text\":\"Café ☕ …\"}\r\n".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(SignatureScheme.class)
  void headers_areAcceptedByTheSchemesVerifier(SignatureScheme scheme) {
    String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    Map<String, String> headers = WebhookSigning.headers(scheme, secret, AT, BODY, "msg_1");

    Verdict verdict = scheme.verifier().verify(new WebhookRequest(headers, BODY), secret, AT, 300);
    assertThat(verdict.valid()).as(verdict.reason()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(SignatureScheme.class)
  void headers_withAnotherSecret_areRejected(SignatureScheme scheme) {
    Map<String, String> headers =
        WebhookSigning.headers(scheme, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", AT, BODY, "msg_1");

    Verdict verdict =
        scheme
            .verifier()
            .verify(
                new WebhookRequest(headers, BODY),
                "whsec_AAAA9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                AT,
                300);
    assertThat(verdict.valid()).isFalse();
  }
}
