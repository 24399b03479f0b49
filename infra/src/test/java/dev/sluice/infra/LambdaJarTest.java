package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deployable jar: the handlers and definitions, one SDK HTTP client, no archive inside. */
class LambdaJarTest {

  private static List<String> entries;

  @BeforeAll
  static void readJar() throws IOException {
    try (ZipFile jar = new ZipFile(RepositoryLayout.find().lambdaJar().toFile())) {
      entries = jar.stream().map(ZipEntry::getName).toList();
    }
  }

  @Test
  void jar_holdsTheHandlersTheStacksName() {
    assertThat(entries)
        .contains(
            "dev/sluice/ingress/IngressHandler.class",
            "dev/sluice/transform/TransformHandler.class",
            "dev/sluice/deliver/DeliverHandler.class",
            "dev/sluice/poll/PollHandler.class",
            "dev/sluice/auth/tokens/TokenKeeperHandler.class");
  }

  @Test
  void jar_holdsTheIntegrationDefinitions() {
    for (var definition : SynthesizedAppDefinitions.names()) {
      assertThat(entries).contains("integrations/" + definition + "/integration.yaml");
    }
  }

  @Test
  void jar_holdsExactlyOneSdkHttpClient_urlConnection() {
    assertThat(entries)
        .anyMatch(e -> e.startsWith("software/amazon/awssdk/http/urlconnection/"))
        .noneMatch(e -> e.startsWith("software/amazon/awssdk/http/apache/"))
        .noneMatch(e -> e.startsWith("software/amazon/awssdk/http/apache5/"))
        .noneMatch(e -> e.startsWith("software/amazon/awssdk/http/nio/netty/"))
        .noneMatch(e -> e.startsWith("software/amazon/awssdk/http/crt/"))
        .noneMatch(e -> e.startsWith("org/apache/http/"))
        .noneMatch(e -> e.startsWith("io/netty/"));
  }

  @Test
  void jar_isDeployedAsItIs_withNoArchiveInside() {
    assertThat(entries).noneMatch(e -> e.endsWith(".jar") || e.endsWith(".zip"));
  }
}
