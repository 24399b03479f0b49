package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.infra.constructs.DeadLetteredQueue;
import dev.sluice.infra.constructs.QueueConnectedStep;
import dev.sluice.infra.constructs.SluiceFunction;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.kms.Key;

/** Synth fails when a consumer's queue would hand out records still being processed. */
class QueueConnectedStepTest {

  @Test
  void step_whenVisibilityIsBelowSixTimesTimeoutPlusWindow_failsWithTheNumbers() {
    Stack stack = new Stack(new App(), "Test");
    DeadLetteredQueue input =
        new DeadLetteredQueue(
            stack,
            "Input",
            new DeadLetteredQueue.Props(
                new Key(stack, "Key"), Duration.hours(1), Duration.seconds(180), 3));

    assertThatThrownBy(
            () ->
                new QueueConnectedStep(
                    stack,
                    "Step",
                    new QueueConnectedStep.Props(
                        props(Duration.seconds(30)), input, 20, Duration.seconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Test/Step")
        .hasMessageContaining("180 s, shorter than 6 x the function timeout (30 s)")
        .hasMessageContaining("= 181 s");
  }

  @Test
  void step_whenReservedConcurrencyIsBelowTwo_fails() {
    Stack stack = new Stack(new App(), "Test");
    DeadLetteredQueue input =
        new DeadLetteredQueue(
            stack,
            "Input",
            new DeadLetteredQueue.Props(
                new Key(stack, "Key"), Duration.hours(1), Duration.seconds(600), 3));
    SluiceFunction.Props one =
        new SluiceFunction.Props(
            "test", "Handler", Path.of("unused.jar"), Duration.seconds(30), 1, Map.of());

    assertThatThrownBy(
            () ->
                new QueueConnectedStep(
                    stack,
                    "Step",
                    new QueueConnectedStep.Props(one, input, 10, Duration.seconds(0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below 2");
  }

  private static SluiceFunction.Props props(Duration timeout) {
    return new SluiceFunction.Props("test", "Handler", Path.of("unused.jar"), timeout, 5, Map.of());
  }
}
