package dev.sluice.auth.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.json.Json;
import dev.sluice.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretStoreTest {

  @TempDir Path folder;

  @Test
  void secretString_whenValueIsText_returnsIt() throws Exception {
    Path file = write("{\"sluice/demo/key\": \"key-123\"}");

    assertThat(new FileSecretStore(file).secretString("sluice/demo/key")).isEqualTo("key-123");
  }

  @Test
  void secretString_whenValueIsObject_returnsItsJsonText() throws Exception {
    Path file =
        write("{\"sluice/demo/oauth\": {\"client_id\": \"demo\", \"client_secret\": \"s3\"}}");

    String value = new FileSecretStore(file).secretString("sluice/demo/oauth");

    JsonNode parsed = Json.mapper().readTree(value);
    assertThat(parsed.get("client_id").asText()).isEqualTo("demo");
    assertThat(parsed.get("client_secret").asText()).isEqualTo("s3");
  }

  @Test
  void secretString_whenIdMissing_namesIdAndFile() throws Exception {
    Path file = write("{\"other\": \"hidden-value\"}");

    assertThatThrownBy(() -> new FileSecretStore(file).secretString("sluice/missing"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("'sluice/missing'")
        .hasMessageContaining(file.toString())
        .hasMessageNotContaining("hidden-value");
  }

  @Test
  void secretString_whenFileMissing_saysHowToFixIt() {
    Path file = folder.resolve("absent.json");

    assertThatThrownBy(() -> new FileSecretStore(file).secretString("x"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("does not exist")
        .hasMessageContaining(Settings.SECRETS_FILE);
  }

  @Test
  void secretString_whenFileIsNotJson_reportsPositionButNotContent() throws Exception {
    Path file = write("{\"x\": secret-without-quotes}");

    assertThatThrownBy(() -> new FileSecretStore(file).secretString("x"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("secret-without-quotes");
  }

  @Test
  void secretString_keepsTheFileUntilInvalidated() throws Exception {
    Path file = write("{\"k\": \"old\"}");
    FileSecretStore store = new FileSecretStore(file);
    store.secretString("k");

    Files.writeString(file, Json.mapper().writeValueAsString(Map.of("k", "new")));

    assertThat(store.secretString("k")).isEqualTo("old");
    store.invalidate("k");
    assertThat(store.secretString("k")).isEqualTo("new");
  }

  private Path write(String json) throws Exception {
    Path file = folder.resolve("local-secrets.json");
    Files.writeString(file, json);
    return file;
  }
}
