package dev.sluice.transform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads test fixtures and the integration files the tests exercise. */
final class Fixtures {

  static final Path INTEGRATIONS = Path.of("..", "integrations");
  static final String STRIPE_INTEGRATION = "stripe-invoice-to-accounting";

  private Fixtures() {}

  static JsonNode json(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + resource)) {
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String integrationFile(String fileName) {
    try {
      return Files.readString(
          INTEGRATIONS.resolve(STRIPE_INTEGRATION).resolve(fileName), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
