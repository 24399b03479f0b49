package dev.sluice.infra;

import dev.sluice.definition.IntegrationDefinition.Governance;
import dev.sluice.definition.InvalidDefinitionException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awscdk.Tags;
import software.constructs.IConstruct;

/**
 * The tags every Sluice resource carries, so that cost reports, inventories and on-call can tell
 * which integration a resource belongs to, who answers for it and what data it holds.
 */
public final class GovernanceTags {

  public static final String INTEGRATION = "sluice:integration";
  public static final String OWNER = "sluice:owner";
  public static final String MAINTAINER = "sluice:maintainer";
  public static final String DATA_CLASSIFICATION = "sluice:data-classification";

  /** Characters AWS accepts in tag values (IAM, SQS and Lambda share this set). */
  private static final Pattern VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,256}");

  private GovernanceTags() {}

  /** The four tags for an integration, checked against what AWS accepts. */
  public static Map<String, String> of(String integration, Governance governance) {
    if (governance == null) {
      throw new InvalidDefinitionException(
          integration + ": governance (owner, maintainer, dataClassification) is required");
    }

    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(INTEGRATION, integration);
    tags.put(OWNER, required(integration, "governance.owner", governance.owner()));
    tags.put(MAINTAINER, required(integration, "governance.maintainer", governance.maintainer()));
    tags.put(
        DATA_CLASSIFICATION,
        required(integration, "governance.dataClassification", governance.dataClassification()));
    return tags;
  }

  /** Tags {@code scope} and everything below it that can be tagged. */
  public static void apply(IConstruct scope, Map<String, String> tags) {
    tags.forEach((key, value) -> Tags.of(scope).add(key, value));
  }

  private static String required(String integration, String field, String value) {
    if (value == null || !VALUE.matcher(value).matches()) {
      throw new InvalidDefinitionException(
          integration
              + ": "
              + field
              + " must be set, at most 256 letters, digits, spaces or _ . : / = + - @");
    }
    return value;
  }
}
