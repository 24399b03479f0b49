package dev.sluice.infra;

import dev.sluice.definition.DefinitionCatalog;
import java.util.List;

/** The integration names in the checkout, without synthesizing anything. */
final class SynthesizedAppDefinitions {

  private SynthesizedAppDefinitions() {}

  static List<String> names() {
    return DefinitionCatalog.folder(RepositoryLayout.find().integrations()).names();
  }
}
