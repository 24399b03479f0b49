package dev.sluice.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionCatalogTest {

  private static final Path INTEGRATIONS = Path.of("..", "integrations");

  @Test
  void load_readsTheReferenceIntegrationWithGovernance() {
    IntegrationDefinition definition =
        DefinitionCatalog.folder(INTEGRATIONS).load("stripe-invoice-to-accounting");

    assertThat(definition.trigger().scheme()).isEqualTo("stripe");
    assertThat(definition.governance().owner()).isNotBlank();
    assertThat(definition.governance().runbook()).startsWith("https://");
    assertThat(definition.target().auth().type()).isEqualTo("oauth2-client-credentials");
    assertThat(definition.queues().maxReceiveCountOrDefault()).isEqualTo(3);
  }

  @Test
  void names_listsTheFoldersHoldingADefinition(@TempDir Path folder) throws Exception {
    Files.createDirectories(folder.resolve("b-second"));
    Files.writeString(folder.resolve("b-second/integration.yaml"), "name: b-second\n");
    Files.createDirectories(folder.resolve("a-first"));
    Files.writeString(folder.resolve("a-first/integration.yaml"), "name: a-first\n");
    Files.createDirectories(folder.resolve("not-an-integration"));

    assertThat(DefinitionCatalog.folder(folder).names()).containsExactly("a-first", "b-second");
  }

  @Test
  void queues_reservedConcurrency_isReadAndDefaults(@TempDir Path folder) throws Exception {
    Files.createDirectories(folder.resolve("a"));
    Files.writeString(
        folder.resolve("a/integration.yaml"), "name: a\nqueues:\n  reservedConcurrency: 7\n");
    Files.createDirectories(folder.resolve("b"));
    Files.writeString(folder.resolve("b/integration.yaml"), "name: b\n");

    DefinitionCatalog catalog = DefinitionCatalog.folder(folder);

    assertThat(catalog.load("a").queues().reservedConcurrencyOrDefault()).isEqualTo(7);
    assertThat(catalog.load("a").queues().batchSizeOrDefault()).isEqualTo(10);
    assertThat(catalog.load("b").queues().reservedConcurrencyOrDefault()).isEqualTo(5);
  }

  @Test
  void classpath_holdsTheSameDefinitionAsTheFolder() {
    assertThat(DefinitionCatalog.classpath().load("stripe-invoice-to-accounting"))
        .isEqualTo(DefinitionCatalog.folder(INTEGRATIONS).load("stripe-invoice-to-accounting"));
  }

  @Test
  void find_whenNameCouldEscapeTheFolder_findsNothing() {
    assertThat(DefinitionCatalog.folder(INTEGRATIONS).find("../pom.xml")).isEmpty();
    assertThat(DefinitionCatalog.folder(INTEGRATIONS).find("Upper")).isEmpty();
  }

  @Test
  void load_whenNameDiffersFromFolder_explains(@TempDir Path folder) throws Exception {
    Files.createDirectories(folder.resolve("a"));
    Files.writeString(folder.resolve("a/integration.yaml"), "name: b\n");

    assertThatThrownBy(() -> DefinitionCatalog.folder(folder).load("a"))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("must match its folder");
  }

  @Test
  void file_whenPathEscapes_refuses() {
    assertThatThrownBy(
            () ->
                DefinitionCatalog.folder(INTEGRATIONS)
                    .file("stripe-invoice-to-accounting", "../../pom.xml"))
        .isInstanceOf(InvalidDefinitionException.class);
  }

  @Test
  void withHostRedirects_pointsTargetAndTokenUrlsAtStandIns() {
    IntegrationDefinition definition =
        DefinitionCatalog.folder(INTEGRATIONS)
            .withHostRedirects(
                Map.of(
                    "api.xero.com", URI.create("http://127.0.0.1:8081"),
                    "identity.xero.com", URI.create("http://127.0.0.1:8082")))
            .load("stripe-invoice-to-accounting");

    assertThat(definition.target().url()).isEqualTo("http://127.0.0.1:8081/api.xro/2.0/Invoices");
    assertThat(definition.target().auth().tokenUrl())
        .isEqualTo("http://127.0.0.1:8082/connect/token");
  }
}
