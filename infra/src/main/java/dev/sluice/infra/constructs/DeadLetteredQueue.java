package dev.sluice.infra.constructs;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * A queue between two steps and its dead-letter queue, the queue's redrive target: both encrypted
 * with the customer managed key, both refusing requests without TLS, and both keeping a record no
 * longer than the integration's retention.
 */
public final class DeadLetteredQueue extends Construct {

  private final Queue queue;
  private final Queue deadLetterQueue;
  private final Duration visibilityTimeout;

  /**
   * The queue settings.
   *
   * @param key the key both queues are encrypted with
   * @param retention how long a record may wait, on either queue
   * @param visibilityTimeout how long a received record stays hidden from other consumers
   * @param maxReceiveCount receives before SQS moves a record to the dead-letter queue
   */
  public record Props(
      IKey key, Duration retention, Duration visibilityTimeout, int maxReceiveCount) {}

  public DeadLetteredQueue(Construct scope, String id, Props props) {
    super(scope, id);

    // With a standard queue, SQS keeps a message's original enqueue time when it redrives it, so
    // the same retention bounds the record's whole life across both queues:
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    this.deadLetterQueue = encrypted(Queue.Builder.create(this, "DeadLetterQueue"), props).build();

    this.queue =
        encrypted(Queue.Builder.create(this, "Queue"), props)
            .visibilityTimeout(props.visibilityTimeout())
            .deadLetterQueue(
                DeadLetterQueue.builder()
                    .queue(deadLetterQueue)
                    .maxReceiveCount(props.maxReceiveCount())
                    .build())
            .build();
    this.visibilityTimeout = props.visibilityTimeout();
  }

  static Queue.Builder encrypted(Queue.Builder builder, Props props) {
    return encrypted(builder, props.key(), props.retention());
  }

  static Queue.Builder encrypted(Queue.Builder builder, IKey key, Duration retention) {
    return builder
        .encryption(QueueEncryption.KMS)
        .encryptionMasterKey(key)
        .retentionPeriod(retention)
        .enforceSsl(true);
  }

  public Queue queue() {
    return queue;
  }

  public Queue deadLetterQueue() {
    return deadLetterQueue;
  }

  /** The visibility timeout the queue was created with (CDK does not read it back). */
  public Duration visibilityTimeout() {
    return visibilityTimeout;
  }
}
