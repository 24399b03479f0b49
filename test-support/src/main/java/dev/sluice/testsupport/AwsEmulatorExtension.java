package dev.sluice.testsupport;

import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class an AWS endpoint: the one {@code AWS_ENDPOINT_URL} names, otherwise a moto
 * server started once per test JVM and stopped when the JVM's tests are done. Each test class
 * starts from a clean moto; an external endpoint is never reset, so tests use unique names.
 *
 * <p>Use {@code @ExtendWith(AwsEmulatorExtension.class)} and take an {@link AwsEmulator} parameter
 * in a {@code @BeforeAll}, {@code @BeforeEach} or test method.
 */
public final class AwsEmulatorExtension implements BeforeAllCallback, ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(AwsEmulatorExtension.class);
  private static final String KEY = "emulator";

  @Override
  public void beforeAll(ExtensionContext context) {
    AwsEmulator emulator = emulator(context);

    emulator.requireReachable();

    emulator.reset();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == AwsEmulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return emulator(context);
  }

  /** The endpoint {@code env} names, or one started by {@code start} when it names none. */
  static AwsEmulator choose(Map<String, String> env, Supplier<MotoServer> start) {
    String configured = env.get(AwsEmulator.ENDPOINT_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      return AwsEmulator.at(URI.create(configured.trim()));
    }
    return AwsEmulator.of(start.get());
  }

  private static AwsEmulator emulator(ExtensionContext context) {
    // The root store lives as long as the test JVM's run: one server for every class in it.
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            KEY, key -> new Started(choose(System.getenv(), MotoServer::start)), Started.class)
        .emulator();
  }

  /**
   * Stops the server, if this extension started one, when the root context closes. JUnit 5.13+
   * closes {@link AutoCloseable} store values itself (its {@code CloseableResource} is deprecated).
   */
  private record Started(AwsEmulator emulator) implements AutoCloseable {

    @Override
    public void close() {
      emulator.stop();
    }
  }
}
