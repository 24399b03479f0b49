package dev.sluice.infra.constructs;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.constructs.Construct;

/**
 * A step that consumes a queue: a {@link SluiceFunction} whose alias receives batches from the
 * step's input queue and reports which records failed.
 *
 * <p>Construction fails when the input queue's visibility timeout is shorter than six times the
 * function timeout plus the batching window, the minimum Lambda documents for SQS event sources:
 * with less, a record still being processed becomes visible again and runs twice.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
public final class QueueConnectedStep extends Construct {

  /** Lambda's advice: visibility timeout at least six times the function timeout. */
  public static final int VISIBILITY_FACTOR = 6;

  private final SluiceFunction function;

  /**
   * The step's function and its input.
   *
   * @param function what the function runs
   * @param input the queue it consumes
   * @param batchSize records per invocation
   * @param batchingWindow how long Lambda gathers records before invoking (zero for none)
   */
  public record Props(
      SluiceFunction.Props function,
      DeadLetteredQueue input,
      int batchSize,
      Duration batchingWindow) {}

  public QueueConnectedStep(Construct scope, String id, Props props) {
    super(scope, id);

    String path = scope.getNode().getPath() + "/" + id;
    requireVisibility(path, props.input().visibilityTimeout(), props.function(), props);
    int concurrency = props.function().reservedConcurrency();
    if (concurrency < 2) {
      throw new IllegalArgumentException(
          path
              + ": reserved concurrency "
              + concurrency
              + " is below 2, the least an SQS event source can scale to");
    }

    this.function = new SluiceFunction(this, "Step", props.function());

    // Without ReportBatchItemFailures Lambda ignores the handler's batchItemFailures and deletes
    // the whole batch on success, losing the records the handler reported as failed:
    // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
    // The source targets the alias, so it runs the SnapStart version, and it scales to at most
    // the reserved concurrency, so Lambda never throttles its own pollers.
    SqsEventSourceProps.Builder source =
        SqsEventSourceProps.builder()
            .batchSize(props.batchSize())
            .reportBatchItemFailures(true)
            .maxConcurrency(concurrency);
    if (props.batchingWindow().toSeconds().intValue() > 0) {
      source.maxBatchingWindow(props.batchingWindow());
    }
    function.alias().addEventSource(new SqsEventSource(props.input().queue(), source.build()));
  }

  /** The smallest visibility timeout a queue consumed by a function with this timeout may have. */
  public static Duration minimumVisibility(Duration functionTimeout, Duration batchingWindow) {
    return Duration.seconds(
        VISIBILITY_FACTOR * functionTimeout.toSeconds().longValue()
            + batchingWindow.toSeconds().longValue());
  }

  private static void requireVisibility(
      String path, Duration visibility, SluiceFunction.Props function, Props props) {
    Duration minimum = minimumVisibility(function.timeout(), props.batchingWindow());
    if (visibility.toSeconds().longValue() < minimum.toSeconds().longValue()) {
      throw new IllegalArgumentException(
          path
              + ": the input queue's visibility timeout is "
              + visibility.toSeconds()
              + " s, shorter than "
              + VISIBILITY_FACTOR
              + " x the function timeout ("
              + function.timeout().toSeconds()
              + " s) + the batching window ("
              + props.batchingWindow().toSeconds()
              + " s) = "
              + minimum.toSeconds()
              + " s; raise the visibility timeout or lower the function timeout");
    }
  }

  public SluiceFunction function() {
    return function;
  }
}
