package dev.sluice.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void from_whenIntegrationMissing_namesTheVariable() {
    assertThatThrownBy(() -> Settings.from(Map.of()))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining(Settings.INTEGRATION);
  }

  @Test
  void from_readsQueuesEndpointAndDefaults() {
    Settings settings =
        Settings.from(
            Map.of(
                Settings.INTEGRATION, "a-b",
                Settings.INGEST_QUEUE_URL, "http://127.0.0.1:1/q/a-b-ingest",
                Settings.AWS_ENDPOINT_URL, "http://127.0.0.1:4566",
                Settings.SECRET_CACHE_SECONDS, "30"));

    assertThat(settings.integration()).isEqualTo("a-b");
    assertThat(settings.ingestQueueUrl()).contains("http://127.0.0.1:1/q/a-b-ingest");
    assertThat(settings.deliverQueueUrl()).isEmpty();
    assertThat(settings.awsEndpoint()).contains(URI.create("http://127.0.0.1:4566"));
    assertThat(settings.awsRegion()).isEqualTo("us-east-1");
    assertThat(settings.secretCacheTtl()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void from_whenEndpointIsNotAUrl_namesTheVariable() {
    assertThatThrownBy(
            () ->
                Settings.from(
                    Map.of(Settings.INTEGRATION, "x", Settings.AWS_ENDPOINT_URL, "not a url")))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining(Settings.AWS_ENDPOINT_URL);
  }

  @Test
  void from_whenCacheSecondsNegative_refuses() {
    assertThatThrownBy(
            () ->
                Settings.from(
                    Map.of(Settings.INTEGRATION, "x", Settings.SECRET_CACHE_SECONDS, "-1")))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining(Settings.SECRET_CACHE_SECONDS);
  }

  @Test
  void required_whenQueueMissing_namesTheVariable() {
    Settings settings = Settings.from(Map.of(Settings.INTEGRATION, "x"));

    assertThatThrownBy(() -> Settings.required(settings.deliverQueueUrl(), "SLUICE_X"))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("SLUICE_X");
  }
}
