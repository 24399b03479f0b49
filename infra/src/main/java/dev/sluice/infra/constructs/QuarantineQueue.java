package dev.sluice.infra.constructs;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Where the transform step puts records that fail the target's checks, each with its reason. Like a
 * dead-letter queue it is an end of the line: nothing consumes it, people inspect it.
 */
public final class QuarantineQueue extends Construct {

  private final Queue queue;

  public QuarantineQueue(Construct scope, String id, IKey key, Duration retention) {
    super(scope, id);

    this.queue =
        DeadLetteredQueue.encrypted(Queue.Builder.create(this, "Queue"), key, retention).build();

    NagSuppressions.addResourceSuppressions(
        queue,
        List.of(
            NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason(
                    "The quarantine queue is a terminal queue like a DLQ: no function consumes"
                        + " it, so no receive count could ever move a record on from it.")
                .build()));
  }

  public Queue queue() {
    return queue;
  }
}
