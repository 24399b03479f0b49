package dev.sluice.auth.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignatureSchemeTest {

  @ParameterizedTest
  @CsvSource({
    "stripe, STRIPE, stripe-signature-dotnet-fixture.json",
    "github, GITHUB, github-x-hub-signature-256.json",
    "shopify, SHOPIFY, shopify-x-shopify-hmac-sha256.json",
    "slack, SLACK, slack-v0-request-signing.json",
    "standard-webhooks, STANDARD_WEBHOOKS, standard-webhooks-v1-hmac.json"
  })
  void fromName_withWireName_givesSchemeWhoseVerifierAcceptsItsVector(
      String name, SignatureScheme expected, String fixture) {
    SignatureFixture vector = SignatureFixture.load(fixture);

    SignatureScheme scheme = SignatureScheme.fromName(name);
    Verdict verdict =
        scheme.verifier().verify(vector.request(), vector.secret(), vector.signedAt(), 300);

    assertThat(scheme).isEqualTo(expected);
    assertThat(scheme.wireName()).isEqualTo(name);
    assertThat(verdict).isEqualTo(Verdict.ok());
  }

  @Test
  void fromName_whenUnknown_throwsListingValidNames() {
    assertThatThrownBy(() -> SignatureScheme.fromName("svix"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown signature scheme 'svix'; valid schemes: "
                + "stripe, github, shopify, slack, standard-webhooks");
  }

  @Test
  void fromName_whenNull_throwsIllegalArgument() {
    assertThatThrownBy(() -> SignatureScheme.fromName(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deliveryIdHeader_namesTheHeaderEachSourceSends() {
    assertThat(SignatureScheme.GITHUB.deliveryIdHeader()).contains("X-GitHub-Delivery");
    assertThat(SignatureScheme.SHOPIFY.deliveryIdHeader()).contains("X-Shopify-Webhook-Id");
    assertThat(SignatureScheme.STANDARD_WEBHOOKS.deliveryIdHeader()).contains("webhook-id");
    assertThat(SignatureScheme.STRIPE.deliveryIdHeader()).isEqualTo(Optional.empty());
    assertThat(SignatureScheme.SLACK.deliveryIdHeader()).isEqualTo(Optional.empty());
  }
}
