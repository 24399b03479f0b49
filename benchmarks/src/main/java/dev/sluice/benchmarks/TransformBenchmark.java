package dev.sluice.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.checks.SchemaCheck;
import dev.sluice.checks.Violation;
import dev.sluice.definition.DefinitionCatalog;
import dev.sluice.definition.IntegrationDefinition;
import dev.sluice.json.Json;
import dev.sluice.transform.JsonataMapping;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-record work of the transform step on the reference integration's real Stripe event:
 * mapping alone, checking alone, and both (the budget is a 100 µs median for both).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TransformBenchmark {

  private static final String INTEGRATION = "stripe-invoice-to-accounting";

  private JsonataMapping mapping;
  private SchemaCheck check;
  private JsonNode event;
  private JsonNode mapped;

  @Setup
  public void setUp() throws IOException {
    DefinitionCatalog catalog = DefinitionCatalog.classpath();
    IntegrationDefinition definition = catalog.load(INTEGRATION);
    mapping =
        JsonataMapping.compile(
            INTEGRATION, catalog.file(INTEGRATION, definition.transform().mapping()));
    check =
        SchemaCheck.compile(
            INTEGRATION, catalog.file(INTEGRATION, definition.transform().schema()));

    try (InputStream in = getClass().getResourceAsStream("/invoice-paid.json")) {
      event = Json.mapper().readTree(in);
    }
    mapped = mapping.apply(event);
    if (!check.check(mapped).isEmpty()) {
      throw new IllegalStateException("the sample event must map to a valid record");
    }
  }

  @Benchmark
  public JsonNode map() {
    return mapping.apply(event);
  }

  @Benchmark
  public List<Violation> check() {
    return check.check(mapped);
  }

  @Benchmark
  public List<Violation> mapAndCheck() {
    return check.check(mapping.apply(event));
  }
}
