package dev.sluice.benchmarks;

import dev.sluice.auth.webhook.SignatureScheme;
import dev.sluice.auth.webhook.Verdict;
import dev.sluice.auth.webhook.WebhookRequest;
import dev.sluice.auth.webhook.WebhookSigning;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Verifying a signed webhook as ingress does, per scheme, on the real Stripe event body. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignatureBenchmark {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Param({"stripe", "github", "standard-webhooks"})
  public String scheme;

  private SignatureScheme signatureScheme;
  private WebhookRequest request;
  private Instant now;

  @Setup
  public void setUp() throws IOException {
    byte[] body;
    try (InputStream in = getClass().getResourceAsStream("/invoice-paid.json")) {
      body = in.readAllBytes();
    }
    signatureScheme = SignatureScheme.fromName(scheme);
    now = Instant.now();
    request =
        new WebhookRequest(
            WebhookSigning.headers(signatureScheme, SECRET, now, body, "msg_1"), body);
  }

  @Benchmark
  public Verdict verify() {
    return signatureScheme.verifier().verify(request, SECRET, now, 300);
  }
}
